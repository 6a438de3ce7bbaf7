"""The schema on PostgreSQL (scoring/queries/schema_pg.py) against SQLite's, on a real server:
after every numbered step the same tables, columns, keys, indexes and guards; and one table of
statements (rewriting history, frozen rules, what stays allowed) run on both engines over the same
small history, each refused with the same message, or accepted, on both. On PostgreSQL also
TRUNCATE, INSERT ... ON CONFLICT behind the no-replace guard, and two writers chaining to the same
audit entry."""

import sqlite3
import threading
import time

import psycopg
import pytest

from scoring.audit import chain_hash
from scoring.database import Database
from scoring.integrity import GUARDS
from scoring.migrations import migrations
from scoring.queries.schema_pg import (
    GUARD_TRIGGERS,
    HISTORY_TABLES,
    PG_ONLY_INDEXES,
    REFUSED,
    STEPS,
    TIMESTAMPS,
)
from scoring.store import Store

pytest_plugins = ["tests.pg_fixtures"]  # pg_cluster, pg_url: a fresh empty database per test

T = "'2026-03-02T09:00:00+00:00'"
LATER = "'2026-03-02T15:00:00+00:00'"


def pg_connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True)


def apply_steps(conn: psycopg.Connection, names=None) -> None:
    """The named steps (all by default), each in one transaction, as the migration runner does."""
    for name in names or STEPS:
        with conn.transaction():
            for statement in STEPS[name]:
                conn.execute(statement)


def sqlite_connect(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = on")  # as every Debrief connection has it
    return conn


# --- Shapes: what a schema holds, read the same way from each engine ------------------------


def sqlite_shape(conn: sqlite3.Connection) -> dict:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name <> '_sqlite_migrations'"
        )
    ]
    columns, keys = {}, set()
    for table in tables:
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        columns[table] = [(c[1], bool(c[3] or c[5]), c[2].upper()) for c in info]
        pk = tuple(c[1] for c in sorted(info, key=lambda c: c[5]) if c[5])
        keys.add((table, "p", pk))
        for index in conn.execute(f"PRAGMA index_list({table})").fetchall():
            if index[3] == "u":
                cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({index[1]})"))
                keys.add((table, "u", cols))
    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql NOT NULL"
        )
    }
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return {"columns": columns, "keys": keys, "indexes": indexes, "triggers": triggers}


def pg_shape(conn: psycopg.Connection) -> dict:
    columns: dict[str, list] = {}
    for table, name, nullable, kind in conn.execute(
        "SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name <> '_sqlite_migrations'"
        " ORDER BY table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append((name, nullable == "NO", kind))
    keys = {
        (table, kind, tuple(cols))
        for table, kind, cols in conn.execute(
            "SELECT c.conrelid::regclass::text, c.contype,"
            " array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)"
            "       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)"
            " FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace"
            " WHERE s.nspname = current_schema() AND c.contype IN ('p', 'u')"
        )
    }
    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
    }
    triggers = dict(
        conn.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal").fetchall()
    )
    return {"columns": columns, "keys": keys, "indexes": indexes, "triggers": triggers}


def expected_type(table: str, column: str, sqlite_type: str) -> set[str]:
    """The PostgreSQL types a SQLite column may have become (see schema_pg's docstring)."""
    if column in TIMESTAMPS.get(table, ()):
        return {"timestamp with time zone"}
    return {
        "INTEGER": {"bigint", "integer"},
        "REAL": {"double precision"},
        "BLOB": {"bytea"},
        "TEXT": {"text"},
    }[sqlite_type]


def test_steps_are_the_migrations_in_order():
    assert list(STEPS) == migrations.names
    assert all(STEPS[name] for name in STEPS)


def test_guard_triggers_are_sqlites_and_the_truncate_refusals():
    assert set(GUARDS) <= set(GUARD_TRIGGERS)
    assert len(GUARD_TRIGGERS) == len(set(GUARD_TRIGGERS)) == 95
    assert set(GUARD_TRIGGERS) - set(GUARDS) == {f"{t}_no_truncate" for t in HISTORY_TABLES}


@pytest.mark.slow
def test_each_step_leaves_the_schema_sqlite_has_after_it(tmp_path, pg_url):
    # Not *.sqlite: its steps run one by one, unrecorded, so the after-test `verify` leaves it be.
    lite = sqlite_connect(tmp_path / "steps.db")
    db = Database(lite)
    pg = pg_connect(pg_url)
    for migration in migrations.pending(db):
        with db.atomic():
            migration.fn(db)
        apply_steps(pg, [migration.name])
        want, got = sqlite_shape(lite), pg_shape(pg)
        step = migration.name
        assert set(got["columns"]) == set(want["columns"]), step
        for table, cols in want["columns"].items():
            assert [c[0] for c in got["columns"][table]] == [c[0] for c in cols], (step, table)
            assert [c[1] for c in got["columns"][table]] == [c[1] for c in cols], (step, table)
            for (name, _, pg_type), (_, _, sqlite_type) in zip(
                got["columns"][table], cols, strict=True
            ):
                assert pg_type in expected_type(table, name, sqlite_type), (step, table, name)
        # people.email: SQLite's UNIQUE COLLATE NOCASE is PostgreSQL's unique lower(email) index.
        assert got["keys"] == want["keys"] - {("people", "u", ("email",))}, step
        made_here = {i for i in PG_ONLY_INDEXES if i in got["indexes"]}
        assert got["indexes"] - made_here == want["indexes"], step
        truncates = {t for t in got["triggers"] if t.endswith("_no_truncate")}
        assert set(got["triggers"]) - truncates == want["triggers"], step
        assert set(got["triggers"].values()) <= {"A"}, step  # enabled always
    assert set(got["triggers"]) == set(GUARD_TRIGGERS)
    assert made_here == set(PG_ONLY_INDEXES)
    timestamps = {
        (t, c[0])
        for t, cols in got["columns"].items()
        for c in cols
        if c[2].startswith("timestamp")
    }
    assert timestamps == {(t, c) for t, cols in TIMESTAMPS.items() for c in cols}


@pytest.mark.slow
def test_the_store_migrates_postgresql_through_these_steps(pg_url):
    Store(pg_url)  # the migration runner: STEPS, then m004's audit entry through record()
    pg = pg_connect(pg_url)
    assert set(pg_shape(pg)["triggers"]) == set(GUARD_TRIGGERS)
    (entry,) = pg.execute("SELECT id, action, prev_hash FROM audit_log").fetchall()
    assert entry == (1, "history_locked", "")


# --- One small history, the same on both engines ---------------------------------------------

SEED = [
    f"""INSERT INTO people (id, name, email, roles, created_at) VALUES
        (1, 'Hana Manager', 'hana@example.com', '["admin"]', {T}),
        (2, 'Ivo Interviewer', 'ivo@example.com', '[]', {T}),
        (3, 'Uma Unscored', 'uma@example.com', '[]', {T})""",
    "INSERT INTO rubric_snapshots (hash, rubric_id, version, content)"
    " VALUES ('h1', 'coding', 1, '{}')",
    f"""INSERT INTO openings (id, title, role, loop_id, loop_snapshot, strategy, reveal_rule,
            scale_min, scale_max, scale_labels, hiring_manager_id, created_at, created_by,
            closed_at) VALUES
        (1, 'Backend', 'engineer', 'loop', '{{}}', '{{}}', 'after_own', 1, 4, '{{}}', 1, {T}, 1,
         NULL),
        (2, 'Frontend', 'engineer', 'loop', '{{}}', '{{}}', 'after_own', 1, 4, '{{}}', 1, {T}, 1,
         {T})""",
    """INSERT INTO opening_sessions (opening_id, position, title, minutes, rubric_hash) VALUES
        (1, 1, 'Coding', 60, 'h1'), (2, 1, 'Coding', 60, 'h1')""",
    "INSERT INTO opening_committee (opening_id, person_id) VALUES (1, 1)",
    f"""INSERT INTO candidates (id, opening_id, name, alias, created_at, withdrawn_at,
            withdrawal_reason) VALUES
        (1, 1, 'Ada', 'C-1', {T}, NULL, NULL),
        (2, 1, 'Bo', 'C-2', {T}, {T}, 'took another offer'),
        (3, 2, 'Cy', 'C-3', {T}, NULL, NULL)""",
    """INSERT INTO interview_sessions (id, candidate_id, position, title, rubric_hash, starts_at,
            ends_at, calendar_uid) VALUES
        (1, 1, 1, 'Coding', 'h1', '2026-03-02T10:00:00+00:00', '2026-03-02T11:00:00+00:00', 'a'),
        (2, 2, 1, 'Coding', 'h1', '2026-03-02T10:00:00+00:00', '2026-03-02T11:00:00+00:00', 'b')""",
    f"""INSERT INTO assignments (id, session_id, interviewer_id, assigned_at) VALUES
        (1, 1, 2, {T}), (2, 1, 3, {T}), (3, 2, 2, {T})""",
    f"""INSERT INTO scorecards (id, assignment_id, revision, overall, feedback, rubric_hash,
            submitted_at) VALUES (1, 1, 1, 3, 'Solid.', 'h1', {LATER})""",
    "INSERT INTO criterion_scores (scorecard_id, criterion_id, score, evidence)"
    " VALUES (1, 'c1', 3, 'clean code')",
    f"INSERT INTO drafts (assignment_id, content, saved_at) VALUES (2, '{{}}', {T})",
    f"""INSERT INTO debriefs (candidate_id, opened_at, opened_by, frozen_result)
        VALUES (1, {LATER}, 1, '{{}}')""",
    f"""INSERT INTO decisions (id, candidate_id, outcome, decided_by, decided_at, rationale,
            accepts_responsibility, strategy, engine_result)
        VALUES (1, 1, 'hire', 1, {LATER}, 'Strong.', 1, '{{}}', '{{}}')""",
    f"""INSERT INTO committee_votes (id, candidate_id, member_id, vote, cast_at)
        VALUES (1, 1, 1, 'hire', {LATER})""",
    f"""INSERT INTO hire_outcomes (id, candidate_id, months, rating, still_employed, recorded_by,
            recorded_at) VALUES (1, 1, 6, 4, 1, 1, {LATER})""",
    # The funnel: Ada's screen, reviewed by Ivo (seat 1), Uma's seat not reviewed yet (2), and
    # Ivo's spot check of Cy recused (3); Bo's feedback requested and sent.
    """INSERT INTO opening_stages (opening_id, position, kind, title, rubric_hash, rule,
            reviewer_ids, bar) VALUES (1, 1, 'screen', 'Screen', 'h1', '{}', '[2, 3]', 0.6)""",
    f"""INSERT INTO stage_seats (id, candidate_id, position, reviewer_id, purpose, assigned_at,
            recused_at, recusal_reason) VALUES
        (1, 1, 1, 2, 'review', {T}, NULL, NULL),
        (2, 1, 1, 3, 'review', {T}, NULL, NULL),
        (3, 3, 1, 2, 'spot_check', {T}, {LATER}, 'knows them')""",
    f"""INSERT INTO stage_reviews (id, seat_id, rubric_hash, scores, weighted, overall, notes,
            submitted_at) VALUES (1, 1, 'h1', '{{"c1": 3}}', 0.75, 3, 'Clear.', {LATER})""",
    f"""INSERT INTO stage_outcomes (id, candidate_id, position, outcome, decided_by, decided_at,
            reason) VALUES (1, 1, 1, 'advance', NULL, {LATER}, 'over the bar')""",
    f"""INSERT INTO seat_questions (assignment_id, criterion_id, candidate_id, rubric_id,
            question_id, question_version, drawn_at) VALUES (1, 'c1', 1, 'coding', 'q1', 1, {T})""",
    f"""INSERT INTO retired_questions (rubric_id, question_id, reason, retired_by, retired_at)
        VALUES ('coding', 'q0', 'leaked online', 1, {T})""",
    f"""INSERT INTO cheating_flags (id, assignment_id, candidate_id, question_id, flagged_by,
            evidence, flagged_at) VALUES (1, 1, 1, 'q1', 2, 'read from a notebook', {LATER})""",
    f"""INSERT INTO take_home_events (id, candidate_id, position, event, at, by_id)
        VALUES (1, 1, 1, 'sent', {T}, 1)""",
    f"""INSERT INTO candidate_feedback (id, candidate_id, step, at, by_id, logistical) VALUES
        (1, 2, 'requested', {T}, NULL, ''), (2, 2, 'sent', {LATER}, 1, 'Thank you.')""",
    f"""INSERT INTO quote_consents (id, assignment_id, candidate_id, person_id, agreed_at)
        VALUES (1, 1, 1, 2, {LATER})""",
]


def seed(execute) -> None:
    """The history above, and two audit entries chained by hand to whatever entry is newest."""
    for statement in SEED:
        execute(statement)
    for action in ("submit", "decide"):
        head = execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        last_id, previous = head if head else (0, "")
        entry = {
            "id": last_id + 1,
            "at": "2026-03-02T15:00:00+00:00",
            "actor_id": 1,
            "action": action,
            "subject": "candidate:1",
            "detail": "{}",
        }
        execute(
            "INSERT INTO audit_log (id, at, actor_id, action, subject, detail, prev_hash, hash)"
            f" VALUES ({entry['id']}, '{entry['at']}', 1, '{action}', 'candidate:1', '{{}}',"
            f" '{previous}', '{chain_hash(previous, entry)}')"
        )


# Each history row by its key, and what refusing to rewrite its table says.
KEY = {
    "scorecards": "id = 1",
    "criterion_scores": "scorecard_id = 1",
    "decisions": "id = 1",
    "committee_votes": "id = 1",
    "audit_log": "id = (SELECT MAX(id) FROM audit_log)",
    "debriefs": "candidate_id = 1",
    "rubric_snapshots": "hash = 'h1'",
    "hire_outcomes": "id = 1",
    "opening_stages": "opening_id = 1 AND position = 1",
    "stage_reviews": "id = 1",
    "stage_outcomes": "id = 1",
    "seat_questions": "assignment_id = 1 AND criterion_id = 'c1'",
    "retired_questions": "rubric_id = 'coding' AND question_id = 'q0'",
    "cheating_flags": "id = 1",
    "take_home_events": "id = 1",
    "candidate_feedback": "id = 1",
    "quote_consents": "id = 1",
}
CHANGE = {
    "scorecards": "feedback = 'Rewritten.'",
    "criterion_scores": "score = 1",
    "decisions": "outcome = 'no_hire'",
    "committee_votes": "vote = 'no_hire'",
    "audit_log": "action = 'nothing happened'",
    "debriefs": "early_reason = 'because'",
    "rubric_snapshots": "version = 2",
    "hire_outcomes": "rating = 1",
    "opening_stages": "title = 'Phone screen'",
    "stage_reviews": "overall = 1",
    "stage_outcomes": "outcome = 'reject'",
    "seat_questions": "question_id = 'q2'",
    "retired_questions": "reason = 'fine after all'",
    "cheating_flags": "evidence = 'nothing happened'",
    "take_home_events": "event = 'submitted'",
    "candidate_feedback": "note = 'edited'",
    "quote_consents": "person_id = 3",
}
REFUSAL = {t: f"{t} is append-only" for t in HISTORY_TABLES} | {
    "debriefs": "debriefs are frozen once opened",
    "rubric_snapshots": "rubric snapshots never change",
    "stage_seats": "stage seats are kept",
}
# An insert over an existing row, asking to update it on the clash (PostgreSQL and SQLite alike).
UPSERT = {
    "scorecards": f"""INSERT INTO scorecards (id, assignment_id, revision, overall, feedback,
        rubric_hash, submitted_at) VALUES (1, 1, 1, 1, 'Rewritten.', 'h1', {LATER})
        ON CONFLICT (id) DO UPDATE SET feedback = excluded.feedback""",
    "criterion_scores": """INSERT INTO criterion_scores (scorecard_id, criterion_id, score)
        VALUES (1, 'c1', 1) ON CONFLICT (scorecard_id, criterion_id)
        DO UPDATE SET score = excluded.score""",
    "decisions": f"""INSERT INTO decisions (id, candidate_id, outcome, decided_by, decided_at,
        rationale, accepts_responsibility, strategy, engine_result)
        VALUES (1, 1, 'no_hire', 1, {LATER}, 'Weak.', 1, '{{}}', '{{}}')
        ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome""",
    "committee_votes": f"""INSERT INTO committee_votes (id, candidate_id, member_id, vote,
        cast_at) VALUES (1, 1, 1, 'no_hire', {LATER})
        ON CONFLICT (id) DO UPDATE SET vote = excluded.vote""",
    "audit_log": f"""INSERT INTO audit_log (id, at, action, prev_hash, hash)
        SELECT MAX(id), {LATER}, 'nothing happened',
               (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), 'x'
        FROM audit_log WHERE true ON CONFLICT (id) DO UPDATE SET action = excluded.action""",
    "debriefs": f"""INSERT INTO debriefs (candidate_id, opened_at, opened_by, frozen_result)
        VALUES (1, {LATER}, 1, '{{"moved": 1}}')
        ON CONFLICT (candidate_id) DO UPDATE SET frozen_result = excluded.frozen_result""",
    "rubric_snapshots": """INSERT INTO rubric_snapshots (hash, rubric_id, version, content)
        VALUES ('h1', 'coding', 2, '{"moved": 1}')
        ON CONFLICT (hash) DO UPDATE SET content = excluded.content""",
    "hire_outcomes": f"""INSERT INTO hire_outcomes (id, candidate_id, months, rating,
        still_employed, recorded_by, recorded_at) VALUES (1, 1, 6, 1, 1, 1, {LATER})
        ON CONFLICT (id) DO UPDATE SET rating = excluded.rating""",
    "opening_stages": """INSERT INTO opening_stages (opening_id, position, kind, title, rule)
        VALUES (1, 1, 'screen', 'Phone screen', '{}')
        ON CONFLICT (opening_id, position) DO UPDATE SET title = excluded.title""",
    "stage_reviews": f"""INSERT INTO stage_reviews (id, seat_id, rubric_hash, scores, overall,
        notes, submitted_at) VALUES (1, 1, 'h1', '{{}}', 1, 'Rewritten.', {LATER})
        ON CONFLICT (id) DO UPDATE SET overall = excluded.overall""",
    "stage_outcomes": f"""INSERT INTO stage_outcomes (id, candidate_id, position, outcome,
        decided_at, reason) VALUES (1, 1, 1, 'reject', {LATER}, 'moved')
        ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome""",
    "seat_questions": f"""INSERT INTO seat_questions (assignment_id, criterion_id, candidate_id,
        rubric_id, question_id, question_version, drawn_at)
        VALUES (1, 'c1', 1, 'coding', 'q2', 1, {LATER})
        ON CONFLICT (assignment_id, criterion_id) DO UPDATE SET drawn_at = excluded.drawn_at""",
    "retired_questions": f"""INSERT INTO retired_questions (rubric_id, question_id, reason,
        retired_by, retired_at) VALUES ('coding', 'q0', 'fine after all', 1, {LATER})
        ON CONFLICT (rubric_id, question_id) DO UPDATE SET reason = excluded.reason""",
    "cheating_flags": f"""INSERT INTO cheating_flags (id, assignment_id, candidate_id,
        flagged_by, evidence, flagged_at) VALUES (1, 1, 1, 2, 'nothing happened', {LATER})
        ON CONFLICT (id) DO UPDATE SET evidence = excluded.evidence""",
    "take_home_events": f"""INSERT INTO take_home_events (id, candidate_id, position, event, at)
        VALUES (1, 1, 1, 'submitted', {LATER})
        ON CONFLICT (id) DO UPDATE SET event = excluded.event""",
    "candidate_feedback": f"""INSERT INTO candidate_feedback (id, candidate_id, step, at, note)
        VALUES (1, 2, 'requested', {LATER}, 'edited')
        ON CONFLICT (id) DO UPDATE SET note = excluded.note""",
    "quote_consents": f"""INSERT INTO quote_consents (id, assignment_id, candidate_id,
        person_id, agreed_at) VALUES (1, 1, 1, 3, {LATER})
        ON CONFLICT (id) DO UPDATE SET person_id = excluded.person_id""",
}
REVISION_2 = f"""INSERT INTO scorecards (id, assignment_id, revision, overall, feedback,
    rubric_hash, submitted_at, revision_reason) VALUES (2, 1, 2, 4, 'Better.', 'h1', {LATER},
    'A typo')"""
NEXT_ENTRY = """INSERT INTO audit_log (id, at, action, prev_hash, hash)
    SELECT MAX(id) + 1, '2026-03-03T09:00:00+00:00', 'noted', {previous}, 'next' FROM audit_log"""
HEAD = "(SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)"
OUTCOME = """INSERT INTO hire_outcomes (id, candidate_id, months, rating, still_employed,
    recorded_by, recorded_at) VALUES ({id}, {candidate}, 12, 4, 1, 1, '2026-09-02T09:00:00Z')"""
SEAT = "a seat with a submitted scorecard"
STAGE_SEAT = "a stage seat keeps its candidate, stage and reviewer"
RECUSED_ONCE = "a stage seat is recused once, and never after its review"


def review_2(seat: int) -> str:
    """A second stage review, of the seat `seat`."""
    return f"""INSERT INTO stage_reviews (id, seat_id, rubric_hash, scores, overall, notes,
        submitted_at) VALUES (2, {seat}, 'h1', '{{}}', 2, 'Unsure.', {LATER})"""


SETTINGS = "an opening with submitted scorecards keeps its settings"
LOOP = "an opening with submitted scorecards keeps its loop"
LOOP_1 = "WHERE opening_id = 1"

# (what, statements, what both engines say: None when they accept, else the refusal's message;
# a dict when the engines differ). Each runs in its own transaction, rolled back after.
CASES = [
    *[(f"UPDATE {t}", f"UPDATE {t} SET {CHANGE[t]} WHERE {KEY[t]}", REFUSAL[t]) for t in KEY],
    *[(f"DELETE {t}", f"DELETE FROM {t} WHERE {KEY[t]}", REFUSAL[t]) for t in KEY],
    # SQLite has no TRUNCATE: its nearest is a DELETE of every row.
    *[
        (f"TRUNCATE {t}", {"sqlite": f"DELETE FROM {t}", "pg": f"TRUNCATE {t} CASCADE"}, REFUSAL[t])
        for t in KEY
    ],
    # The no-replace guard answers first, with the table's append-only message.
    *[(f"upsert {t}", UPSERT[t], f"{t} is append-only") for t in UPSERT],
    (
        "insert over a scorecard, do nothing on the clash",
        UPSERT["scorecards"].split("ON CONFLICT")[0] + " ON CONFLICT DO NOTHING",
        "scorecards is append-only",
    ),
    (
        "a second scorecard for the same seat and revision",
        REVISION_2.replace("(2, 1, 2,", "(2, 1, 1,").replace("'A typo'", "NULL"),
        "scorecards is append-only",
    ),
    (
        "a decision over another",
        UPSERT["decisions"].split("ON CONFLICT")[0],
        "decisions is append-only",
    ),
    # Frozen: what history depends on.
    (
        "a scored seat recused",
        f"UPDATE assignments SET recused_at = {LATER}, recusal_reason = 'late' WHERE id = 1",
        f"{SEAT} cannot be recused",
    ),
    ("a scored seat deleted", "DELETE FROM assignments WHERE id = 1", f"{SEAT} is kept"),
    (
        "a seat given to someone else",
        "UPDATE assignments SET interviewer_id = 3 WHERE id = 3",
        "an assignment keeps its session and interviewer: assign someone new instead",
    ),
    (
        "a session renamed",
        "UPDATE interview_sessions SET title = 'Design' WHERE id = 2",
        "a session keeps its candidate, place and rubric",
    ),
    (
        "a scored session moved",
        "UPDATE interview_sessions SET starts_at = '2026-03-03T10:00:00+00:00',"
        " ends_at = '2026-03-03T11:00:00+00:00' WHERE id = 1",
        "a session with a submitted scorecard keeps its times",
    ),
    (
        "a scored session deleted",
        "DELETE FROM interview_sessions WHERE id = 1",
        "a session with a submitted scorecard is kept",
    ),
    (
        "a candidate's alias changed",
        "UPDATE candidates SET alias = 'C-9' WHERE id = 1",
        "a candidate keeps their opening and alias",
    ),
    ("a scored opening's scale", "UPDATE openings SET scale_max = 5 WHERE id = 1", SETTINGS),
    ("a scored opening's loop", f"UPDATE opening_sessions SET minutes = 45 {LOOP_1}", LOOP),
    ("a scored opening's loop cut", f"DELETE FROM opening_sessions {LOOP_1}", LOOP),
    (
        "a closed opening reopened",
        "UPDATE openings SET closed_at = NULL WHERE id = 2",
        "a closed opening stays closed",
    ),
    (
        "a withdrawn candidate back",
        "UPDATE candidates SET withdrawn_at = NULL, withdrawal_reason = NULL WHERE id = 2",
        "a withdrawn candidate stays withdrawn",
    ),
    (
        "an outcome for a candidate not hired",
        OUTCOME.format(id=2, candidate=3),
        "outcomes are recorded only for a candidate whose decision is hire",
    ),
    (
        "an audit entry with a wrong prev_hash",
        NEXT_ENTRY.format(previous="'not the newest hash'"),
        "audit_log entries must carry the hash of the entry before",
    ),
    (
        "criterion scores of an older scorecard",
        [REVISION_2, "INSERT INTO criterion_scores (scorecard_id, criterion_id) VALUES (1, 'c2')"],
        "criterion scores are written with their scorecard",
    ),
    # The funnel's stage seats.
    (
        "a stage seat given to someone else",
        "UPDATE stage_seats SET reviewer_id = 1 WHERE id = 2",
        STAGE_SEAT,
    ),
    (
        "a stage seat moved to a later stage",
        "UPDATE stage_seats SET position = 2 WHERE id = 2",
        STAGE_SEAT,
    ),
    (
        "a reviewed stage seat recused",
        f"UPDATE stage_seats SET recused_at = {LATER}, recusal_reason = 'late' WHERE id = 1",
        RECUSED_ONCE,
    ),
    (
        "a recused stage seat recused again",
        f"UPDATE stage_seats SET recused_at = {LATER}, recusal_reason = 'again' WHERE id = 3",
        RECUSED_ONCE,
    ),
    (
        "a recused stage seat back in play",
        "UPDATE stage_seats SET recused_at = NULL, recusal_reason = NULL WHERE id = 3",
        RECUSED_ONCE,
    ),
    ("a stage seat deleted", "DELETE FROM stage_seats WHERE id = 2", "stage seats are kept"),
    (
        "TRUNCATE stage_seats",
        {"sqlite": "DELETE FROM stage_seats", "pg": "TRUNCATE stage_seats CASCADE"},
        "stage seats are kept",
    ),
    ("a second review of a seat", review_2(1), "stage_reviews is append-only"),
    (
        "a stage defined again",
        UPSERT["opening_stages"].split("ON CONFLICT")[0],
        "opening_stages is append-only",
    ),
    (
        "a question retired again",
        UPSERT["retired_questions"].split("ON CONFLICT")[0],
        "retired_questions is append-only",
    ),
    # Two rules broken at once: both engines refuse, each naming the rule it checks first
    # (SQLite: the trigger made last; PostgreSQL: the first by name).
    (
        "an outcome over another, for a candidate not hired",
        OUTCOME.format(id=1, candidate=3),
        {
            "sqlite": "outcomes are recorded only for a candidate whose decision is hire",
            "pg": "hire_outcomes is append-only",
        },
    ),
    (
        "a criterion score over another, of an older scorecard",
        [REVISION_2, "INSERT INTO criterion_scores (scorecard_id, criterion_id) VALUES (1, 'c1')"],
        {
            "sqlite": "criterion scores are written with their scorecard",
            "pg": "criterion_scores is append-only",
        },
    ),
    # Allowed.
    (
        "an unreviewed stage seat recused",
        f"UPDATE stage_seats SET recused_at = {LATER}, recusal_reason = 'Knows them' WHERE id = 2",
        None,
    ),
    ("the review of another seat", review_2(2), None),
    (
        "a later stage outcome",
        "INSERT INTO stage_outcomes (id, candidate_id, position, outcome, decided_by, decided_at,"
        f" reason) VALUES (2, 1, 1, 'reject', 1, {LATER}, 'second look')",
        None,
    ),
    (
        "a new stage",
        "INSERT INTO opening_stages (opening_id, position, kind, title, rule)"
        " VALUES (1, 2, 'loop', 'On-site', '{}')",
        None,
    ),
    (
        "a question drawn for another criterion",
        "INSERT INTO seat_questions (assignment_id, criterion_id, candidate_id, rubric_id,"
        f" question_id, question_version, drawn_at) VALUES (1, 'c2', 1, 'coding', 'q3', 1, {T})",
        None,
    ),
    (
        "feedback sent to another candidate",
        "INSERT INTO candidate_feedback (id, candidate_id, step, at)"
        f" VALUES (3, 1, 'sent', {LATER})",
        None,
    ),
    (
        "a draft saved",
        f"UPDATE drafts SET content = '{{}}', saved_at = {LATER} WHERE assignment_id = 2",
        None,
    ),
    (
        "a revision with its criterion scores",
        [REVISION_2, "INSERT INTO criterion_scores (scorecard_id, criterion_id) VALUES (2, 'c1')"],
        None,
    ),
    (
        "an unscored seat recused",
        f"UPDATE assignments SET recused_at = {LATER}, recusal_reason = 'Knows them' WHERE id = 2",
        None,
    ),
    ("an unscored seat deleted", "DELETE FROM assignments WHERE id = 3", None),
    (
        "an unscored session moved",
        "UPDATE interview_sessions SET starts_at = '2026-03-03T10:00:00+00:00',"
        " ends_at = '2026-03-03T11:00:00+00:00', location = 'Room 2' WHERE id = 2",
        None,
    ),
    (
        "a scored session relocated",
        "UPDATE interview_sessions SET location = 'Room 3' WHERE id = 1",
        None,
    ),
    ("an unscored opening's scale", "UPDATE openings SET scale_max = 5 WHERE id = 2", None),
    (
        "an unscored opening's loop",
        "UPDATE opening_sessions SET minutes = 45 WHERE opening_id = 2",
        None,
    ),
    ("a scored opening renamed", "UPDATE openings SET title = 'Backend II' WHERE id = 1", None),
    ("an open opening closed", f"UPDATE openings SET closed_at = {LATER} WHERE id = 1", None),
    (
        "a candidate withdrawn",
        f"UPDATE candidates SET withdrawn_at = {LATER}, withdrawal_reason = 'moved' WHERE id = 3",
        None,
    ),
    ("a candidate renamed", "UPDATE candidates SET name = 'Ada L.' WHERE id = 1", None),
    ("an outcome for a hire", OUTCOME.format(id=2, candidate=1), None),
    ("the next audit entry", NEXT_ENTRY.format(previous=HEAD), None),
    (
        "a member votes again",
        "INSERT INTO committee_votes (id, candidate_id, member_id, vote, cast_at)"
        f" VALUES (2, 1, 1, 'no_hire', {LATER})",
        None,
    ),
    (
        "a new rubric snapshot",
        "INSERT INTO rubric_snapshots (hash, rubric_id, version, content)"
        " VALUES ('h2', 'coding', 2, '{}')",
        None,
    ),
]


def run_sqlite(conn: sqlite3.Connection, statements: list[str]) -> str | None:
    conn.execute("BEGIN")
    try:
        for statement in statements:
            conn.execute(statement)
    except sqlite3.IntegrityError as exc:
        return str(exc)
    finally:
        conn.execute("ROLLBACK")
    return None


def run_pg(conn: psycopg.Connection, statements: list[str]) -> str | None:
    try:
        with conn.transaction():
            for statement in statements:
                conn.execute(statement)
            raise psycopg.Rollback()
    except psycopg.errors.RestrictViolation as exc:
        assert exc.sqlstate == REFUSED
        return exc.diag.message_primary
    return None


def for_engine(value, engine: str):
    return value[engine] if isinstance(value, dict) else value


@pytest.mark.slow
@pytest.mark.tampered  # its SQLite history is written by hand, with no audit entry vouching for it
def test_both_engines_refuse_and_allow_the_same(tmp_path, pg_url):
    Store(tmp_path / "x.sqlite")
    lite = sqlite_connect(tmp_path / "x.sqlite")
    seed(lite.execute)
    pg = pg_connect(pg_url)
    apply_steps(pg)
    seed(pg.execute)
    differ = []
    for what, statements, expected in CASES:
        for engine, run, conn in (("sqlite", run_sqlite, lite), ("pg", run_pg, pg)):
            sql = for_engine(statements, engine)
            said = run(conn, [sql] if isinstance(sql, str) else sql)
            if said != for_engine(expected, engine):
                differ.append(f"{what} on {engine}: {said!r}")
    assert differ == []
    # Rolled back, every case: the history is as seeded.
    for history in (lite, pg):
        assert history.execute("SELECT feedback FROM scorecards").fetchall() == [("Solid.",)]


SENT_AGAIN = f"""INSERT INTO candidate_feedback (id, candidate_id, step, at, by_id)
    VALUES (3, 2, 'sent', {LATER}, 1)"""


@pytest.mark.slow
@pytest.mark.tampered  # as above: a history written by hand
def test_feedback_is_sent_to_a_candidate_once_on_both_engines(tmp_path, pg_url):
    Store(tmp_path / "x.sqlite")
    lite = sqlite_connect(tmp_path / "x.sqlite")
    seed(lite.execute)
    pg = pg_connect(pg_url)
    apply_steps(pg)
    seed(pg.execute)
    with pytest.raises(sqlite3.IntegrityError, match=r"candidate_feedback\.candidate_id"):
        lite.execute(SENT_AGAIN)
    with pytest.raises(psycopg.errors.UniqueViolation, match="candidate_feedback_sent_once"):
        pg.execute(SENT_AGAIN)
    # Any other step may come again.
    for conn in (lite, pg):
        conn.execute(SENT_AGAIN.replace("'sent'", "'drafted'"))


@pytest.fixture
def history(pg_url) -> psycopg.Connection:
    pg = pg_connect(pg_url)
    apply_steps(pg)
    seed(pg.execute)
    return pg


@pytest.mark.slow
def test_an_upsert_meets_the_update_refusal_behind_the_no_replace_one(history):
    for table, upsert in UPSERT.items():
        with pytest.raises(psycopg.errors.RestrictViolation) as refused, history.transaction():
            history.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_replace")
            history.execute(upsert)
        assert refused.value.diag.message_primary == REFUSAL[table], table
    assert set(pg_shape(history)["triggers"].values()) == {"A"}  # the ALTERs were rolled back


@pytest.mark.slow
def test_truncate_of_any_table_reaching_history_is_refused(history):
    for table in ("people", "candidates", "openings", "assignments"):
        with pytest.raises(psycopg.errors.RestrictViolation):
            history.execute(f"TRUNCATE {table} CASCADE")
    # A table outside the history truncates as before.
    history.execute("TRUNCATE drafts")


@pytest.mark.slow
def test_replica_mode_does_not_skip_the_guards(history):
    with pytest.raises(psycopg.errors.RestrictViolation), history.transaction():
        history.execute("SET LOCAL session_replication_role = replica")
        history.execute("DELETE FROM decisions")


def entry(conn: psycopg.Connection, previous: str) -> None:
    conn.execute(
        "INSERT INTO audit_log (id, at, action, prev_hash, hash)"
        " VALUES ((SELECT MAX(id) + 1 FROM audit_log), now(), 'noted', %s, md5(random()::text))",
        [previous],
    )


@pytest.mark.slow
def test_two_writers_cannot_chain_to_the_same_entry(history, pg_url):
    head = history.execute(HEAD[1:-1]).fetchone()[0]
    first, second = pg_connect(pg_url), pg_connect(pg_url)
    outcome = {}

    def write_second():
        try:
            with second.transaction():
                entry(second, head)
        except psycopg.Error as exc:
            outcome["error"] = exc

    with first.transaction():
        entry(first, head)
        waiting = threading.Thread(target=write_second)
        waiting.start()
        time.sleep(0.5)
        assert waiting.is_alive()  # the chain's lock: it waits for the first to commit
    waiting.join(10)
    assert isinstance(outcome.get("error"), psycopg.errors.RestrictViolation)
    assert "must carry the hash of the entry before" in str(outcome["error"])

    # A REPEATABLE READ writer reads the newest entry as its snapshot saw it: the unique
    # prev_hash index still refuses a second successor.
    head = history.execute(HEAD[1:-1]).fetchone()[0]
    with pytest.raises(psycopg.errors.UniqueViolation), second.transaction():
        second.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        second.execute("SELECT count(*) FROM audit_log").fetchone()  # the snapshot
        with first.transaction():
            entry(first, head)
        entry(second, head)
    rows = history.execute("SELECT id, prev_hash, hash FROM audit_log ORDER BY id").fetchall()
    assert [r[1] for r in rows] == [""] + [r[2] for r in rows[:-1]]  # one unbroken chain
