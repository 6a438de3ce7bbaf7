"""The queries the permission matrix's scenes read (`scoring.matrix`): a seat's rubric and the
seats of a session, to score through the service."""

SEAT_RUBRIC = (
    "SELECT i.rubric_hash FROM assignments a JOIN interview_sessions i"
    " ON i.id = a.session_id WHERE a.id = ?"
)
SEATS_OF_SESSION = "SELECT id FROM assignments WHERE session_id = ?"
