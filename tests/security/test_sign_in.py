"""A sign-in that cannot be abused (issue 11, defects 3 to 6)."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from datetime import timedelta

import pytest

from scoring import audit, cli, people
from scoring.errors import SignInFailed
from scoring.store import now_utc
from world import build

STRANGER, HOME = "203.0.113.9", "192.168.1.20"


@pytest.fixture
def org(tmp_path):
    w = build(tmp_path / "signin.sqlite")
    w.code = people.issue_code(w.store, w.coordinator, w.ana.id)
    return w


@pytest.mark.sqlite_only("SQLite's file lock")
def test_the_slow_hash_runs_without_the_write_lock(org, monkeypatch):
    """3. While a code is being hashed, any interviewer's save gets the lock at once."""
    real, held = people._hash, []

    def hash_while_someone_saves(code, salt):
        other = sqlite3.connect(org.store.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if sign-in held it
            other.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            held.append(str(exc))
        finally:
            other.close()
        return real(code, salt)

    monkeypatch.setattr(people, "_hash", hash_while_someone_saves)
    with pytest.raises(SignInFailed):
        people.sign_in(org.store, "ana@example.com", "WRONG-CODE", client=STRANGER)
    assert people.sign_in(org.store, "ana@example.com", org.code, client=HOME).id == org.ana.id
    assert held == []


def test_a_stranger_who_knows_an_email_cannot_lock_its_owner_out(org):
    """4. Guessing slows the guesser only."""
    start = now_utc()
    for second in range(0, 200, 10):
        with contextlib.suppress(SignInFailed):
            people.sign_in(
                org.store,
                "ana@example.com",
                "GUESS",
                now=start + timedelta(seconds=second),
                client=STRANGER,
            )
    with pytest.raises(SignInFailed, match="Too many wrong codes from this browser"):
        people.sign_in(
            org.store,
            "ana@example.com",
            org.code,
            now=start + timedelta(seconds=191),
            client=STRANGER,
        )
    ana = people.sign_in(
        org.store, "ana@example.com", org.code, now=start + timedelta(seconds=1), client=HOME
    )
    assert ana.id == org.ana.id


def test_known_and_unknown_emails_get_the_same_answer_after_the_same_work(org, monkeypatch):
    """4. Neither the words nor the work tell which emails exist."""
    hashed = []
    real = people._hash
    monkeypatch.setattr(people, "_hash", lambda code, salt: hashed.append(1) or real(code, salt))
    answers = {}
    start = now_utc()
    for email in ("ana@example.com", "nobody@example.com"):
        said = []
        for attempt in range(6):
            hashed.clear()
            try:
                people.sign_in(
                    org.store,
                    email,
                    "WRONG",
                    now=start + timedelta(milliseconds=attempt),
                    client=STRANGER,
                )
            except SignInFailed as refusal:
                said.append((str(refusal), len(hashed)))
        answers[email] = said
    assert answers["ana@example.com"] == answers["nobody@example.com"]
    assert answers["ana@example.com"][0] == (
        "That email and code do not match. Check both and try again.",
        1,
    )
    assert answers["ana@example.com"][-1][1] == 0  # throttled: no hashing at all, for either


def test_what_a_stranger_types_is_not_stored_in_full(org):
    """5. Five 2 MB "emails" add nothing to the audit log (not 10 MB): a stranger's failures are
    counted, and the throttle keeps a hash of what was typed."""
    huge = "x" * 2_000_000 + "@example.com"
    with org.store.read() as db:
        before = db.execute(
            "SELECT SUM(length(subject) + length(detail)) FROM audit_log"
        ).fetchone()[0]
    for _ in range(5):
        with pytest.raises(SignInFailed):
            people.sign_in(org.store, huge, "WRONG", client=STRANGER)
    with org.store.read() as db:
        after = db.execute(
            "SELECT SUM(length(subject) + length(detail)) FROM audit_log"
        ).fetchone()[0]
        kept = audit.entries(db, "sign_in_failed")
        throttle = db.execute("SELECT who FROM sign_in_throttle WHERE who <> '*'").fetchall()
    assert after == before and kept == []
    assert {len(r[0]) for r in throttle} == {32}  # a hash of what was typed, never the text


def test_reactivating_someone_does_not_revive_their_old_code(org):
    """6. A new code is needed after reactivation."""
    people.set_active(org.store, org.coordinator, org.ana.id, False)
    people.set_active(org.store, org.coordinator, org.ana.id, True)
    with pytest.raises(SignInFailed, match="do not match"):
        people.sign_in(org.store, "ana@example.com", org.code, client=HOME)
    fresh = people.issue_code(org.store, org.coordinator, org.ana.id)
    assert people.sign_in(org.store, "ana@example.com", fresh, client=HOME).id == org.ana.id


def test_the_command_line_takes_no_code_on_the_command_line(org, monkeypatch):
    """6. A code typed as an option would show in the process list: there is no such option."""
    monkeypatch.delenv("DEBRIEF_CODE", raising=False)
    err = io.StringIO()
    base = ["export", "--db", org.store.location, "--as", "ana@example.com"]
    with pytest.raises(SystemExit) as refused:
        cli.main([*base, "--code", org.code, "--opening", "1", "--format", "csv"], err=err)
    assert refused.value.code == 2
    # without a terminal to ask at and without DEBRIEF_CODE: a clear refusal, nothing signed in
    code = cli.main([*base, "--opening", "1", "--format", "csv"], io.StringIO(), err)
    assert code == 2 and "set DEBRIEF_CODE" in err.getvalue()
