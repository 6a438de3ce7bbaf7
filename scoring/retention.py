"""Retention (issue 28): a candidate is not kept longer than needed. Once their process has
ended, they are erased (`scoring.erasure`) the number of days the ``[retention]`` settings give
after it (`scoring.retention_settings`), after a notice to every coordinator, unless a legal
hold is on them (`scoring.legal_holds`, whose names are importable from here).

**When a candidate is due.** Where they stand is their opening's process walked through their
stage outcomes, the decision in force and their withdrawal (`scoring.stages.progress`):

- rejected (the decision in force is not to hire, or a rejection at a stage is): due
  ``rejected_days`` after that decision;
- withdrawn (or declined the offer): ``withdrawn_days`` after the withdrawal;
- hired (the loop's decision, or the offer accepted): ``hired_days`` after it. A period of 0
  keeps them: retention never erases that kind of candidate (hires, by default).

Candidates still in process are never due; an erased one is never looked at again; a held one
is never erased, and shows on Status as held. Lifting the hold makes them due again.

**Off until configured.** Without a ``[retention]`` table (or a ``$DEBRIEF_RETENTION_<KEY>``),
a run does nothing and says so (`NOT_CONFIGURED`), and Status says the same instead of listing
due dates (it still lists the holds): nothing is deleted that nobody asked to delete.

**A run** (`retain`, daily from the mail worker through `daily`, or ``python -m scoring
retain``): (a) every candidate due within ``notice_days`` who has not been noticed for that
due date gets a row in `retention_notices`, and every active coordinator one email listing them
by alias and id with their date (never by name: the mailbox outlives the erasure); (b) every
candidate past due, noticed at least ``notice_days`` before and not held, is erased, each in a
unit of work of its own (`erasure.erase_in`), and the freed pages scrubbed once at the end. A
candidate never noticed (retention was off, or the date just moved) is noticed first and erased
``notice_days`` later. The run is one audit entry by the system (``retention_run``). Every run
that is not a dry run also scrubs first (`erasure.scrub`), so that a write-ahead log left busy
by an earlier erasure is scrubbed the next day; a scrub that found it busy is said in the
summary and the audit entry (``scrubbed``).

**Bounded.** Who may be due is found by a range over the times of decisions, stage outcomes and
withdrawals, from a horizon (`LOOKBACK` before the longest period and the notice) to the latest
moment that can be due within the notice, plus the few candidates ever held: Status costs what
that window holds, not the whole history. A run looks at the whole history once when it has
no recent run with the same settings to follow (the first run, a changed setting, a long
pause), so that nobody is left behind the horizon.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo

from scoring import audit, erasure, leases, retention_notice, stages
from scoring.database import Database
from scoring.errors import DebriefError
from scoring.guards import Granted, guarded
from scoring.legal_holds import lift_hold, on_hold, place_hold
from scoring.models.people import Person
from scoring.outbox_words import NAME_LIMIT
from scoring.permissions import current, may, organisation
from scoring.queries import retention as Q
from scoring.retention_settings import NOT_CONFIGURED, RetentionSettings, configured
from scoring.settings import mail_zone, one_line
from scoring.store import Store, now_utc, parse_stamp, stamp

__all__ = [
    "NOT_CONFIGURED",
    "Due",
    "RetentionRun",
    "RetentionView",
    "daily",
    "day",
    "due",
    "lift_hold",
    "may_see_due",
    "on_hold",
    "place_hold",
    "retain",
    "standing",
]

LOOKBACK = timedelta(days=30)
"""How far past a due date a daily run still looks: a run that follows one within this long
with the same settings looks no further back; otherwise it looks at the whole history."""
ROWS = 50
"""At most this many candidates of each list on Status."""
LEASE = "retention"
"""The lease that makes retention run once a day among every worker (`daily`)."""
EVERY = timedelta(days=1)
RETRY = timedelta(hours=1)
"""A daily run that failed is tried again this much later, not a day later."""
_CHUNK = 500
_BEGINNING = datetime(1900, 1, 1, tzinfo=UTC)
_OFF = RetentionSettings(rejected_days=0, withdrawn_days=0, hired_days=0, notice_days=0)
"""How candidates are looked at while retention is not configured: nobody is due (the held
are still listed)."""
# Where a candidate stands -> the kind of ending retention counts from ("done": every stage
# passed in a process that ends with neither loop nor offer: kept as a hire is).
_ENDINGS = {"rejected": "rejected", "withdrawn": "withdrawn", "hired": "hired", "done": "hired"}
_AFTER = {"rejected": "decision", "withdrawn": "withdrawal", "hired": "decision"}
_ENDED_WORDS = {"rejected": "rejected", "withdrawn": "withdrew", "hired": "hired"}


# ------------------------------------------------------------------------------- who is due


def day(moment: datetime | None, zone: tzinfo = UTC) -> str:
    """A moment's date in `zone`, YYYY-MM-DD ("" for none)."""
    return moment.astimezone(zone).date().isoformat() if moment else ""


@dataclass(frozen=True)
class Due:
    """One candidate as retention sees them: by alias and id (never by name), how and when
    their process ended, when they are due, the notice sent for that date, and the reason of a
    legal hold in force."""

    candidate_id: int
    alias: str
    opening: str
    kind: str  # rejected | withdrawn | hired | in process
    ended_at: datetime | None
    days: int  # the period of their kind (0: kept)
    due_at: datetime | None  # None: not due (in process, or kept)
    noticed_at: datetime | None = None  # the notice for this due date
    hold: str | None = None  # the hold's reason, opened

    @property
    def due_on(self) -> str:
        """The due date (UTC), as the notices record it: YYYY-MM-DD ("" when not due)."""
        return self.due_at.astimezone(UTC).date().isoformat() if self.due_at else ""

    def due_by(self, moment: datetime) -> bool:
        """Due at or before `moment` (never, when not due at all)."""
        return self.due_at is not None and self.due_at <= moment

    def erase_from(self, settings: RetentionSettings) -> datetime | None:
        """The first moment a run may erase them: the due date, and not before `notice_days`
        after their notice (None until they are noticed, or when they are not due)."""
        if self.due_at is None or self.noticed_at is None:
            return None
        return max(self.due_at, self.noticed_at + timedelta(days=settings.notice_days))

    @property
    def why(self) -> str:
        """Why they are due, in words, dated in UTC (`why_in`)."""
        return self.why_in(UTC)

    def why_in(self, zone: tzinfo) -> str:
        """Why they are due, in words, dated in `zone`: "rejected 2026-03-01; kept 180 days
        after the decision"."""
        if self.ended_at is None or self.kind not in _AFTER:
            return "still in process"
        ended = f"{_ENDED_WORDS[self.kind]} {day(self.ended_at, zone)}"
        if not self.days:
            return f"{ended}; kept (never erased by retention)"
        return f"{ended}; kept {self.days} days after the {_AFTER[self.kind]}"

    @property
    def erasure_reason(self) -> str:
        """What the erasure records: "retention: 180 days after decision"."""
        return f"retention: {self.days} days after {_AFTER.get(self.kind, 'decision')}"

    @property
    def label(self) -> str:
        """How a list names them: "C-7 (candidate 12)"."""
        return f"{one_line(self.alias, NAME_LIMIT)} (candidate {self.candidate_id})"


def _holds(db: Database) -> dict[int, str | None]:
    """Every candidate ever held and not erased: the hold's reason when it is in force, None
    when it was lifted."""
    return {
        r["candidate_id"]: (r["reason"] if r["held"] == 1 else None) for r in db.execute(Q.HOLDS)
    }


def _window(settings: RetentionSettings, at: datetime, full: bool) -> tuple[datetime, datetime]:
    """The moments a process may have ended at to be of interest at `at`: due by the end of
    the notice (the shortest period), and due no earlier than `LOOKBACK` and a notice before
    `at` (the longest) unless `full`."""
    notice = timedelta(days=settings.notice_days)
    until = at + notice - timedelta(days=settings.periods[0])
    since = _BEGINNING if full else at - LOOKBACK - notice - timedelta(days=settings.periods[-1])
    return since, until


def standing(
    db: Database, ids: list[int], settings: RetentionSettings, holds: dict[int, str | None]
) -> list[Due]:
    """Each of the candidates as retention sees them (a few queries per 500 of them), with the
    notice sent for their due date and their hold (`holds`: candidate -> reason in force)."""
    found: list[Due] = []
    for n in range(0, len(ids), _CHUNK):
        chunk = ids[n : n + _CHUNK]
        where = stages.progress(db, chunk)
        names = {r["id"]: r for r in db.execute(Q.labels(len(chunk)), chunk)}
        sent: dict[int, dict[str, datetime]] = {}
        for r in db.execute(Q.notices(len(chunk)), chunk):
            sent.setdefault(r["candidate_id"], {})[r["due_on"]] = parse_stamp(r["noticed_at"])
        for candidate_id in chunk:
            progress = where.get(candidate_id)
            if progress is None:
                continue
            kind = _ENDINGS.get(progress.state)
            ended = progress.steps[-1].left_at if kind and progress.steps else None
            days = settings.days_for(kind) if kind else 0
            due_at = ended + timedelta(days=days) if ended is not None and days else None
            entry = Due(
                candidate_id=candidate_id,
                alias=names[candidate_id]["alias"],
                opening=names[candidate_id]["opening_title"],
                kind=kind if ended is not None else "in process",
                ended_at=ended,
                days=days,
                due_at=due_at,
                hold=holds.get(candidate_id),
            )
            noticed = sent.get(candidate_id, {}).get(entry.due_on) if due_at else None
            found.append(replace(entry, noticed_at=noticed))
    return found


def _look(db: Database, settings: RetentionSettings, at: datetime, full: bool) -> list[Due]:
    """Everyone who may be due, noticed or held at `at`: those who ended their process in the
    window (`_window`), and everyone ever held. Only those with a due date or a hold."""
    holds = _holds(db)
    ids = set(holds)
    if settings.periods:
        since, until = _window(settings, at, full)
        bounds = [stamp(since), stamp(until)] * 3
        ids |= {r[0] for r in db.execute(Q.ENDED_BETWEEN, bounds)}
    return [
        d
        for d in standing(db, sorted(ids), settings, holds)
        if d.due_at is not None or d.hold is not None
    ]


def _by_date(entries: list[Due]) -> list[Due]:
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(entries, key=lambda d: (d.due_at or far, d.candidate_id))


@dataclass(frozen=True)
class RetentionView:
    """What Status shows of retention (coordinators): who is due within the notice, who is past
    due (erased by the next run once their notice has run), and who is held; each list the
    first `ROWS` by due date, with its full count. `settings` None: retention is not configured
    (nobody is due; the held are listed)."""

    settings: RetentionSettings | None
    at: datetime
    soon: list[Due]
    soon_count: int
    overdue: list[Due]
    overdue_count: int
    held: list[Due]
    held_count: int


@guarded("run_retention")
def due(
    g: Granted, now: datetime | None = None, settings: RetentionSettings | None = None
) -> RetentionView:
    """Who retention erases when, for Status (coordinators): due within `notice_days`, past
    due, and held; counts, and at most `ROWS` of each by alias and id. Bounded by the window of
    `_window`, plus the candidates ever held. Not configured (`configured`): `settings` is
    None, and only the held are listed."""
    at = now or now_utc()
    settings = settings or configured()
    found = _look(g.db, settings or _OFF, at, full=False)
    notice = timedelta(days=settings.notice_days if settings else 0)
    free = [d for d in found if d.hold is None and d.due_at is not None]
    soon = _by_date([d for d in free if d.due_by(at + notice) and not d.due_by(at)])
    overdue = _by_date([d for d in free if d.due_by(at)])
    held = _by_date([d for d in found if d.hold is not None])
    return RetentionView(
        settings=settings,
        at=at,
        soon=soon[:ROWS],
        soon_count=len(soon),
        overdue=overdue[:ROWS],
        overdue_count=len(overdue),
        held=held[:ROWS],
        held_count=len(held),
    )


def may_see_due(store: Store, actor: Person | None) -> bool:
    """May the actor see what retention erases (`run_retention`)? For Status, which shows the
    section only to those who may."""
    with store.read() as db:
        try:
            person = current(db, actor)
        except DebriefError:
            return False
        return may(person, "run_retention", organisation(db))


# ------------------------------------------------------------------------------------ a run


@dataclass
class RetentionRun:
    """What a run did (or, in a dry run, would do): the candidates noticed, erased, held (due
    but kept by a hold), waiting out their notice, and those whose erasure failed (id: why).
    `settings` None: retention is not configured, and the run did nothing."""

    at: datetime
    settings: RetentionSettings | None
    dry_run: bool = False
    full: bool = False  # it looked at the whole history
    scrubbed: bool = True  # False: the write-ahead log was busy (the next run scrubs again)
    noticed: list[Due] = field(default_factory=list)
    erased: list[Due] = field(default_factory=list)
    held: list[Due] = field(default_factory=list)
    waiting: list[Due] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        """The counts on one line ("2 erased, 1 noticed, 1 held"), then one line per candidate
        (alias and id, never a name). Not configured: `NOT_CONFIGURED`, alone."""
        if self.settings is None:
            return NOT_CONFIGURED
        if self.dry_run:
            head = (
                f"dry run, nothing done: {len(self.erased)} to erase, {len(self.noticed)} to"
                f" notice, {len(self.held)} held"
            )
        else:
            head = f"{len(self.erased)} erased, {len(self.noticed)} noticed, {len(self.held)} held"
        if self.waiting:
            head += f", {len(self.waiting)} past due waiting out their notice"
        if self.failed:
            head += f", {len(self.failed)} failed"
        if not self.scrubbed:
            head += (
                "; the write-ahead log was busy, so it is not scrubbed yet: the next run scrubs it"
                " again"
            )
        lines = [head]
        verb = "to erase" if self.dry_run else "erased"
        lines += [f"{verb}: {d.label}, {d.erasure_reason}" for d in self.erased]
        verb = "to notice" if self.dry_run else "noticed"
        lines += [f"{verb}: {d.label}, due {d.due_on}" for d in self.noticed]
        lines += [f"held: {d.label}, due {d.due_on}" for d in self.held]
        lines += [
            f"waiting: {d.label}, due {d.due_on}, noticed"
            f" {d.noticed_at.date().isoformat() if d.noticed_at else 'now'}"
            for d in self.waiting
        ]
        lines += [f"failed: candidate {i}: {why}" for i, why in self.failed.items()]
        return "\n".join(lines)


def _full_pass(db: Database, settings: RetentionSettings, at: datetime) -> bool:
    """Whether a run must look at the whole history: no earlier run, one with other settings,
    or none within `LOOKBACK` before `at`."""
    row = db.execute(Q.LAST_RUN).fetchone()
    if row is None:
        return True
    try:
        detail = json.loads(row["detail"])
    except ValueError:
        return True
    last = parse_stamp(row["at"])
    if detail.get("settings") != settings.as_dict() or last is None:
        return True
    return not (last <= at <= last + LOOKBACK)


def retain(
    store: Store,
    now: datetime | None = None,
    dry_run: bool = False,
    *,
    settings: RetentionSettings | None = None,
) -> RetentionRun:
    """One retention run at `now` (see the module's docstring): notices, then erasures, then
    one audit entry by the system. `dry_run`: what would be done, and nothing is. Not
    configured (no [retention]: `configured`): nothing is done, and the run says so. Raises
    `RetentionSettingsProblem` for wrong [retention] settings, before anything is done.
    Otherwise, scrubs first (an earlier run or erasure may have found the write-ahead log
    busy), and again after erasing anyone."""
    at = now or now_utc()
    settings = settings or configured()
    if settings is None:
        return RetentionRun(at=at, settings=None, dry_run=dry_run)
    notice = timedelta(days=settings.notice_days)
    scrubbed = dry_run or erasure.scrub(store)
    with store.read() as db:
        full = _full_pass(db, settings, at)
        found = _look(db, settings, at, full)
    run = RetentionRun(at=at, settings=settings, dry_run=dry_run, full=full, scrubbed=scrubbed)
    run.held = _by_date([d for d in found if d.hold is not None and d.due_by(at + notice)])
    free = _by_date([d for d in found if d.hold is None and d.due_at is not None])
    to_notice = [d for d in free if d.due_by(at + notice) and d.noticed_at is None]
    to_erase = [
        d for d in free if d.due_by(at) and d.noticed_at is not None and d.noticed_at + notice <= at
    ]
    if dry_run:
        run.noticed, run.erased = to_notice, to_erase
        run.waiting = [d for d in free if d.due_by(at) and d not in to_erase]
        return run
    if to_notice:
        run.noticed = _notify(store, to_notice, settings, at)
        # With no notice period, a candidate noticed now who is past due goes now too.
        to_erase += [
            replace(d, noticed_at=at)
            for d in run.noticed
            if d.due_by(at) and not settings.notice_days
        ]
    for entry in to_erase:
        outcome = _erase(store, entry, settings, at)
        if outcome == "erased":
            run.erased.append(entry)
        elif outcome == "held":
            run.held.append(entry)
        elif outcome is not None:
            run.failed[entry.candidate_id] = outcome
    # past due and still here: waiting out their notice (not erased, held since, or failed)
    done = {d.candidate_id for d in run.erased + run.held} | set(run.failed)
    run.waiting = [d for d in free if d.due_by(at) and d.candidate_id not in done]
    if run.erased:
        run.scrubbed = erasure.scrub(store)
    with store.write() as db:
        audit.record(
            db,
            None,
            "retention_run",
            "retention",
            at,
            erased=[d.candidate_id for d in run.erased],
            noticed=[d.candidate_id for d in run.noticed],
            held=[d.candidate_id for d in run.held],
            waiting=[d.candidate_id for d in run.waiting],
            failed=sorted(run.failed),
            full=full,
            scrubbed=run.scrubbed,
            settings=settings.as_dict(),
        )
    return run


def _erase(store: Store, entry: Due, settings: RetentionSettings, at: datetime) -> str | None:
    """Erase one candidate in a unit of work of its own, after checking again, in it, that they
    are still due on the date they were noticed for and not held (a hold placed since the run
    began wins). "erased", "held", None (no longer due: nothing done) or why it failed."""
    try:
        with store.write() as db:
            if db.execute(Q.ERASED, [entry.candidate_id]).fetchone() is not None:
                return None
            if on_hold(db, entry.candidate_id) is not None:
                return "held"
            now = standing(db, [entry.candidate_id], settings, {})
            if not now or now[0].due_on != entry.due_on or now[0].noticed_at is None:
                return None
            when = now[0].erase_from(settings)
            if when is None or when > at:
                return None
            erasure.erase_in(
                db,
                entry.candidate_id,
                by_id=None,
                basis="retention",
                reason=entry.erasure_reason,
                at=at,
            )
    except DebriefError as problem:
        return str(problem)
    return "erased"


def _notify(
    store: Store, entries: list[Due], settings: RetentionSettings, at: datetime
) -> list[Due]:
    """Record the notice of each candidate for their due date and mail every active
    coordinator the list, in one unit of work; returns those noticed now (not held, not erased,
    not noticed by another run meanwhile)."""
    with store.write() as db:
        fresh = []
        for entry in entries:
            if db.execute(Q.ERASED, [entry.candidate_id]).fetchone() is not None:
                continue
            if on_hold(db, entry.candidate_id) is not None:
                continue
            added = db.execute(Q.ADD_NOTICE, [entry.candidate_id, entry.due_on, stamp(at)])
            if added.rowcount:
                fresh.append(replace(entry, noticed_at=at))
        if not fresh:
            return []
        recipients = [
            row
            for row in db.execute(Q.COORDINATORS).fetchall()
            if Person.from_row(row).has("coordinator")
        ]
        zone = mail_zone()  # dates as messages write them
        lines = [
            f"{d.label}, {d.opening}: erased from {day(d.erase_from(settings), zone)}"
            f" ({d.why_in(zone)})"
            for d in fresh
        ]
        first = min(d.erase_from(settings) or at for d in fresh).astimezone(zone).date()
        messages = [
            retention_notice.queue(db, person, lines, first, settings.words(), at)
            for person in recipients
        ]
        audit.record(
            db,
            None,
            "retention_notice",
            "retention",
            at,
            candidates={str(d.candidate_id): d.due_on for d in fresh},
            recipients=[p["id"] for p in recipients],
            messages=messages,
        )
    return fresh


# ------------------------------------------------------------------------------- once a day


def daily(store: Store, now: datetime | None = None) -> RetentionRun | None:
    """The mail worker's daily run: `retain` when a day has passed since the last one, among
    every worker on the database (the `LEASE` runs for a day from each run; whoever finds it
    run out takes it and runs). None when it is not time yet. A run that fails is tried again
    `RETRY` later."""
    at = now or now_utc()
    if leases.holder(store, LEASE, now=at) is not None:  # a read: most rounds stop here
        return None
    holder = leases.holder_id()  # a new holder each time: the lease is taken only once run out
    if not leases.hold(store, LEASE, holder, EVERY, now=at):
        return None
    try:
        return retain(store, now=at)
    except Exception:
        leases.hold(store, LEASE, holder, RETRY, now=at)
        raise
