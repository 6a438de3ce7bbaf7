"""A schedule that cannot clash: every plan and change is checked against the candidate's own
sessions, each interviewer's other sessions (any candidate, any opening) and the break. A
refused change writes nothing and queues no mail; a short break goes through only once
confirmed; sessions that only touch are fine. The rule is `scoring.clashes` (pure, tested here
in milliseconds); the services and the Interview day page use it.

The world (tests/world.py): Grace Hopper's day on DAY (UTC) is Ana's presentation 10:00-10:30,
Bo's technical questions 11:00-11:30 and Cy's coding 12:00-13:00."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from scoring import audit, openings, scorecards
from scoring.clashes import Booking, ScheduleClash, find_clashes, unchecked
from scoring.errors import InvalidInput
from world import CATALOG, DAY, build, dump, page_as


def at(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


def session_of(w, who: str) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats[who]]
        ).fetchone()[0]


def outbox_rows(w) -> int:
    with w.store.read() as db:
        return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]


def audit_entries(w, action: str) -> list[dict]:
    with w.store.read() as db:
        return [e["detail"] for e in audit.entries(db) if e["action"] == action]


def refused_without_a_trace(w, change) -> ScheduleClash:
    """Run `change`, which must be refused for a clash; nothing is written, no mail queued."""
    before = dump(w.store)
    with pytest.raises(ScheduleClash) as refused:
        change()
    assert dump(w.store) == before
    return refused.value


# ------------------------------------------------------------------------------ the pure rule


def booking(start: int, end: int, candidate=1, who=(), title="Coding", sid=None) -> Booking:
    return Booking(sid, title, candidate, f"Candidate {candidate}", at(start), at(end), who)


def test_touching_sessions_do_not_clash_and_overlapping_ones_do():
    coding = booking(15, 16)
    assert find_clashes([coding], [booking(16, 17, title="Stakeholders")]) == []
    assert find_clashes([coding], [booking(14, 15, title="Stakeholders")]) == []
    (clash,) = find_clashes([coding], [booking(15, 17, title="Stakeholders")])
    assert (clash.kind, clash.refused) == ("candidate", True)


def test_a_clash_is_said_in_words_in_the_readers_zone():
    coding = booking(14, 15)  # 14:00 UTC is 15:00 in Paris in November
    stakeholders = Booking(None, "Stakeholders", 1, "", at(14, 15), at(14, 45))
    (clash,) = find_clashes([coding], [stakeholders])
    assert clash.words(ZoneInfo("Europe/Paris")) == (
        "Coding 15:00–16:00 overlaps the candidate's Stakeholders 15:15–15:45 (CET)"
    )
    ana = ((7, "Ana Lima"),)
    (busy,) = find_clashes(
        [booking(14, 15, who=ana)], [Booking(None, "Coding", 2, "Bo Chen", at(14), at(15), ana)]
    )
    assert busy.words() == "Ana Lima already interviews Bo Chen 14:00–15:00 (Coding) (UTC)"


def test_an_interviewer_clashes_across_candidates_but_a_free_one_does_not():
    ana, bo = (7, "Ana Lima"), (8, "Bo Chen")
    theirs = booking(15, 16, candidate=2, who=(ana,))
    assert find_clashes([booking(15, 16, who=(bo,))], [theirs]) == []
    (clash,) = find_clashes([booking(15, 16, who=(bo, ana))], [theirs])
    assert (clash.kind, clash.person) == ("interviewer", "Ana Lima")


def test_a_short_break_is_a_warning_that_only_a_confirmation_passes():
    after = booking(15, 16)
    before = Booking(None, "Stakeholders", 1, "", at(14, 0), at(14, 50))
    (clash,) = find_clashes([after], [before], break_minutes=15)
    assert (clash.kind, clash.refused) == ("break", False)
    assert clash.words() == (
        "Coding 15:00–16:00 starts 10 min after the candidate's Stakeholders 14:00–14:50:"
        " less than the 15-minute break (UTC)"
    )
    assert find_clashes([after], [before], break_minutes=10) == []


# ---------------------------------------------------------------------------- the services


def test_a_move_onto_the_candidates_own_session_is_refused_in_words(tmp_path):
    w = build(tmp_path / "w.sqlite")
    mail = outbox_rows(w)
    # Ana's presentation (30 min) onto Bo's technical questions at 11:00-11:30
    refused = refused_without_a_trace(
        w, lambda: openings.move_session(w.store, w.coordinator, session_of(w, "ana"), at(11, 15))
    )
    assert str(refused) == (
        "starts_at: Candidate presentation with Q&A 11:15–11:45 overlaps the candidate's"
        " General data science technical questions 11:00–11:30 (UTC)"
    )
    assert outbox_rows(w) == mail
    assert audit_entries(w, "move_session") == []


def test_touching_is_allowed_and_moves_with_its_mail(tmp_path):
    w = build(tmp_path / "w.sqlite")
    mail = outbox_rows(w)
    openings.move_session(w.store, w.coordinator, session_of(w, "ana"), at(10, 30))  # to 11:00
    assert outbox_rows(w) == mail + 1


def test_an_interviewer_already_interviewing_someone_else_is_refused(tmp_path):
    w = build(tmp_path / "w.sqlite")
    # another opening, another candidate: Ana is with Grace Hopper 10:00-10:30
    other = openings.create_opening(
        w.store,
        w.coordinator,
        title="ML engineer",
        role="ML engineer",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
    )
    alan = openings.add_candidate(w.store, w.coordinator, other.id, "Alan Turing")
    mail = outbox_rows(w)
    refused = refused_without_a_trace(
        w,
        lambda: openings.schedule_session(
            w.store, w.coordinator, alan, 1, at(10, 15), [w.outsider.id, w.ana.id]
        ),
    )
    assert "Ana Alvarez already interviews Grace Hopper 10:00–10:30" in str(refused)
    assert "Oz" not in str(refused)
    assert outbox_rows(w) == mail
    # when she is free (right after), the same plan goes through
    openings.schedule_session(w.store, w.coordinator, alan, 1, at(10, 30), [w.ana.id])
    assert outbox_rows(w) == mail + 1


def test_a_new_interviewer_who_is_busy_is_refused_for_add_and_for_replace(tmp_path):
    w = build(tmp_path / "w.sqlite")
    # Cy's coding 12:00-13:00; move Ana's presentation to 12:15 would clash for the candidate,
    # so use a second candidate whose session overlaps Cy's
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    session = openings.schedule_session(
        w.store, w.coordinator, alan, 1, at(12, 15), [w.outsider.id]
    )
    mail = outbox_rows(w)
    added = refused_without_a_trace(
        w, lambda: openings.add_interviewer(w.store, w.coordinator, session, w.cy.id)
    )
    assert str(added).startswith("interviewer: Cy Chen already interviews Grace Hopper 12:00–13:00")
    with w.store.read() as db:
        oz_seat = db.execute(
            "SELECT id FROM assignments WHERE session_id = ?", [session]
        ).fetchone()[0]
    replaced = refused_without_a_trace(
        w, lambda: openings.replace_interviewer(w.store, w.coordinator, oz_seat, w.cy.id)
    )
    assert "Cy Chen already interviews Grace Hopper" in str(replaced)
    assert outbox_rows(w) == mail
    # Ana is free at 12:15: she may have the seat
    openings.replace_interviewer(w.store, w.coordinator, oz_seat, w.ana.id)
    assert outbox_rows(w) == mail + 2  # Oz's cancellation, Ana's invitation


def test_a_recused_seat_does_not_make_its_interviewer_busy(tmp_path):
    w = build(tmp_path / "w.sqlite")
    openings.recuse(w.store, w.cy, w.seats["cy"], "Former colleague")
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    openings.schedule_session(w.store, w.coordinator, alan, 1, at(12, 15), [w.cy.id])


def test_a_short_break_needs_a_confirmation_which_is_audited(tmp_path):
    w = build(tmp_path / "w.sqlite")
    bo = session_of(w, "bo")  # 11:00-11:30, after Ana's 10:00-10:30
    refused = refused_without_a_trace(
        w,
        lambda: openings.move_session(w.store, w.coordinator, bo, at(10, 35), break_minutes=15),
    )
    assert refused.needs_confirmation
    assert "starts 5 min after the candidate's Candidate presentation" in str(refused)
    openings.move_session(w.store, w.coordinator, bo, at(10, 35), break_minutes=15, confirm=True)
    (entry,) = audit_entries(w, "move_session")
    assert entry["short_break_confirmed"] is True
    # a confirmation never passes a real clash
    with pytest.raises(ScheduleClash) as still:
        openings.move_session(w.store, w.coordinator, bo, at(10, 15), confirm=True)
    assert not still.value.needs_confirmation


def test_a_plan_is_checked_whole_and_every_clash_named_by_its_session(tmp_path):
    w = build(tmp_path / "w.sqlite")
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    plan = [
        openings.SessionPlan(1, at(10), (w.ana.id,)),  # Ana is with Grace 10:00-10:30
        openings.SessionPlan(2, at(14), (w.bo.id,)),
        openings.SessionPlan(3, at(14, 15), (w.outsider.id,)),  # over Alan's own 14:00-14:30
    ]
    assert {c.placed.field for c in openings.plan_clashes(w.store, w.coordinator, alan, plan)} == {
        "session.1",
        "session.3",
    }
    mail = outbox_rows(w)
    refused = refused_without_a_trace(
        w, lambda: openings.schedule_day(w.store, w.coordinator, alan, plan)
    )
    assert refused.problems() == {
        "session.1": [
            "Ana Alvarez already interviews Grace Hopper 10:00–10:30"
            " (Candidate presentation with Q&A) (UTC)"
        ],
        "session.3": [
            "Coding session 14:15–15:15 overlaps the candidate's General data science technical"
            " questions 14:00–14:30 (UTC)"
        ],
    }
    assert outbox_rows(w) == mail
    fixed = [
        openings.SessionPlan(1, at(13), (w.ana.id,)),
        openings.SessionPlan(2, at(14), (w.bo.id,)),
        openings.SessionPlan(3, at(14, 30), (w.outsider.id,)),
    ]
    assert len(openings.schedule_day(w.store, w.coordinator, alan, fixed)) == 3


def test_a_day_that_already_clashes_says_so(tmp_path):
    w = build(tmp_path / "w.sqlite")
    assert openings.day_clashes(w.store, w.coordinator, w.candidate_id) == []
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    with unchecked():  # a day made before the check existed
        openings.schedule_session(w.store, w.coordinator, alan, 1, at(10), [w.ana.id])
    (clash,) = openings.day_clashes(w.store, w.coordinator, w.candidate_id)
    assert clash.words() == (
        "Ana Alvarez already interviews Alan Turing 10:00–10:30"
        " (Candidate presentation with Q&A) (UTC)"
    )


# -------------------------------------------------------------------------- where it happens


def test_a_session_has_a_place_set_when_planned_moved_or_changed_and_audited(tmp_path):
    w = build(tmp_path / "w.sqlite")
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    (session,) = openings.schedule_day(
        w.store,
        w.coordinator,
        alan,
        [openings.SessionPlan(1, at(15), (w.ana.id,), location="  Room 4.2, floor 4 ")],
    )
    assert openings.locations(w.store, w.coordinator, alan) == {session: "Room 4.2, floor 4"}
    assert audit_entries(w, "schedule_session")[-1]["location"] == "Room 4.2, floor 4"
    openings.move_session(
        w.store, w.coordinator, session, at(16), location="https://meet.example.org/abc-defg"
    )
    assert audit_entries(w, "move_session")[-1]["location_before"] == "Room 4.2, floor 4"
    openings.change_location(w.store, w.coordinator, session, "Room 1")
    assert audit_entries(w, "change_location") == [
        {"before": "https://meet.example.org/abc-defg", "after": "Room 1"}
    ]
    assert openings.locations(w.store, w.coordinator, alan) == {session: "Room 1"}
    with pytest.raises(InvalidInput, match=r"^location: That is already where"):
        openings.change_location(w.store, w.coordinator, session, "Room 1 ")
    with pytest.raises(Exception, match="Only a coordinator"):
        openings.change_location(w.store, w.ana, session, "Room 2")


# ------------------------------------------------------------------------------- the page


def test_the_page_refuses_a_clashing_move_in_words_and_shows_no_green(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    page = page_as(w, "coordinator", "pages/interview_day.py", monkeypatch)
    grace = w.candidate_id
    assert [s.value for s in page.success] == []  # one session of the loop is still to plan
    first = session_of(w, "ana")
    stamp = f"{first}_{at(10):%Y%m%d%H%M}"
    page.date_input(key=f"mday_{stamp}").set_value(DAY.date())
    page.time_input(key=f"mtime_{stamp}").set_value(time(11, 15)).run()
    page.button(key=f"move_{stamp}").click().run()
    assert not page.exception
    shown = [e.value for e in page.error]
    assert any(
        "Candidate presentation with Q&A 11:15–11:45 overlaps the candidate's General data"
        " science technical questions 11:00–11:30 (UTC)" in text.replace("\\", "")
        for text in shown
    ), shown
    board = scorecards.status_board(w.store, w.coordinator, grace)
    assert f"{board[0].starts_at:%H:%M}" == "10:00"  # nothing moved


def test_the_page_asks_before_a_short_break_and_moves_once_confirmed(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    page = page_as(w, "coordinator", "pages/interview_day.py", monkeypatch)
    bo = session_of(w, "bo")
    page.selectbox(key=f"change_{w.candidate_id}").select_index(1).run()
    stamp = f"{bo}_{at(11):%Y%m%d%H%M}"
    page.time_input(key=f"mtime_{stamp}").set_value(time(10, 35)).run()
    page.button(key=f"move_{stamp}").click().run()
    warned = [x.value.replace("\\", "") for x in page.warning]
    assert any("starts 5 min after the candidate's Candidate presentation" in t for t in warned)
    unmoved = scorecards.status_board(w.store, w.coordinator, w.candidate_id)[1]
    assert f"{unmoved.starts_at:%H:%M}" == "11:00"
    page.button(key=f"move_anyway_{stamp}").click().run()
    assert not page.exception
    board = scorecards.status_board(w.store, w.coordinator, w.candidate_id)
    assert f"{board[1].starts_at:%H:%M}" == "10:35"


def test_no_green_line_over_a_day_that_clashes(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    openings.schedule_session(w.store, w.coordinator, w.candidate_id, 4, at(14), [w.bo.id])
    page = page_as(w, "coordinator", "pages/interview_day.py", monkeypatch)
    assert [s.value for s in page.success] == ["Every session of the loop is on the day."]
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    with unchecked():
        openings.schedule_session(w.store, w.coordinator, alan, 1, at(14), [w.bo.id])
    page = page_as(w, "coordinator", "pages/interview_day.py", monkeypatch)
    page.selectbox[1].select_index(
        [c.name for c in page.selectbox[1].options].index("Grace Hopper")
        if hasattr(page.selectbox[1].options[0], "name")
        else page.selectbox[1].options.index("Grace Hopper")
    ).run()
    assert page.success == [] or all("Every session" not in s.value for s in page.success)
    assert any("Bo Berg already interviews Alan Turing" in e.value for e in page.error)
