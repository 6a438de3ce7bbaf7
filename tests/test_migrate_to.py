"""`python -m scoring migrate-to URL`: a SQLite database copied into an empty PostgreSQL one, with
every id, the audit chain as it was, and the proof (verify, every row, every opened debrief's
export) made before the copy commits; refused, writing nothing, when it cannot be."""

import sqlite3
from datetime import timedelta

import psycopg
import pytest

from scoring import debrief, openings, scorecards
from scoring.insights import outcomes
from scoring.matrix import full_scores
from scoring.migrate_to import ORDER
from scoring.store import Store
from tests import world
from tests.funnel_world import funnel_opening, review, seats_of
from tests.world import DAY, REFUSED, submit

HISTORY = ("scorecards", "decisions", "committee_votes", "hire_outcomes", "debriefs")


def _sqlite_world(path, strategy=None):
    """The tests' organisation on a SQLite file, whatever DEBRIEF_TEST_ENGINE says."""
    return world._build(
        path,
        strategy=strategy,
        reveal_rule="after_own",
        anonymise=False,
        forced_choice=False,
        manager_interviews=False,
    )


def _with_history(path):
    """Three scorecards, the debrief opened, a committee vote changed, hire decided, a 6-month
    outcome; in a second opening decided by its hiring manager, hire, an outcome, then the
    decision reversed (so the outcome must go in between the two decisions); and a candidate
    whose seat is not scored yet."""
    w = _sqlite_world(path, {"kind": "committee", "quorum": 1})
    for who, overall in (("ana", 3), ("bo", 4), ("cy", 2)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id, now=DAY + timedelta(hours=8))
    debrief.cast_vote(w.store, w.member, w.candidate_id, "no_hire", now=DAY + timedelta(hours=9))
    debrief.cast_vote(
        w.store, w.member, w.candidate_id, "hire", "on reflection", DAY + timedelta(hours=10)
    )
    _hire_with_outcome(w, w.candidate_id)
    other = openings.create_opening(
        w.store,
        w.coordinator,
        title="Analyst",
        role="Analyst",
        loop=world.CATALOG.loops["ds-generalist-onsite"],
        catalog=world.CATALOG,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
    )
    reversed_ = openings.add_candidate(w.store, w.coordinator, other.id, "Ada Lovelace", "")
    bo_seat = _seat(w, reversed_, w.bo)
    scorecards.submit(
        w.store,
        w.bo,
        bo_seat,
        overall=4,
        feedback="bo on Ada",
        criteria=full_scores(w.store, bo_seat, 3),
        now=DAY + timedelta(days=2, hours=2),
    )
    debrief.open_debrief(w.store, w.manager, reversed_, now=DAY + timedelta(days=2, hours=3))
    _hire_with_outcome(w, reversed_)
    debrief.record_decision(
        w.store, w.manager, reversed_, "no_hire", "Left", True, DAY + timedelta(days=201)
    )
    waiting = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing", "")
    return w, _seat(w, waiting, w.ana)


def _hire_with_outcome(w, candidate_id):
    debrief.record_decision(
        w.store, w.manager, candidate_id, "hire", "Strong", True, DAY + timedelta(days=3)
    )
    outcomes.record_outcome(
        w.store, w.manager, candidate_id, 6, 4, True, now=DAY + timedelta(days=200)
    )


def _seat(w, candidate_id, person):
    """A session of the candidate's with `person` on it: the seat's id."""
    session = openings.schedule_session(
        w.store, w.coordinator, candidate_id, 1, DAY + timedelta(days=2), [person.id]
    )
    with w.store.read() as db:
        return db.execute("SELECT id FROM assignments WHERE session_id = ?", [session]).fetchone()[
            0
        ]


def _keys(store, table):
    column = "candidate_id" if table == "debriefs" else "id"
    with store.read() as db:
        return [r[0] for r in db.execute(f"SELECT {column} FROM {table} ORDER BY {column}")]


def _chain(store):
    with store.read() as db:
        return [
            tuple(r) for r in db.execute("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")
        ]


def _counts(url):
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                " current_schema() AND table_name <> '_sqlite_migrations'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_world_is_copied_with_its_ids_and_chain_and_proved(tmp_path, pg_url, cli):
    w, _ = _with_history(tmp_path / "source.sqlite")

    done = cli("migrate-to", pg_url, "--db", w.store.path)

    assert done.returncode == 0, done.stderr
    assert "verify: history intact" in done.stdout
    assert "exports: 2 decision summaries (JSON) of opened debriefs" in done.stdout
    assert "Committed" in done.stdout
    target = Store(pg_url)
    for table in HISTORY:
        assert _keys(target, table) == _keys(w.store, table), table
    assert _chain(target) == _chain(w.store)  # the file's own history_locked entry included
    assert cli("verify", "--db", pg_url).returncode == 0


# One row in every table of the funnel (m013), at a stage the opening's own process leaves free.
FUNNEL = [
    """INSERT INTO opening_stages (opening_id, position, kind, title, rubric_hash, rule,
        reviewer_ids, bar, provisional, spot_check_share, hours_asked, deadline_days)
        VALUES (:opening, 9, 'take_home', 'Take-home', :rubric, '{}', :reviewers, 0.625, 1,
                0.25, 3.5, 7)""",
    """INSERT INTO stage_seats (candidate_id, position, reviewer_id, purpose, assigned_at)
        VALUES (:candidate, 9, :ana, 'review', :at)""",
    """INSERT INTO stage_seats (candidate_id, position, reviewer_id, purpose, assigned_at,
        recused_at, recusal_reason) VALUES (:candidate, 9, :bo, 'spot_check', :at, :later,
        'knows them')""",
    """INSERT INTO seat_questions (assignment_id, criterion_id, candidate_id, rubric_id,
        question_id, question_version, drawn_at)
        VALUES (:seat, 'c1', :candidate, 'coding', 'q1', 2, :at)""",
    """INSERT INTO retired_questions (rubric_id, question_id, reason, retired_by, retired_at)
        VALUES ('coding', 'q0', 'leaked online', :ana, :at)""",
    """INSERT INTO cheating_flags (assignment_id, candidate_id, question_id, flagged_by, evidence,
        flagged_at) VALUES (:seat, :candidate, 'q1', :ana, 'read from a notebook', :later)""",
    """INSERT INTO take_home_events (candidate_id, position, event, at, by_id, detail)
        VALUES (:candidate, 9, 'sent', :at, NULL, '{"deadline": "2026-11-28"}')""",
    """INSERT INTO candidate_feedback (candidate_id, step, at, by_id, logistical, performance)
        VALUES (:candidate, 'sent', :later, :ana, 'Thank you.', 'Clear on trade-offs.')""",
    """INSERT INTO quote_consents (assignment_id, candidate_id, person_id, agreed_at)
        VALUES (:seat, :candidate, :ana, :later)""",
]
FUNNEL_TABLES = (
    "opening_stages", "stage_seats", "stage_reviews", "stage_outcomes", "seat_questions",
    "retired_questions", "cheating_flags", "take_home_events", "candidate_feedback",
    "quote_consents",
)  # fmt: skip


def test_the_funnel_is_copied_with_the_rest(tmp_path, pg_url, cli):
    """Each funnel table in its place in the copy: after the rows it refers to (a stage review
    after its seat), its times as the same text, every row proved equal."""
    w = _sqlite_world(tmp_path / "source.sqlite")
    # Reviews and outcomes through the service: `verify` asks for the audit entry of each.
    screened = funnel_opening(w, reviewers={1: [w.ana.id], 2: [w.cy.id]})
    ada = openings.add_candidate(w.store, w.coordinator, screened, "Ada Lovelace")
    review(w, w.ana, seats_of(w, ada, 1)[0]["id"], level=4, overall=4)
    with sqlite3.connect(w.store.path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        rubric = conn.execute(
            "SELECT rubric_hash FROM opening_sessions WHERE opening_id = ? ORDER BY position",
            [w.opening_id],
        ).fetchone()[0]
        values = {
            "opening": w.opening_id,
            "candidate": w.candidate_id,
            "rubric": rubric,
            "reviewers": f"[{w.ana.id}, {w.bo.id}]",
            "ana": w.ana.id,
            "bo": w.bo.id,
            "seat": w.seats["ana"],
            "at": "2026-11-21T09:00:00+00:00",
            "later": "2026-11-21T15:30:00+00:00",
        }
        for statement in FUNNEL:
            conn.execute(statement, {k: v for k, v in values.items() if f":{k}" in statement})
    source = _counts_of(w.store, FUNNEL_TABLES)
    assert all(source.values())

    done = cli("migrate-to", pg_url, "--db", w.store.path)

    assert done.returncode == 0, done.stderr
    assert "Committed" in done.stdout
    copied = _counts(pg_url)
    assert {t: copied[t] for t in FUNNEL_TABLES} == source
    assert cli("verify", "--db", pg_url).returncode == 0


def _counts_of(store, tables):
    with store.read() as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_the_copy_takes_new_work_after_the_highest_ids(tmp_path, pg_url, cli):
    w, seat = _with_history(tmp_path / "source.sqlite")
    assert cli("migrate-to", pg_url, "--db", w.store.path).returncode == 0
    target = Store(pg_url)
    highest = max(_keys(w.store, "scorecards"))

    card = scorecards.submit(
        target,
        w.ana,
        seat,
        overall=3,
        feedback="on the new server",
        criteria=full_scores(target, seat, 3),
        now=DAY + timedelta(days=2, hours=2),
    )

    assert _keys(target, "scorecards") == [*_keys(w.store, "scorecards"), highest + 1]
    assert card.id == highest + 1
    assert _chain(target)[: len(_chain(w.store))] == _chain(w.store)
    assert cli("verify", "--db", pg_url).returncode == 0


def test_the_copy_refuses_rewriting_its_history(tmp_path, pg_url, cli):
    """Deleting the target's own history_locked entry needed the audit log's DELETE refusal off
    for a moment: it is back, enabled ALWAYS (replica mode does not skip it either)."""
    w, _ = _with_history(tmp_path / "source.sqlite")
    assert cli("migrate-to", pg_url, "--db", w.store.path).returncode == 0

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for statement in (
            "UPDATE decisions SET rationale = 'rewritten'",
            "DELETE FROM audit_log WHERE id = 1",
            "TRUNCATE hire_outcomes",
        ):
            with pytest.raises(REFUSED):
                conn.execute(statement)
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            with pytest.raises(REFUSED):
                conn.execute("DELETE FROM audit_log WHERE id = 1")


def test_a_failed_proof_rolls_the_copy_back(tmp_path, pg_url, cli):
    """people.active 1.5 in the file (SQLite keeps any number) arrives as 2 on PostgreSQL: the
    rows differ, the proof says where, and the target is left empty; a good file then copies."""
    w, _ = _with_history(tmp_path / "source.sqlite")
    bad = tmp_path / "bad.sqlite"
    world.copy_database(w.store.path, bad)
    with sqlite3.connect(bad) as conn:
        conn.execute("UPDATE people SET active = 1.5 WHERE id = ?", [w.outsider.id])

    failed = cli("migrate-to", pg_url, "--db", bad)

    assert failed.returncode == 1
    assert f"people id {w.outsider.id}: active is 1.5 in the file, 2 in the copy" in failed.stderr
    assert "Rolled back" in failed.stderr
    assert set(_counts(pg_url).values()) == {0} | {1} and _counts(pg_url)["audit_log"] == 1
    assert cli("migrate-to", pg_url, "--db", w.store.path).returncode == 0


def test_a_target_holding_data_is_refused_untouched(tmp_path, pg_url, cli):
    w, _ = _with_history(tmp_path / "source.sqlite")
    assert cli("migrate-to", pg_url, "--db", w.store.path).returncode == 0
    before = world.dump(Store(pg_url))

    again = cli("migrate-to", pg_url, "--db", w.store.path)

    assert again.returncode == 1
    assert "holds data already (" in again.stderr and "only into an empty database" in again.stderr
    assert world.dump(Store(pg_url)) == before


def test_a_missing_or_foreign_or_outdated_source_is_refused(tmp_path, pg_url, cli):
    missing = cli("migrate-to", pg_url, "--db", tmp_path / "nothing.sqlite")
    assert missing.returncode == 1 and "nothing.sqlite: no such file" in missing.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert "is not a SQLite database" in cli("migrate-to", pg_url, "--db", junk).stderr
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    assert "is not a Debrief database" in cli("migrate-to", pg_url, "--db", other).stderr
    w = _sqlite_world(tmp_path / "old.db")  # not verified after the test: it is outdated
    with sqlite3.connect(w.store.path) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_debriefs_by_opening_time'")
    old = cli("migrate-to", pg_url, "--db", w.store.path)
    assert old.returncode == 1
    assert "1 migration(s) pending (m012_debriefs_by_opening_time)" in old.stderr
    assert "python -m scoring verify --db" in old.stderr
    assert _counts(pg_url) == {}  # not even migrated


def test_a_time_that_would_not_round_trip_is_refused_naming_its_row(tmp_path, pg_url, cli):
    w = _sqlite_world(tmp_path / "source.sqlite")
    with sqlite3.connect(w.store.path) as conn:
        conn.execute("UPDATE people SET created_at = '2026-11-20 09:00:00' WHERE id = ?", [w.bo.id])

    refused = cli("migrate-to", pg_url, "--db", w.store.path)

    assert refused.returncode == 1
    assert f"people row id {w.bo.id}: created_at is '2026-11-20 09:00:00'" in refused.stderr
    assert "Nothing was copied" in refused.stderr
    assert _counts(pg_url) == {}


def test_an_unreachable_server_is_named_without_its_password(tmp_path, cli):
    w = _sqlite_world(tmp_path / "source.sqlite")

    refused = cli("migrate-to", "postgresql://who:s3cr3t-pw@127.0.0.1:1/x", "--db", w.store.path)

    assert refused.returncode == 1
    assert "cannot reach postgresql://who@127.0.0.1:1/x" in refused.stderr
    assert "s3cr3t-pw" not in refused.stderr + refused.stdout
    assert cli("migrate-to", "data/x.sqlite").returncode == 2


def test_every_table_of_the_schema_has_its_place_in_the_copy(tmp_path):
    store = Store(tmp_path / "fresh.sqlite")
    with store.read() as db:
        tables = {
            name
            for name in db.table_names()
            if not name.startswith("sqlite_") and name != "_sqlite_migrations"
        }
    assert tables == set(ORDER)


def test_init_on_postgresql_says_where_without_the_password(pg_url, cli):
    with_password = pg_url.replace("://debrief@", "://debrief:s3cr3t-pw@")
    assert with_password != pg_url

    made = cli("init", "--db", with_password, "--coordinator", "cora@example.com")

    assert made.returncode == 0, made.stderr
    assert f"Database: {pg_url}" in made.stdout
    assert "None" not in made.stdout and "s3cr3t-pw" not in made.stdout


@pytest.mark.slow
def test_the_demo_is_copied_and_proved(tmp_path, pg_url, cli):
    source = tmp_path / "demo.sqlite"
    assert cli("demo", "--db", source).returncode == 0

    done = cli("migrate-to", pg_url, "--db", source)

    assert done.returncode == 0, done.stderr
    assert "exports: 125 decision summaries" in done.stdout, done.stdout
    assert cli("verify", "--db", pg_url).returncode == 0
