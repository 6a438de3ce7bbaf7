"""The interview day does what it says and can change, without changing what a score means:
times from the first start and the breaks; move, cancel, swap, withdraw; an opening edited where
no score depends on the change, and closed. Every change is in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from scoring import audit, openings, scorecards
from scoring.errors import InvalidInput, NotAllowed
from scoring.rubric import OverallScale
from world import DAY, REFUSED, build, page_as, submit


def session_of(w, who: str) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats[who]]
        ).fetchone()[0]


def actions(w) -> list[str]:
    with w.store.read() as db:
        return [e["action"] for e in audit.entries(db)]


def test_first_start_durations_and_breaks_make_the_times():
    first = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    loop = [(1, 30), (2, 30), (3, 60), (4, 30)]
    times = openings.day_times(first, loop, 30)
    assert [f"{t:%H:%M}" for t in times.values()] == ["13:00", "14:00", "15:00", "16:30"]
    # a start the coordinator set is kept, and the sessions after it follow it
    chosen = openings.day_times(first, loop, 15, {2: first.replace(hour=14, minute=10)})
    assert [f"{t:%H:%M}" for t in chosen.values()] == ["13:00", "14:10", "14:55", "16:10"]


def test_the_interview_day_page_stores_the_times_it_shows(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    grace = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Ada Lovelace")
    at = page_as(w, "coordinator", "pages/interview_day.py", monkeypatch)
    at.selectbox(key="opening").select_index(0).run()
    names = [o for o in at.selectbox[1].options]
    at.selectbox[1].select_index(names.index("Ada Lovelace")).run()
    at.date_input(key=f"day_{grace}").set_value(DAY.date()).run()
    at.time_input(key=f"t0_{grace}").set_value(time(13, 0)).run()
    at.number_input(key=f"gap_{grace}").set_value(30).run()
    assert at.time_input(key=f"start_{grace}_3").value == time(15, 0)
    # the coordinator sets session 2 themselves: it stays, session 3 follows it
    at.time_input(key=f"start_{grace}_2").set_value(time(14, 15)).run()
    assert at.time_input(key=f"start_{grace}_3").value == time(15, 15)
    for position in (1, 2, 3):
        at.multiselect(key=f"who_{grace}_{position}").select(w.ana).run()
    (schedule,) = [b for b in at.button if b.label.startswith("Schedule")]
    schedule.click().run()
    assert not at.exception
    board = scorecards.status_board(w.store, w.coordinator, grace)
    assert [(f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}") for s in board] == [
        ("13:00", "13:30"),
        ("14:15", "14:45"),
        ("15:15", "16:15"),
    ]


def test_a_session_moves_and_its_interviewer_follows(tmp_path):
    w = build(tmp_path / "w.sqlite")
    later = DAY + timedelta(hours=8)
    openings.move_session(w.store, w.coordinator, session_of(w, "ana"), later)
    (mine,) = scorecards.my_assignments(w.store, w.ana)
    assert (mine.status.starts_at, mine.status.ends_at) == (later, later + timedelta(minutes=30))
    assert "move_session" in actions(w)
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        openings.move_session(w.store, w.ana, session_of(w, "ana"), DAY)


def test_a_scored_session_keeps_its_time_and_its_lateness(tmp_path):
    w = build(tmp_path / "w.sqlite")
    card = submit(w, "ana", 4, now=DAY + timedelta(hours=30))  # late: 24 h after the end
    assert card.late
    with pytest.raises(InvalidInput, match=r"^starts_at: Ana Alvarez already submitted") as why:
        openings.move_session(
            w.store, w.coordinator, session_of(w, "ana"), DAY + timedelta(hours=28)
        )
    assert "counts as late" in str(why.value)
    with pytest.raises(InvalidInput, match=r"^session: Ana Alvarez already submitted"):
        openings.cancel_session(w.store, w.coordinator, session_of(w, "ana"))
    with pytest.raises(InvalidInput, match=r"^interviewer: Ana Alvarez already submitted"):
        openings.replace_interviewer(w.store, w.coordinator, w.seats["ana"], w.outsider.id)
    (again,) = scorecards.revisions(w.store, w.ana, w.seats["ana"])
    assert again.late and again.session_ended_at == card.session_ended_at


def test_a_seat_given_to_someone_else_drops_the_draft_unseen(tmp_path):
    w = build(tmp_path / "w.sqlite")
    scorecards.save_draft(w.store, w.bo, w.seats["bo"], {"feedback": "my private notes"})
    new = openings.replace_interviewer(w.store, w.coordinator, w.seats["bo"], w.outsider.id)
    assert [a.status.session_title for a in scorecards.my_assignments(w.store, w.bo)] == []
    (oz,) = scorecards.my_assignments(w.store, w.outsider)
    assert oz.status.assignment_id == new
    assert scorecards.load_draft(w.store, w.outsider, new) is None
    with w.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0
    assert "replace_interviewer" in actions(w)


def test_a_recused_seat_stays_and_its_replacement_joins(tmp_path):
    w = build(tmp_path / "w.sqlite")
    openings.recuse(w.store, w.cy, w.seats["cy"], "Former colleague")
    openings.replace_interviewer(w.store, w.coordinator, w.seats["cy"], w.outsider.id)
    board = scorecards.status_board(w.store, w.coordinator, w.candidate_id)
    assert [(s.interviewer_name, s.state == "recused") for s in board if s.position == 3] == [
        ("Cy Chen", True),
        ("Oz Outsider", False),
    ]


def test_a_cancelled_session_can_be_planned_again(tmp_path):
    w = build(tmp_path / "w.sqlite")
    openings.cancel_session(w.store, w.coordinator, session_of(w, "bo"))
    board = scorecards.status_board(w.store, w.coordinator, w.candidate_id)
    assert [s.interviewer_name for s in board] == ["Ana Alvarez", "Cy Chen"]
    openings.schedule_session(
        w.store, w.coordinator, w.candidate_id, 2, DAY + timedelta(hours=9), [w.bo.id]
    )
    assert "cancel_session" in actions(w)


def test_withdrawing_keeps_what_is_scored_and_cancels_the_rest(tmp_path):
    w = build(tmp_path / "w.sqlite")
    submit(w, "ana", 4)
    with pytest.raises(InvalidInput, match=r"^reason:"):
        openings.withdraw_candidate(w.store, w.coordinator, w.candidate_id, " ")
    openings.withdraw_candidate(w.store, w.coordinator, w.candidate_id, "Took another offer")
    board = scorecards.status_board(w.store, w.coordinator, w.candidate_id)
    assert [(s.interviewer_name, s.state) for s in board] == [("Ana Alvarez", "submitted")]
    assert openings.get_candidate(w.store, w.coordinator, w.candidate_id).withdrawn
    with pytest.raises(InvalidInput, match=r"^candidate: This candidate has withdrawn"):
        openings.schedule_session(w.store, w.coordinator, w.candidate_id, 2, DAY, [w.bo.id])


def test_an_opening_is_edited_where_no_score_depends_on_it(tmp_path):
    w = build(tmp_path / "w.sqlite", strategy={"kind": "committee", "rule": "majority"})
    # before anyone has scored, the rules may still change
    edited = openings.edit_opening(
        w.store, w.coordinator, w.opening_id, overdue_hours=12, reveal_rule="all_in"
    )
    assert (edited.overdue_hours, edited.reveal_rule) == (12, "all_in")
    submit(w, "ana", 4)
    for field, value in (
        ("reveal_rule", "after_own"),
        ("overdue_hours", 48),
        ("anonymise", True),
        ("forced_choice", True),
        ("strategy", {"kind": "manager"}),
        ("overall_scale", OverallScale(min=1, max=4, labels={1: "a", 2: "b", 3: "c", 4: "d"})),
    ):
        with pytest.raises(InvalidInput, match=rf"^{field}: 1 scorecard is already submitted"):
            openings.edit_opening(w.store, w.coordinator, w.opening_id, **{field: value})
    # what no score depends on still changes
    edited = openings.edit_opening(
        w.store,
        w.coordinator,
        w.opening_id,
        title="Senior data scientist",
        level="Senior",
        committee_ids=[w.member.id, w.manager.id],
    )
    assert (edited.title, edited.level) == ("Senior data scientist", "Senior")
    assert set(edited.committee_ids) == {w.member.id, w.manager.id}
    with pytest.raises(InvalidInput, match=r"^title:"):
        openings.edit_opening(w.store, w.coordinator, w.opening_id, title="two\nlines")
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        openings.edit_opening(w.store, w.manager, w.opening_id, title="Mine now")
    assert actions(w).count("edit_opening") == 2


def test_a_member_who_voted_stays_on_the_committee(tmp_path):
    from scoring import debrief

    w = build(tmp_path / "w.sqlite", strategy={"kind": "committee", "rule": "majority"})
    for who in ("ana", "bo", "cy"):
        submit(w, who, 4)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire", "")
    with pytest.raises(InvalidInput, match=r"^committee_ids: Mo Member already voted"):
        openings.edit_opening(w.store, w.coordinator, w.opening_id, committee_ids=[w.manager.id])
    with pytest.raises(InvalidInput, match=r"^hiring_manager_id: A debrief of this opening"):
        openings.edit_opening(
            w.store, w.coordinator, w.opening_id, hiring_manager_id=w.coordinator.id
        )


def test_a_closed_opening_takes_nothing_new(tmp_path):
    w = build(tmp_path / "w.sqlite")
    closed = openings.close_opening(w.store, w.coordinator, w.opening_id)
    assert closed.closed_at is not None
    with pytest.raises(InvalidInput, match=r"^opening: This opening is closed"):
        openings.add_candidate(w.store, w.coordinator, w.opening_id, "Late Comer")
    with pytest.raises(InvalidInput, match=r"^opening: This opening is closed"):
        openings.move_session(w.store, w.coordinator, session_of(w, "ana"), DAY)
    with pytest.raises(InvalidInput, match=r"^opening: This opening is closed"):
        openings.close_opening(w.store, w.coordinator, w.opening_id)
    assert "close_opening" in actions(w)


def test_the_database_refuses_reopening_and_unwithdrawing(tmp_path):

    w = build(tmp_path / "w.sqlite")
    openings.close_opening(w.store, w.coordinator, w.opening_id)
    openings.withdraw_candidate(w.store, w.coordinator, w.candidate_id, "Withdrew")
    with w.store.write() as db, pytest.raises(REFUSED, match="stays closed"):
        db.execute("UPDATE openings SET closed_at = NULL")
    with w.store.write() as db, pytest.raises(REFUSED, match="stays withdrawn"):
        db.execute("UPDATE candidates SET withdrawn_at = NULL")
