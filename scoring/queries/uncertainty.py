"""The queries of the figures a debrief reads from the opening's other candidates (the measured
interval, `scoring.uncertainty`; the leniency-adjusted reading, `scoring.adjusted`): the
independent judgements of a list of candidates (one JSON array parameter), the window of
candidates whose debrief opened, and the history's newest entry (what kept figures are kept
under)."""

# Each unrecused seat's latest revision written without seeing others' scores, for a list of
# candidates (one JSON array parameter): the independent judgements every figure from other
# candidates reads (`INDEPENDENT_SCORES` here, `INDEPENDENT_OVERALLS` for the leniency).
INDEPENDENT_SEATS = """
    WITH independent AS (
        SELECT s.assignment_id, MAX(s.revision) AS revision
        FROM interview_sessions i
        JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
        JOIN scorecards s ON s.assignment_id = a.id AND s.saw_others = 0
        WHERE i.candidate_id IN (SELECT value FROM json_each(?))
        GROUP BY s.assignment_id
    )
"""
# Their criterion scores.
INDEPENDENT_SCORES = (
    INDEPENDENT_SEATS
    + """
    SELECT i.candidate_id, a.session_id, s.id AS scorecard_id, s.rubric_hash, cs.criterion_id,
           cs.score
    FROM independent l
    JOIN scorecards s ON s.assignment_id = l.assignment_id AND s.revision = l.revision
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN criterion_scores cs ON cs.scorecard_id = s.id
"""
)
# Their overall recommendations, with who gave them and the opening's scale.
INDEPENDENT_OVERALLS = (
    INDEPENDENT_SEATS
    + """
    SELECT i.candidate_id, a.interviewer_id, s.rubric_hash, s.overall, o.scale_min, o.scale_max
    FROM independent l
    JOIN scorecards s ON s.assignment_id = l.assignment_id AND s.revision = l.revision
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
    JOIN openings o ON o.id = c.opening_id
"""
)
# An opening's candidates whose debrief opened, the latest first.
SCORE_WINDOW = (
    "SELECT d.candidate_id FROM debriefs d JOIN candidates c ON c.id = d.candidate_id"
    " WHERE c.opening_id = ? ORDER BY d.opened_at DESC, d.candidate_id DESC LIMIT ?"
)
# The newest audit entry: every write appends one, so it names the history's version.
NEWEST_AUDIT = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
