"""The statements of the first schema (migration m001, as shipped: never edited, only added to
by later migrations in `scoring.migrations`), and the triggers that make a history table
append-only, which later migrations add to tables of their own.
"""

APPEND_ONLY = ("scorecards", "criterion_scores", "decisions", "committee_votes", "audit_log")


def append_only(table: str) -> tuple[str, str]:
    """The two triggers that refuse UPDATE and DELETE on a history table."""
    return (
        f"""
        CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END
        """,
        f"""
        CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END
        """,
    )


# What the guards test, on SQLite (scoring/migrations.py) and PostgreSQL (schema_pg.py) alike.
# History that cannot be rewritten without it showing. REPLACE deletes the row it replaces without
# firing DELETE triggers, so every history table also refuses an insert over an existing key.
NO_REPLACE = {
    "scorecards": "id = NEW.id OR (assignment_id = NEW.assignment_id AND revision = NEW.revision)",
    "criterion_scores": "scorecard_id = NEW.scorecard_id AND criterion_id = NEW.criterion_id",
    "decisions": "id = NEW.id",
    "committee_votes": "id = NEW.id",
    "audit_log": "id = NEW.id",
    "debriefs": "candidate_id = NEW.candidate_id",
    "rubric_snapshots": "hash = NEW.hash",
}
# A seat, a session, an opening that has submitted scorecards.
SCORED_SEAT = "EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = OLD.id)"
SCORED_SESSION = (
    "EXISTS (SELECT 1 FROM assignments a JOIN scorecards s ON s.assignment_id = a.id"
    " WHERE a.session_id = OLD.id)"
)
SCORED_OPENING = (
    "EXISTS (SELECT 1 FROM candidates c JOIN interview_sessions i ON i.candidate_id = c.id"
    " JOIN assignments a ON a.session_id = i.id JOIN scorecards s ON s.assignment_id = a.id"
    " WHERE c.opening_id = OLD.{column})"
)

SCHEMA_1 = [
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        email TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '%_@_%'),
        roles TEXT NOT NULL DEFAULT '[]',          -- JSON list of global roles
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE access_codes (
        person_id INTEGER PRIMARY KEY REFERENCES people(id),
        code_hash BLOB NOT NULL,                    -- scrypt(code, salt); never the code
        salt BLOB NOT NULL,
        issued_at TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
    )
    """,
    """
    CREATE TABLE rubric_snapshots (
        hash TEXT PRIMARY KEY,                      -- scoring.rubric.content_hash
        rubric_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        content TEXT NOT NULL                       -- the rubric as JSON, exactly as scored
    )
    """,
    """
    CREATE TABLE openings (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL CHECK (trim(title) <> ''),
        role TEXT NOT NULL,
        level TEXT NOT NULL DEFAULT '',
        loop_id TEXT NOT NULL,
        loop_snapshot TEXT NOT NULL,                -- the loop template as JSON, frozen at creation
        strategy TEXT NOT NULL,                     -- engine Strategy as JSON
        reveal_rule TEXT NOT NULL CHECK (reveal_rule IN ('after_own', 'all_in')),
        anonymise INTEGER NOT NULL DEFAULT 0,
        scale_min INTEGER NOT NULL,
        scale_max INTEGER NOT NULL,
        scale_labels TEXT NOT NULL,                 -- JSON {point: label}
        forced_choice INTEGER NOT NULL DEFAULT 0,
        overdue_hours REAL NOT NULL DEFAULT 24 CHECK (overdue_hours > 0),
        hiring_manager_id INTEGER NOT NULL REFERENCES people(id),
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES people(id),
        CHECK (scale_min < scale_max)
    )
    """,
    """
    CREATE TABLE opening_sessions (                 -- the loop's sessions, frozen with the opening
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        rubric_hash TEXT NOT NULL REFERENCES rubric_snapshots(hash),
        PRIMARY KEY (opening_id, position)
    )
    """,
    """
    CREATE TABLE opening_committee (
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        person_id INTEGER NOT NULL REFERENCES people(id),
        PRIMARY KEY (opening_id, person_id)
    )
    """,
    """
    CREATE TABLE candidates (
        id INTEGER PRIMARY KEY,
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        email TEXT NOT NULL DEFAULT '',
        alias TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (opening_id, alias)
    )
    """,
    "CREATE INDEX candidates_by_opening ON candidates(opening_id)",
    """
    CREATE TABLE interview_sessions (
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        rubric_hash TEXT NOT NULL REFERENCES rubric_snapshots(hash),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        CHECK (ends_at > starts_at)
    )
    """,
    "CREATE INDEX sessions_by_candidate ON interview_sessions(candidate_id)",
    """
    CREATE TABLE assignments (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES interview_sessions(id),
        interviewer_id INTEGER NOT NULL REFERENCES people(id),
        assigned_at TEXT NOT NULL,
        recused_at TEXT,
        recusal_reason TEXT,
        UNIQUE (session_id, interviewer_id),
        CHECK ((recused_at IS NULL) = (recusal_reason IS NULL))
    )
    """,
    "CREATE INDEX assignments_by_interviewer ON assignments(interviewer_id)",
    """
    CREATE TABLE scorecards (                       -- one row per revision; never updated
        id INTEGER PRIMARY KEY,
        assignment_id INTEGER NOT NULL REFERENCES assignments(id),
        revision INTEGER NOT NULL CHECK (revision >= 1),
        overall INTEGER NOT NULL,
        feedback TEXT NOT NULL CHECK (trim(feedback) <> ''),
        rubric_hash TEXT NOT NULL REFERENCES rubric_snapshots(hash),
        submitted_at TEXT NOT NULL,
        revision_reason TEXT,
        saw_others INTEGER NOT NULL DEFAULT 0,      -- could the author see others' scores?
        UNIQUE (assignment_id, revision),
        CHECK ((revision = 1) = (revision_reason IS NULL))
    )
    """,
    """
    CREATE TABLE criterion_scores (
        scorecard_id INTEGER NOT NULL REFERENCES scorecards(id),
        criterion_id TEXT NOT NULL,
        score INTEGER,                              -- NULL: not assessed
        evidence TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (scorecard_id, criterion_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE drafts (                           -- work in progress; not history
        assignment_id INTEGER PRIMARY KEY REFERENCES assignments(id),
        content TEXT NOT NULL,
        saved_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE debriefs (
        candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id),
        opened_at TEXT NOT NULL,
        opened_by INTEGER NOT NULL REFERENCES people(id),
        early_reason TEXT,                          -- set when opened before all were in
        frozen_result TEXT NOT NULL                 -- the engine's result at opening, as JSON
    )
    """,
    """
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        outcome TEXT NOT NULL CHECK (outcome IN ('hire', 'no_hire')),
        decided_by INTEGER NOT NULL REFERENCES people(id),
        decided_at TEXT NOT NULL,
        rationale TEXT NOT NULL,
        accepts_responsibility INTEGER NOT NULL,
        strategy TEXT NOT NULL,                     -- the strategy as JSON at that moment
        engine_result TEXT NOT NULL                 -- what the engine said, as JSON
    )
    """,
    "CREATE INDEX decisions_by_candidate ON decisions(candidate_id)",
    """
    CREATE TABLE committee_votes (
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        member_id INTEGER NOT NULL REFERENCES people(id),
        vote TEXT NOT NULL CHECK (vote IN ('hire', 'no_hire')),
        note TEXT NOT NULL DEFAULT '',
        cast_at TEXT NOT NULL,
        UNIQUE (candidate_id, member_id)
    )
    """,
    """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id INTEGER REFERENCES people(id),
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
    )
    """,
    # A debrief is opened once; its frozen outcome never moves.
    """
    CREATE TRIGGER debriefs_frozen BEFORE UPDATE ON debriefs
    BEGIN SELECT RAISE(ABORT, 'debriefs are frozen once opened'); END
    """,
    """
    CREATE TRIGGER debriefs_kept BEFORE DELETE ON debriefs
    BEGIN SELECT RAISE(ABORT, 'debriefs are frozen once opened'); END
    """,
] + [statement for table in APPEND_ONLY for statement in append_only(table)]


# The funnel (issue 27): an opening's stages, the reviews and outcomes of its screens and
# take-homes, questions drawn from approved pools, cheating flags, take-home events and
# feedback to declined candidates. Each history table here is append-only and never replaced;
# the latest row counts where one may supersede another.
FUNNEL_HISTORY = {
    "opening_stages": "opening_id = NEW.opening_id AND position = NEW.position",
    "stage_reviews": "id = NEW.id OR seat_id = NEW.seat_id",
    "stage_outcomes": "id = NEW.id",
    "seat_questions": "assignment_id = NEW.assignment_id AND criterion_id = NEW.criterion_id",
    "retired_questions": "rubric_id = NEW.rubric_id AND question_id = NEW.question_id",
    "cheating_flags": "id = NEW.id",
    "take_home_events": "id = NEW.id",
    "candidate_feedback": "id = NEW.id",
    "quote_consents": "id = NEW.id",
}

SCHEMA_FUNNEL = [
    """
    CREATE TABLE opening_stages (                   -- an opening's process, frozen at creation
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        position INTEGER NOT NULL CHECK (position >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('screen', 'take_home', 'loop', 'offer')),
        title TEXT NOT NULL CHECK (trim(title) <> ''),
        rubric_hash TEXT REFERENCES rubric_snapshots(hash),   -- screens and take-homes
        rule TEXT NOT NULL,                         -- JSON scoring.models.stages.Rule
        reviewer_ids TEXT NOT NULL DEFAULT '[]',    -- JSON: who reviews this stage
        bar REAL CHECK (bar IS NULL OR (bar >= 0 AND bar <= 1)),
        provisional INTEGER NOT NULL DEFAULT 0,
        spot_check_share REAL NOT NULL DEFAULT 0
            CHECK (spot_check_share >= 0 AND spot_check_share <= 1),
        hours_asked REAL,                           -- a take-home: the time it should take
        deadline_days REAL,                         -- and how long the candidate has
        PRIMARY KEY (opening_id, position)
    )
    """,
    """
    CREATE TABLE stage_seats (                      -- a reviewer given a candidate's stage
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        position INTEGER NOT NULL,
        reviewer_id INTEGER NOT NULL REFERENCES people(id),
        purpose TEXT NOT NULL CHECK (purpose IN ('review', 'spot_check')),
        assigned_at TEXT NOT NULL,
        recused_at TEXT,
        recusal_reason TEXT,
        UNIQUE (candidate_id, position, reviewer_id),
        CHECK ((recused_at IS NULL) = (recusal_reason IS NULL))
    )
    """,
    "CREATE INDEX stage_seats_by_reviewer ON stage_seats(reviewer_id, candidate_id)",
    """
    CREATE TABLE stage_reviews (                    -- one per seat; never updated
        id INTEGER PRIMARY KEY,
        seat_id INTEGER NOT NULL UNIQUE REFERENCES stage_seats(id),
        rubric_hash TEXT NOT NULL REFERENCES rubric_snapshots(hash),
        scores TEXT NOT NULL,                       -- JSON {criterion id: score or null}
        weighted REAL,                              -- 0..1 over assessed criteria
        overall INTEGER NOT NULL,                   -- on the opening's scale
        notes TEXT NOT NULL CHECK (trim(notes) <> ''),
        submitted_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE stage_outcomes (                   -- the latest per candidate and stage counts
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        position INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('advance', 'reject')),
        decided_by INTEGER REFERENCES people(id),   -- NULL: the stage's rule decided
        decided_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        provisional INTEGER NOT NULL DEFAULT 0      -- decided against a provisional threshold
    )
    """,
    "CREATE INDEX stage_outcomes_by_candidate ON stage_outcomes(candidate_id, position)",
    """
    CREATE TABLE seat_questions (                   -- drawn for a seat when it is planned
        assignment_id INTEGER NOT NULL,             -- no FK: a cancelled session's seats go
        criterion_id TEXT NOT NULL,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        rubric_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        question_version INTEGER NOT NULL,
        drawn_at TEXT NOT NULL,
        PRIMARY KEY (assignment_id, criterion_id)
    )
    """,
    "CREATE INDEX seat_questions_by_candidate ON seat_questions(candidate_id, rubric_id)",
    "CREATE INDEX seat_questions_by_question ON seat_questions(rubric_id, question_id)",
    """
    CREATE TABLE retired_questions (
        rubric_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (trim(reason) <> ''),
        retired_by INTEGER NOT NULL REFERENCES people(id),
        retired_at TEXT NOT NULL,
        PRIMARY KEY (rubric_id, question_id)
    )
    """,
    """
    CREATE TABLE cheating_flags (                   -- a recorded fact, not a score
        id INTEGER PRIMARY KEY,
        assignment_id INTEGER NOT NULL,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        question_id TEXT,                           -- the drawn question it concerns, if any
        flagged_by INTEGER NOT NULL REFERENCES people(id),
        evidence TEXT NOT NULL CHECK (trim(evidence) <> ''),
        flagged_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX cheating_flags_by_candidate ON cheating_flags(candidate_id)",
    """
    CREATE TABLE take_home_events (
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        position INTEGER NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('sent', 'submitted', 'feedback_sent')),
        at TEXT NOT NULL,
        by_id INTEGER REFERENCES people(id),
        detail TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX take_home_events_by_candidate ON take_home_events(candidate_id, position)",
    """
    CREATE TABLE candidate_feedback (               -- each step of it a row
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        step TEXT NOT NULL CHECK (step IN ('requested', 'drafted', 'approved', 'sent')),
        at TEXT NOT NULL,
        by_id INTEGER REFERENCES people(id),
        logistical TEXT NOT NULL DEFAULT '',
        performance TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX candidate_feedback_by_candidate ON candidate_feedback(candidate_id)",
    "CREATE UNIQUE INDEX candidate_feedback_sent_once ON candidate_feedback(candidate_id)"
    " WHERE step = 'sent'",
    """
    CREATE TABLE quote_consents (                   -- an interviewer lets their words be quoted
        id INTEGER PRIMARY KEY,
        assignment_id INTEGER NOT NULL,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        person_id INTEGER NOT NULL REFERENCES people(id),
        agreed_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX quote_consents_by_candidate ON quote_consents(candidate_id)",
]
