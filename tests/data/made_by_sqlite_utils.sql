-- A Debrief database as the code of 2026-12-03 made it, when sqlite-utils 4.2's Migrations ran the
-- schema: all ten migrations and one person; its audit entries are signed with the tests' key
-- (tests/conftest.py). tests/test_migrations.py opens it with today's code.
BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'debrief','m001_initial_schema','2026-12-03 08:30:30.895442+00:00');
INSERT INTO "_sqlite_migrations" VALUES(2,'debrief','m002_sessions_by_start','2026-12-03 08:30:30.903936+00:00');
INSERT INTO "_sqlite_migrations" VALUES(3,'debrief','m003_votes_can_change','2026-12-03 08:30:30.905178+00:00');
INSERT INTO "_sqlite_migrations" VALUES(4,'debrief','m004_history_locked','2026-12-03 08:30:30.907244+00:00');
INSERT INTO "_sqlite_migrations" VALUES(5,'debrief','m005_sign_in_sessions','2026-12-03 08:30:30.907456+00:00');
INSERT INTO "_sqlite_migrations" VALUES(6,'debrief','m006_changes_and_outbox','2026-12-03 08:30:30.913782+00:00');
INSERT INTO "_sqlite_migrations" VALUES(7,'debrief','m007_open_seats_by_interviewer','2026-12-03 08:30:30.913962+00:00');
INSERT INTO "_sqlite_migrations" VALUES(8,'debrief','m008_hire_outcomes','2026-12-03 08:30:30.914289+00:00');
INSERT INTO "_sqlite_migrations" VALUES(9,'debrief','m009_locations_and_candidate_contacts','2026-12-03 08:30:30.926828+00:00');
INSERT INTO "_sqlite_migrations" VALUES(10,'debrief','m010_sign_in_failures_counted','2026-12-03 08:30:30.927206+00:00');
CREATE TABLE access_codes (
        person_id INTEGER PRIMARY KEY REFERENCES people(id),
        code_hash BLOB NOT NULL,                    -- scrypt(code, salt); never the code
        salt BLOB NOT NULL,
        issued_at TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
    );
INSERT INTO "access_codes" VALUES(1,X'A6DED5C79EAF7C0F38F7F0F09D040290846E511355437654B5041D98B143399F',X'FE573ACC42F79A553A6D743902F9771F','2026-12-03T08:30:30+00:00',0,NULL);
CREATE TABLE assignments (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES interview_sessions(id),
        interviewer_id INTEGER NOT NULL REFERENCES people(id),
        assigned_at TEXT NOT NULL,
        recused_at TEXT,
        recusal_reason TEXT,
        UNIQUE (session_id, interviewer_id),
        CHECK ((recused_at IS NULL) = (recusal_reason IS NULL))
    );
CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id INTEGER REFERENCES people(id),
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
    , prev_hash TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL DEFAULT '');
INSERT INTO "audit_log" VALUES(1,'2026-12-03T08:30:30.906932+00:00',NULL,'history_locked','database','{"before": {"committee_votes": 0, "decisions": 0}}','','hmac-sha256:ef560724:324456edc842a82a04b38ba740114bec129962e1869bc7b56b428fe9ca64264e');
INSERT INTO "audit_log" VALUES(2,'2026-12-03T08:30:30+00:00',1,'first_coordinator','person:1','{}','hmac-sha256:ef560724:324456edc842a82a04b38ba740114bec129962e1869bc7b56b428fe9ca64264e','hmac-sha256:ef560724:74a879a283c721b888c52d30fb7baddd1483839bbc38a5cc1278dddc1611a912');
CREATE TABLE candidates (
        id INTEGER PRIMARY KEY,
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        email TEXT NOT NULL DEFAULT '',
        alias TEXT NOT NULL,
        created_at TEXT NOT NULL, withdrawn_at TEXT, withdrawal_reason TEXT, phone TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
        UNIQUE (opening_id, alias)
    );
CREATE TABLE committee_votes (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            member_id INTEGER NOT NULL REFERENCES people(id),
            vote TEXT NOT NULL CHECK (vote IN ('hire', 'no_hire')),
            note TEXT NOT NULL DEFAULT '',
            cast_at TEXT NOT NULL
        );
CREATE TABLE criterion_scores (
        scorecard_id INTEGER NOT NULL REFERENCES scorecards(id),
        criterion_id TEXT NOT NULL,
        score INTEGER,                              -- NULL: not assessed
        evidence TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (scorecard_id, criterion_id)
    ) WITHOUT ROWID
    ;
CREATE TABLE debriefs (
        candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id),
        opened_at TEXT NOT NULL,
        opened_by INTEGER NOT NULL REFERENCES people(id),
        early_reason TEXT,                          -- set when opened before all were in
        frozen_result TEXT NOT NULL                 -- the engine's result at opening, as JSON
    );
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
    );
CREATE TABLE drafts (                           -- work in progress; not history
        assignment_id INTEGER PRIMARY KEY REFERENCES assignments(id),
        content TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
CREATE TABLE hire_outcomes (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            months INTEGER NOT NULL CHECK (months IN (6, 12)),
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),   -- NULL: left before a rating
            still_employed INTEGER NOT NULL CHECK (still_employed IN (0, 1)),
            note TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER NOT NULL REFERENCES people(id),
            recorded_at TEXT NOT NULL,
            CHECK (rating IS NOT NULL OR still_employed = 0)
        );
CREATE TABLE interview_sessions (
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        rubric_hash TEXT NOT NULL REFERENCES rubric_snapshots(hash),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL, calendar_uid TEXT, calendar_sequence INTEGER NOT NULL DEFAULT 0, location TEXT NOT NULL DEFAULT '',
        CHECK (ends_at > starts_at)
    );
CREATE TABLE opening_committee (
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        person_id INTEGER NOT NULL REFERENCES people(id),
        PRIMARY KEY (opening_id, person_id)
    );
CREATE TABLE opening_sessions (                 -- the loop's sessions, frozen with the opening
        opening_id INTEGER NOT NULL REFERENCES openings(id),
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        rubric_hash TEXT NOT NULL REFERENCES rubric_snapshots(hash),
        PRIMARY KEY (opening_id, position)
    );
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
        created_by INTEGER NOT NULL REFERENCES people(id), closed_at TEXT,
        CHECK (scale_min < scale_max)
    );
CREATE TABLE outbox (
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
        );
CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        email TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '%_@_%'),
        roles TEXT NOT NULL DEFAULT '[]',          -- JSON list of global roles
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );
INSERT INTO "people" VALUES(1,'Cora Old','cora@example.com','["coordinator"]',1,'2026-12-03T08:30:30+00:00');
CREATE TABLE rubric_snapshots (
        hash TEXT PRIMARY KEY,                      -- scoring.rubric.content_hash
        rubric_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        content TEXT NOT NULL                       -- the rubric as JSON, exactly as scored
    );
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
    );
CREATE TABLE sign_in_failures (
            hour TEXT NOT NULL,
            kind TEXT NOT NULL,
            failures INTEGER NOT NULL,
            PRIMARY KEY (hour, kind)
        ) WITHOUT ROWID;
CREATE TABLE sign_in_sessions (
            token_hash TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id),
            how TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        ) WITHOUT ROWID;
CREATE TABLE sign_in_throttle (
            who TEXT NOT NULL,
            client TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            next_allowed_at TEXT,
            last_failure_at TEXT NOT NULL,
            PRIMARY KEY (who, client)
        ) WITHOUT ROWID;
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX candidates_by_opening ON candidates(opening_id);
CREATE INDEX sessions_by_candidate ON interview_sessions(candidate_id);
CREATE INDEX assignments_by_interviewer ON assignments(interviewer_id);
CREATE INDEX decisions_by_candidate ON decisions(candidate_id);
CREATE TRIGGER debriefs_frozen BEFORE UPDATE ON debriefs
    BEGIN SELECT RAISE(ABORT, 'debriefs are frozen once opened'); END;
CREATE TRIGGER debriefs_kept BEFORE DELETE ON debriefs
    BEGIN SELECT RAISE(ABORT, 'debriefs are frozen once opened'); END;
CREATE TRIGGER scorecards_append_only_update BEFORE UPDATE ON scorecards
        BEGIN SELECT RAISE(ABORT, 'scorecards is append-only'); END;
CREATE TRIGGER scorecards_append_only_delete BEFORE DELETE ON scorecards
        BEGIN SELECT RAISE(ABORT, 'scorecards is append-only'); END;
CREATE TRIGGER criterion_scores_append_only_update BEFORE UPDATE ON criterion_scores
        BEGIN SELECT RAISE(ABORT, 'criterion_scores is append-only'); END;
CREATE TRIGGER criterion_scores_append_only_delete BEFORE DELETE ON criterion_scores
        BEGIN SELECT RAISE(ABORT, 'criterion_scores is append-only'); END;
CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE INDEX sessions_by_start ON interview_sessions(starts_at);
CREATE INDEX votes_by_member ON committee_votes(candidate_id, member_id);
CREATE TRIGGER committee_votes_append_only_update BEFORE UPDATE ON committee_votes
        BEGIN SELECT RAISE(ABORT, 'committee_votes is append-only'); END;
CREATE TRIGGER committee_votes_append_only_delete BEFORE DELETE ON committee_votes
        BEGIN SELECT RAISE(ABORT, 'committee_votes is append-only'); END;
CREATE TRIGGER scorecards_no_replace BEFORE INSERT ON scorecards WHEN EXISTS (SELECT 1 FROM scorecards WHERE id = NEW.id OR (assignment_id = NEW.assignment_id AND revision = NEW.revision))
        BEGIN SELECT RAISE(ABORT, 'scorecards is append-only'); END;
CREATE TRIGGER criterion_scores_no_replace BEFORE INSERT ON criterion_scores WHEN EXISTS (SELECT 1 FROM criterion_scores WHERE scorecard_id = NEW.scorecard_id AND criterion_id = NEW.criterion_id)
        BEGIN SELECT RAISE(ABORT, 'criterion_scores is append-only'); END;
CREATE TRIGGER decisions_no_replace BEFORE INSERT ON decisions WHEN EXISTS (SELECT 1 FROM decisions WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER committee_votes_no_replace BEFORE INSERT ON committee_votes WHEN EXISTS (SELECT 1 FROM committee_votes WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'committee_votes is append-only'); END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER debriefs_no_replace BEFORE INSERT ON debriefs WHEN EXISTS (SELECT 1 FROM debriefs WHERE candidate_id = NEW.candidate_id)
        BEGIN SELECT RAISE(ABORT, 'debriefs is append-only'); END;
CREATE TRIGGER rubric_snapshots_no_replace BEFORE INSERT ON rubric_snapshots WHEN EXISTS (SELECT 1 FROM rubric_snapshots WHERE hash = NEW.hash)
        BEGIN SELECT RAISE(ABORT, 'rubric_snapshots is append-only'); END;
CREATE TRIGGER criterion_scores_with_their_scorecard BEFORE INSERT ON criterion_scores WHEN NEW.scorecard_id IS NOT (SELECT MAX(id) FROM scorecards)
        BEGIN SELECT RAISE(ABORT, 'criterion scores are written with their scorecard'); END;
CREATE TRIGGER rubric_snapshots_frozen_update BEFORE UPDATE ON rubric_snapshots WHEN 1
        BEGIN SELECT RAISE(ABORT, 'rubric snapshots never change'); END;
CREATE TRIGGER rubric_snapshots_frozen_delete BEFORE DELETE ON rubric_snapshots WHEN 1
        BEGIN SELECT RAISE(ABORT, 'rubric snapshots never change'); END;
CREATE TRIGGER assignments_keep_their_interviewer BEFORE UPDATE OF session_id, interviewer_id, assigned_at ON assignments WHEN 1
        BEGIN SELECT RAISE(ABORT, 'an assignment keeps its session and interviewer: assign someone new instead'); END;
CREATE TRIGGER assignments_scored_stay BEFORE UPDATE OF recused_at, recusal_reason ON assignments WHEN EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a seat with a submitted scorecard cannot be recused'); END;
CREATE TRIGGER assignments_scored_kept BEFORE DELETE ON assignments WHEN EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a seat with a submitted scorecard is kept'); END;
CREATE TRIGGER sessions_keep_their_place BEFORE UPDATE OF candidate_id, position, title, rubric_hash ON interview_sessions WHEN 1
        BEGIN SELECT RAISE(ABORT, 'a session keeps its candidate, place and rubric'); END;
CREATE TRIGGER sessions_scored_stay BEFORE UPDATE OF starts_at, ends_at ON interview_sessions WHEN EXISTS (SELECT 1 FROM assignments a JOIN scorecards s ON s.assignment_id = a.id WHERE a.session_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a session with a submitted scorecard keeps its times'); END;
CREATE TRIGGER sessions_scored_kept BEFORE DELETE ON interview_sessions WHEN EXISTS (SELECT 1 FROM assignments a JOIN scorecards s ON s.assignment_id = a.id WHERE a.session_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a session with a submitted scorecard is kept'); END;
CREATE TRIGGER candidates_stay_in_their_opening BEFORE UPDATE OF opening_id, alias ON candidates WHEN 1
        BEGIN SELECT RAISE(ABORT, 'a candidate keeps their opening and alias'); END;
CREATE TRIGGER openings_scored_frozen BEFORE UPDATE OF loop_id, loop_snapshot, strategy, reveal_rule, anonymise, scale_min, scale_max, scale_labels, forced_choice, overdue_hours ON openings WHEN EXISTS (SELECT 1 FROM candidates c JOIN interview_sessions i ON i.candidate_id = c.id JOIN assignments a ON a.session_id = i.id JOIN scorecards s ON s.assignment_id = a.id WHERE c.opening_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'an opening with submitted scorecards keeps its settings'); END;
CREATE TRIGGER opening_sessions_scored_update BEFORE UPDATE ON opening_sessions WHEN EXISTS (SELECT 1 FROM candidates c JOIN interview_sessions i ON i.candidate_id = c.id JOIN assignments a ON a.session_id = i.id JOIN scorecards s ON s.assignment_id = a.id WHERE c.opening_id = OLD.opening_id)
        BEGIN SELECT RAISE(ABORT, 'an opening with submitted scorecards keeps its loop'); END;
CREATE TRIGGER opening_sessions_scored_delete BEFORE DELETE ON opening_sessions WHEN EXISTS (SELECT 1 FROM candidates c JOIN interview_sessions i ON i.candidate_id = c.id JOIN assignments a ON a.session_id = i.id JOIN scorecards s ON s.assignment_id = a.id WHERE c.opening_id = OLD.opening_id)
        BEGIN SELECT RAISE(ABORT, 'an opening with submitted scorecards keeps its loop'); END;
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log WHEN NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '')
        BEGIN SELECT RAISE(ABORT, 'audit_log entries must carry the hash of the entry before'); END;
CREATE INDEX sessions_by_person ON sign_in_sessions(person_id);
CREATE TRIGGER opening_closed_stays_closed BEFORE UPDATE OF closed_at ON openings WHEN OLD.closed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a closed opening stays closed'); END;
CREATE TRIGGER candidate_withdrawn_stays_withdrawn BEFORE UPDATE OF withdrawn_at, withdrawal_reason ON candidates WHEN OLD.withdrawn_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a withdrawn candidate stays withdrawn'); END;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_by_assignment ON outbox(assignment_id, kind);
CREATE INDEX outbox_by_candidate ON outbox(candidate_id);
CREATE INDEX open_seats_by_interviewer ON assignments(interviewer_id, session_id) WHERE recused_at IS NULL;
CREATE INDEX hire_outcomes_by_candidate ON hire_outcomes(candidate_id, months);
CREATE TRIGGER hire_outcomes_append_only_update BEFORE UPDATE ON hire_outcomes
        BEGIN SELECT RAISE(ABORT, 'hire_outcomes is append-only'); END;
CREATE TRIGGER hire_outcomes_append_only_delete BEFORE DELETE ON hire_outcomes
        BEGIN SELECT RAISE(ABORT, 'hire_outcomes is append-only'); END;
CREATE TRIGGER hire_outcomes_no_replace BEFORE INSERT ON hire_outcomes WHEN EXISTS (SELECT 1 FROM hire_outcomes WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'hire_outcomes is append-only'); END;
CREATE TRIGGER hire_outcomes_only_for_hires BEFORE INSERT ON hire_outcomes WHEN coalesce((SELECT outcome FROM decisions WHERE candidate_id = NEW.candidate_id ORDER BY id DESC LIMIT 1), '') <> 'hire'
        BEGIN SELECT RAISE(ABORT, 'outcomes are recorded only for a candidate whose decision is hire'); END;
CREATE INDEX sign_in_throttle_by_age ON sign_in_throttle(last_failure_at);
DELETE FROM "sqlite_sequence";
COMMIT;
