"""Failed sign-ins cannot fill the disk (issue 22, attack 7): anonymous failures are counted in a
table of one row per hour and kind (30 days kept), never appended to the audit log; a real
person's failures are logged at their 1st, 2nd, 4th, 8th, … failure, whoever typed them."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from scoring import audit, people, throttle
from scoring.errors import SignInFailed
from scoring.store import now_utc
from world import build


@pytest.fixture
def org(tmp_path):
    w = build(tmp_path / "bounded.sqlite")
    w.code = people.issue_code(w.store, w.coordinator, w.ana.id)
    return w


def audit_bytes(db) -> int:
    return db.execute(
        "SELECT coalesce(SUM(length(subject) + length(detail) + length(hash)"
        " + length(CAST(at AS TEXT)) + length(action) + length(prev_hash)), 0) FROM audit_log"
    ).fetchone()[0]


def entries(db) -> int:
    return db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def failed(org, email, at, client):
    with contextlib.suppress(SignInFailed):
        people.sign_in(org.store, email, "WRONG-CODE", now=at, client=client)


def test_anonymous_failures_add_nothing_to_the_audit_log(org):
    """60 strangers' failures (each from its own address, with its own email): the audit log
    does not grow by one byte; one row counts them."""
    start = now_utc().replace(minute=0, second=0)
    with org.store.read() as db:
        before, count = audit_bytes(db), entries(db)
    for n in range(60):
        failed(org, f"stranger{n}@example.com", start + timedelta(seconds=n), f"203.0.113.{n}")
    with org.store.read() as db:
        assert audit_bytes(db) == before and entries(db) == count
        tally = throttle.failures_by_hour(db, start)
    assert tally == [{"hour": f"{start:%Y-%m-%dT%H}", "kind": "an unknown email", "failures": 60}]


def test_the_failure_tally_keeps_a_fixed_number_of_hours(org):
    """Failures over 40 days leave at most 30 days of hourly rows: old hours are removed."""
    start = now_utc().replace(minute=0, second=0) - timedelta(days=40)
    for day in range(0, 41, 2):
        failed(org, "nobody@example.com", start + timedelta(days=day), f"198.51.100.{day}")
    with org.store.read() as db:
        hours = [r["hour"] for r in throttle.failures_by_hour(db, start - timedelta(days=1))]
    assert len(hours) == 16  # days 10, 12, …, 40: within 30 days of the last
    assert min(hours) >= f"{start + timedelta(days=10):%Y-%m-%dT%H}"


def test_a_real_person_s_failures_are_logged_sparsely(org):
    """64 wrong codes for Ana's email from 64 addresses: 7 audit entries (1st, 2nd, 4th, …,
    64th), naming her by id, never the typed text."""
    start = now_utc()
    for n in range(64):
        failed(org, "ana@example.com", start + timedelta(seconds=n), f"203.0.113.{n}")
    with org.store.read() as db:
        logged = audit.entries(db, "sign_in_failed")
    assert [e["subject"] for e in logged] == [f"person:{org.ana.id}"] * 7
    assert [e["detail"]["failures"] for e in logged] == [1, 2, 4, 8, 16, 32, 64]


def test_refused_company_accounts_are_counted_not_logged(org):
    """A company account that is nobody here, refused 20 times: counted, not logged."""
    with org.store.read() as db:
        count = entries(db)
    for _ in range(20):
        with pytest.raises(SignInFailed, match="not a Debrief user"):
            people.sign_in_verified(org.store, "outsider@elsewhere.example")
    with org.store.read() as db:
        assert entries(db) == count
        kinds = {r["kind"]: r["failures"] for r in throttle.failures_by_hour(db, now_utc())}
    assert kinds == {"a company account unknown here": 20}
