"""The pipeline's queries: a candidate's stage in SQL, "needs me" in SQL, the stage counts of an
opening, the walks that find a page's candidates, and what the page's rows need.

The statements whose shape depends on the filters (a day, a stage, "needs me") are built here from
named parts, each variant whole: the service passes which filters are on, never SQL.
"""

from scoring.queries import marks
from scoring.queries.seats import names, of_candidates

__all__ = ["names", "of_candidates"]  # the page's candidates and seats, as Status reads them

# A candidate's stage, in SQL over `candidates c`: the same rules as `pipeline.stage_of`, each
# test one indexed lookup (decisions_by_candidate, the debriefs key, sessions_by_candidate, the
# seat's scorecards), so the counts of a whole opening are one aggregate in SQLite.
# True and false as both engines read them (SQLite has no boolean type; PostgreSQL has no 0/1
# conditions).
TRUE, FALSE = "(1 = 1)", "(1 = 0)"
_ACTIVE_SEATS = """SELECT 1 FROM interview_sessions i JOIN assignments a ON a.session_id = i.id
                   WHERE i.candidate_id = c.id AND a.recused_at IS NULL"""
STAGE = f"""CASE
    WHEN EXISTS (SELECT 1 FROM decisions d WHERE d.candidate_id = c.id) THEN 'decided'
    WHEN EXISTS (SELECT 1 FROM debriefs b WHERE b.candidate_id = c.id) THEN 'awaiting_decision'
    WHEN EXISTS ({_ACTIVE_SEATS})
     AND NOT EXISTS ({_ACTIVE_SEATS}
                     AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id))
    THEN 'ready'
    ELSE 'waiting' END"""

# The candidates on which the actor (the parameter) has an unrecused seat without a scorecard
# (`CandidateFacts.pending`): one set, read once from the actor's own open seats (an index of
# their seats alone), then each candidate looked up in it.
_PENDING = """c.id IN (
    SELECT i.candidate_id FROM assignments a INDEXED BY open_seats_by_interviewer
    JOIN interview_sessions i ON i.id = a.session_id
    WHERE a.interviewer_id = ? AND a.recused_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id))"""
_CARDS_IN = """(SELECT COUNT(*) FROM interview_sessions i JOIN assignments a ON a.session_id = i.id
                WHERE i.candidate_id = c.id AND a.recused_at IS NULL
                  AND EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id))"""
_VOTERS = "(SELECT COUNT(DISTINCT v.member_id) FROM committee_votes v WHERE v.candidate_id = c.id)"


def needs(
    stage: str,
    *,
    actor_id: int,
    scores: bool,
    interviews: bool,
    manages: bool,
    votes: bool,
    strategy_kind: str,
    quorum: int,
) -> tuple[str, list[object]]:
    """`pipeline.needs_of` in SQL over `c` (a candidate of this opening: its id and
    withdrawn_at), with `stage` the SQL of the candidate's stage, and its parameters. What
    the service decided from the actor's powers chooses the tests: `scores` (an interviewer
    with a seat on this opening), `interviews` (a seat on it at all: else there is no own
    scorecard to wait for), `manages` (the opening's hiring manager), `votes` (a member of a
    committee opening). Each test is a few indexed lookups, the cheap ones first (SQLite stops
    at the first false term)."""
    pending, own = (_PENDING, [actor_id]) if interviews else (FALSE, [])
    tests: list[str] = []
    params: list[object] = []
    if scores:
        tests.append(pending)
        params += own
    if manages:
        # every scorecard in, not open: open it; open and undecided: decide, once the rule has
        # something to record (`pipeline._decidable`). Both wait for one's own open seat.
        decidable, needed = TRUE, []
        if strategy_kind == "vote":
            decidable, needed = f"{_CARDS_IN} >= ?", [quorum]
        elif strategy_kind == "committee":
            decidable, needed = f"{_VOTERS} >= ?", [max(quorum, 1)]
        tests.append(
            f"""(({stage} = 'ready' OR ({stage} = 'awaiting_decision' AND {decidable}))
                 AND NOT {pending})"""
        )
        params += [*needed, *own]
    if votes:
        tests.append(
            f"""({stage} = 'awaiting_decision'
                 AND NOT EXISTS (SELECT 1 FROM committee_votes v
                                 WHERE v.candidate_id = c.id AND v.member_id = ?)
                 AND NOT {pending})"""
        )
        params += [actor_id, *own]
    if not tests:
        return FALSE, []
    return f"(c.withdrawn_at IS NULL AND ({' OR '.join(tests)}))", params


# The opening's candidates who have reached the on-site loop: every screen and take-home in
# front of it advanced (an opening without stages has none). Those still before it are on
# Screens to review, the Candidates page and the funnel.
_OF_OPENING = """c.opening_id = ? AND NOT EXISTS (
    SELECT 1 FROM opening_stages t
    WHERE t.opening_id = c.opening_id AND t.kind IN ('screen', 'take_home')
      AND coalesce((SELECT x.outcome FROM stage_outcomes x
                    WHERE x.candidate_id = c.id AND x.position = t.position
                    ORDER BY x.id DESC LIMIT 1), '') <> 'advance')"""
# the day's sessions through the start-time index: bounded by that day's interviews
_ON_DAY = """ AND c.id IN (SELECT i.candidate_id FROM interview_sessions i
                                      INDEXED BY sessions_by_start
                                      WHERE i.starts_at >= ? AND i.starts_at < ?)"""


def counts(on_day: bool, mine: str) -> str:
    """Candidates of an opening (opening id, then the day's start and end with `on_day`) by
    stage: how many, how many with no session yet, how many need the viewer (`mine`, the
    `needs` SQL over `c.stage`, its parameters last) and of those how many have no session.
    Each candidate's stage is worked out once (materialised)."""
    where = _OF_OPENING + (_ON_DAY if on_day else "")
    return f"""WITH c AS MATERIALIZED (
                  SELECT c.id, c.withdrawn_at, {STAGE} AS stage,
                         NOT EXISTS (SELECT 1 FROM interview_sessions u
                                     WHERE u.candidate_id = c.id) AS none
                  FROM candidates c WHERE {where})
                SELECT stage, COUNT(*), SUM(CASE WHEN none THEN 1 ELSE 0 END),
                       SUM(CASE WHEN need THEN 1 ELSE 0 END),
                       SUM(CASE WHEN need AND none THEN 1 ELSE 0 END)
                FROM (SELECT stage, none, {mine} AS need FROM c) AS staged GROUP BY stage"""


def _narrowed(where: str, stage: bool, mine: str | None) -> str:
    """The stage filter (its parameter) and the "needs me" test (`needs` over the stage SQL,
    its parameters) added to a WHERE over `candidates c`."""
    if stage:
        where += f" AND ({STAGE}) = ?"
    if mine is not None:
        where += f" AND {mine}"
    return where


def unscheduled(stage: bool, mine: str | None) -> str:
    """Candidates of an opening with no session yet, newest added first (then LIMIT, OFFSET)."""
    where = _narrowed(_OF_OPENING, stage, mine)
    return f"""SELECT c.id FROM candidates c WHERE {where} AND NOT EXISTS
                      (SELECT 1 FROM interview_sessions u WHERE u.candidate_id = c.id)
                    ORDER BY c.id DESC LIMIT ? OFFSET ?"""


def walk(on_day: bool, stage: bool, mine: str | None, newest_first: bool) -> str:
    """The scheduled candidates of an opening, one row per session, down (or up) the
    start-time index: the opening, the day's start and end with `on_day`, then the filters'."""
    where = _OF_OPENING + (" AND i.starts_at >= ? AND i.starts_at < ?" if on_day else "")
    where = _narrowed(where, stage, mine)
    return f"""SELECT i.candidate_id FROM interview_sessions i INDEXED BY sessions_by_start
                JOIN candidates c ON c.id = i.candidate_id WHERE {where}
                ORDER BY i.starts_at {"DESC" if newest_first else "ASC"}, i.candidate_id"""


def sessions(n: int) -> str:
    """The first start, how many sessions and how many ended (the moment first) of `n`
    candidates."""
    return f"""SELECT candidate_id, MIN(starts_at) AS first, COUNT(*) AS planned,
                           SUM(CASE WHEN ends_at <= ? THEN 1 ELSE 0 END) AS done
                    FROM interview_sessions WHERE candidate_id IN ({marks(n)})
                    GROUP BY candidate_id"""


def decisions(n: int) -> str:
    """The decision in force (the latest) of `n` candidates, with who made it."""
    return f"""SELECT d.candidate_id, d.outcome, d.rationale, p.name
                    FROM decisions d JOIN people p ON p.id = d.decided_by
                    WHERE d.id IN (SELECT MAX(id) FROM decisions WHERE candidate_id IN ({marks(n)})
                                   GROUP BY candidate_id)"""


def active_cards(n: int) -> str:
    """The latest revision of every non-recused seat of `n` candidates, by candidate and in
    session order."""
    return f"""SELECT s.id FROM interview_sessions i
                    JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
                    JOIN scorecards s ON s.assignment_id = a.id
                    WHERE i.candidate_id IN ({marks(n)}) AND s.revision =
                      (SELECT MAX(revision) FROM scorecards WHERE assignment_id = a.id)
                    ORDER BY i.candidate_id, i.position, a.id"""


def votes(n: int) -> str:
    """Each committee member's vote in force on `n` candidates, in the order cast."""
    return f"""SELECT v.candidate_id, v.member_id, v.vote, p.name
                    FROM committee_votes v JOIN people p ON p.id = v.member_id
                    WHERE v.id IN (SELECT MAX(id) FROM committee_votes
                                   WHERE candidate_id IN ({marks(n)})
                                   GROUP BY candidate_id, member_id)
                    ORDER BY v.id"""


# What `needs` is told a candidate's stage is: in `counts`, the materialised column; elsewhere
# the stage worked out in place.
STAGE_COLUMN = "c.stage"
STAGE_TERM = f"({STAGE})"
