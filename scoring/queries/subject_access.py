"""The queries of a subject-access export (`scoring.subject_access`): everything held about one
candidate, table by table, and the few facts the coordinator's privacy panel reads. Every
statement takes the candidate's id as ``:candidate``; each is written whole. Sealed columns come
back opened (`scoring.personal`): nothing here filters or sorts on one."""

CANDIDATE = """SELECT c.id, c.alias, c.name, c.email, c.phone, c.source, c.created_at,
                      c.withdrawn_at, c.withdrawal_reason,
                      o.id AS opening_id, o.title AS opening_title, o.role AS opening_role,
                      o.level AS opening_level, o.scale_min, o.scale_max
               FROM candidates c JOIN openings o ON o.id = c.opening_id
               WHERE c.id = :candidate"""
ERASURE = """SELECT e.erased_at, e.basis, e.reason, p.name AS erased_by
             FROM erasures e LEFT JOIN people p ON p.id = e.erased_by
             WHERE e.candidate_id = :candidate"""
STAGES = """SELECT s.position, s.kind, s.title FROM opening_stages s
            JOIN candidates c ON c.opening_id = s.opening_id
            WHERE c.id = :candidate ORDER BY s.position"""

# ------------------------------------------------------------------------- the interview day

SESSIONS = """SELECT id, position, title, starts_at, ends_at, location FROM interview_sessions
              WHERE candidate_id = :candidate ORDER BY starts_at, id"""
SEATS = """SELECT a.id, a.session_id, p.name AS interviewer, a.assigned_at, a.recused_at,
                  a.recusal_reason
           FROM assignments a
           JOIN interview_sessions i ON i.id = a.session_id
           JOIN people p ON p.id = a.interviewer_id
           WHERE i.candidate_id = :candidate ORDER BY a.id"""
SCORECARDS = """SELECT s.id, s.assignment_id, a.session_id, i.title AS session_title,
                       p.name AS interviewer, s.revision, s.overall, s.feedback,
                       s.revision_reason, s.submitted_at, s.saw_others, s.rubric_hash
                FROM scorecards s
                JOIN assignments a ON a.id = s.assignment_id
                JOIN interview_sessions i ON i.id = a.session_id
                JOIN people p ON p.id = a.interviewer_id
                WHERE i.candidate_id = :candidate ORDER BY s.id"""
CRITERION_SCORES = """SELECT cs.scorecard_id, cs.criterion_id, cs.score, cs.evidence
                      FROM criterion_scores cs
                      JOIN scorecards s ON s.id = cs.scorecard_id
                      JOIN assignments a ON a.id = s.assignment_id
                      JOIN interview_sessions i ON i.id = a.session_id
                      WHERE i.candidate_id = :candidate
                      ORDER BY cs.scorecard_id, cs.criterion_id"""
DRAFTS = """SELECT d.assignment_id, a.session_id, p.name AS interviewer, d.content, d.saved_at
            FROM drafts d
            JOIN assignments a ON a.id = d.assignment_id
            JOIN interview_sessions i ON i.id = a.session_id
            JOIN people p ON p.id = a.interviewer_id
            WHERE i.candidate_id = :candidate ORDER BY d.assignment_id"""
# Seat questions and flags keep their seat's id with no key to it (a cancelled session's seats
# go): the interviewer is found when the seat is still there.
QUESTIONS = """SELECT q.assignment_id, p.name AS interviewer, q.criterion_id, q.rubric_id,
                      q.question_id, q.question_version, q.drawn_at
               FROM seat_questions q
               LEFT JOIN assignments a ON a.id = q.assignment_id
               LEFT JOIN people p ON p.id = a.interviewer_id
               WHERE q.candidate_id = :candidate ORDER BY q.drawn_at, q.assignment_id,
                     q.criterion_id"""
QUOTE_CONSENTS = """SELECT q.assignment_id, p.name AS interviewer, q.agreed_at
                    FROM quote_consents q JOIN people p ON p.id = q.person_id
                    WHERE q.candidate_id = :candidate ORDER BY q.id"""
CHEATING_FLAGS = """SELECT f.id, f.assignment_id, f.question_id, p.name AS flagged_by,
                           f.evidence, f.flagged_at
                    FROM cheating_flags f JOIN people p ON p.id = f.flagged_by
                    WHERE f.candidate_id = :candidate ORDER BY f.id"""

# ----------------------------------------------------------------- screens and take-homes

STAGE_SEATS = """SELECT s.id, s.position, p.name AS reviewer, s.purpose, s.assigned_at,
                        s.recused_at, s.recusal_reason
                 FROM stage_seats s JOIN people p ON p.id = s.reviewer_id
                 WHERE s.candidate_id = :candidate ORDER BY s.id"""
STAGE_REVIEWS = """SELECT r.id, r.seat_id, s.position, s.purpose, p.name AS reviewer, r.scores,
                          r.weighted, r.overall, r.notes, r.submitted_at
                   FROM stage_reviews r
                   JOIN stage_seats s ON s.id = r.seat_id
                   JOIN people p ON p.id = s.reviewer_id
                   WHERE s.candidate_id = :candidate ORDER BY r.id"""
STAGE_OUTCOMES = """SELECT o.id, o.position, o.outcome, p.name AS decided_by, o.decided_at,
                           o.reason, o.provisional
                    FROM stage_outcomes o LEFT JOIN people p ON p.id = o.decided_by
                    WHERE o.candidate_id = :candidate ORDER BY o.id"""
TAKE_HOME_EVENTS = """SELECT e.id, e.position, e.event, e.at, p.name AS by_name, e.detail
                      FROM take_home_events e LEFT JOIN people p ON p.id = e.by_id
                      WHERE e.candidate_id = :candidate ORDER BY e.id"""

# ------------------------------------------------------------------------ the decision

DEBRIEF = """SELECT d.opened_at, p.name AS opened_by, d.early_reason, d.frozen_result
             FROM debriefs d JOIN people p ON p.id = d.opened_by
             WHERE d.candidate_id = :candidate"""
DECISIONS = """SELECT d.id, d.outcome, p.name AS decided_by, d.decided_at, d.rationale,
                      d.accepts_responsibility, d.engine_result
               FROM decisions d JOIN people p ON p.id = d.decided_by
               WHERE d.candidate_id = :candidate ORDER BY d.id"""
VOTES = """SELECT v.id, p.name AS member, v.vote, v.note, v.cast_at
           FROM committee_votes v JOIN people p ON p.id = v.member_id
           WHERE v.candidate_id = :candidate ORDER BY v.id"""
HIRE_OUTCOMES = """SELECT h.id, h.months, h.rating, h.still_employed, h.note,
                          p.name AS recorded_by, h.recorded_at
                   FROM hire_outcomes h JOIN people p ON p.id = h.recorded_by
                   WHERE h.candidate_id = :candidate ORDER BY h.id"""

# --------------------------------------------------------------- what they were told and sent

FEEDBACK = """SELECT f.id, f.step, f.at, p.name AS by_name, f.logistical, f.performance, f.note
              FROM candidate_feedback f LEFT JOIN people p ON p.id = f.by_id
              WHERE f.candidate_id = :candidate ORDER BY f.id"""
# Every message about them: to them (no recipient person) and to the people interviewing them.
MESSAGES = """SELECT m.id, m.created_at, m.kind, m.recipient_id, m.to_address, m.to_name,
                     m.subject, m.text_body, m.state, m.sent_at
              FROM outbox m
              WHERE m.candidate_id = :candidate
                 OR m.assignment_id IN (SELECT a.id FROM assignments a
                                        JOIN interview_sessions i ON i.id = a.session_id
                                        WHERE i.candidate_id = :candidate)
              ORDER BY m.id"""

# ------------------------------------------------------------ privacy: holds, retention, answers

LEGAL_HOLDS = """SELECT h.id, h.held, p.name AS by_name, h.at, h.reason
                 FROM legal_holds h JOIN people p ON p.id = h.by_id
                 WHERE h.candidate_id = :candidate ORDER BY h.id"""
RETENTION_NOTICES = """SELECT due_on, noticed_at FROM retention_notices
                       WHERE candidate_id = :candidate ORDER BY due_on"""
DEMOGRAPHICS = """SELECT category, answer, recorded_at FROM candidate_demographics
                  WHERE candidate_id = :candidate ORDER BY category"""
ERASED_AT = "SELECT erased_at FROM erasures WHERE candidate_id = :candidate"

# ------------------------------------------------------------------------------- the audit log

# Entries about the candidate, or about one of their sessions, seats, scorecards, stage seats or
# messages (the subjects `scoring.audit.record` is given).
AUDIT = """SELECT l.id, l.at, p.name AS actor, l.action, l.subject, l.detail
           FROM audit_log l LEFT JOIN people p ON p.id = l.actor_id
           WHERE l.subject = :subject
              OR l.subject IN (SELECT 'session:' || CAST(i.id AS TEXT)
                               FROM interview_sessions i WHERE i.candidate_id = :candidate)
              OR l.subject IN (SELECT 'assignment:' || CAST(a.id AS TEXT)
                               FROM assignments a
                               JOIN interview_sessions i ON i.id = a.session_id
                               WHERE i.candidate_id = :candidate)
              OR l.subject IN (SELECT 'scorecard:' || CAST(s.id AS TEXT)
                               FROM scorecards s
                               JOIN assignments a ON a.id = s.assignment_id
                               JOIN interview_sessions i ON i.id = a.session_id
                               WHERE i.candidate_id = :candidate)
              OR l.subject IN (SELECT 'stage_seat:' || CAST(t.id AS TEXT)
                               FROM stage_seats t WHERE t.candidate_id = :candidate)
              OR l.subject IN (SELECT 'outbox:' || CAST(m.id AS TEXT)
                               FROM outbox m WHERE m.candidate_id = :candidate)
           ORDER BY l.id"""
