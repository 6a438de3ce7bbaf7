"""Sign-ins that last the working day, and end when they must (issue 12, point 2)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from scoring import people
from scoring.store import now_utc
from world import build


@pytest.fixture
def org(tmp_path):
    return build(tmp_path / "sessions.sqlite")


def test_a_session_lasts_through_the_day_and_ends_when_idle_or_old(org):
    start = now_utc()
    token = people.start_session(org.store, org.ana, "code", now=start)
    for hours in range(0, 11 * 24 * 7, 11):  # used every 11 hours...
        at = start + timedelta(hours=hours)
        person = people.session_person(org.store, token, now=at)
        if at - start > people.SESSION_ABSOLUTE:
            assert person is None  # ...but never beyond 7 days
            break
        assert person.id == org.ana.id
    idle = people.start_session(org.store, org.ana, "code", now=start)
    assert people.session_person(org.store, idle, now=start + timedelta(hours=11)) is not None
    assert (
        people.session_person(org.store, idle, now=start + timedelta(hours=23, minutes=1)) is None
    )


def test_only_a_hash_is_kept_and_the_hash_signs_in_nobody(org):
    token = people.start_session(org.store, org.ana, "code")
    with org.store.read() as db:
        (kept,) = [r[0] for r in db.execute("SELECT token_hash FROM sign_in_sessions")]
    assert kept == hashlib.sha256(token.encode()).hexdigest() and token not in kept
    assert people.session_person(org.store, kept) is None  # a stolen row is no token
    assert people.session_person(org.store, token).id == org.ana.id


@pytest.mark.parametrize(
    "what",
    ["sign out", "sign out everywhere", "deactivation", "role change", "new code"],
)
def test_sessions_end(org, what):
    here = people.start_session(org.store, org.ana, "code")
    there = people.start_session(org.store, org.ana, "sso")  # another browser
    bo = people.start_session(org.store, org.bo, "code")
    if what == "sign out":
        people.end_session(org.store, here)
        assert people.session_person(org.store, there) is not None  # the other browser stays
    elif what == "sign out everywhere":
        assert people.end_all_sessions(org.store, org.ana) == 2
    elif what == "deactivation":
        people.set_active(org.store, org.coordinator, org.ana.id, False)
    elif what == "role change":
        people.update_person(
            org.store, org.coordinator, org.ana.id, roles=["interviewer", "hiring_manager"]
        )
    else:
        people.issue_code(org.store, org.coordinator, org.ana.id)
    assert people.session_person(org.store, here) is None
    if what != "sign out":
        assert people.session_person(org.store, there) is None
    assert people.session_person(org.store, bo).id == org.bo.id  # nobody else's


def test_nonsense_tokens_are_refused_without_a_lookup_cost(org):
    for token in ("", "x", "A" * 10_000, None):
        assert people.session_person(org.store, token) is None
