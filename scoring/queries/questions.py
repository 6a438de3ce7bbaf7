"""Question pools: the questions drawn for seats, retired questions, cheating flags, and the rows
the per-question figures are worked out from (`scoring.questions`, `scoring.insights.questions`).
"""

# The seat being planned: its session, candidate and the session's frozen rubric.
SEAT = """SELECT a.id, a.session_id, i.candidate_id, i.rubric_hash, r.rubric_id
    FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
    JOIN rubric_snapshots r ON r.hash = i.rubric_hash
    WHERE a.id = ?"""

# What one seat was given, in the order drawn.
OF_SEAT = """SELECT criterion_id, question_id, question_version FROM seat_questions
    WHERE assignment_id = ? ORDER BY criterion_id"""
# ... and with the session's rubric, for the form (one statement).
OF_SEAT_WITH_RUBRIC = """SELECT q.assignment_id, q.criterion_id, q.question_id,
           q.question_version, i.rubric_hash
    FROM seat_questions q JOIN assignments a ON a.id = q.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    WHERE q.assignment_id = ? ORDER BY q.criterion_id"""

# ... and every seat of one candidate's, for the debrief (one statement).
OF_CANDIDATE = """SELECT q.assignment_id, q.criterion_id, q.question_id, q.question_version,
           i.rubric_hash
    FROM seat_questions q JOIN assignments a ON a.id = q.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    WHERE q.candidate_id = ? ORDER BY q.assignment_id, q.criterion_id"""

# What the other seats of the same session were given: a pair interviews together, so the second
# interviewer is given the first one's questions.
OF_SESSION = """SELECT q.criterion_id, q.question_id, q.question_version
    FROM seat_questions q JOIN assignments a ON a.id = q.assignment_id
    WHERE a.session_id = ? AND q.assignment_id <> ?
    ORDER BY q.drawn_at, q.assignment_id"""

# Every question this candidate was ever given from this rubric (any seat, any session, also a
# cancelled one's: its interviewer may have read it out already).
HAD = """SELECT DISTINCT question_id FROM seat_questions
    WHERE candidate_id = ? AND rubric_id = ?"""

RETIRED_OF_RUBRIC = "SELECT question_id FROM retired_questions WHERE rubric_id = ?"
RETIRED_ONE = """SELECT r.reason, r.retired_at, p.name AS retired_by
    FROM retired_questions r JOIN people p ON p.id = r.retired_by
    WHERE r.rubric_id = ? AND r.question_id = ?"""

ADD = """INSERT INTO seat_questions
    (assignment_id, criterion_id, candidate_id, rubric_id, question_id, question_version, drawn_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)"""

RETIRE = """INSERT INTO retired_questions (rubric_id, question_id, reason, retired_by, retired_at)
    VALUES (?, ?, ?, ?, ?)"""

# The stored versions of a rubric: the questions that can ever be drawn are in these.
SNAPSHOTS_OF_RUBRIC = "SELECT hash FROM rubric_snapshots WHERE rubric_id = ? ORDER BY version"

# An assignment id that a row of these tables still names (they keep no foreign key: a cancelled
# session's seats are deleted, their drawn questions and flags stay). SQLite hands a deleted
# row's id out again when it was the highest; a new seat must never inherit those rows.
NAMED_SEAT = """SELECT 1 AS named FROM seat_questions WHERE assignment_id = ?
    UNION ALL SELECT 1 AS named FROM cheating_flags WHERE assignment_id = ?
    UNION ALL SELECT 1 AS named FROM quote_consents WHERE assignment_id = ?"""
HIGHEST_SEAT = """SELECT MAX(highest) FROM (
        SELECT MAX(id) AS highest FROM assignments
        UNION ALL SELECT MAX(assignment_id) AS highest FROM seat_questions
        UNION ALL SELECT MAX(assignment_id) AS highest FROM cheating_flags
        UNION ALL SELECT MAX(assignment_id) AS highest FROM quote_consents
    ) AS ids"""
RENUMBER_SEAT = "UPDATE assignments SET id = ? WHERE id = ?"

FLAG = """INSERT INTO cheating_flags
    (assignment_id, candidate_id, question_id, flagged_by, evidence, flagged_at)
    VALUES (?, ?, ?, ?, ?, ?)"""

# A candidate's flags for the debrief, oldest first, with who flagged and in which session (the
# session may have been cancelled since: then no title).
FLAGS_OF_CANDIDATE = """SELECT f.id, f.assignment_id, f.question_id, f.evidence, f.flagged_at,
           p.name AS flagged_by, i.title AS session_title, q.question_version, q.rubric_id
    FROM cheating_flags f JOIN people p ON p.id = f.flagged_by
    LEFT JOIN assignments a ON a.id = f.assignment_id
    LEFT JOIN interview_sessions i ON i.id = a.session_id
    LEFT JOIN seat_questions q ON q.assignment_id = f.assignment_id
        AND q.question_id = f.question_id
    WHERE f.candidate_id = ? ORDER BY f.id"""

# ----------------------------------------------------------------------- per-question figures
# Every question drawn for a candidate of one opening, with the latest revision of its seat's
# scorecard (none: not submitted) and that criterion's score on it (NULL: not assessed).
FIGURE_ROWS = """SELECT q.candidate_id, q.assignment_id, q.rubric_id, q.criterion_id,
           q.question_id, q.question_version, s.id AS scorecard_id,
           COALESCE(s.rubric_hash, i.rubric_hash) AS rubric_hash, cs.score
    FROM seat_questions q JOIN candidates c ON c.id = q.candidate_id
    LEFT JOIN assignments a ON a.id = q.assignment_id
    LEFT JOIN interview_sessions i ON i.id = a.session_id
    LEFT JOIN scorecards s ON s.assignment_id = q.assignment_id
        AND s.revision = (SELECT MAX(r.revision) FROM scorecards r
                          WHERE r.assignment_id = q.assignment_id)
    LEFT JOIN criterion_scores cs ON cs.scorecard_id = s.id AND cs.criterion_id = q.criterion_id
    WHERE c.opening_id = ?
    ORDER BY q.rubric_id, q.criterion_id, q.question_id, q.candidate_id, q.assignment_id"""

# The opening's cheating flags, each with the question it names (if any).
FIGURE_FLAGS = """SELECT f.candidate_id, f.assignment_id, f.question_id, q.rubric_id,
           q.criterion_id
    FROM cheating_flags f JOIN candidates c ON c.id = f.candidate_id
    LEFT JOIN seat_questions q ON q.assignment_id = f.assignment_id
        AND q.question_id = f.question_id
    WHERE c.opening_id = ?"""
