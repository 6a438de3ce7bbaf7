"""The queries of take-homes (`scoring.take_homes`): their events, in order, and what a stage
seat is on. Each statement is written whole."""

ADD_EVENT = """INSERT INTO take_home_events (candidate_id, position, event, at, by_id, detail)
               VALUES (?, ?, ?, ?, ?, ?)"""
# Every event of a candidate's take-homes, oldest first, with who recorded it.
EVENTS = """SELECT e.id, e.position, e.event, e.at, e.by_id, e.detail, p.name AS by_name
            FROM take_home_events e LEFT JOIN people p ON p.id = e.by_id
            WHERE e.candidate_id = ? ORDER BY e.id"""
# The first event of one kind at one take-home stage (each happens once).
EVENT = """SELECT id, at, detail FROM take_home_events
           WHERE candidate_id = ? AND position = ? AND event = ? ORDER BY id LIMIT 1"""
DECIDED = "SELECT 1 FROM stage_outcomes WHERE candidate_id = ? AND position = ? LIMIT 1"
SEAT = "SELECT candidate_id, position FROM stage_seats WHERE id = ?"
