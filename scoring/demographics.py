"""Self-identified demographics and the candidate's source (issue 28, item 5; L1381-1383): kept
apart from the candidate's record, never shown per candidate, read only in aggregate by the
adverse-impact figures (`scoring.insights.adverse_impact`).

- **Categories** are configured in the secrets file (`categories`, `min_group`)::

      [demographics]
      min_group = 5
      categories = { gender = ["Woman", "Man", "Non-binary"], veteran = [...] }

  Every category also offers "Prefer not to say" (added when the list leaves it out), which no
  rate counts. Without a ``categories`` key the EEO-style `DEFAULT_CATEGORIES` apply.
- **Answers** (`record`, a coordinator's): validated against the configuration, one row per
  candidate and category (`candidate_demographics`), upserted: a candidate may correct an
  answer. Every category submitted is sealed again and stamped, whether its answer changed or
  not, and what comes back (the return value, the audit entry, the import's summary) names the
  categories submitted, never which changed: recording cannot test a guess of a stored answer.
  The answer is sealed under the candidate's data key (`scoring.personal`) as the JSON
  ``{"answer": ..., "before": ..., "changes": [[since, answer], ...]}``: ``before`` is the
  answer in force at the start of the month it was written in (None: none yet) and
  ``changes`` each answer with the moment it took over, so that the figures, which stop at the
  start of a month (`stage_cutoffs`), read the answer in force then and do not move when one is
  recorded or corrected later. No function returns one candidate's answers (the
  subject-access export reads the table itself).
- **Source**: `candidates.source` read as one of `SOURCES` (`source_category`: a referral, an
  agency, an application, anything else "other"; an empty source is not recorded and not
  counted). The candidates import stores only that word, never an ATS's free text (which can
  name a referrer); a source stored as text before is still read through `source_category`.
  `set_source` sets it to one of them (whoever manages the opening; the audit entry says it was
  set, not to what), and keeps its changes in a ``source`` row of `candidate_demographics` (the
  same JSON), so that a change shows once its month is over, as an answer's does.
- **Figures in batches** (`stage_cutoffs`): a stage's month enters the figures only once at
  least `min_group` candidates have been decided there since the last month that entered; a
  smaller month is carried into the next. So a month that adds one decision at a stage does not
  reveal that candidate's group when it closes.
- **Erasure** (`forget`, inside the erasure's unit of work): the candidate's answers and source
  go into `fairness_tally` as counts per opening, stage, category, answer and month, with no
  candidate in them, in such a way that the figures at any cutoff are what they were; then their
  rows are deleted and their source cleared.

Which stages a candidate was decided at, and how, is read as the funnel reads it
(`scoring.stages`): the latest outcome per screen or take-home, the latest decision for the
on-site loop, the walk stopping at the first stage without an outcome or at a rejection. The
offer's outcome is the candidate's answer, not a selection: it is not counted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring import audit, personal
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.stages import Stage
from scoring.opening_of import opening_of_candidate
from scoring.queries import demographics as Q
from scoring.settings import SettingsProblem, read_secrets
from scoring.stages import process
from scoring.store import now_utc, parse_stamp, stamp

PREFER_NOT = "Prefer not to say"
DEFAULT_MIN_GROUP = 5
LOWEST_MIN_GROUP = 3  # below this no interval says anything (scoring.insights.limits)
SOURCE = "source"  # the tally's category for the candidate's source
SOURCES = ("referral", "agency", "applied", "other")
DEFAULT_CATEGORIES: dict[str, list[str]] = {
    "gender": ["Woman", "Man", "Non-binary", PREFER_NOT],
    "ethnicity": [
        "Hispanic or Latino",
        "White",
        "Black or African American",
        "Asian",
        "Native Hawaiian or Other Pacific Islander",
        "American Indian or Alaska Native",
        "Two or more races",
        PREFER_NOT,
    ],
    "veteran": ["Protected veteran", "Not a protected veteran", PREFER_NOT],
    "disability": ["Has a disability", "No disability", PREFER_NOT],
}
CATEGORY_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")
ANSWER_MAX = 80
ANSWERS_MAX = 30  # answers one category may offer
INPUT_MAX = 200  # what a caller may hand in for one answer before it is even looked at

Key = tuple[int, str, str]  # (stage position, category, answer)
Counts = dict[Key, list[int]]  # -> [advanced, rejected]


# ----------------------------------------------------------------------------- settings


def _section(path: Path | None) -> dict[str, Any]:
    found = read_secrets(path).get("demographics") or {}
    if not isinstance(found, dict):
        raise SettingsProblem("[demographics]: must be a table of settings")
    return found


def categories(path: Path | None = None) -> dict[str, list[str]]:
    """The configured categories, each with the answers it offers in order ("Prefer not to
    say" last when the configuration leaves it out): [demographics] categories, or
    `DEFAULT_CATEGORIES`. SettingsProblem, naming the key, for a malformed one."""
    given = _section(path).get("categories")
    if given is None:
        return {name: list(answers) for name, answers in DEFAULT_CATEGORIES.items()}
    if not isinstance(given, dict) or not given:
        raise SettingsProblem("[demographics] categories: a table of lists of answers")
    found: dict[str, list[str]] = {}
    for name, answers in given.items():
        where = f"[demographics] categories.{name}"
        if not isinstance(name, str) or not CATEGORY_NAME.match(name) or name == SOURCE:
            raise SettingsProblem(
                f"[demographics] categories: {str(name)[:40]!r} must be lowercase letters, digits"
                " and _ (at most 40), and not 'source' (the candidate's source is counted apart)"
            )
        if not isinstance(answers, list) or not answers or len(answers) > ANSWERS_MAX:
            raise SettingsProblem(f"{where}: a list of 1 to {ANSWERS_MAX} answers")
        clean: list[str] = []
        for i, answer in enumerate(answers):
            if not isinstance(answer, str) or not answer.strip() or len(answer) > ANSWER_MAX:
                raise SettingsProblem(f"{where}[{i}]: an answer of 1 to {ANSWER_MAX} characters")
            text = " ".join(answer.split())
            if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
                raise SettingsProblem(f"{where}[{i}]: one line, without control characters")
            if text.casefold() in {a.casefold() for a in clean}:
                raise SettingsProblem(f"{where}[{i}]: {text!r} is there twice")
            clean.append(text)
        if PREFER_NOT.casefold() not in {a.casefold() for a in clean}:
            clean.append(PREFER_NOT)
        found[name] = clean
    return found


def min_group(path: Path | None = None) -> int:
    """The fewest candidates decided at a stage behind a group's figures ([demographics]
    min_group, default 5, at least 3): a smaller group is not shown, and never the reference."""
    value = _section(path).get("min_group", DEFAULT_MIN_GROUP)
    if isinstance(value, bool) or not isinstance(value, int) or value < LOWEST_MIN_GROUP:
        raise SettingsProblem(
            f"[demographics] min_group: a whole number of at least {LOWEST_MIN_GROUP}"
            f" (got {str(value)[:20]!r})"
        )
    return value


def counted(answer: str) -> bool:
    """Whether an answer is a group whose rate is worked out ("Prefer not to say" is not)."""
    return answer.casefold() != PREFER_NOT.casefold()


SOURCE_WORDS = (  # what an applicant tracking system writes, in the order tried
    ("referral", ("referr",)),
    ("agency", ("agenc", "recruiter", "recruitment", "headhunt", "search firm")),
    ("applied", ("appl", "career", "job board", "jobboard", "linkedin", "website", "inbound")),
)


def source_category(text: str | None) -> str:
    """A candidate's source as one of `SOURCES`: a referral, an agency (a recruiter), an
    application made by the candidate (careers site, job board, LinkedIn, website), or
    "other"; "" when none is recorded (not counted). The candidates import stores only this
    (`scoring.candidates_csv`): a free-text source ("Referral: Grace Hopper") can name a third
    person. The figures read every stored source through it too, so one kept as text from
    before reads as one of the four."""
    words = " ".join((text or "").split()).casefold()
    if not words:
        return ""
    if words in SOURCES:
        return words
    for category, parts in SOURCE_WORDS:
        if any(part in words for part in parts):
            return category
    return "other"


# ----------------------------------------------------------------------------- recording


def _canonical(category: str, value: Any, offered: list[str]) -> str:
    if not isinstance(value, str) or len(value) > INPUT_MAX:
        raise InvalidInput(f"answers.{category}: not one of its answers ({', '.join(offered)})")
    text = " ".join(value.split())
    for answer in offered:
        if text == answer or text.casefold() == answer.casefold():
            return answer
    raise InvalidInput(f"answers.{category}: not one of its answers ({', '.join(offered)})")


def checked_answers(answers: Any, offered: Mapping[str, list[str]]) -> dict[str, str]:
    """The answers as recorded (each category's own spelling), empty ones left out; InvalidInput
    naming the field for a category or an answer the configuration does not have (never echoing
    what was typed)."""
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers: a category -> answer mapping")
    found: dict[str, str] = {}
    for category, value in answers.items():
        if not isinstance(category, str) or category not in offered:
            named = category if isinstance(category, str) and CATEGORY_NAME.match(category) else ""
            raise InvalidInput(
                f"answers{'.' + named if named else ''}: not a configured category"
                f" ({', '.join(offered)})"
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # not asked, or not answered: the recorded answer (if any) stays
        found[category] = _canonical(category, value, offered[category])
    if not found:
        raise InvalidInput("answers: no answer given")
    return found


Change = tuple[datetime | None, str | None]  # (from when, None: always; the answer from then)


@dataclass(frozen=True)
class _Stored:
    """One stored answer: the current one, when it was last submitted, and its changes (each
    answer with the moment it took over), so that the answer in force at any month's start is
    known: a stage's figures may stop at a month long gone (`stage_cutoffs`)."""

    category: str
    answer: str | None
    recorded_at: datetime
    changes: tuple[Change, ...]

    def at(self, cutoff: datetime | None) -> str | None:
        """The answer in force at `cutoff` (None: the latest)."""
        if cutoff is None:
            return self.answer
        found = None
        for since, answer in self.changes:
            if since is None or since < cutoff:
                found = answer
        return found

    def sealed(self, answer: str, at: datetime) -> dict[str, Any]:
        """What is sealed when `answer` is submitted at `at`: the answer, the one in force at
        the start of that month (``before``), and the changes, one more if it differs."""
        changes = [[stamp(t) if t else None, a] for t, a in self.changes]
        if answer != self.answer:
            changes.append([stamp(at), answer])
        return {"answer": answer, "before": self.at(cutoff_of(at)), "changes": changes}


def _changes(value: dict[str, Any], recorded_at: datetime) -> tuple[Change, ...]:
    found = value.get("changes")
    if isinstance(found, list):
        return tuple(
            (parse_stamp(t) if t else None, a)
            for t, a in (c for c in found if isinstance(c, list) and len(c) == 2)
        )
    # written before the changes were kept: the answer before held from the start
    return ((None, value.get("before")), (recorded_at, value.get("answer")))


def _opened(db, category: str, token: Any, recorded_at: Any) -> _Stored | None:
    text = personal.reveal(db, token)
    if not isinstance(text, str) or text == personal.ERASED_TEXT:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = {"answer": text}  # an answer stored as plain text
    if not isinstance(value, dict):
        return None
    at = parse_stamp(recorded_at) or datetime.min.replace(tzinfo=UTC)
    return _Stored(category, value.get("answer"), at, _changes(value, at))


def _first(category: str, was: str | None = None) -> _Stored:
    """Nothing stored yet (`was`: what held until now, for the source)."""
    return _Stored(category, was, datetime.min.replace(tzinfo=UTC), ((None, was),))


@guarded("record_demographics", on="candidate_id", write=True)
def record(
    g: Granted, candidate_id: int, answers: dict[str, str], now: datetime | None = None
) -> list[str]:
    """Record a candidate's self-identified answers (a coordinator's): each category's answer
    replaces the one recorded before (a correction), an empty answer leaves it as it is.
    Returns the categories submitted (whether or not an answer differs from the one before:
    nothing here tells which); the audit entry names them, never the answers. InvalidInput
    naming the field for a category or answer not configured; nothing is written then."""
    checked = checked_answers(answers, categories())
    return record_in(g.db, g.actor.id, candidate_id, checked, now or now_utc())


def record_in(
    db, actor_id: int | None, candidate_id: int, checked: Mapping[str, str], at: datetime
) -> list[str]:
    """Record answers already checked (`checked_answers`) in the caller's unit of work, whose
    caller has asked `record_demographics` on the candidate; audited with the categories.

    Every category submitted is sealed again and stamped `at`, the same answer as before or
    not, and the return value and the audit entry name every one: whoever records cannot test
    a guess of a stored answer by what comes back, by the audit log, or by the row's stamp."""
    if db.execute(Q.ERASED, [candidate_id]).fetchone():
        raise InvalidInput("candidate: erased: nothing more is recorded about them")
    submitted = sorted(checked)
    for category in submitted:
        row = db.execute(Q.ANSWER, [candidate_id, category]).fetchone()
        old = (_opened(db, category, row[0], row[1]) if row else None) or _first(category)
        # what the figures read at any month's start before `at` stays what they read
        sealed = personal.seal_json(db, candidate_id, old.sealed(checked[category], at))
        db.execute(Q.RECORD, [candidate_id, category, sealed, stamp(at)])
    audit.record(
        db, actor_id, "record_demographics", f"candidate:{candidate_id}", at, categories=submitted
    )
    return submitted


@guarded("manage_opening", on="candidate_id", via=opening_of_candidate, write=True)
def set_source(g: Granted, candidate_id: int, source: str, now: datetime | None = None) -> str:
    """Set where the candidate came from: one of `SOURCES` (referral, agency, applied, other),
    by whoever manages their opening; audited. Returns the source as recorded."""
    chosen = " ".join(str(source or "").split()).casefold()[:INPUT_MAX]
    if chosen not in SOURCES:
        raise InvalidInput(f"source: one of {', '.join(SOURCES)}")
    set_source_in(g.db, g.actor.id, candidate_id, chosen, now or now_utc())
    return chosen


def set_source_in(db, actor_id: int | None, candidate_id: int, source: str, at: datetime) -> None:
    """Set one of `SOURCES` in the caller's unit of work (whose caller has asked
    `manage_opening` on the candidate's opening); audited that it was set, not to what (the
    audit log outlives an erasure, which removes the source). Beside `candidates.source`, a
    ``source`` row of `candidate_demographics` keeps its changes, so that the figures read the
    source in force at the start of the month they stop at (as for an answer)."""
    if source not in SOURCES:
        raise InvalidInput(f"source: one of {', '.join(SOURCES)}")
    if db.execute(Q.ERASED, [candidate_id]).fetchone():
        raise InvalidInput("candidate: erased: nothing more is recorded about them")
    current = source_category(db.execute(Q.CANDIDATE, [candidate_id]).fetchone()["source"])
    row = db.execute(Q.ANSWER, [candidate_id, SOURCE]).fetchone()
    old = (_opened(db, SOURCE, row[0], row[1]) if row else None) or _first(SOURCE, current or None)
    sealed = personal.seal_json(db, candidate_id, old.sealed(source, at))
    db.execute(Q.RECORD, [candidate_id, SOURCE, sealed, stamp(at)])
    db.execute(Q.SET_SOURCE, [source, candidate_id])
    audit.record(db, actor_id, "set_source", f"candidate:{candidate_id}", at)


# ----------------------------------------------------------------------------- counting


def cutoff_of(now: datetime) -> datetime:
    """The start (UTC) of the month `now` is in: the figures count what was decided before."""
    moment = now.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def month_of(moment: datetime) -> str:
    """YYYY-MM (UTC): the tally's month."""
    return f"{moment.astimezone(UTC):%Y-%m}"


def _after(month: str) -> datetime:
    """The start of the month after `month` (YYYY-MM)."""
    year, number = (int(part) for part in month.split("-"))
    return datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)


def _decided(
    stages: tuple[Stage, ...], outcomes: Iterable[Any], decisions: Iterable[Any], cutoff
) -> list[tuple[int, bool]]:
    """(position, advanced) of each stage the candidate had been decided at by `cutoff` (None:
    by now), as the funnel walks them; the offer is left out (the candidate's answer)."""
    latest: dict[int, str] = {}
    for r in outcomes:
        if cutoff is None or parse_stamp(r["decided_at"]) < cutoff:
            latest[r["position"]] = r["outcome"]
    decision = None
    for r in decisions:
        if cutoff is None or parse_stamp(r["decided_at"]) < cutoff:
            decision = r["outcome"]
    steps = []
    for stage in stages:
        if stage.kind == "loop":
            if decision is None:
                break
            advanced = decision == "hire"
        elif stage.position in latest:
            advanced = latest[stage.position] == "advance"
        else:
            break
        if stage.kind != "offer":
            steps.append((stage.position, advanced))
        if not advanced:
            break
    return steps


def _add(counts: Counts, steps: list[tuple[int, bool]], held: Mapping[str, str]) -> None:
    for position, advanced in steps:
        for category, answer in held.items():
            cell = counts.setdefault((position, category, answer), [0, 0])
            cell[0 if advanced else 1] += 1


def _held(stored: Iterable[_Stored], source: str, cutoff) -> dict[str, str]:
    """What a candidate's counts go under at `cutoff`: each answer then in force, and their
    source then (`source`, the current one, unless `set_source` has set it: then its changes)."""
    found = {}
    for one in stored:
        answer = one.at(cutoff)
        if one.category == SOURCE:
            source = answer or ""
        elif isinstance(answer, str) and answer:
            found[one.category] = answer
    if source:
        found[SOURCE] = source
    return found


def stage_cutoffs(
    stages: Iterable[Stage],
    outcomes: Iterable[Any],
    decisions: Iterable[Any],
    cutoff: datetime,
    batch: int,
) -> dict[int, datetime | None]:
    """Per stage (the offer left out), where its figures stop: the start of the month after
    the last month, before `cutoff`, that closed a batch of at least `batch` candidates decided
    at the stage since the batch before (None: none yet). A month with fewer is carried into
    the next, so the figures of a stage move only when `batch` or more decisions enter
    together: one decision in a month cannot be read from the change it makes when the month
    closes. Read from the stage outcomes and the loop's decisions, which erasure keeps, so an
    erasure moves no stage's cutoff."""
    stages = [s for s in stages if s.kind != "offer"]
    loops = [s.position for s in stages if s.kind == "loop"]
    decided: dict[int, dict[str, set[int]]] = {}
    events = [(r, (r["position"],)) for r in outcomes] + [(r, loops) for r in decisions]
    for r, positions in events:
        moment = parse_stamp(r["decided_at"])
        if moment is None or moment >= cutoff:
            continue
        for position in positions:
            month = decided.setdefault(position, {}).setdefault(month_of(moment), set())
            month.add(r["candidate_id"])
    found: dict[int, datetime | None] = {}
    for stage in stages:
        found[stage.position], pending = None, set()
        for month, ids in sorted(decided.get(stage.position, {}).items()):
            pending |= ids
            if len(pending) >= batch:
                found[stage.position], pending = _after(month), set()
    return found


@dataclass(frozen=True)
class OpeningCounts:
    """An opening's counts per (stage, category, answer) -> [advanced, rejected], each stage's
    at its own cutoff (`stage_cutoffs`: None where none has closed, and no counts there)."""

    counts: Counts
    cutoffs: dict[int, datetime | None]


def opening_counts(db, opening_id: int, cutoff: datetime, batch: int) -> OpeningCounts:
    """Per (stage, category, answer), how many candidates of the opening were advanced and
    rejected, each stage counted at its own cutoff (`stage_cutoffs`: the last batch of at least
    `batch` decisions there closed before `cutoff`, the start of a month): the live candidates,
    each under the answers in force at that cutoff, plus the erased ones' tally of the months
    before. Aggregates, but not yet suppressed below `min_group`: for
    `scoring.insights.adverse_impact` only."""
    stages = process(db, opening_id)
    outcomes: dict[int, list[Any]] = {}
    every_outcome = db.execute(Q.OPENING_OUTCOMES, [opening_id]).fetchall()
    for r in every_outcome:
        outcomes.setdefault(r["candidate_id"], []).append(r)
    decisions: dict[int, list[Any]] = {}
    every_decision = db.execute(Q.OPENING_DECISIONS, [opening_id]).fetchall()
    for r in every_decision:
        decisions.setdefault(r["candidate_id"], []).append(r)
    cutoffs = stage_cutoffs(stages, every_outcome, every_decision, cutoff, batch)
    counts: Counts = {}
    at_cutoff: dict[datetime, set[int]] = {}
    for position, stops in cutoffs.items():
        if stops is not None:
            at_cutoff.setdefault(stops, set()).add(position)
    if not at_cutoff:
        return OpeningCounts(counts, cutoffs)
    for r in db.execute(Q.OPENING_TALLY, [opening_id, month_of(cutoff)]):
        stops = cutoffs.get(r["position"])
        if stops is not None and r["month"] < month_of(stops):
            cell = counts.setdefault((r["position"], r["category"], r["answer"]), [0, 0])
            cell[0] += r["advanced"]
            cell[1] += r["rejected"]
    sources = {
        r["id"]: source_category(r["source"])
        for r in db.execute(Q.OPENING_CANDIDATES, [opening_id])
    }
    stored: dict[int, list[_Stored]] = {}
    for r in db.execute(Q.OPENING_ANSWERS, [opening_id]):
        one = _opened(db, r["category"], r["answer"], r["recorded_at"])
        if one is not None:
            stored.setdefault(r["candidate_id"], []).append(one)
    for stops, positions in sorted(at_cutoff.items()):
        for candidate_id, source in sources.items():
            held = _held(stored.get(candidate_id, ()), source, stops)
            if held:
                steps = _decided(
                    stages, outcomes.get(candidate_id, ()), decisions.get(candidate_id, ()), stops
                )
                _add(counts, [(p, a) for p, a in steps if p in positions], held)
    return OpeningCounts(counts, cutoffs)


def forget(db, candidate_id: int) -> None:
    """Fold an erased candidate's answers and source into `fairness_tally`, then delete their
    answers and clear their source (in the erasure's unit of work, before their data key goes).

    The tally holds, for each month in which their counts changed (a stage decided, an answer
    recorded), the change: so the tally of the months before any cutoff adds up to what the
    candidate counted for at that cutoff, and no figure moves when they are erased. A decision
    revised in a later month is a change of -1 in one outcome and +1 in the other."""
    row = db.execute(Q.CANDIDATE, [candidate_id]).fetchone()
    if row is None:
        return
    opening_id, source = row["opening_id"], source_category(row["source"])
    stored = [
        one
        for r in db.execute(Q.ANSWERS, [candidate_id])
        if (one := _opened(db, r["category"], r["answer"], r["recorded_at"])) is not None
    ]
    if stored or source:
        stages = process(db, opening_id)
        outcomes = db.execute(Q.OUTCOMES, [candidate_id]).fetchall()
        decisions = db.execute(Q.DECISIONS, [candidate_id]).fetchall()
        months = {month_of(parse_stamp(r["decided_at"])) for r in [*outcomes, *decisions]}
        months |= {month_of(t) for one in stored for t, _ in one.changes if t is not None}
        before: Counts = {}
        for month in sorted(months):
            cutoff = _after(month)
            now: Counts = {}
            _add(now, _decided(stages, outcomes, decisions, cutoff), _held(stored, source, cutoff))
            for key in sorted(set(before) | set(now)):
                was, is_ = before.get(key, [0, 0]), now.get(key, [0, 0])
                advanced, rejected = is_[0] - was[0], is_[1] - was[1]
                if advanced or rejected:
                    db.execute(Q.TALLY, [opening_id, *key, month, advanced, rejected])
            before = now
    db.execute(Q.FORGET, [candidate_id])
    if row["source"]:
        db.execute(Q.SET_SOURCE, ["", candidate_id])
