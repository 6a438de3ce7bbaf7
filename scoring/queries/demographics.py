"""The statements of self-identified demographics and the candidate's source
(`scoring.demographics`) and of the adverse-impact figures (`scoring.insights.adverse_impact`).
Each is bounded by one candidate or one opening (the `candidates_by_opening` index), never the
history. `answer` holds a sealed token (`scoring.personal`): it is opened in Python, never
compared in SQL."""

# ------------------------------------------------------------------------- one candidate

CANDIDATE = "SELECT id, opening_id, source FROM candidates WHERE id = ?"
ERASED = "SELECT 1 FROM erasures WHERE candidate_id = ?"
ANSWER = """SELECT answer, recorded_at FROM candidate_demographics
            WHERE candidate_id = ? AND category = ?"""
ANSWERS = """SELECT category, answer, recorded_at FROM candidate_demographics
             WHERE candidate_id = ? ORDER BY category"""
RECORD = """INSERT INTO candidate_demographics (candidate_id, category, answer, recorded_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (candidate_id, category) DO UPDATE SET answer = excluded.answer,
                recorded_at = excluded.recorded_at"""
FORGET = "DELETE FROM candidate_demographics WHERE candidate_id = ?"
SET_SOURCE = "UPDATE candidates SET source = ? WHERE id = ?"
# Every stage outcome and decision of one candidate, oldest first (the latest counts).
OUTCOMES = """SELECT candidate_id, position, outcome, decided_at FROM stage_outcomes
              WHERE candidate_id = ? ORDER BY id"""
DECISIONS = """SELECT candidate_id, outcome, decided_at FROM decisions
               WHERE candidate_id = ? ORDER BY id"""
# An erased candidate's counts added to a month of the tally (a change may be negative: a
# decision revised in a later month moves them from one outcome to the other).
TALLY = """INSERT INTO fairness_tally
               (opening_id, position, category, answer, month, advanced, rejected)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (opening_id, position, category, answer, month) DO UPDATE SET
               advanced = fairness_tally.advanced + excluded.advanced,
               rejected = fairness_tally.rejected + excluded.rejected"""

# ------------------------------------------------------------------------- one opening

OPENING_CANDIDATES = "SELECT id, source FROM candidates WHERE opening_id = ? ORDER BY id"
OPENING_ANSWERS = """SELECT d.candidate_id, d.category, d.answer, d.recorded_at
                     FROM candidate_demographics d JOIN candidates c ON c.id = d.candidate_id
                     WHERE c.opening_id = ? ORDER BY d.candidate_id, d.category"""
OPENING_OUTCOMES = """SELECT o.candidate_id, o.position, o.outcome, o.decided_at
                      FROM stage_outcomes o JOIN candidates c ON c.id = o.candidate_id
                      WHERE c.opening_id = ? ORDER BY o.id"""
OPENING_DECISIONS = """SELECT d.candidate_id, d.outcome, d.decided_at
                       FROM decisions d JOIN candidates c ON c.id = d.candidate_id
                       WHERE c.opening_id = ? ORDER BY d.id"""
# Erased candidates' counts, month by month, of the months before `month` (YYYY-MM,
# excluded): each stage adds up those before its own cutoff.
OPENING_TALLY = """SELECT position, category, answer, month, advanced, rejected
                   FROM fairness_tally WHERE opening_id = ? AND month < ?
                   ORDER BY position, category, answer, month"""
