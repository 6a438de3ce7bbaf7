"""The queries of an opening's funnel (`scoring.insights.funnel`) beyond where candidates stand
(`scoring.queries.stages`): one opening's candidates, and what the viewer still has to judge
there. Each statement is bounded by one opening (the `candidates_by_opening` index), never the
history."""

# The opening's candidates, oldest first: where each stands is read for them, a chunk at a time.
CANDIDATES = "SELECT id FROM candidates WHERE opening_id = ? ORDER BY id"

# The viewer's seats still to judge on the opening's candidates (unrecused, without a scorecard
# or a review): to them, each such candidate is pending at that stage (blind scoring). `on_loop` is
# 1 for a seat of the on-site loop, 0 for a screen's or take-home's (its stage's position).
PENDING_SEATS = """
    SELECT i.candidate_id, 1 AS on_loop, 0 AS position
    FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
    WHERE c.opening_id = ? AND a.interviewer_id = ? AND a.recused_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
    UNION ALL
    SELECT s.candidate_id, 0 AS on_loop, s.position
    FROM stage_seats s JOIN candidates c ON c.id = s.candidate_id
    WHERE c.opening_id = ? AND s.reviewer_id = ? AND s.recused_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM stage_reviews r WHERE r.seat_id = s.id)
"""
