"""Mail held back (`outbox.without_mail`, as the demo builds its world): nothing is queued, and no
calendar attachment is built only to be dropped; the session still gets its calendar UID."""

from datetime import timedelta

from scoring import invites, openings, outbox
from world import DAY, build


def outbox_count(w) -> int:
    with w.store.read() as db:
        return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]


def test_a_session_scheduled_with_mail_held_back_builds_no_calendar(tmp_path, monkeypatch):
    w = build(tmp_path / "held.sqlite")
    before = outbox_count(w)

    def no_calendar(**_):
        raise AssertionError("a calendar attachment was built for mail that is held back")

    monkeypatch.setattr(invites, "session_event", no_calendar)
    with outbox.without_mail():
        session_id = openings.schedule_session(
            w.store, w.coordinator, w.candidate_id, 4, DAY + timedelta(days=2), [w.bo.id]
        )
    assert outbox_count(w) == before
    with w.store.read() as db:
        uid = db.execute(
            "SELECT calendar_uid FROM interview_sessions WHERE id = ?", [session_id]
        ).fetchone()[0]
    assert uid and uid.endswith("@debrief")

    monkeypatch.undo()  # with mail on, the same kind of change does write an invitation
    other = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    openings.schedule_session(w.store, w.coordinator, other, 4, DAY + timedelta(days=3), [w.cy.id])
    with w.store.read() as db:
        row = db.execute("SELECT kind, ics FROM outbox ORDER BY id DESC LIMIT 1").fetchone()
    assert outbox_count(w) > before and row[0] == "invitation" and "BEGIN:VCALENDAR" in row[1]
