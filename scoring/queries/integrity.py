"""The queries `verify` runs (`scoring.integrity`): SQLite's own checks, the guarding triggers,
the rubric snapshots and the service's invariants. The audit log's and the history rows' own
statements are in `scoring.queries.audit`."""

INTEGRITY_CHECK = "PRAGMA integrity_check"
FOREIGN_KEY_CHECK = "PRAGMA foreign_key_check"
TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
SNAPSHOTS = "SELECT hash, content FROM rubric_snapshots"
SNAPSHOT = "SELECT content FROM rubric_snapshots WHERE hash = ?"
# Every scorecard with its seat's rubric, recusal and its opening's scale.
CARDS = """SELECT s.id, s.assignment_id, s.revision, s.revision_reason, s.rubric_hash, s.overall,
                  i.rubric_hash AS session_rubric, a.recused_at, o.scale_min, o.scale_max
           FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
           JOIN interview_sessions i ON i.id = a.session_id
           JOIN candidates c ON c.id = i.candidate_id JOIN openings o ON o.id = c.opening_id
           ORDER BY s.assignment_id, s.revision"""
REVISIONS = (
    "SELECT assignment_id, group_concat(revision) FROM"
    " (SELECT assignment_id, revision FROM scorecards ORDER BY assignment_id, revision)"
    " GROUP BY assignment_id"
)
CRITERIA_SCORED = (
    "SELECT s.id, s.rubric_hash, group_concat(cs.criterion_id) AS ids FROM scorecards s"
    " LEFT JOIN criterion_scores cs ON cs.scorecard_id = s.id GROUP BY s.id"
)
DECISIONS_OPENED = (
    "SELECT d.id, d.decided_at, b.opened_at FROM decisions d"
    " LEFT JOIN debriefs b ON b.candidate_id = d.candidate_id ORDER BY d.id"
)
# Votes by someone not on the opening's committee.
STRAY_VOTES = """SELECT v.id FROM committee_votes v JOIN candidates c ON c.id = v.candidate_id
           WHERE NOT EXISTS (SELECT 1 FROM opening_committee m
                             WHERE m.opening_id = c.opening_id AND m.person_id = v.member_id)
           ORDER BY v.id"""
# Privacy (issue 28): candidates with sealed values whose data key is gone though no erasure
# says so (a key deleted behind Debrief's back), and erasures.
KEYLESS = """SELECT c.id FROM candidates c
           WHERE substr(c.name, 1, ?) = ?
             AND NOT EXISTS (SELECT 1 FROM candidate_keys k WHERE k.candidate_id = c.id)
             AND NOT EXISTS (SELECT 1 FROM erasures e WHERE e.candidate_id = c.id)
           ORDER BY c.id"""
ERASURES = "SELECT candidate_id, basis FROM erasures ORDER BY candidate_id"
