"""The scorecard form with AppTest: anchors on the form, required criteria, forced choice,
drafts that survive signing out, and a submission that is final."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import openings, scorecards
from scoring.drafts import DraftCriterion
from scoring.text import plain_markdown
from world import build

ROOT = Path(__file__).resolve().parent.parent


def open_form(world, who="cy"):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = world.person(who).id
    at.run()
    at.query_params["assignment"] = str(world.seats[who])
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, at.exception
    return at


def save_line(at) -> str:
    """The save line above the form (an HTML element, with what the server holds)."""
    found = [e.proto.body for e in at.get("html") if 'id="debrief-save"' in e.proto.body]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    w = build(tmp_path / "form.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    return w


def rubric_of(world, who="cy"):
    return scorecards.sheet(world.store, world.person(who), world.seats[who]).rubric


def radio(at, key_part):
    return next(r for r in at.radio if r.key and r.key.endswith(key_part))


def fill(at, world, who="cy", overall=4, feedback="Clean, tested code; slow start."):
    for criterion in rubric_of(world, who).criteria:
        radio(at, f"_{criterion.id}").set_value(max(criterion.anchors))
    radio(at, "_overall").set_value(overall)
    at.text_area(key=f"score_{world.seats[who]}_feedback").input(feedback)


def open_box(at, key):
    """Open the expander with this key, as a click on its heading does (a rerun)."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception


def press(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_every_anchor_is_on_the_form_next_to_its_point(world):
    at = open_form(world)
    rubric = rubric_of(world)
    for criterion in rubric.criteria:
        widget = radio(at, f"_{criterion.id}")
        shown = " ".join(str(o) for o in widget.options) + " " + str(widget.proto.captions)
        for anchor in criterion.anchors.values():
            assert anchor in shown
        assert ("Not assessed" in widget.options) == (not criterion.required)
    assert [str(o) for o in radio(at, "_overall").options] == [
        "0 · Strong no",
        "1 · No",
        "2 · Leaning no",
        "3 · Leaning yes",
        "4 · Yes",
        "5 · Strong yes",
    ]


def test_required_criteria_must_be_chosen_and_nothing_is_written(world):
    at = open_form(world)
    radio(at, "_overall").set_value(4)
    at.text_area(key=f"score_{world.seats['cy']}_feedback").input("Looks fine.")
    press(at, "Submit scorecard…")
    rubric = rubric_of(world)
    assert (
        at.error[0].value
        == f"{len(rubric.criteria)} things to fix before submitting, each marked below."
    )
    shown = [e.value for e in at.error[1:]]
    for criterion in rubric.criteria:  # each next to its criterion, in the product's words
        wanted = f"Choose a point for “{criterion.name}”"
        assert any(message.startswith(plain_markdown(wanted)) for message in shown), wanted
    assert scorecards.own_scorecard(world.store, world.cy, world.seats["cy"]) is None


def test_feedback_is_required(world):
    at = open_form(world)
    fill(at, world, feedback="  ")
    press(at, "Submit scorecard…")
    # next to the field, in words; and counted at the top of the form
    assert "Write your feedback: why this recommendation." in [e.value for e in at.error]
    assert at.error[0].value.startswith("1 thing to fix before submitting")


def test_forced_choice_offers_only_the_extremes(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    w = build(tmp_path / "forced.sqlite", forced_choice=True)
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    at = open_form(w)
    assert [str(o) for o in radio(at, "_overall").options] == ["0 · Strong no", "5 · Strong yes"]
    assert any("if this is a weak no, it is a no" in c.value for c in at.caption)


def test_draft_survives_signing_out(world):
    at = open_form(world)
    fill(at, world, overall=3, feedback="Half-way through my notes")
    press(at, "Save draft")
    assert "Draft saved" in at.success[0].value
    # a new session: signed out and back in
    again = open_form(world)
    assert radio(again, "_overall").value == 3
    assert again.text_area(key=f"score_{world.seats['cy']}_feedback").value == (
        "Half-way through my notes"
    )
    assert scorecards.own_scorecard(world.store, world.cy, world.seats["cy"]) is None


def test_submit_asks_for_confirmation_then_is_final(world):
    at = open_form(world)
    fill(at, world, overall=5)
    press(at, "Submit scorecard…")
    assert scorecards.own_scorecard(world.store, world.cy, world.seats["cy"]) is None
    assert any("A submitted scorecard is final" in m.value for m in at.markdown)
    press(at, "Submit: it is final")
    card = scorecards.own_scorecard(world.store, world.cy, world.seats["cy"])
    assert card.overall == 5 and card.revision == 1
    assert "This scorecard is final" in at.success[-1].value
    assert not [b for b in at.button if b.label == "Save draft"]  # no second submission
    assert [e.label for e in at.expander] == [
        "How to run and score this session (instructions)",
        "Correct this scorecard",
        "Flag suspected cheating",
    ]
    open_box(at, "correct")  # its form is drawn once the box is opened
    assert [b.label for b in at.button if "Submit" in b.label] == ["Submit the correction…"]


def test_recusal_takes_the_interview_off_the_list(world):
    at = open_form(world)
    open_box(at, "conflict")  # its form is drawn once the box is opened
    at.text_input(key=f"recuse_{world.seats['cy']}").input("She was my student")
    press(at, "Recuse myself from this interview")
    board = scorecards.status_board(world.store, world.coordinator, world.candidate_id)
    assert [s.state for s in board if s.interviewer_name == "Cy Chen"] == ["recused"]
    with pytest.raises(Exception, match="recused"):
        openings.recuse(world.store, world.cy, world.seats["cy"], "again")


def test_every_change_is_saved_to_the_draft_at_once(world):
    at = open_form(world)
    seat = world.seats["cy"]
    criterion = rubric_of(world).criteria[0]
    radio(at, f"_{criterion.id}").set_value(max(criterion.anchors)).run()
    draft = scorecards.load_draft(world.store, world.cy, seat)
    assert draft.criteria[criterion.id] == DraftCriterion(chosen=True, level=max(criterion.anchors))
    at.text_area(key=f"score_{seat}_feedback").input("Strong on tests, slow start").run()
    assert scorecards.load_draft(world.store, world.cy, seat).feedback == (
        "Strong on tests, slow start"
    )
    line = save_line(at)
    assert "☁ Saved " in line and "Strong on tests, slow start" in line  # what the server holds
    # a new tab, a reload, another day: the form comes back as it was
    again = open_form(world)
    assert radio(again, f"_{criterion.id}").value == max(criterion.anchors)
    assert again.text_area(key=f"score_{seat}_feedback").value == "Strong on tests, slow start"
    assert scorecards.own_scorecard(world.store, world.cy, seat) is None  # never submitted


def test_not_assessed_stays_not_assessed_in_the_draft(world):
    at = open_form(world)
    optional = next(c for c in rubric_of(world).criteria if not c.required)
    radio(at, f"_{optional.id}").set_value("not assessed").run()
    saved = scorecards.load_draft(world.store, world.cy, world.seats["cy"])
    assert saved.criteria[optional.id] == DraftCriterion(chosen=True, level=None)
    again = open_form(world)
    assert radio(again, f"_{optional.id}").value == "not assessed"
    untouched = next(c for c in rubric_of(world).criteria if c.id != optional.id)
    assert radio(again, f"_{untouched.id}").value is None  # not chosen stays not chosen


def test_what_the_form_holds_is_saved_even_without_a_change_event(world):
    # a value that reaches the server without a change event is saved all the same
    at = open_form(world)
    seat = world.seats["cy"]
    at.session_state[f"score_{seat}_feedback"] = "typed while the connection was down"
    at.run()
    assert scorecards.load_draft(world.store, world.cy, seat).feedback == (
        "typed while the connection was down"
    )


def progress_line(at) -> str:
    """Where the scorecard stands, as the bar under the form says it."""
    import re

    found = re.search(r'<p class="debrief-progress">([^<]*)</p>', save_line_html(at))
    assert found, save_line_html(at)
    return found.group(1)


def save_line_html(at) -> str:
    return next(e.proto.body for e in at.get("html") if "debrief-progress" in e.proto.body)


def test_the_bar_says_what_is_left_to_do(world):
    at = open_form(world)
    criteria = rubric_of(world).criteria
    assert progress_line(at) == (
        f"0 of {len(criteria)} criteria, overall missing, feedback missing"
    )
    radio(at, f"_{criteria[0].id}").set_value(max(criteria[0].anchors)).run()
    radio(at, "_overall").set_value(4).run()
    assert progress_line(at) == f"1 of {len(criteria)} criteria, feedback missing"
    fill(at, world)
    at.run()
    assert progress_line(at) == (
        f"All {len(criteria)} criteria, the overall and the feedback are in: ready to submit"
    )
    # the submit button sits in the bar, beside the line
    assert any(b.label == "Submit scorecard…" for b in at.button)


def test_a_corrected_scorecard_says_so_with_its_reason(world):
    at = open_form(world)
    fill(at, world, overall=4)
    press(at, "Submit scorecard…")
    press(at, "Submit: it is final")
    card = scorecards.own_scorecard(world.store, world.cy, world.seats["cy"])
    scorecards.revise(
        world.store,
        world.cy,
        world.seats["cy"],
        reason="Mixed up two candidates' notes",
        overall=2,
        feedback=card.feedback,
        criteria={k: {"score": e.score, "evidence": e.evidence} for k, e in card.criteria.items()},
    )
    again = open_form(world)
    said = again.success[0].value
    assert "corrected once: Mixed up two candidates' notes" in said
    assert "This scorecard is final" not in said
    assert not any("revision 2" in m.value for m in again.markdown)


def seat_session(world, who="cy") -> int:
    return next(
        s.session_id
        for s in scorecards.status_board(world.store, world.coordinator, world.candidate_id)
        if s.assignment_id == world.seats[who]
    )


@pytest.mark.parametrize(
    "place, shown",
    [
        ("Room 4, second floor", "Where: Room 4, second floor"),
        (
            "https://meet.example.com/abc-defg-hij",
            "Where: [video call on meet.example.com](https://meet.example.com/abc-defg-hij)",
        ),
        # typed Markdown and a javascript link stay text: no link, no emphasis
        ("**Room** [join](javascript:alert(1))", "Where: \\*\\*Room\\*\\* \\[join\\]"),
    ],
)
def test_the_interviewer_sees_where_the_interview_is(world, place, shown):
    openings.change_location(world.store, world.coordinator, seat_session(world), place)
    at = open_form(world)
    header = next(c.value for c in at.caption if "Where:" in c.value)
    assert shown in header
    mine = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    mine.session_state["person_id"] = world.cy.id
    mine.run()
    mine.switch_page("pages/my_interviews.py").run()
    assert any(shown in m.value for m in mine.markdown)


def test_a_change_made_as_the_interviewer_leaves_for_another_page_is_saved(world):
    """Typing, then following a link at once: the box's last text reaches the server with the
    run that shows the other page, where the scorecard's form never runs again. Its change
    callback must save it there and then, not leave it for a rerun of the form that never
    comes."""
    at = open_form(world)
    seat = world.seats["cy"]
    at.text_area(key=f"score_{seat}_feedback").input("Last words before leaving")
    at.switch_page("pages/my_interviews.py").run()
    assert not at.exception, at.exception
    assert scorecards.load_draft(world.store, world.cy, seat).feedback == (
        "Last words before leaving"
    )
