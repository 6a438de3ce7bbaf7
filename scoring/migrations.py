"""The versioned schema, as `scoring.database.Migrations`: applied in order on open, each once.

Never edit a migration that has shipped; add a new one. History tables (scorecards and their
criterion scores, decisions, committee votes, debriefs, the audit log, hires' later outcomes) are
append-only: triggers refuse UPDATE and DELETE on them, so no code path, ours or a stray SQL
shell, can rewrite the past.
"""

from __future__ import annotations

from scoring.database import Database, Migrations
from scoring.queries.schema import APPEND_ONLY as _APPEND_ONLY  # noqa: F401 - read by integrity
from scoring.queries.schema import (
    FUNNEL_HISTORY,
    NO_REPLACE,
    SCHEMA_FUNNEL,
    SCORED_OPENING,
    SCORED_SEAT,
    SCORED_SESSION,
)
from scoring.queries.schema import SCHEMA_1 as _SCHEMA_1
from scoring.queries.schema import append_only as _append_only
from scoring.queries.schema_privacy import PRIVACY_HISTORY
from scoring.queries.schema_privacy import SQLITE as PRIVACY_SQLITE


def _on_postgres(db: Database, name: str) -> None:
    """One numbered step on PostgreSQL: its DDL for that engine (`scoring.queries.schema_pg`),
    then the data work the SQLite step does in Python, where there is any."""
    from scoring.queries.schema_pg import STEPS

    for statement in STEPS[name]:
        db.conn.execute(statement)  # PostgreSQL's own DDL: not translated from SQLite's
    if name == "m004_history_locked":
        _history_locked_mark(db)


migrations = Migrations("debrief", postgres=_on_postgres)


@migrations()
def m001_initial_schema(db: Database) -> None:
    """People, openings, candidates, the interview day, scorecards, debriefs, decisions, audit."""
    for statement in _SCHEMA_1:
        db.execute(statement)


@migrations()
def m002_sessions_by_start(db: Database) -> None:
    """The debrief's day view lists an opening's candidates by interview day."""
    db.execute("CREATE INDEX sessions_by_start ON interview_sessions(starts_at)")


@migrations()
def m003_votes_can_change(db: Database) -> None:
    """A committee member may change their vote until the decision: votes stay append-only
    (the latest counts), so one member may now have several rows for a candidate."""
    db.execute("DROP TRIGGER committee_votes_append_only_update")
    db.execute("DROP TRIGGER committee_votes_append_only_delete")
    db.execute("ALTER TABLE committee_votes RENAME TO committee_votes_once")
    db.execute(
        """CREATE TABLE committee_votes (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            member_id INTEGER NOT NULL REFERENCES people(id),
            vote TEXT NOT NULL CHECK (vote IN ('hire', 'no_hire')),
            note TEXT NOT NULL DEFAULT '',
            cast_at TEXT NOT NULL
        )"""
    )
    db.execute("INSERT INTO committee_votes SELECT * FROM committee_votes_once")
    db.execute("DROP TABLE committee_votes_once")
    db.execute("CREATE INDEX votes_by_member ON committee_votes(candidate_id, member_id)")
    for statement in _append_only("committee_votes"):
        db.execute(statement)


# History that cannot be rewritten without it showing: the conditions the guards test, the same
# on both engines (`scoring.queries.schema`).
_NO_REPLACE = NO_REPLACE
_SCORED_SEAT, _SCORED_SESSION, _SCORED_OPENING = SCORED_SEAT, SCORED_SESSION, SCORED_OPENING


def _refuse(name: str, event: str, table: str, when: str, message: str) -> str:
    return f"""
        CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
    """


@migrations()
def m004_history_locked(db: Database) -> None:
    """History tables refuse REPLACE; what history depends on (a scored seat, a scored session,
    rubric snapshots, a scored opening's settings) no longer changes; the audit log is
    hash-chained; sign-in attempts are throttled per email and client."""
    for table, clash in _NO_REPLACE.items():
        db.execute(
            _refuse(
                f"{table}_no_replace",
                "INSERT",
                table,
                f"EXISTS (SELECT 1 FROM {table} WHERE {clash})",
                f"{table} is append-only",
            )
        )
    # A criterion score belongs to the scorecard written in the same unit of work: the newest.
    db.execute(
        _refuse(
            "criterion_scores_with_their_scorecard",
            "INSERT",
            "criterion_scores",
            "NEW.scorecard_id IS NOT (SELECT MAX(id) FROM scorecards)",
            "criterion scores are written with their scorecard",
        )
    )
    for event in ("UPDATE", "DELETE"):
        db.execute(
            _refuse(
                f"rubric_snapshots_frozen_{event.lower()}",
                event,
                "rubric_snapshots",
                "1",
                "rubric snapshots never change",
            )
        )
    db.execute(
        _refuse(
            "assignments_keep_their_interviewer",
            "UPDATE OF session_id, interviewer_id, assigned_at",
            "assignments",
            "1",
            "an assignment keeps its session and interviewer: assign someone new instead",
        )
    )
    db.execute(
        _refuse(
            "assignments_scored_stay",
            "UPDATE OF recused_at, recusal_reason",
            "assignments",
            _SCORED_SEAT,
            "a seat with a submitted scorecard cannot be recused",
        )
    )
    db.execute(
        _refuse(
            "assignments_scored_kept",
            "DELETE",
            "assignments",
            _SCORED_SEAT,
            "a seat with a submitted scorecard is kept",
        )
    )
    db.execute(
        _refuse(
            "sessions_keep_their_place",
            "UPDATE OF candidate_id, position, title, rubric_hash",
            "interview_sessions",
            "1",
            "a session keeps its candidate, place and rubric",
        )
    )
    db.execute(
        _refuse(
            "sessions_scored_stay",
            "UPDATE OF starts_at, ends_at",
            "interview_sessions",
            _SCORED_SESSION,
            "a session with a submitted scorecard keeps its times",
        )
    )
    db.execute(
        _refuse(
            "sessions_scored_kept",
            "DELETE",
            "interview_sessions",
            _SCORED_SESSION,
            "a session with a submitted scorecard is kept",
        )
    )
    db.execute(
        _refuse(
            "candidates_stay_in_their_opening",
            "UPDATE OF opening_id, alias",
            "candidates",
            "1",
            "a candidate keeps their opening and alias",
        )
    )
    frozen = (
        "loop_id, loop_snapshot, strategy, reveal_rule, anonymise, scale_min, scale_max,"
        " scale_labels, forced_choice, overdue_hours"
    )
    db.execute(
        _refuse(
            "openings_scored_frozen",
            f"UPDATE OF {frozen}",
            "openings",
            _SCORED_OPENING.format(column="id"),
            "an opening with submitted scorecards keeps its settings",
        )
    )
    for event in ("UPDATE", "DELETE"):
        db.execute(
            _refuse(
                f"opening_sessions_scored_{event.lower()}",
                event,
                "opening_sessions",
                _SCORED_OPENING.format(column="opening_id"),
                "an opening with submitted scorecards keeps its loop",
            )
        )
    # The audit log is a hash chain: each entry carries the hash of the one before it. Entries
    # written before this migration are chained now, in order.
    db.execute("ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT ''")
    db.execute("DROP TRIGGER audit_log_append_only_update")
    from scoring.audit import chain_hash

    previous = ""
    for row in db.execute("SELECT * FROM audit_log ORDER BY id").fetchall():
        digest = chain_hash(previous, row)
        db.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
            [previous, digest, row["id"]],
        )
        previous = digest
    db.execute(_append_only("audit_log")[0])
    db.execute(
        _refuse(
            "audit_log_chained",
            "INSERT",
            "audit_log",
            "NEW.prev_hash IS NOT"
            " coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '')",
            "audit_log entries must carry the hash of the entry before",
        )
    )
    _history_locked_mark(db)
    # Sign-in attempts: not history, a throttle. `who` is a hash of the typed email (capped, never
    # the text itself) and the client's address.
    db.execute(
        """CREATE TABLE sign_in_throttle (
            who TEXT NOT NULL,
            client TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            next_allowed_at TEXT,
            last_failure_at TEXT NOT NULL,
            PRIMARY KEY (who, client)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE sign_in_minutes (
            minute TEXT PRIMARY KEY,
            attempts INTEGER NOT NULL
        ) WITHOUT ROWID"""
    )


def _history_locked_mark(db: Database) -> None:
    """Decisions and votes written before now were logged without naming their row: `verify`
    asks an audit entry of those written after this one."""
    from datetime import UTC, datetime

    from scoring.audit import record

    before = {
        table: db.execute(f"SELECT coalesce(MAX(id), 0) FROM {table}").fetchone()[0]
        for table in ("decisions", "committee_votes")
    }
    record(db, None, "history_locked", "database", datetime.now(UTC), before=before)


@migrations()
def m005_sign_in_sessions(db: Database) -> None:
    """A sign-in that lasts: server-side sessions carried by a cookie. Only a hash of each token
    is kept; a session ends at sign-out, after 12 idle hours or 7 days, and when its person is
    deactivated, changes roles or gets a new code."""
    db.execute(
        """CREATE TABLE sign_in_sessions (
            token_hash TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id),
            how TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX sessions_by_person ON sign_in_sessions(person_id)")


@migrations()
def m006_changes_and_outbox(db: Database) -> None:
    """The interview day can change and people are told.

    - Every session carries its calendar identity (a UID that never changes and a SEQUENCE that
      rises with each move), so invitations are updated and cancelled in people's calendars.
    - An opening can be closed, a candidate withdrawn (a time, never a deleted row).
    - The outbox: each message is a row written in the same transaction as the event causing it;
      a sender claims rows one at a time, delivers them and marks them sent. Not history: its
      delivery state changes, its text does not.
    """
    db.execute("ALTER TABLE interview_sessions ADD COLUMN calendar_uid TEXT")
    db.execute(
        "ALTER TABLE interview_sessions ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0"
    )
    db.execute(
        "UPDATE interview_sessions SET calendar_uid = lower(hex(randomblob(16))) || '@debrief'"
    )
    db.execute("ALTER TABLE openings ADD COLUMN closed_at TEXT")
    db.execute("ALTER TABLE candidates ADD COLUMN withdrawn_at TEXT")
    db.execute("ALTER TABLE candidates ADD COLUMN withdrawal_reason TEXT")
    db.execute(
        _refuse(
            "opening_closed_stays_closed",
            "UPDATE OF closed_at",
            "openings",
            "OLD.closed_at IS NOT NULL",
            "a closed opening stays closed",
        )
    )
    db.execute(
        _refuse(
            "candidate_withdrawn_stays_withdrawn",
            "UPDATE OF withdrawn_at, withdrawal_reason",
            "candidates",
            "OLD.withdrawn_at IS NOT NULL",
            "a withdrawn candidate stays withdrawn",
        )
    )
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused: it is in the Message-ID
            created_at TEXT NOT NULL,
            kind TEXT NOT NULL,                      -- invitation, update, cancellation, due, ...
            recipient_id INTEGER REFERENCES people(id),
            to_address TEXT NOT NULL,
            to_name TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL,
            text_body TEXT NOT NULL,
            html_body TEXT NOT NULL,
            ics TEXT,                                -- the iCalendar attachment, if any
            ics_method TEXT,
            dedupe_key TEXT UNIQUE,                  -- a reminder is queued once per key
            candidate_id INTEGER,                    -- what it is about (no FK: sessions go)
            assignment_id INTEGER,
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            claimed_by TEXT,
            claimed_at TEXT,
            sent_at TEXT,
            last_error TEXT
        )"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox(state, next_attempt_at)")
    db.execute("CREATE INDEX outbox_by_assignment ON outbox(assignment_id, kind)")
    db.execute("CREATE INDEX outbox_by_candidate ON outbox(candidate_id)")


@migrations()
def m007_open_seats_by_interviewer(db: Database) -> None:
    """A person's seats still in play (not recused), by person: whose decisions are withheld
    from them (their own scorecard missing) is found from their own open seats, read from this
    index alone, without a lookup in the table for each of the seats they ever had."""
    db.execute(
        "CREATE INDEX open_seats_by_interviewer ON assignments(interviewer_id, session_id)"
        " WHERE recused_at IS NULL"
    )


def _guard_history(db: Database, tables: dict[str, str]) -> None:
    """Each table as history: UPDATE and DELETE refused, and an insert over an existing row
    (`clash`, SQLite's REPLACE) refused too. The statements of m008, m013 and m014."""
    for table, clash in tables.items():
        for statement in _append_only(table):
            db.execute(statement)
        db.execute(
            _refuse(
                f"{table}_no_replace",
                "INSERT",
                table,
                f"EXISTS (SELECT 1 FROM {table} WHERE {clash})",
                f"{table} is append-only",
            )
        )


# History tables added after m004: each is guarded like the first ones (UPDATE, DELETE and
# REPLACE refused) in its own migration; `verify` checks every trigger named here.
_LATER_HISTORY = {"hire_outcomes": "id = NEW.id"}


@migrations()
def m008_hire_outcomes(db: Database) -> None:
    """After the hire: how each hire turned out, recorded by the opening's hiring manager at 6
    and 12 months (a rating on a stated 1..5 scale, whether they still work here). History like
    decisions: append-only (a later row for the same candidate and months supersedes; the latest
    counts), never replaced, and only for a candidate whose decision in force is hire."""
    db.execute(
        """CREATE TABLE hire_outcomes (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            months INTEGER NOT NULL CHECK (months IN (6, 12)),
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),   -- NULL: left before a rating
            still_employed INTEGER NOT NULL CHECK (still_employed IN (0, 1)),
            note TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER NOT NULL REFERENCES people(id),
            recorded_at TEXT NOT NULL,
            CHECK (rating IS NOT NULL OR still_employed = 0)
        )"""
    )
    db.execute("CREATE INDEX hire_outcomes_by_candidate ON hire_outcomes(candidate_id, months)")
    _guard_history(db, _LATER_HISTORY)
    db.execute(
        _refuse(
            "hire_outcomes_only_for_hires",
            "INSERT",
            "hire_outcomes",
            "coalesce((SELECT outcome FROM decisions WHERE candidate_id = NEW.candidate_id"
            " ORDER BY id DESC LIMIT 1), '') <> 'hire'",
            "outcomes are recorded only for a candidate whose decision is hire",
        )
    )


@migrations()
def m009_locations_and_candidate_contacts(db: Database) -> None:
    """Where a session takes place (a room or a video link), carried by its calendar invitation;
    and a candidate's phone and source, kept from an applicant-tracking export."""
    db.execute("ALTER TABLE interview_sessions ADD COLUMN location TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE candidates ADD COLUMN phone TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE candidates ADD COLUMN source TEXT NOT NULL DEFAULT ''")


@migrations()
def m010_sign_in_failures_counted(db: Database) -> None:
    """Sign-in failures are counted, not logged one by one: one row per hour and kind (30 days
    kept). The cap on all attempts together is gone (it refused people who had made no mistake):
    `sign_in_minutes` goes. The throttle's counts are forgotten a day after their last failure,
    found by their own index."""
    db.execute(
        """CREATE TABLE sign_in_failures (
            hour TEXT NOT NULL,
            kind TEXT NOT NULL,
            failures INTEGER NOT NULL,
            PRIMARY KEY (hour, kind)
        ) WITHOUT ROWID"""
    )
    db.execute("DROP TABLE sign_in_minutes")
    db.execute("CREATE INDEX sign_in_throttle_by_age ON sign_in_throttle(last_failure_at)")


@migrations()
def m011_shared_between_processes(db: Database) -> None:
    """What several server processes on one database share, instead of each keeping its own:
    - `sign_in_nonces`: the one-time nonce a page swaps for its sign-in cookie (POST /api/session)
      may reach another process than the one that issued it. Kept by the nonce's hash; the
      session token is sealed under the nonce itself, so a reader of the file learns no token.
    - `leases`: one holder at a time for a named job (the mail sender), until a time.
    - `kept_figures`: figures worth keeping (Insights), keyed on the data they read, shared by
      every process and the command line; a cache, never history: any row may be dropped."""
    db.execute(
        """CREATE TABLE sign_in_nonces (
            nonce_hash TEXT PRIMARY KEY,
            sealed BLOB NOT NULL,
            expires_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX sign_in_nonces_by_expiry ON sign_in_nonces(expires_at)")
    db.execute(
        """CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            until TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE kept_figures (
            key TEXT PRIMARY KEY,
            content TEXT NOT NULL,
            made_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX kept_figures_by_age ON kept_figures(made_at)")


@migrations()
def m012_debriefs_by_opening_time(db: Database) -> None:
    """Insights' window, the latest debriefs of some openings by when each opened, walks this
    index newest first instead of sorting every debrief the openings ever had (issue 25: 9-28 ms
    at 60k scorecards, growing with history; 0.6-0.8 ms with it)."""
    db.execute("CREATE INDEX debriefs_by_opened ON debriefs(opened_at, candidate_id)")


_FUNNEL_HISTORY = FUNNEL_HISTORY


@migrations()
def m013_funnel(db: Database) -> None:
    """The whole funnel (issue 27): an opening's stages (screens, take-homes, the on-site loop,
    the offer), who reviews a candidate's screen or take-home and what they said, each stage's
    outcome, questions drawn from approved pools and retired ones, cheating flags, take-home
    events, feedback to declined candidates and interviewers' consent to be quoted. History:
    append-only and never replaced. A stage seat keeps its candidate, stage and reviewer; only
    its recusal is ever set, once."""
    for statement in SCHEMA_FUNNEL:
        db.execute(statement)
    _guard_history(db, _FUNNEL_HISTORY)
    db.execute(
        _refuse(
            "stage_seats_keep_their_reviewer",
            "UPDATE OF candidate_id, position, reviewer_id, purpose, assigned_at",
            "stage_seats",
            "1",
            "a stage seat keeps its candidate, stage and reviewer",
        )
    )
    db.execute(
        _refuse(
            "stage_seats_recused_once",
            "UPDATE OF recused_at, recusal_reason",
            "stage_seats",
            "OLD.recused_at IS NOT NULL OR EXISTS (SELECT 1 FROM stage_reviews"
            " WHERE seat_id = OLD.id)",
            "a stage seat is recused once, and never after its review",
        )
    )
    db.execute(_refuse("stage_seats_kept", "DELETE", "stage_seats", "1", "stage seats are kept"))


_PRIVACY_HISTORY = PRIVACY_HISTORY


@migrations()
def m014_privacy(db: Database) -> None:
    """A candidate's data belongs to the candidate (issue 28): a data key per candidate (every
    text personal to them is sealed under it; deleting it erases them), erasures, legal holds,
    retention notices, self-identified demographics kept apart, and erased candidates' answers
    kept as counts only (`scoring.queries.schema_privacy`). Erasures and legal holds are history:
    append-only and never replaced."""
    for statement in PRIVACY_SQLITE:
        db.execute(statement)
    _guard_history(db, _PRIVACY_HISTORY)
