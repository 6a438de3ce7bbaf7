"""The outbox's service functions, declared (`scoring.guards`): the Status page's list of
messages is for whoever manages the opening, "Remind everyone overdue" for whoever may see its
status, and each asks on one connection about the person as the database knows them now. The
split of `scoring.outbox` into its modules keeps every name callers import from it. On a real
SQLite file; nothing is mocked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from scoring import candidates, openings, outbox, people, schedule
from scoring.errors import NotAllowed, NotFound
from scoring.guards import Guard
from scoring.permission_facts import INACTIVE, SIGN_IN
from world import CATALOG, DAY, build

COORDINATOR_ONLY = "Only a coordinator can do this"
STATUS_ONLY = "Only the coordinator and the opening's hiring manager see its status"
WINDOW = (DAY - timedelta(days=1), DAY + timedelta(days=1))
LATER = DAY + timedelta(days=2)  # every missing scorecard of the world is overdue


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "w.sqlite")


def test_each_declares_the_action_it_checks():
    assert outbox.messages.guard.action == "manage_opening"
    assert outbox.messages.guard.on == "opening_id" and not outbox.messages.guard.write
    assert outbox.remind_overdue.guard.action == "see_opening_status"
    assert outbox.remind_overdue.guard.on == "opening_id" and outbox.remind_overdue.guard.write


def test_the_list_of_messages_is_for_whoever_manages_the_opening(w):
    outbox.remind(w.store, w.coordinator, w.seats["bo"], now=LATER)
    shown = outbox.messages(w.store, w.coordinator, w.opening_id)
    assert [m.kind for m in shown][:1] == ["reminder"]
    # the hiring manager sees the opening's status, but the outbox is the coordinator's
    for who in (w.manager, w.ana, w.member, w.outsider):
        with pytest.raises(NotAllowed, match=COORDINATOR_ONLY):
            outbox.messages(w.store, who, w.opening_id)


def test_remind_everyone_overdue_is_for_whoever_sees_the_status(w):
    done = outbox.remind_overdue(w.store, w.manager, w.opening_id, *WINDOW, now=LATER)
    assert (done.queued, done.already, done.left_out) == (3, 0, 0)
    for who in (w.ana, w.member, w.outsider):
        with pytest.raises(NotAllowed, match=STATUS_ONLY):
            outbox.remind_overdue(w.store, who, w.opening_id, *WINDOW, now=LATER)
        with pytest.raises(NotAllowed, match=STATUS_ONLY):
            outbox.remind(w.store, who, w.seats["bo"], now=LATER)


def test_the_person_is_asked_about_as_they_are_now(w):
    # `w.coordinator` is the Person read when the world was built; deactivated since, the
    # guard re-reads them on the same connection and refuses
    second = people.add_person(
        w.store, w.coordinator, "Cy Second", "cy2@example.com", ["coordinator"]
    )
    people.set_active(w.store, second, w.coordinator.id, False)
    with pytest.raises(NotAllowed, match=re.escape(INACTIVE)):
        outbox.messages(w.store, w.coordinator, w.opening_id)
    with pytest.raises(NotAllowed, match=re.escape(INACTIVE)):
        outbox.remind_overdue(w.store, w.coordinator, w.opening_id, *WINDOW, now=LATER)
    with pytest.raises(NotAllowed, match=re.escape(INACTIVE)):
        outbox.remind(w.store, w.coordinator, w.seats["bo"], now=LATER)


# What callers outside the outbox's modules import from `scoring.outbox` (pages/status.py,
# scoring/cli.py, the services that queue mail, ui/mail_worker.py, the tests).
USED_FROM_OUTBOX = [
    "LOCATION_LIMIT",
    "REMIND_AGAIN_AFTER",
    "messages",
    "queue_decision",
    "queue_due_reminders",
    "queue_ready",
    "queue_session_mail",
    "recheck_mail",
    "remind",
    "remind_overdue",
    "render",
    "waiting",
    "withdraw",
    "withheld_row",
    "without_mail",
]


def test_callers_still_find_every_name_in_scoring_outbox():
    missing = [name for name in USED_FROM_OUTBOX if not hasattr(outbox, name)]
    assert missing == []
    assert set(USED_FROM_OUTBOX) <= set(outbox.__all__)


def test_remind_is_asked_about_the_seats_own_opening(w):
    """The Remind button names a seat; the guard asks `see_opening_status` on the opening that
    seat is on (`opening_of_seat`), so one opening's hiring manager cannot nudge another's panel,
    and the other's hiring manager can."""
    assert outbox.remind.guard == Guard(
        "see_opening_status", "assignment_id", True, "opening_of_seat"
    )
    hal = people.add_person(
        w.store, w.coordinator, "Hal Other", "hal@example.com", ["hiring_manager"]
    )
    other = openings.create_opening(
        w.store,
        w.coordinator,
        title="Analyst",
        role="Data scientist (generalist)",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=hal.id,
        strategy={"kind": "manager"},
    )
    alan = candidates.add_candidate(w.store, w.coordinator, other.id, "Alan Turing")
    session = schedule.schedule_session(w.store, w.coordinator, alan, 1, DAY, [w.ana.id])
    with w.store.read() as db:
        (seat,) = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session])
    seat = seat[0]

    with pytest.raises(NotAllowed, match=STATUS_ONLY):
        outbox.remind(w.store, w.manager, seat, now=LATER)
    with pytest.raises(NotAllowed, match=STATUS_ONLY):
        outbox.remind(w.store, hal, w.seats["bo"], now=LATER)
    assert outbox.remind(w.store, hal, seat, now=LATER).queued
    assert outbox.remind(w.store, w.manager, w.seats["bo"], now=LATER).queued
    # an unknown seat is not found, before anyone is refused; nobody signed in comes first
    for who in (w.manager, w.outsider):
        with pytest.raises(NotFound, match=r"^No assignment with id 999\.$"):
            outbox.remind(w.store, who, 999, now=LATER)
    with pytest.raises(NotAllowed, match=f"^{re.escape(SIGN_IN)}$"):
        outbox.remind(w.store, None, 999, now=LATER)
