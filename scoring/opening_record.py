"""An opening as it is stored, and what every service of an opening reads.

The `Opening` record (defined in `scoring.models.openings`, importable from here as before),
the rubrics an opening froze (snapshots keyed by content hash, read and parsed once per process:
`rubric_snapshot`, `rubric`), reading one opening (`load`), and the check every change to an
opening, its candidates or its days makes (`ensure_open`: it exists and is not closed). The
lowest of the openings modules: `candidates`, `schedule`, `schedule_changes` and `openings` build
on it, and it imports none of them.
"""

from __future__ import annotations

from scoring.errors import HistoryBroken, InvalidInput, NotFound
from scoring.models.openings import Opening
from scoring.models.openings import RevealRule as RevealRule  # callers import it from here
from scoring.queries import openings as Q
from scoring.rubric import Rubric
from scoring.store import Store


def snapshot_rubric(db, rubric: Rubric) -> str:
    """Store a rubric's content under its hash (once) and return the hash."""
    known = db.execute(Q.RUBRIC_KNOWN, [rubric.content_hash]).fetchone()
    if not known:  # snapshots are immutable: an insert over an existing one is refused
        db.execute(
            Q.ADD_RUBRIC,
            [rubric.content_hash, rubric.id, rubric.version, rubric.model_dump_json()],
        )
    return rubric.content_hash


_SNAPSHOTS: dict[str, Rubric] = {}


def rubric_snapshot(db, rubric_hash: str) -> Rubric:
    """The rubric exactly as it was frozen. Snapshots never change and are keyed by their
    content hash, so each is read and parsed once per process (they hold no scores)."""
    if rubric_hash not in _SNAPSHOTS:
        row = db.execute(Q.RUBRIC_CONTENT, [rubric_hash]).fetchone()
        if row is None:
            raise NotFound(f"No rubric snapshot {rubric_hash[:12]}.")
        rubric = Rubric.model_validate_json(row["content"])
        if rubric.content_hash != rubric_hash:
            raise HistoryBroken(
                f"rubric_snapshots {rubric_hash[:12]}: its content no longer matches its hash"
                " (changed outside Debrief); run `python -m scoring verify`"
            )
        _SNAPSHOTS[rubric_hash] = rubric
    return _SNAPSHOTS[rubric_hash]


def rubric(store: Store, rubric_hash: str) -> Rubric:
    """A frozen rubric by its content hash (rubrics hold no scores: anyone may read them)."""
    with store.read() as db:
        return rubric_snapshot(db, rubric_hash)


def load(db, opening_id: int) -> Opening:
    """One opening as stored, on an open unit of work (three small queries; no permission is
    asked: the caller has already asked for what it shows). NotFound when there is none."""
    row = db.execute(Q.OPENING, [opening_id]).fetchone()
    if row is None:
        raise NotFound(f"No opening with id {opening_id}.")
    committee = [r[0] for r in db.execute(Q.COMMITTEE, [opening_id])]
    sessions = db.execute(Q.LOOP_SESSIONS, [opening_id]).fetchall()
    return Opening.from_rows(row, committee, sessions)


def ensure_open(db, opening_id: int) -> None:
    """Refuse a change to an opening that does not exist or is closed."""
    row = db.execute(Q.CLOSED_AT, [opening_id]).fetchone()
    if row is None:
        raise NotFound(f"No opening with id {opening_id}.")
    if row["closed_at"]:
        raise InvalidInput("opening: This opening is closed: nothing more is added or scheduled.")
