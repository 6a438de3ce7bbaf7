"""The queries behind kept figures (`scoring.insights.kept`): the history's newest entry, an
entry's hash by id, the entries written since a kept figure was made with what each is about
(the candidate, the opening), and the `kept_figures` table (m011) that server processes and the
command line share."""

# The newest audit entry: every service write appends one, so it names the history's version.
from scoring.queries.audit import HEAD  # noqa: F401 - the newest audit entry, read by kept

# One entry's hash: is the history a kept figure was made on still the history here?
ENTRY_HASH = "SELECT hash FROM audit_log WHERE id = ?"

# The entries after :after up to :head (at most :limit), each with the candidate it is about
# (a scorecard's, a seat's or a session's candidate; a cancelled session's from the entry's
# detail), that candidate's opening, the opening it names itself, and whether :person holds a
# seat (recused or not) on that candidate now. Every lookup is by primary key.
TAIL = """
    SELECT t.id, t.action, t.subject, t.candidate_id, c.opening_id AS candidate_opening,
           t.opening_id,
           EXISTS (
               SELECT 1 FROM interview_sessions i
               JOIN assignments a ON a.session_id = i.id
               WHERE i.candidate_id = t.candidate_id AND a.interviewer_id = :person
           ) AS seated
    FROM (
        SELECT e.id, e.action, e.subject,
            CASE
                WHEN e.subject LIKE 'candidate:%' THEN CAST(substr(e.subject, 11) AS INTEGER)
                WHEN e.subject LIKE 'scorecard:%' THEN (
                    SELECT i.candidate_id FROM scorecards s
                    JOIN assignments a ON a.id = s.assignment_id
                    JOIN interview_sessions i ON i.id = a.session_id
                    WHERE s.id = CAST(substr(e.subject, 11) AS INTEGER))
                WHEN e.subject LIKE 'assignment:%' THEN (
                    SELECT i.candidate_id FROM assignments a
                    JOIN interview_sessions i ON i.id = a.session_id
                    WHERE a.id = CAST(substr(e.subject, 12) AS INTEGER))
                WHEN e.subject LIKE 'session:%' THEN COALESCE(
                    (SELECT candidate_id FROM interview_sessions
                     WHERE id = CAST(substr(e.subject, 9) AS INTEGER)),
                    CASE WHEN json_valid(e.detail)
                         THEN CAST(json_extract(e.detail, '$.candidate') AS INTEGER) END)
            END AS candidate_id,
            CASE WHEN e.subject LIKE 'opening:%'
                 THEN CAST(substr(e.subject, 9) AS INTEGER) END AS opening_id
        FROM audit_log e
        WHERE e.id > :after AND e.id <= :head
        ORDER BY e.id
        LIMIT :limit
    ) t
    LEFT JOIN candidates c ON c.id = t.candidate_id
    ORDER BY t.id
"""

# A save takes the write lock up front (waiting only briefly: `SAVE_WAIT`) and commits.
TAKE_LOCK = "BEGIN IMMEDIATE"
COMMIT = "COMMIT"
# The shared layer: one row a key, replaced when the figures are made again.
GET = "SELECT content FROM kept_figures WHERE key = ?"
PUT = (
    "INSERT INTO kept_figures (key, content, made_at) VALUES (?, ?, ?)"
    " ON CONFLICT (key) DO UPDATE SET content = excluded.content, made_at = excluded.made_at"
)
# Bounded: nothing made before a moment, and no more than the newest so many rows.
DROP_OLDER = "DELETE FROM kept_figures WHERE made_at < ?"
DROP_BEYOND = (
    "DELETE FROM kept_figures WHERE key NOT IN"
    " (SELECT key FROM kept_figures ORDER BY made_at DESC LIMIT ?)"
)
# The file the connection reads, as SQLite names it ('' for a database in memory).
DATABASE_FILE = "SELECT file FROM pragma_database_list WHERE name = 'main'"
