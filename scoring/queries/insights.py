"""The queries the Insights read: the seats' scorecards of a list of candidates (`CARDS`, and
their scores by scorecard id: `CARD_SCORES`), when each came in (`SUBMISSIONS`), the window of
candidates whose debrief opened, the decisions, the panels' stored results and votes, and one's
own recent candidates. A list of ids is one
parameter, a JSON array (`IDS`), so a statement's text is the same for any number of them."""

IDS = "(SELECT value FROM json_each(?))"  # a list of ids as one parameter (a JSON array)

# Per seat of the candidates (one JSON array): its latest revision, its latest revision written
# without seeing the others' scores (`independent`: NULL when every revision came after the
# reveal), when it first came in, and how many revisions were corrections made after the reveal.
LATEST_SEATS = """
    WITH latest AS (
        SELECT s.assignment_id, MAX(s.revision) AS revision,
               MAX(CASE WHEN s.saw_others = 0 THEN s.revision END) AS independent,
               MIN(s.submitted_at) AS first_at,
               SUM(CASE WHEN s.revision > 1 AND s.saw_others = 1 THEN 1 ELSE 0 END) AS corrections
        FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
        JOIN interview_sessions i ON i.id = a.session_id
        JOIN candidates c ON c.id = i.candidate_id
        WHERE a.recused_at IS NULL AND c.id IN (SELECT value FROM json_each(?))
        GROUP BY s.assignment_id
    )
"""
# Each seat's latest and latest independent scorecard (one row when they are the same), in a
# total order: one candidate's rows read alone come as they do among many.
CARDS = (
    LATEST_SEATS
    + """
    SELECT c.id AS candidate_id, c.opening_id, i.id AS session_id, i.ends_at,
           a.interviewer_id, p.name AS interviewer, s.id AS scorecard_id, s.overall,
           s.rubric_hash, l.first_at, l.corrections, o.scale_min, o.scale_max, o.overdue_hours,
           a.id AS assignment_id, s.revision = l.revision AS latest,
           s.revision IS l.independent AS independent
    FROM latest l
    JOIN scorecards s ON s.assignment_id = l.assignment_id
        AND s.revision IN (l.revision, l.independent)
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
    JOIN openings o ON o.id = c.opening_id
    JOIN people p ON p.id = a.interviewer_id
    ORDER BY c.id, i.position, a.id, s.revision
"""
)
# The criterion scores of the scorecards (one JSON array of their ids, as `CARDS` gave them).
CARD_SCORES = (
    f"SELECT scorecard_id, criterion_id, score FROM criterion_scores WHERE scorecard_id IN {IDS}"
)
# What the process figures read of each latest scorecard: its candidate and the dates, never
# a score (a coordinator's insights are worked out from this and the decisions alone).
SUBMISSIONS = (
    LATEST_SEATS
    + """
    SELECT c.id AS candidate_id, c.opening_id, i.id AS session_id, i.ends_at, l.first_at,
           o.overdue_hours
    FROM latest l
    JOIN assignments a ON a.id = l.assignment_id
    JOIN interview_sessions i ON i.id = a.session_id
    JOIN candidates c ON c.id = i.candidate_id
    JOIN openings o ON o.id = c.opening_id
    ORDER BY c.id, i.position, a.id
"""
)

# The openings' (one JSON array) candidates whose debrief opened, the latest first.
# Newest first down the index on when debriefs opened (m012), keeping the openings' ones: bounded
# by the window, not the history (without INDEXED BY and CROSS JOIN, SQLite walks the opening's
# candidates and sorts all their debriefs).
WINDOW = (
    "SELECT d.candidate_id FROM debriefs d INDEXED BY debriefs_by_opened"
    " CROSS JOIN candidates c ON c.id = d.candidate_id"
    f" WHERE c.opening_id IN {IDS} ORDER BY d.opened_at DESC, d.candidate_id DESC"
    " LIMIT ?"
)
# Every recorded decision of the candidates (one JSON array), oldest first, as the decision
# process reads them: the outcome, when, and the tally of the engine's result stored with it
# (taken out by SQLite; the rest of the stored result is not read).
DECISIONS = (
    "SELECT d.candidate_id, d.outcome, d.decided_at, json_extract(d.engine_result, '$.tally')"
    f" FROM decisions d WHERE d.candidate_id IN {IDS} ORDER BY d.id"
)
# What the engine said when each debrief opened (its outcome, and its tally as JSON: all the
# decision process reads of the stored result, taken out by SQLite rather than parsing the
# whole result in Python), and the candidate's opening.
FROZEN_RESULTS = (
    "SELECT d.candidate_id, json_extract(d.frozen_result, '$.outcome'),"
    " json_extract(d.frozen_result, '$.tally'), c.opening_id FROM debriefs d"
    f" JOIN candidates c ON c.id = d.candidate_id WHERE d.candidate_id IN {IDS}"
)
# Each committee member's latest vote on each of the candidates, in the order they were cast:
# one candidate's come in the same order read alone as among many.
LATEST_VOTES = (
    "SELECT candidate_id, member_id, vote FROM committee_votes WHERE id IN"
    " (SELECT MAX(id) FROM committee_votes"
    f" WHERE candidate_id IN {IDS} GROUP BY candidate_id, member_id) ORDER BY id"
)
# The candidates a person interviewed (unrecused), the latest session first: read from their
# newest seats only (the partial index on open seats, newest session first, at most the second
# parameter of them), never all of their history; then each candidate once, by when its latest
# session ended, at most the third parameter of them.
OWN_RECENT = """
    SELECT candidate_id FROM (
        SELECT i.candidate_id, i.ends_at
        FROM assignments a INDEXED BY open_seats_by_interviewer
        JOIN interview_sessions i ON i.id = a.session_id
        WHERE a.interviewer_id = ? AND a.recused_at IS NULL
        ORDER BY a.session_id DESC
        LIMIT ?
    ) AS recent
    GROUP BY candidate_id ORDER BY MAX(ends_at) DESC, candidate_id DESC LIMIT ?
"""
