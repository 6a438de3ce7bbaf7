"""The debrief's day view: an opening's interview days and, for one day, each candidate's status,
outcome, flags and decision as the viewer may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from scoring.debrief_panel import Panel, board, decisions
from scoring.guards import Granted, guarded
from scoring.models.openings import Opening
from scoring.opening_record import load as load_opening
from scoring.openings import list_openings
from scoring.permissions import OWN_FIRST, Person, candidate_facts, may, why_not
from scoring.queries import debrief as Q
from scoring.scorecards import candidate_label
from scoring.store import Store, now_utc, parse_stamp, stamp


@dataclass(frozen=True)
class DayRow:
    """One candidate on the opening's day view. Outcome and flags only where the actor may see
    that candidate's scores now, the decision only where they may see it; `hidden` says why
    not, and `note` is the short word for the row when the actor's own scorecard is missing."""

    candidate_id: int
    candidate: str
    expected: int
    submitted: int
    overdue: int
    debrief_open: bool
    outcome: str | None
    flags: tuple[str, ...]
    score: float | None
    decision: str | None
    decided_by: str | None
    hidden: str | None
    note: str = ""


def debrief_openings(store: Store, actor: Person) -> list[Opening]:
    """The openings whose debriefs the actor may run or sit in."""
    return list_openings(store, actor, "see_debriefs")


def _midnight(day: date, zone: tzinfo) -> datetime:
    """The start of a day where the viewer is (a zone's day may not be 24 hours)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone)


@guarded("see_debriefs", on="opening_id")
def interview_days(
    g: Granted,
    opening_id: int,
    around: date | None = None,
    each_way: int = 14,
    zone: tzinfo = UTC,
) -> list[date]:
    """Days on which the opening has interviews, newest first: up to `each_way` days after
    `around` (default today) and `each_way` on or before it, as days in `zone` (the viewer's).
    Each step walks the start-time index to the next day with one of this opening's sessions,
    so a long history costs nothing."""
    centre = around or now_utc().astimezone(zone).date()
    midnight = _midnight(centre + timedelta(days=1), zone)

    def step(bound: datetime, later: bool) -> date | None:
        row = g.db.execute(
            Q.NEXT_DAY if later else Q.PREVIOUS_DAY, [stamp(bound), opening_id]
        ).fetchone()
        return parse_stamp(row["starts_at"]).astimezone(zone).date() if row else None

    days: list[date] = []
    for later in (True, False):
        bound = midnight
        for _ in range(each_way):
            found = step(bound, later)
            if found is None:
                break
            days.append(found)
            bound = _midnight(found + timedelta(days=1) if later else found, zone)
    return sorted(set(days), reverse=True)


@guarded("see_debriefs", on="opening_id")
def day_view(
    g: Granted,
    opening_id: int,
    day: date,
    now: datetime | None = None,
    zone: tzinfo = UTC,
) -> list[DayRow]:
    """The candidates of an opening interviewed on `day` (a day in `zone`, the viewer's):
    status, outcome, flags, decision."""
    db, actor = g.db, g.actor
    at = now or now_utc()
    start, end = _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
    opening = load_opening(db, opening_id)
    ids = [r[0] for r in db.execute(Q.DAY_CANDIDATES, [opening_id, stamp(start), stamp(end)])]
    rows = []
    for candidate_id in ids:
        facts = candidate_facts(db, candidate_id)
        active = [s for s in board(db, candidate_id, at) if s.state != "recused"]
        hidden = why_not(actor, "see_scores", facts)
        result = None
        if hidden is None:
            result = Panel(db, actor, facts, opening).run(opening.strategy)
        final = decisions(db, candidate_id)[-1:] if may(actor, "see_decision", facts) else []
        rows.append(
            DayRow(
                candidate_id=candidate_id,
                candidate=candidate_label(db, actor, candidate_id, facts),
                expected=len(active),
                submitted=sum(s.submitted_at is not None for s in active),
                overdue=sum(s.state == "overdue" for s in active),
                debrief_open=facts.debrief_open,
                outcome=result.outcome if result else None,
                flags=tuple(result.flags) if result else (),
                score=result.score if result else None,
                decision=final[0].outcome if final else None,
                decided_by=final[0].decided_by if final else None,
                hidden=hidden,
                note="Submit your own scorecard first" if hidden == OWN_FIRST else "",
            )
        )
    return rows
