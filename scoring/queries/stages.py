"""The queries of the funnel's stages (`scoring.stages`): an opening's process, stage seats and
reviews, stage outcomes, and where candidates stand. A list of ids gets its placeholders from
`marks`, never a value spliced in."""

from scoring.queries import marks as _marks

STAGES = "SELECT * FROM opening_stages WHERE opening_id = ? ORDER BY position"
ADD_STAGE = """INSERT INTO opening_stages (opening_id, position, kind, title, rubric_hash, rule,
                  reviewer_ids, bar, provisional, spot_check_share, hours_asked, deadline_days)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
CANDIDATE = """SELECT c.id, c.opening_id, c.name, c.alias, c.email, c.created_at, c.withdrawn_at,
                      o.hiring_manager_id, o.anonymise, o.title AS opening_title, o.closed_at
               FROM candidates c JOIN openings o ON o.id = c.opening_id WHERE c.id = ?"""
SEAT = "SELECT * FROM stage_seats WHERE id = ?"
SEATS_OF_STAGE = """SELECT s.*, EXISTS (SELECT 1 FROM stage_reviews r WHERE r.seat_id = s.id)
                           AS submitted, p.active, p.roles
                    FROM stage_seats s JOIN people p ON p.id = s.reviewer_id
                    WHERE s.candidate_id = ? AND s.position = ?
                    ORDER BY s.id"""
ADD_SEAT = """INSERT INTO stage_seats (candidate_id, position, reviewer_id, purpose, assigned_at)
              VALUES (?, ?, ?, ?, ?)"""
RECUSE_SEAT = "UPDATE stage_seats SET recused_at = ?, recusal_reason = ? WHERE id = ?"
# How many reviews each person still has to write: the least loaded reviewer gets the next one.
OPEN_LOAD = """SELECT count(*) FROM stage_seats s JOIN candidates c ON c.id = s.candidate_id
               WHERE s.reviewer_id = ? AND s.recused_at IS NULL AND c.withdrawn_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM stage_reviews r WHERE r.seat_id = s.id)
                 AND NOT EXISTS (SELECT 1 FROM stage_outcomes x
                                 WHERE x.candidate_id = s.candidate_id
                                   AND x.position = s.position AND s.purpose = 'review')"""
PERSON_ACTIVE = "SELECT id, name, active, roles FROM people WHERE id = ?"
ADD_REVIEW = """INSERT INTO stage_reviews (seat_id, rubric_hash, scores, weighted, overall, notes,
                   submitted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)"""
REVIEWS_OF_STAGE = """SELECT r.*, s.reviewer_id, s.purpose, s.position
                      FROM stage_reviews r JOIN stage_seats s ON s.id = r.seat_id
                      WHERE s.candidate_id = ? AND s.position = ? ORDER BY r.id"""
REVIEWS = """SELECT r.*, s.reviewer_id, s.purpose, s.position, p.name AS reviewer_name
             FROM stage_reviews r JOIN stage_seats s ON s.id = r.seat_id
             JOIN people p ON p.id = s.reviewer_id
             WHERE s.candidate_id = ? ORDER BY s.position, r.id"""
ADD_OUTCOME = """INSERT INTO stage_outcomes (candidate_id, position, outcome, decided_by,
                    decided_at, reason, provisional)
                 VALUES (?, ?, ?, ?, ?, ?, ?)"""
TAKE_HOME_SUBMITTED = """SELECT 1 FROM take_home_events
                         WHERE candidate_id = ? AND position = ? AND event = 'submitted' LIMIT 1"""
WITHDRAW = "UPDATE candidates SET withdrawn_at = ?, withdrawal_reason = ? WHERE id = ?"
# The reviewer's own seats, open ones first, then the latest reviewed (one page).
MINE = """SELECT s.id, s.candidate_id, s.position, s.purpose, s.assigned_at, s.recused_at,
                 r.submitted_at, c.name AS candidate_name, c.alias, c.opening_id,
                 (c.withdrawn_at IS NOT NULL OR (s.purpose = 'review' AND EXISTS (
                    SELECT 1 FROM stage_outcomes x WHERE x.candidate_id = s.candidate_id
                    AND x.position = s.position))) AS closed,
                 o.title AS opening_title, o.anonymise, t.kind, t.title AS stage_title, t.rule
          FROM stage_seats s
          JOIN candidates c ON c.id = s.candidate_id
          JOIN openings o ON o.id = c.opening_id
          JOIN opening_stages t ON t.opening_id = c.opening_id AND t.position = s.position
          LEFT JOIN stage_reviews r ON r.seat_id = s.id
          WHERE s.reviewer_id = ?
          ORDER BY CASE WHEN r.id IS NULL AND s.recused_at IS NULL THEN 0 ELSE 1 END,
                   s.id DESC
          LIMIT ?"""


def candidates(n: int) -> str:
    """`n` candidates' opening, creation and withdrawal."""
    return f"""SELECT id, opening_id, created_at, withdrawn_at, withdrawal_reason
               FROM candidates WHERE id IN ({_marks(n)})"""


def outcomes(n: int) -> str:
    """Every stage outcome of `n` candidates, oldest first (the latest per stage counts)."""
    return f"""SELECT candidate_id, position, outcome, decided_at, reason, provisional
               FROM stage_outcomes WHERE candidate_id IN ({_marks(n)}) ORDER BY id"""


def decisions(n: int) -> str:
    """Every decision of `n` candidates, oldest first (the latest counts)."""
    return f"""SELECT candidate_id, outcome, decided_at FROM decisions
               WHERE candidate_id IN ({_marks(n)}) ORDER BY id"""


def stages(n: int) -> str:
    """The stages of `n` openings."""
    return f"""SELECT * FROM opening_stages WHERE opening_id IN ({_marks(n)})
               ORDER BY opening_id, position"""


# Spot checks of an opening: each spot-check review with its stage, for agreement.
SPOT_CHECKS = """SELECT s.candidate_id, s.position, r.overall, r.weighted
                 FROM stage_seats s JOIN stage_reviews r ON r.seat_id = s.id
                 JOIN candidates c ON c.id = s.candidate_id
                 WHERE c.opening_id = ? AND s.purpose = 'spot_check' ORDER BY s.id"""

# The screens waiting for a hiring manager, newest candidates first (one page of them): a stage
# with no outcome whose review seats are all in or recused (a manager rule, a tie, no reviewer
# left) ...
AWAITING = """SELECT DISTINCT s.candidate_id, s.position
              FROM openings o
              JOIN candidates c ON c.opening_id = o.id
              JOIN stage_seats s ON s.candidate_id = c.id
              WHERE o.hiring_manager_id = ? AND o.closed_at IS NULL
                AND c.withdrawn_at IS NULL AND s.purpose = 'review'
                AND NOT EXISTS (SELECT 1 FROM stage_outcomes x WHERE x.candidate_id = c.id
                                AND x.position = s.position)
                AND NOT EXISTS (SELECT 1 FROM stage_seats t WHERE t.candidate_id = c.id
                                AND t.position = s.position AND t.purpose = 'review'
                                AND t.recused_at IS NULL
                                AND NOT EXISTS (SELECT 1 FROM stage_reviews r
                                                WHERE r.seat_id = t.id))
              ORDER BY s.candidate_id DESC LIMIT ?"""
# ... and the spot checks written on a rejection still in force (whether one disagrees is the
# stage's verdict, worked out in Python).
DISPUTABLE = """SELECT s.candidate_id, s.position, r.overall, r.weighted, c.opening_id
                FROM openings o
                JOIN candidates c ON c.opening_id = o.id
                JOIN stage_seats s ON s.candidate_id = c.id
                JOIN stage_reviews r ON r.seat_id = s.id
                WHERE o.hiring_manager_id = ? AND o.closed_at IS NULL
                  AND c.withdrawn_at IS NULL AND s.purpose = 'spot_check'
                  AND (SELECT x.outcome FROM stage_outcomes x WHERE x.candidate_id = c.id
                       AND x.position = s.position ORDER BY x.id DESC LIMIT 1) = 'reject'
                ORDER BY s.id DESC LIMIT ?"""
NAMES = """SELECT c.id, c.name, c.alias, c.opening_id, o.title AS opening_title, o.anonymise
           FROM candidates c JOIN openings o ON o.id = c.opening_id WHERE c.id = ?"""
