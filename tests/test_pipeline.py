"""The pipeline: every candidate of an opening by stage and interview day, a page at a time, each
row opening that candidate's debrief; outcomes and decisions only where the actor may see them."""

from datetime import timedelta

import pytest

from scoring import debrief, openings, pipeline
from scoring.errors import NotAllowed
from world import DAY, build, page_as, submit

RATIONALE = "Strong on every session, says the panel"


def add_candidate(w, name: str, day, overalls: dict[str, int] | None = None) -> int:
    """A candidate of the world's opening, interviewed by Ana, Bo and Cy on `day`; those in
    `overalls` submitted their scorecard (the world's own seats are Grace Hopper's)."""
    candidate_id = openings.add_candidate(w.store, w.coordinator, w.opening_id, name)
    seats = {}
    for position, who in enumerate(("ana", "bo", "cy"), start=1):
        session_id = openings.schedule_session(
            w.store, w.coordinator, candidate_id, position, day + timedelta(hours=position),
            [w.person(who).id],
        )  # fmt: skip
        with w.store.read() as db:
            seats[who] = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session_id]
            ).fetchone()[0]
    for who, overall in (overalls or {}).items():
        own = dict(w.seats)
        w.seats = seats
        submit(w, who, overall, now=day + timedelta(hours=6))
        w.seats = own
    return candidate_id


@pytest.fixture
def world(tmp_path):
    """Grace Hopper (20 Nov) decided; Ada Lovelace (18 Nov) awaiting the decision; Alan Turing
    (16 Nov) ready; Barbara Liskov (14 Nov) waiting for Cy, overdue; Edsger Dijkstra not
    scheduled yet."""
    w = build(tmp_path / "pipeline.sqlite")
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 3)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", RATIONALE, True)
    w.ada = add_candidate(w, "Ada Lovelace", DAY - timedelta(days=2), {"ana": 1, "bo": 2, "cy": 1})
    debrief.open_debrief(w.store, w.manager, w.ada)
    w.alan = add_candidate(w, "Alan Turing", DAY - timedelta(days=4), {"ana": 4, "bo": 4, "cy": 4})
    w.barbara = add_candidate(w, "Barbara Liskov", DAY - timedelta(days=6), {"ana": 4, "bo": 3})
    w.edsger = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Edsger Dijkstra")
    return w


def names(view) -> list[str]:
    return [r.candidate for r in view.rows]


def test_every_candidate_newest_first_with_counts_by_stage(world):
    view = pipeline.pipeline(world.store, world.manager, world.opening_id, now=DAY + timedelta(5))
    assert names(view) == [
        "Edsger Dijkstra",  # not scheduled yet: the next work
        "Grace Hopper",
        "Ada Lovelace",
        "Alan Turing",
        "Barbara Liskov",
    ]
    assert view.counts == {"waiting": 2, "ready": 1, "awaiting_decision": 1, "decided": 1}
    grace, ada, alan, barbara = view.rows[1:]
    assert (grace.stage, grace.outcome, grace.decision) == ("decided", "hire", "hire")
    assert grace.decided_by == "Maria Manager" and grace.tally["yes"] == 3
    assert (ada.stage, ada.outcome, ada.decision) == ("awaiting_decision", "awaiting_manager", None)
    assert ada.tally == {"yes": 0, "no": 3, "undecided": 0}
    # before the debrief opens the hiring manager sees where things stand, not the scores
    assert (alan.stage, alan.submitted, alan.expected, alan.outcome) == ("ready", 3, 3, None)
    assert "once the debrief is open" in alan.hidden
    assert (barbara.stage, barbara.submitted, barbara.overdue) == ("waiting", 2, 1)
    assert (barbara.sessions_done, barbara.sessions_planned) == (3, 4)
    assert barbara.days_since((DAY + timedelta(5)).date()) == 11
    edsger = view.rows[0]
    assert (edsger.stage, edsger.interview_at, edsger.sessions_planned) == ("waiting", None, 4)
    oldest = pipeline.pipeline(world.store, world.manager, world.opening_id, newest_first=False)
    assert names(oldest) == list(reversed(names(view)))


@pytest.mark.parametrize("stage", pipeline.STAGES)
def test_a_stage_filter_shows_exactly_that_stage(world, stage):
    view = pipeline.pipeline(world.store, world.member, world.opening_id, stage=stage)
    assert len(view.rows) == view.total == view.counts[stage]
    # the stage in SQL (filter, counts) is the stage the rules' facts give each row
    assert {r.stage for r in view.rows} == {stage}


def test_day_filter_and_pages(world):
    (row,) = pipeline.pipeline(world.store, world.manager, world.opening_id, day=DAY.date()).rows
    assert row.candidate == "Grace Hopper"
    day = pipeline.pipeline(
        world.store, world.manager, world.opening_id, day=(DAY - timedelta(days=3)).date()
    )
    assert day.rows == [] and sum(day.counts.values()) == 0
    seen = []
    for newest in (True, False):
        pages = [
            pipeline.pipeline(
                world.store, world.manager, world.opening_id, newest_first=newest, per_page=2,
                page=n,
            )
            for n in (1, 2, 3)
        ]  # fmt: skip
        assert [p.pages for p in pages] == [3, 3, 3] and [len(p.rows) for p in pages] == [2, 2, 1]
        seen.append([name for p in pages for name in names(p)])
    assert seen[0] == list(reversed(seen[1]))
    assert len(set(seen[0])) == 5
    beyond = pipeline.pipeline(world.store, world.manager, world.opening_id, per_page=2, page=9)
    assert beyond.page == 3


def test_only_the_hiring_manager_and_committee_see_the_pipeline(world):
    for who in ("ana", "coordinator", "outsider"):
        with pytest.raises(NotAllowed, match="for the opening's hiring manager and committee"):
            pipeline.pipeline(world.store, world.person(who), world.opening_id)


def test_a_seat_of_ones_own_still_open_hides_outcome_and_decision(world):
    # the coordinator adds the hiring manager (also an interviewer) to Grace's panel after the
    # decision: until their own scorecard is in, that row shows neither outcome nor decision
    with world.store.read() as db:
        session_id = db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [world.seats["cy"]]
        ).fetchone()[0]
    openings.add_interviewer(world.store, world.coordinator, session_id, world.manager.id)
    view = pipeline.pipeline(world.store, world.manager, world.opening_id)
    grace = next(r for r in view.rows if r.candidate_id == world.candidate_id)
    assert (grace.outcome, grace.decision, grace.decided_by, grace.tally) == (None,) * 4
    assert grace.note == "Submit your own scorecard first"
    ada = next(r for r in view.rows if r.candidate_id == world.ada)
    assert ada.outcome == "awaiting_manager"  # other rows unchanged


# --------------------------------------------------------------------------------- the page


def table_of(at):
    return at.dataframe[0].value


def test_page_filters_by_stage_and_day(world, monkeypatch):
    at = page_as(world, "manager", "pages/pipeline.py", monkeypatch)
    assert at.title[0].value == "Pipeline"
    assert len(table_of(at)) == 5
    stages = at.get("button_group")[0]
    assert stages.options == [
        "All (5)",
        "Waiting for scorecards (2)",
        "Ready to debrief (1)",
        "Awaiting decision (1)",
        "Decided (1)",
    ]
    stages.set_value("ready").run()
    assert list(table_of(at)["Candidate"]) == ["Alan Turing"]
    assert list(table_of(at)["Scorecards"]) == ["3 of 3"]
    assert list(table_of(at)["Needs you"]) == ["Open"]
    at.get("button_group")[0].set_value("waiting").run()
    assert list(table_of(at)["Candidate"]) == ["Edsger Dijkstra", "Barbara Liskov"]
    at.get("button_group")[0].set_value("any").run()
    at.selectbox(key=f"pipeline_day_{world.opening_id}").set_value(DAY.date()).run()
    assert list(table_of(at)["Candidate"]) == ["Grace Hopper"]
    assert list(table_of(at)["Where it stands"]) == ["Hire (decided)"]
    assert at.get("button_group")[0].options[0] == "All (1)"


def test_page_every_cell_in_words_and_the_panels_lean_before_a_decision(world, monkeypatch):
    at = page_as(world, "manager", "pages/pipeline.py", monkeypatch)
    table = table_of(at).set_index("Candidate")
    assert list(table.columns) == [
        "Needs you",
        "Where it stands",
        "Scorecards",
        "Interview",
        "Flags",
    ]
    # Ada's debrief is open and undecided: the panel's lean, as her debrief's headline says
    assert table.loc["Ada Lovelace", "Where it stands"] == "Leans no hire · 0 yes · 3 no"
    assert table.loc["Ada Lovelace", "Needs you"] == "Decide"
    assert table.loc["Barbara Liskov", "Scorecards"] == "2 of 3 · 1 overdue"
    assert table.loc["Barbara Liskov", "Where it stands"] == "Waiting for scorecards"
    # nothing scheduled yet: a dash, never "None" or a blank
    assert list(table.loc["Edsger Dijkstra"]) == ["—", "Waiting for scorecards", "—", "—", "—"]
    cells = table.to_csv()
    assert "None" not in cells and "nan" not in cells and ",," not in cells


def test_page_needs_me_shows_what_is_left_to_do(world, monkeypatch):
    at = page_as(world, "manager", "pages/pipeline.py", monkeypatch)
    mine = at.toggle(key=f"pipeline_mine_{world.opening_id}")
    assert mine.label == "Needs me (2)"  # Ada to decide, Alan to open
    mine.set_value(True).run()
    table = table_of(at)
    assert list(table["Candidate"]) == ["Ada Lovelace", "Alan Turing"]
    assert list(table["Needs you"]) == ["Decide", "Open"]
    assert at.get("button_group")[0].options[0] == "All (2)"


def test_page_row_of_a_pending_seat_shows_why_not_what(world, monkeypatch):
    with world.store.read() as db:
        session_id = db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [world.seats["cy"]]
        ).fetchone()[0]
    openings.add_interviewer(world.store, world.coordinator, session_id, world.manager.id)
    at = page_as(world, "manager", "pages/pipeline.py", monkeypatch)
    table = table_of(at).set_index("Candidate")
    assert table.loc["Grace Hopper", "Where it stands"] == "Submit your own scorecard first"
    assert table.loc["Grace Hopper", "Needs you"] == "Score"
    assert table.loc["Grace Hopper", "Flags"] == "—"
    assert table.loc["Ada Lovelace", "Where it stands"] == "Leans no hire · 0 yes · 3 no"
    assert "Submit your own scorecard first: Grace Hopper" in at.info[0].value
    shown = table.to_csv() + " ".join(str(m.value) for m in at.markdown)
    assert "Hire" not in shown and RATIONALE not in shown


def test_open_debrief_goes_to_the_candidates_page(world, monkeypatch):
    at = page_as(world, "manager", "pages/pipeline.py", monkeypatch)
    (pick,) = [s for s in at.selectbox if s.label == "Candidate"]
    pick.select_index(pick.options.index("Alan Turing")).run()
    next(b for b in at.button if b.label == "Open debrief").click().run()
    assert not at.exception
    assert at.query_params["candidate"] in (str(world.alan), [str(world.alan)])
    assert at.title[0].value == "Alan Turing"


def test_old_day_view_links_lead_to_the_pipeline_or_the_debrief(world, monkeypatch):
    at = page_as(world, "member", "pages/debrief_day.py", monkeypatch)
    assert at.title[0].value == "Pipeline"
    at = page_as(world, "manager", "pages/debrief_day.py", monkeypatch, candidate=world.alan)
    assert at.title[0].value == "Alan Turing"
