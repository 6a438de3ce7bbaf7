"""Legal holds (issue 28): a coordinator keeps a candidate's data past its retention date, and
stops their erasure, until the hold is lifted. Each placing and lifting is a row of
`legal_holds` (append-only; the latest row per candidate counts), with its reason sealed under
the candidate's data key (`scoring.personal`), and an audit entry whose detail holds the sealed
reason: once the candidate is erased, neither says anything more.

Below both `scoring.retention` (which never erases a held candidate) and `scoring.erasure`
(which refuses one), so that neither imports the other for it; `scoring.retention` re-exports
these names."""

from __future__ import annotations

from datetime import datetime

from scoring import audit, personal
from scoring.database import Database
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.queries import retention as Q
from scoring.store import now_utc, stamp
from scoring.text import REASON_MAX, check_length, check_one_line, neutral_bidi


def on_hold(db: Database, candidate_id: int) -> str | None:
    """The reason of the legal hold in force on the candidate (opened), or None when there is
    none (never placed, or lifted)."""
    row = db.execute(Q.LATEST_HOLD, [candidate_id]).fetchone()
    return row["reason"] if row is not None and row["held"] == 1 else None


def _reason(reason: str | None) -> str:
    text = neutral_bidi(check_length("reason", (reason or "").strip(), REASON_MAX)).strip()
    check_one_line("reason", text)
    if not text:
        raise InvalidInput("reason: say why (it is kept with the hold, sealed)")
    return text


def _change(g: Granted, candidate_id: int, held: bool, reason: str, now: datetime | None) -> None:
    db, at = g.db, now or now_utc()
    reason = _reason(reason)
    if db.execute(Q.ERASED, [candidate_id]).fetchone() is not None:
        raise InvalidInput(
            f"candidate: candidate {candidate_id} is erased: there is nothing to hold"
        )
    in_force = on_hold(db, candidate_id) is not None
    if held and in_force:
        raise InvalidInput("candidate: a legal hold is already placed on this candidate")
    if not held and not in_force:
        raise InvalidInput("candidate: there is no legal hold on this candidate to lift")
    sealed = personal.seal(db, candidate_id, reason)
    db.execute(Q.ADD_HOLD, [candidate_id, int(held), g.actor.id, stamp(at), sealed])
    audit.record(
        db,
        g.actor.id,
        "place_hold" if held else "lift_hold",
        f"candidate:{candidate_id}",
        at,
        reason=sealed,
    )


@guarded("hold_candidate", on="candidate_id", write=True)
def place_hold(g: Granted, candidate_id: int, reason: str, now: datetime | None = None) -> None:
    """A coordinator places a legal hold on a candidate, saying why (one line, at most
    `REASON_MAX` characters, sealed): retention keeps them and erasure is refused until it is
    lifted. Refused for a candidate already held or erased."""
    _change(g, candidate_id, True, reason, now)


@guarded("hold_candidate", on="candidate_id", write=True)
def lift_hold(g: Granted, candidate_id: int, reason: str, now: datetime | None = None) -> None:
    """A coordinator lifts the legal hold on a candidate, saying why: retention looks at them
    again (and erases them, after notice, if their time is up). Refused when there is no hold."""
    _change(g, candidate_id, False, reason, now)
