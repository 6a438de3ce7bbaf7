"""The queries of retention and legal holds (`scoring.retention`, `scoring.legal_holds`): who
ended their process in a window of time, the holds in force, the notices sent, the coordinators
to tell, and the last run. A list of ids gets its placeholders from `marks`."""

from scoring.queries import marks as _marks

# The candidates, not erased, with a decision, a stage outcome or a withdrawal stamped between
# two moments (each bound given once per table): whoever may have ended their process then.
# Where they stand is worked out from all of their rows (`scoring.stages.progress`). Each part
# is a range over one time column (decisions_by_time, stage_outcomes_by_time,
# candidates_by_withdrawal), so a window costs what it holds, not the whole history.
ENDED_BETWEEN = """
    SELECT x.candidate_id FROM (
        SELECT d.candidate_id FROM decisions d WHERE d.decided_at >= ? AND d.decided_at <= ?
        UNION
        SELECT s.candidate_id FROM stage_outcomes s
        WHERE s.decided_at >= ? AND s.decided_at <= ?
        UNION
        SELECT c.id AS candidate_id FROM candidates c
        WHERE c.withdrawn_at >= ? AND c.withdrawn_at <= ?
    ) x
    WHERE NOT EXISTS (SELECT 1 FROM erasures e WHERE e.candidate_id = x.candidate_id)
    ORDER BY x.candidate_id"""

# The latest hold row of every candidate ever held (placed or lifted), not erased: the held
# are never erased, and the lifted are looked at again however long ago they ended. Holds are
# few: the table is read whole.
HOLDS = """
    SELECT h.candidate_id, h.held, h.at, h.reason FROM legal_holds h
    WHERE h.id = (SELECT max(x.id) FROM legal_holds x WHERE x.candidate_id = h.candidate_id)
      AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.candidate_id = h.candidate_id)
    ORDER BY h.candidate_id"""
LATEST_HOLD = """SELECT held, at, by_id, reason FROM legal_holds WHERE candidate_id = ?
                 ORDER BY id DESC LIMIT 1"""
ADD_HOLD = """INSERT INTO legal_holds (candidate_id, held, by_id, at, reason)
              VALUES (?, ?, ?, ?, ?)"""
ERASED = "SELECT erased_at FROM erasures WHERE candidate_id = ?"

ADD_NOTICE = """INSERT INTO retention_notices (candidate_id, due_on, noticed_at) VALUES (?, ?, ?)
                ON CONFLICT (candidate_id, due_on) DO NOTHING"""

# Whom the notice goes to: every active coordinator (roles is a JSON list of role names).
COORDINATORS = """SELECT * FROM people WHERE active = 1 AND roles LIKE '%"coordinator"%'
                  ORDER BY id"""

# The last run's audit entry: its settings and time say whether the next may look back only a
# little. A search of the index on audit_log(action, id) (m014), newest first: one entry read,
# and none when there was no earlier run (without it, the whole log would be walked back).
LAST_RUN = """SELECT at, detail FROM audit_log WHERE action = 'retention_run'
              ORDER BY id DESC LIMIT 1"""


def labels(n: int) -> str:
    """`n` candidates' alias and opening: how retention names them (never by name)."""
    return f"""SELECT c.id, c.alias, o.title AS opening_title
               FROM candidates c JOIN openings o ON o.id = c.opening_id
               WHERE c.id IN ({_marks(n)})"""


def notices(n: int) -> str:
    """The notices sent about `n` candidates, per due date."""
    return f"""SELECT candidate_id, due_on, noticed_at FROM retention_notices
               WHERE candidate_id IN ({_marks(n)})"""
