"""The store on a real PostgreSQL (tests/pg_server.py): what differs from the SQLite file and must
still hold. The service's own tests run on it too (DEBRIEF_TEST_ENGINE=postgresql)."""

import time
from datetime import timedelta

import psycopg
import pytest

from scoring import people
from scoring.errors import StorageFailed
from scoring.integrity import verify
from scoring.keys import AuditKeyProblem
from scoring.postgres import PostgresStore
from scoring.queries.schema_pg import GUARD_TRIGGERS
from scoring.store import Store
from world import DAY, _build, submit

SHAPE = dict(
    strategy=None,
    reveal_rule="after_own",
    anonymise=False,
    forced_choice=False,
    manager_interviews=False,
)


def test_a_url_opens_a_postgresql_store_and_verify_checks_its_own_guards(pg_url):
    w = _build(pg_url, **SHAPE)
    assert isinstance(w.store, PostgresStore) and w.store.location == pg_url
    submit(w, "ana", 4)
    report = verify(w.store)
    assert report.ok, report.problems
    assert report.checked["triggers"] == len(GUARD_TRIGGERS) == 95


@pytest.mark.tampered
@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE scorecards DISABLE TRIGGER scorecards_append_only_update",
        # merely enabled: a session in replica mode skips it
        "ALTER TABLE scorecards ENABLE TRIGGER scorecards_append_only_update",
    ],
)
def test_verify_names_a_guard_turned_off_or_merely_enabled(pg_url, change):
    w = _build(pg_url, **SHAPE)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(change)
    report = verify(w.store)
    assert "trigger scorecards_append_only_update is missing: the history is unguarded" in (
        report.problems
    )


def test_times_come_back_as_the_text_they_were_written_as(pg_url):
    w = _build(pg_url, **SHAPE)
    card = submit(w, "ana", 4, now=(DAY + timedelta(hours=6)).replace(microsecond=123456))
    with w.store.read() as db:
        written = db.execute("SELECT submitted_at FROM scorecards WHERE id = ?", [card.id])
        assert written.fetchone()[0] == "2026-11-20T15:00:00.123456+00:00"
    with psycopg.connect(pg_url) as conn:  # and the column is a real time with its zone
        kind = conn.execute(
            "SELECT data_type FROM information_schema.columns"
            " WHERE table_name = 'scorecards' AND column_name = 'submitted_at'"
        ).fetchone()[0]
    assert kind == "timestamp with time zone"


def test_without_an_audit_key_nothing_is_written_and_the_message_says_where_to_set_it(
    pg_url, monkeypatch
):
    w = _build(pg_url, **SHAPE)
    with w.store.read() as db:
        before = db.execute("SELECT COUNT(*) FROM people").fetchone()[0]
    monkeypatch.delenv("DEBRIEF_AUDIT_KEY")
    monkeypatch.setenv("DEBRIEF_SECRETS", "/nonexistent/secrets.toml")
    with pytest.raises(AuditKeyProblem, match=r"never kept beside the database.*DEBRIEF_AUDIT_KEY"):
        people.add_person(w.store, w.coordinator, "Nia New", "nia@example.com", ["interviewer"])
    with w.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == before


@pytest.mark.slow  # the pool tries for its connect timeout (10 s) before it says so
def test_a_server_that_cannot_be_reached_is_said_plainly_without_the_password():
    url = "postgresql://debrief:s3cret-pw@127.0.0.1:9/nowhere?connect_timeout=1"
    with pytest.raises(StorageFailed) as refused:
        Store(url)
    message = str(refused.value)
    assert "s3cret-pw" not in message
    assert "postgresql://debrief@127.0.0.1:9/nowhere" in message
    assert "Nothing was half-written" in message


def test_a_write_that_may_wait_only_briefly_gives_up_and_says_busy(pg_url):
    """The kept figures' save waits 0.2 s for the write lock, as on SQLite: a page is never held
    up behind a long write (a restore) just to keep a cache."""
    store = Store(pg_url)
    other = Store(pg_url)
    with store.write():  # someone's long unit of work holds the write lock
        began = time.monotonic()
        with pytest.raises(StorageFailed, match="busy"), other.write(wait=0.2):
            pass
        assert time.monotonic() - began < 2
    with other.write(wait=0.2):  # and once it is free, the same write goes through
        pass
