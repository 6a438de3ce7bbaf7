"""The queries behind the permission facts (`scoring.permission_facts`): who someone is now,
an opening's and a candidate's facts, a seat's. Each a named statement; a list of ids gets its
placeholders from `marks`, never a value spliced in."""

from scoring.queries import marks as _marks

PERSON = "SELECT * FROM people WHERE id = ?"
ANYONE = "SELECT 1 FROM people LIMIT 1"
COMMITTEE = "SELECT person_id FROM opening_committee WHERE opening_id = ?"
OPENING = "SELECT id, hiring_manager_id, strategy FROM openings WHERE id = ?"
INTERVIEWS_ON = """SELECT 1 FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
                   JOIN candidates c ON c.id = i.candidate_id
                   WHERE a.interviewer_id = ? AND c.opening_id = ? LIMIT 1"""
SEAT = """SELECT a.id, a.interviewer_id, a.recused_at IS NOT NULL AS recused, i.candidate_id,
                  EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id) AS submitted
           FROM assignments a JOIN interview_sessions i ON i.id = a.session_id WHERE a.id = ?"""


def candidates(n: int) -> str:
    """The candidates' own facts and their opening's, for `n` ids."""
    return f"""SELECT c.id, c.opening_id, o.hiring_manager_id, o.reveal_rule, o.anonymise,
                  o.strategy,
                  EXISTS (SELECT 1 FROM debriefs d WHERE d.candidate_id = c.id) AS debrief_open,
                  EXISTS (SELECT 1 FROM decisions d WHERE d.candidate_id = c.id) AS decided,
                  coalesce((SELECT CASE WHEN d.outcome = 'hire' THEN 1 ELSE 0 END FROM decisions d
                            WHERE d.candidate_id = c.id ORDER BY d.id DESC LIMIT 1), 0) AS hired
           FROM candidates c JOIN openings o ON o.id = c.opening_id WHERE c.id IN ({_marks(n)})"""


def seats(n: int) -> str:
    """Every seat on the panels of `n` candidates, with whether it is recused or submitted."""
    return f"""SELECT i.candidate_id, a.id, a.session_id, a.interviewer_id,
                  a.recused_at IS NOT NULL AS recused,
                  EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id) AS submitted
           FROM interview_sessions i JOIN assignments a ON a.session_id = i.id
           WHERE i.candidate_id IN ({_marks(n)}) ORDER BY i.candidate_id, i.position, a.id"""


def voters(n: int) -> str:
    """The committee members who have voted on each of `n` candidates."""
    return (
        "SELECT DISTINCT candidate_id, member_id FROM committee_votes"
        f" WHERE candidate_id IN ({_marks(n)})"
    )


# A candidate's stage seats (issue 27), with whether each has its review.
STAGE_SEATS = """
    SELECT s.id, s.position, s.reviewer_id, s.purpose, s.recused_at IS NOT NULL AS recused,
           EXISTS (SELECT 1 FROM stage_reviews r WHERE r.seat_id = s.id) AS submitted,
           (c.withdrawn_at IS NOT NULL OR (s.purpose = 'review' AND EXISTS (
              SELECT 1 FROM stage_outcomes x WHERE x.candidate_id = s.candidate_id
              AND x.position = s.position))) AS closed
    FROM stage_seats s JOIN candidates c ON c.id = s.candidate_id
    WHERE s.candidate_id = ? ORDER BY s.id
"""

STAGE_SEAT_CANDIDATE = "SELECT candidate_id FROM stage_seats WHERE id = ?"
