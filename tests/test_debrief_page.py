"""The debrief page with AppTest: who may open it, no scores before it opens, the forcing toggle,
and the manager's decision that needs a rationale and accepted responsibility."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import debrief, people
from scoring.scale import Scale
from world import build, submit

ROOT = Path(__file__).resolve().parent.parent


def open_page(world, who="manager"):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = world.person(who).id
    at.run()
    at.query_params["candidate"] = str(world.candidate_id)
    at.switch_page("pages/debrief.py").run()
    assert not at.exception, at.exception
    return at


def text(at) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "metric")
    return " ".join(str(getattr(e, "value", "")) for k in kinds for e in getattr(at, k))


def make(tmp_path, monkeypatch, **options):
    monkeypatch.chdir(ROOT)
    world = build(tmp_path / "debrief.sqlite", **options)
    monkeypatch.setenv("DEBRIEF_DB", world.store.location)
    return world


def test_hiring_manager_of_another_opening_gets_nothing(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch)
    other = people.add_person(
        world.store, world.coordinator, "Hal Other", "hal@example.com", ["hiring_manager"]
    )
    world.hal = other
    submit(world, "ana", 4)
    at = open_page(world, "hal")
    assert at.info[0].value == "Choose a candidate in the pipeline."
    assert "ana thinks" not in text(at) and not at.dataframe


def test_before_opening_only_status_no_scores(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch)
    submit(world, "ana", 5)
    submit(world, "bo", 0)
    at = open_page(world)
    shown = text(at)
    assert "Scorecards in: 2 of 3" in shown
    assert "No scores are shown before the debrief opens." in shown
    assert "ana thinks" not in shown and "Strong yes" not in shown and not at.metric
    assert [b.label for b in at.button if "Open" in b.label] == ["Open the debrief early"]


def test_forcing_toggle_changes_effective_values_and_outcome(tmp_path, monkeypatch):
    # "we absolutely must hire this person ... Or let's just move on": only the top is a yes
    only_top = Scale(0, 5).preset_map("only_top_is_yes")
    world = make(tmp_path, monkeypatch, strategy={"kind": "vote", "force_map": only_top})
    for who, overall in (("ana", 3), ("bo", 3), ("cy", 2)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    headline = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert headline == "## :green[Hire]"
    assert [e.label for e in at.expander][2].endswith("· 2 (no)")
    at.toggle[0].set_value(True).run()
    headline = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert headline == "## :red[No hire]"
    labels = [e.label for e in at.expander]
    assert "· 2 → 0 (no, strong)" in labels[2] and "· 3 → 0 (no, strong)" in labels[0]
    assert "Forcing (only a top score stays a yes) flips the outcome." in text(at)
    assert "Forced: only a top score stays a yes." in text(at)  # the what-if's contract


def test_forcing_does_not_make_a_veto_on_the_page(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch, strategy={"kind": "vote", "veto": True})
    for who, overall in (("ana", 3), ("bo", 3), ("cy", 2)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    at.toggle[0].set_value(True).run()
    headline = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert headline == "## :green[Hire]"  # Cy's 0 is forcing's, not Cy's: no veto (L1265)
    assert [e.label for e in at.expander][2].endswith("· 2 → 0 (no, strong)")
    assert "forcing does not make a veto" in text(at)


@pytest.mark.parametrize(
    "rationale, accept", [("", True), ("She fills our gap in causal work", False)]
)
def test_manager_decision_needs_rationale_and_responsibility(
    tmp_path, monkeypatch, rationale, accept
):
    world = make(tmp_path, monkeypatch)
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    decision = next(r for r in at.radio if r.label == "Decision")
    decision.set_value("hire")
    at.text_area[0].input(rationale)
    if accept:
        at.checkbox[0].check()
    next(b for b in at.button if b.label == "Record the decision").click().run()
    # in words, under the field it concerns; what was typed is still there
    wanted = (
        "Say why you decide this."
        if not rationale
        else ("Accept responsibility for the decision to record it.")
    )
    assert [e.value for e in at.error] == [
        "1 thing to fix before recording, each marked below.",
        wanted,
    ]
    assert at.text_area[0].value == rationale
    assert debrief.debrief(world.store, world.manager, world.candidate_id).decisions == []


def in_order(node):
    """The page's elements in the order they are drawn."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_order(child)


def form_lines(at) -> list[str]:
    """The decision form as drawn: each field, and each problem where it is shown."""
    form = next(f for f in at.get("form") if f.proto.form.form_id == "decide")
    lines = []
    for e in in_order(form):
        if e.type in ("radio", "text_area", "checkbox"):
            lines.append(f"{e.type}: {e.label}")
        elif e.type == "error":
            lines.append(f"  problem: {e.value}")
    return lines


def test_every_problem_of_the_decision_at_once_under_its_field(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch)
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    next(b for b in at.button if b.label == "Record the decision").click().run()
    # one press: all three, each under its own field, and a count on top
    assert form_lines(at) == [
        "  problem: 3 things to fix before recording, each marked below.",
        "radio: Decision",
        "  problem: Choose hire or no hire.",
        "text_area: Why (required)",
        "  problem: Say why you decide this.",
        "checkbox: I accept responsibility for this decision, also if it proves a mis-hire",
        "  problem: Accept responsibility for the decision to record it.",
    ]
    assert debrief.debrief(world.store, world.manager, world.candidate_id).decisions == []
    # fixing one leaves the other two
    next(r for r in at.radio if r.label == "Decision").set_value("hire")
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert [e.value for e in at.error[1:]] == [
        "Say why you decide this.",
        "Accept responsibility for the decision to record it.",
    ]
    at.text_area[0].input("Strong on every session")
    at.checkbox[0].check()
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert not at.error
    (record,) = debrief.debrief(world.store, world.manager, world.candidate_id).decisions
    assert record.outcome == "hire"


def test_manager_records_a_decision_and_the_history_shows_it(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch)
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    next(r for r in at.radio if r.label == "Decision").set_value("no_hire")
    at.text_area[0].input("Reference check raised a concern")
    at.checkbox[0].check()
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert not at.error
    (record,) = debrief.debrief(world.store, world.manager, world.candidate_id).decisions
    assert (record.outcome, record.accepts_responsibility) == ("no_hire", True)
    shown = text(at)
    assert "Reference check raised a concern" in shown
    assert "The decision differs from where the panel stood when the debrief opened." in shown


def headline(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## "))


def test_the_panels_lean_is_the_headline_and_forcing_changes_it(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch)  # hiring manager decides
    for who, overall in (("ana", 4), ("bo", 1), ("cy", 0)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    assert headline(at) == "## :red[Panel leans no hire: 1 yes, 2 no — your decision]"
    assert "Awaiting the hiring manager" not in headline(at)
    at.toggle[0].set_value(True).run()
    # the book's default forcing: a weak no goes to the bottom, a weak yes stays as written
    assert headline(at) == "## :red[Panel leans no hire: 1 yes, 2 strong no — your decision]"
    assert not any(m.label == "Agreement" for m in at.metric)  # not agreement: dropped


def test_no_match_claimed_when_the_panel_stood_nowhere(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch)
    submit(world, "ana", 4)
    submit(world, "bo", 1)
    debrief.open_debrief(world.store, world.manager, world.candidate_id, reason="Cy is away")
    debrief.record_decision(world.store, world.manager, world.candidate_id, "hire", "Refs", True)
    shown = text(open_page(world))
    assert "When the debrief opened the panel had no lean: 1 yes, 1 no, 0 undecided." in shown
    assert "matches where the panel stood" not in shown
    assert "differs from where the panel stood" not in shown


def test_the_weighted_score_carries_its_interval_measured_for_the_hiring_manager(
    tmp_path, monkeypatch
):
    from paired_history import add_paired

    world = make(tmp_path, monkeypatch, strategy={"kind": "committee", "bar": 0.6, "quorum": 1})
    add_paired(world, 21)
    for who, level in (("ana", 3), ("bo", 2), ("cy", 3)):
        submit(world, who, 4, level=level)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    view = debrief.debrief(world.store, world.manager, world.candidate_id)
    reading = view.score_interval
    at = open_page(world)
    shown = text(at)
    weighted = next(m for m in at.metric if m.label == "Weighted score")
    assert weighted.value == f"{view.result.score:.2f}"  # the score stays, the interval is beside
    assert reading.line in shown
    assert reading.line.endswith(
        "3 scorecards · interviewers' error measured on 21 paired candidates"
    )
    assert reading.advice in shown and "Measured on this opening" in shown
    assert "not how the candidate would do on another day" in shown
    # the committee member reads the prior-based interval, labelled so
    member = text(open_page(world, "member"))
    assert (
        "interviewers' error assumed" in member
        and "only the opening's hiring manager sees" in member
    )
    assert "Measured on this opening" not in member


def test_too_close_to_call_is_said_in_words(tmp_path, monkeypatch):
    world = make(tmp_path, monkeypatch, strategy={"kind": "committee", "bar": 0.6, "quorum": 1})
    for who, level in (("ana", 3), ("bo", 2), ("cy", 2)):
        submit(world, who, 4, level=level)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    at = open_page(world)
    warning = next(w.value for w in at.warning if w.value.startswith("Too close to call"))
    assert (
        "lies on both sides of the committee's bar of 0.60 and the middle of the scale (0.50)"
        in warning
    )
    assert "assumed until 20 paired candidates" in text(at)
    at.toggle[0].set_value(True).run()  # forcing on: the interval says it is on raw scores
    assert "on raw scores (the points written), not the forced ones above" in text(at)


def test_the_what_if_states_the_openings_contracts(tmp_path, monkeypatch):
    strategy = {"kind": "committee", "bar": 0.6, "bar_mode": "binding", "quorum": 1, "veto": True}
    world = make(tmp_path, monkeypatch, strategy=strategy)
    for who in ("ana", "bo", "cy"):
        submit(world, who, 3)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    shown = text(open_page(world))
    assert (
        "Forced: a weak no becomes the lowest score. A veto or a greenlight needs an extreme the"
        " interviewer wrote. The committee's bar: no hire below a weighted score of 0.60."
    ) in shown
