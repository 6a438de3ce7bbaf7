"""The queries of messages to candidates (`scoring.candidate_mail`, `scoring.candidate_feedback`,
and the sender's check in `scoring.outbox_recipients`): the candidate as a message is written to
them, their interview day, their record of messages, feedback steps and consents. A message to a
candidate is an outbox row with `recipient_id` NULL and `candidate_id` set. Each statement is
written whole."""

CANDIDATE = """SELECT c.id, c.opening_id, c.name, c.alias, c.email, c.withdrawn_at,
                      o.title AS opening_title, o.hiring_manager_id, o.closed_at
               FROM candidates c JOIN openings o ON o.id = c.opening_id WHERE c.id = ?"""
PERSON = "SELECT id, name, email FROM people WHERE id = ?"

# ------------------------------------------------------------------- what a sender checks again

# (candidate): a take-home sent and neither answered nor decided, for which a reminder still
# makes sense.
TAKE_HOME_OPEN = """SELECT 1 FROM take_home_events s
                    WHERE s.candidate_id = ? AND s.event = 'sent'
                      AND NOT EXISTS (SELECT 1 FROM take_home_events t
                                      WHERE t.candidate_id = s.candidate_id
                                        AND t.position = s.position AND t.event = 'submitted')
                      AND NOT EXISTS (SELECT 1 FROM stage_outcomes o
                                      WHERE o.candidate_id = s.candidate_id
                                        AND o.position = s.position)
                    LIMIT 1"""
TAKE_HOME_ANSWERED = """SELECT 1 FROM take_home_events
                        WHERE candidate_id = ? AND event = 'submitted' LIMIT 1"""
# (candidate, kind): the candidate's messages of one kind still waiting to go.
QUEUED_TO_CANDIDATE = """SELECT id FROM outbox
                         WHERE candidate_id = ? AND recipient_id IS NULL AND kind = ?
                           AND state = 'queued' ORDER BY id"""

# ---------------------------------------------------------------------------- their record

# (candidate, limit): the latest first.
MESSAGES_TO = """SELECT id, kind, subject, text_body, state, created_at, next_attempt_at,
                        sent_at, last_error
                 FROM outbox WHERE candidate_id = ? AND recipient_id IS NULL
                 ORDER BY id DESC LIMIT ?"""
COUNT_OF_KIND = """SELECT COUNT(*) FROM outbox
                   WHERE candidate_id = ? AND recipient_id IS NULL AND kind = ?"""

# ------------------------------------------------------------------------ their interview day

DAY = """SELECT id, position, title, starts_at, ends_at, location FROM interview_sessions
         WHERE candidate_id = ? ORDER BY starts_at, id"""
PANEL = """SELECT a.session_id, p.name FROM assignments a
           JOIN interview_sessions i ON i.id = a.session_id
           JOIN people p ON p.id = a.interviewer_id
           WHERE i.candidate_id = ? AND a.recused_at IS NULL ORDER BY a.id"""
# The calendar the candidate was last sent (its events: what a new schedule replaces).
LAST_SCHEDULE = """SELECT ics FROM outbox
                   WHERE candidate_id = ? AND recipient_id IS NULL AND kind = 'schedule'
                     AND ics IS NOT NULL
                   ORDER BY id DESC LIMIT 1"""

# ------------------------------------------------------------------- feedback to the declined

FEEDBACK_STEPS = """SELECT f.id, f.step, f.at, f.by_id, f.logistical, f.performance, f.note,
                           p.name AS by_name
                    FROM candidate_feedback f LEFT JOIN people p ON p.id = f.by_id
                    WHERE f.candidate_id = ? ORDER BY f.id"""
ADD_FEEDBACK_STEP = """INSERT INTO candidate_feedback (candidate_id, step, at, by_id, logistical,
                          performance, note)
                       VALUES (?, ?, ?, ?, ?, ?, ?)"""
LATEST_DECISION = """SELECT outcome FROM decisions WHERE candidate_id = ?
                     ORDER BY id DESC LIMIT 1"""
# What the candidate's interviewers wrote (every revision), by seat: the words feedback may not
# quote without their consent.
SCORECARD_WORDS = """SELECT a.id AS assignment_id, p.name, s.feedback AS words
                     FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
                     JOIN interview_sessions i ON i.id = a.session_id
                     JOIN people p ON p.id = a.interviewer_id
                     WHERE i.candidate_id = ?
                     UNION ALL
                     SELECT a.id AS assignment_id, p.name, e.evidence AS words
                     FROM criterion_scores e JOIN scorecards s ON s.id = e.scorecard_id
                     JOIN assignments a ON a.id = s.assignment_id
                     JOIN interview_sessions i ON i.id = a.session_id
                     JOIN people p ON p.id = a.interviewer_id
                     WHERE i.candidate_id = ? AND e.evidence <> ''"""
# What the candidate's screen and take-home reviewers wrote: never quoted (no consent for it).
REVIEW_WORDS = """SELECT p.name, r.notes AS words
                  FROM stage_reviews r JOIN stage_seats s ON s.id = r.seat_id
                  JOIN people p ON p.id = s.reviewer_id
                  WHERE s.candidate_id = ?"""
CONSENTS = "SELECT assignment_id FROM quote_consents WHERE candidate_id = ?"
CONSENTED = "SELECT 1 FROM quote_consents WHERE assignment_id = ? LIMIT 1"
ADD_CONSENT = """INSERT INTO quote_consents (assignment_id, candidate_id, person_id, agreed_at)
                 VALUES (?, ?, ?, ?)"""
SEAT = """SELECT a.id, a.interviewer_id, i.candidate_id FROM assignments a
          JOIN interview_sessions i ON i.id = a.session_id WHERE a.id = ?"""
