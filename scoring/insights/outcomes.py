"""After the hire: how each hire turned out, and whether the interview saw it coming.

The opening's hiring manager records, for each hire, a rating at 6 and at 12 months on a stated
scale (`RATING_SCALE`) and whether the person still works here. Insights then show, per rubric
criterion and for the overall recommendation, the correlation between the interview's raw scores
and those ratings (Pearson's r with a 95% interval by Fisher's z), and the share still employed
(Wilson's interval), each with its n and marked provisional below `MIN_HIRES`.

The book lists "retention rates, dismissal rates, and performance scores" among the signs of a
working process and warns that "none of these are perfect indicators (e.g. a bad manager or
environment can cause a good hire to leave quickly)" (hiring-book.txt L2452-2454). There is a
second reason to read these figures modestly: only hires are observed. Everyone rejected scored
low and has no outcome, so the scores of those with an outcome span a narrow, high range, and a
correlation over a restricted range is weaker than over everyone interviewed (range
restriction): a small r here does not show that a criterion predicts nothing. `CAVEAT` says so
in words for the page.

History like decisions: outcomes are appended (a later row for the same hire and months
supersedes; the latest counts), each with an audit entry holding a digest of the row, and
`verify` checks both. Who may record and who may see is the permission table's
(`record_outcome`; `see_insights` and `count_in_insights` for how many hires stayed, a figure
from decisions and outcomes; `see_score_figures` and `count_in_score_figures` for the
correlations, which are worked out from interview scores: a coordinator never gets them).
"""

from __future__ import annotations

import calendar
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from scoring import audit, personal
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.insights.frames import latest_scorecards, with_criterion
from scoring.insights.limits import MIN_HIRES, share_interval
from scoring.insights.statistics import FISHER_Z95, MIN_CORRELATION_N, fisher_interval, pearson
from scoring.opening_record import rubric_snapshot
from scoring.permissions import (
    Person,
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
    why_not,
)
from scoring.queries import outcomes as Q
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.text import NAME_MAX, NOTE_MAX, check_length

MONTHS = (6, 12)
# A rating can be recorded from a month before its anniversary of the decision (a review may
# fall a little early; the start date is later than the decision anyway), never before: a
# "12-month" rating given in the first weeks would be read as one by every figure. That someone
# has left (no rating) can be recorded as soon as it happens.
RATING_FROM_MONTHS = {6: 5, 12: 11}
RATING_SCALE = {
    1: "well below expectations",
    2: "below expectations",
    3: "meets expectations",
    4: "above expectations",
    5: "well above expectations",
}
Z95 = FISHER_Z95  # the name this module gave it before the statistics moved below
LATEST_HIRES = 1000  # the figures read at most this many hires, the latest decided first
OVERALL = "overall"  # the criterion id of the overall recommendation's rows
OVERALL_NAME = "Overall recommendation"
OVERALL_RUBRIC = "All sessions"
CAVEAT = (
    "Only hires have outcomes. The people turned down, mostly those who scored low, are never"
    " observed, so the scores behind these figures cover a narrow, high range; a correlation"
    " over a narrow range comes out weaker than it would over everyone interviewed (range"
    " restriction)."
    " A small or uncertain correlation here does not show that a criterion predicts nothing."
    " Outcomes are imperfect too: a bad manager or team can make a good hire leave early or"
    " rate poorly. Read these as hints to look into, not verdicts on the interview."
)
CAVEAT_SOURCE = "hiring-book.txt L2452-2454"


# ------------------------------------------------------------------------------ the records


@dataclass(frozen=True)
class Outcome:
    """One recorded outcome of a hire, as stored (the latest per hire and months counts)."""

    id: int
    candidate_id: int
    months: int
    rating: int | None  # None: they left before a rating could be given
    still_employed: bool
    note: str
    recorded_by: str  # the recorder's name
    recorded_at: datetime

    @property
    def rating_words(self) -> str:
        """The rating with its words, e.g. "4 · above expectations"; "no rating" when none."""
        if self.rating is None:
            return "no rating"
        return f"{self.rating} · {RATING_SCALE[self.rating]}"


@dataclass(frozen=True)
class Hire:
    """A hire of an opening as the actor may see them, with their latest outcomes."""

    candidate_id: int
    opening_id: int
    opening: str  # the opening's title
    candidate: str  # the name, or the alias where the actor may not see the name
    decided_at: datetime
    six_months: Outcome | None
    twelve_months: Outcome | None

    def latest(self, months: int) -> Outcome | None:
        """The outcome in force at `months` (6 or 12), if one is recorded."""
        return {6: self.six_months, 12: self.twelve_months}[months]


def _outcome(row) -> Outcome:
    return Outcome(
        id=row["id"],
        candidate_id=row["candidate_id"],
        months=row["months"],
        rating=row["rating"],
        still_employed=bool(row["still_employed"]),
        note=row["note"],
        recorded_by=row["recorded_by_name"],
        recorded_at=parse_stamp(row["recorded_at"]),
    )


def _whole(value) -> int | None:
    """An int from an int (not a bool), or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def rating_from(decided_at: datetime, months: int) -> datetime:
    """The first moment a `months` rating of a hire decided at `decided_at` can be recorded:
    `RATING_FROM_MONTHS[months]` calendar months later (the 31st becoming the month's last)."""
    month = decided_at.month - 1 + RATING_FROM_MONTHS[months]
    year, month = decided_at.year + month // 12, month % 12 + 1
    return decided_at.replace(
        year=year, month=month, day=min(decided_at.day, calendar.monthrange(year, month)[1])
    )


def check_outcome(
    months: object, rating: object, still_employed: object, note: str | None
) -> tuple[int, int | None, bool, str]:
    """The outcome's fields as stored, or InvalidInput naming the first field that is wrong
    (``rating: Choose 1 to 5.``). A rating may be left out only for someone who has left."""
    months_ = _whole(months)
    if months_ not in MONTHS:
        raise InvalidInput("months: Choose 6 or 12 months after the hire.")
    if not isinstance(still_employed, bool) and still_employed not in (0, 1):
        raise InvalidInput("still_employed: Say whether they still work here (yes or no).")
    employed = bool(still_employed)
    rating_ = _whole(rating)
    if rating is None and not employed:
        rating_ = None
    elif rating_ not in RATING_SCALE:
        raise InvalidInput(
            "rating: Choose 1 to 5."
            + ("" if employed else " (Leave it empty if they left before a rating.)")
        )
    text = check_length("note", (note or "").strip(), NOTE_MAX)
    return months_, rating_, employed, text


def record_outcome(
    store: Store,
    actor: Person,
    candidate_id: int,
    months: int,
    rating: int | None,
    still_employed: bool,
    note: str = "",
    now: datetime | None = None,
) -> Outcome:
    """The opening's hiring manager records how a hire turned out at `months` (6 or 12): a
    rating on `RATING_SCALE` (None only for someone who has left) and whether they still work
    here. Appended with an audit entry in one transaction; a later record for the same hire and
    months supersedes. NotAllowed unless `record_outcome` allows it (the opening's hiring manager,
    holding the role now; the decision in force is hire)."""
    at = now or now_utc()
    if isinstance(candidate_id, bool) or not isinstance(candidate_id, int):
        raise InvalidInput("candidate_id: Choose a hire.")
    months, rating, employed, note = check_outcome(months, rating, still_employed, note)
    return _record_checked(store, actor, candidate_id, months, rating, employed, note, at)


# The input is checked first (above: a mistake is named before anything is read, and a
# candidate id that is not one has no facts to load), then the guard runs on the checked values.
@guarded("record_outcome", on="candidate_id", write=True)
def _record_checked(
    g: Granted,
    candidate_id: int,
    months: int,
    rating: int | None,
    employed: bool,
    note: str,
    at: datetime,
) -> Outcome:
    """`record_outcome` once its input is checked: `record_outcome` allows it, on one write."""
    db = g.db
    if rating is not None:
        decided = parse_stamp(db.execute(Q.LAST_DECIDED_AT, [candidate_id]).fetchone()[0])
        opens = rating_from(decided, months)
        if at < opens:
            raise InvalidInput(
                f"months: A {months}-month rating can be recorded from"
                f" {opens.date().isoformat()}, {RATING_FROM_MONTHS[months]} months after the"
                f" hire was decided ({decided.date().isoformat()}). Before then, only that"
                " they have left can be recorded (no rating, not still working here)."
            )
    outcome_id = db.execute(
        Q.ADD_OUTCOME,
        [
            candidate_id,
            months,
            rating,
            int(employed),
            personal.seal(db, candidate_id, note),
            g.actor.id,
            stamp(at),
        ],
    ).lastrowid
    audit.record(
        db,
        g.actor.id,
        "record_outcome",
        f"candidate:{candidate_id}",
        at,
        months=months,
        outcome_id=outcome_id,
        digest=audit.row_digest(db, "hire_outcomes", outcome_id),
    )
    return _latest_outcomes(db, [candidate_id], ids=[outcome_id])[candidate_id, months]


def _latest_outcomes(
    db, candidate_ids: list[int], ids: list[int] | None = None
) -> dict[tuple[int, int], Outcome]:
    """The outcome in force (the latest) per (candidate, months) of these candidates: one query.
    With `ids`, exactly those rows."""
    if not candidate_ids:
        return {}
    if ids is None:
        sql, params = Q.latest_outcomes(len(candidate_ids)), list(candidate_ids)
    else:
        sql, params = Q.outcomes(len(ids)), list(ids)
    rows = db.execute(sql, params).fetchall()
    return {(r["candidate_id"], r["months"]): _outcome(r) for r in rows}


def hires(
    store: Store, actor: Person, opening_ids: Iterable[int], search: str = "", limit: int = 50
) -> list[Hire]:
    """The hires of these openings whose outcomes the actor may record (`record_outcome`),
    the latest decision first, at most `limit`, each with their latest 6- and 12-month outcome.
    `search` matches the name or the alias (the alias only, where the actor may not see the
    name). A walk down the decisions that stops at `limit`: the same few queries however long
    the history."""
    opening_ids = [int(i) for i in opening_ids]
    limit = max(0, int(limit))
    with store.read() as db:
        actor = current(db, actor)
        if not opening_ids or not limit:
            return []
        text = check_length("search", (search or "").strip(), NAME_MAX)
        # narrowed to the openings the actor manages (the table's rule is asked of every row);
        # names are sealed (scoring.personal), so a search matches them here, opened
        cursor = db.execute(Q.hires_walk(len(opening_ids)), [*opening_ids, actor.id])
        found: list[int] = []
        named: dict[int, bool] = {}
        while len(found) < limit and (chunk := [r[0] for r in cursor.fetchmany(256)]):
            facts = candidates_facts(db, chunk)
            which = Q.labels if text else Q.aliases  # a name is opened only to be searched
            labels = {r["id"]: r for r in db.execute(which(len(chunk)), chunk)}
            for candidate_id in chunk:
                f = facts[candidate_id]
                if may(actor, "record_outcome", f):
                    named[candidate_id] = may(actor, "see_name", f)
                    # a search must not find a hidden name: the alias only, for them
                    row = labels[candidate_id]
                    seen = [row["alias"], *([row["name"]] if text and named[candidate_id] else [])]
                    if text and not any(text.casefold() in s.casefold() for s in seen):
                        continue
                    found.append(candidate_id)
                    if len(found) == limit:
                        break
        cursor.close()
        if not found:
            return []
        rows = {r["id"]: r for r in db.execute(Q.hire_rows(len(found)), found)}
        latest = _latest_outcomes(db, found)
    return [
        Hire(
            candidate_id=i,
            opening_id=rows[i]["opening_id"],
            opening=rows[i]["title"],
            candidate=rows[i]["name"] if named[i] else rows[i]["alias"],
            decided_at=parse_stamp(rows[i]["decided_at"]),
            six_months=latest.get((i, 6)),
            twelve_months=latest.get((i, 12)),
        )
        for i in found
    ]


def hire_rows(hired: list[Hire]) -> list[dict]:
    """Hires as table rows (for the page and its CSV/JSON download)."""
    rows = []
    for h in hired:
        row = {
            "candidate_id": h.candidate_id,
            "candidate": h.candidate,
            "opening": h.opening,
            "hired_on": h.decided_at.date().isoformat(),
            **{
                f"rating_{months}m_from": rating_from(h.decided_at, months).date().isoformat()
                for months in MONTHS
            },
        }
        for months in MONTHS:
            o = h.latest(months)
            row[f"rating_{months}m"] = "" if o is None else o.rating_words
            row[f"still_employed_{months}m"] = (
                "" if o is None else ("yes" if o.still_employed else "no")
            )
            row[f"note_{months}m"] = "" if o is None else o.note
        rows.append(row)
    return rows


def records(frame: pd.DataFrame) -> list[dict]:
    """A figures table as plain rows for a download: missing values as None (JSON null, an
    empty CSV cell), numbers as plain Python numbers."""
    return json.loads(frame.to_json(orient="records"))


# -------------------------------------------------------------------------------- statistics
# Pearson's r and Fisher's interval are in scoring.insights.statistics, below the insights too.


CORRELATION_COLUMNS = [
    "rubric",
    "criterion_id",
    "criterion",
    "months",
    "n",
    "r",
    "low",
    "high",
    "provisional",
]


def outcome_correlations(predictors: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per (rubric, criterion_id, months): how many hires have both a score and a rating (n),
    Pearson's r between the score and the rating and its 95% interval by Fisher's z (both nan
    when n < 4 or either does not vary) and whether it is provisional (n < `MIN_HIRES`). The overall
    recommendation's rows come first, then the criteria by rubric and name.

    `predictors`: one row per hired candidate and criterion (candidate_id, rubric, criterion_id,
    criterion, score: the candidate's mean raw score on it across interviewers), plus rows with
    criterion_id "overall". `outcomes`: candidate_id, months, rating (the latest per candidate and
    months; a missing rating is left out). Only hires are observed: see `CAVEAT`."""
    rated = outcomes.dropna(subset=["rating"])[["candidate_id", "months", "rating"]]
    if predictors.empty or rated.empty:
        return pd.DataFrame(columns=CORRELATION_COLUMNS)
    pairs = predictors.dropna(subset=["score"]).merge(rated, on="candidate_id")
    rows = []
    for (rubric, criterion_id, months), group in pairs.groupby(
        ["rubric", "criterion_id", "months"], sort=True
    ):
        n = len(group)
        r = pearson(group["score"], group["rating"])
        low, high = fisher_interval(r, n)
        rows.append(
            {
                "rubric": rubric,
                "criterion_id": criterion_id,
                "criterion": group["criterion"].iloc[-1],
                "months": int(months),
                "n": n,
                "r": r if n >= MIN_CORRELATION_N else math.nan,
                "low": low,
                "high": high,
                "provisional": n < MIN_HIRES,
            }
        )
    table = pd.DataFrame(rows, columns=CORRELATION_COLUMNS)
    table["first"] = table["criterion_id"] != OVERALL
    table = table.sort_values(["first", "months", "rubric", "criterion"], kind="stable")
    return table.drop(columns="first").reset_index(drop=True)


RETENTION_COLUMNS = ["months", "n", "still_employed", "share", "low", "high", "provisional"]


def retention(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per months (6, 12): of the hires with an outcome recorded then, how many still work
    here, the share and its 95% Wilson interval, provisional below `MIN_HIRES`. `outcomes`:
    candidate_id, months, still_employed (the latest per candidate and months)."""
    rows = []
    for months in MONTHS:
        at = outcomes[outcomes["months"] == months]
        n = len(at)
        if not n:
            continue
        stayed = int(at["still_employed"].astype(bool).sum())
        low, high = share_interval(stayed, n)
        rows.append(
            {
                "months": months,
                "n": n,
                "still_employed": stayed,
                "share": stayed / n,
                "low": low,
                "high": high,
                "provisional": n < MIN_HIRES,
            }
        )
    return pd.DataFrame(rows, columns=RETENTION_COLUMNS)


# -------------------------------------------------------------------- what the figures read

PREDICTOR_COLUMNS = ["candidate_id", "rubric", "criterion_id", "criterion", "score"]
OUTCOME_COLUMNS = ["candidate_id", "months", "rating", "still_employed"]


def _empty_rows() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(columns=PREDICTOR_COLUMNS), pd.DataFrame(columns=OUTCOME_COLUMNS)


def outcome_rows(
    store: Store, actor: Person, opening_ids: Iterable[int], limit: int = LATEST_HIRES
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the correlations and the retention share are computed from, for these openings as
    the actor may see them: NotAllowed unless they may see each opening's insights; of the hires
    with a recorded outcome (the decision in force is hire), the latest `limit` that count for
    them (`count_in_insights`: never one on which they still have an unsubmitted seat).

    Returns (predictors, outcomes) as `outcome_correlations` takes them. The predictors are
    scores: only those of hires that count in the actor's score figures
    (`count_in_score_figures`: the opening's hiring manager, once they may read that hire's
    scorecards), none at all for a coordinator; the outcomes alone give `retention`. A
    criterion's score is
    the mean raw score of the interviewers' latest scorecards (not assessed: left out); the
    overall is the mean overall recommendation as a position on the opening's scale (0 its
    lowest point, 1 its highest), so openings on different scales can be pooled. A few
    set-based queries."""
    opening_ids = [int(i) for i in opening_ids]
    with store.read() as db:
        actor = current(db, actor)
        for opening_id in opening_ids:
            ensure(actor, "see_insights", opening_facts(db, opening_id, actor))
        if not opening_ids or limit <= 0:
            return _empty_rows()
        # Hires with an outcome, the latest decision first.
        cursor = db.execute(Q.counted_hires(len(opening_ids)), opening_ids)
        counted: list[int] = []
        facts_of = {}
        while len(counted) < limit and (chunk := [r[0] for r in cursor.fetchmany(500)]):
            facts = candidates_facts(db, chunk)
            for candidate_id in chunk:
                if why_not(actor, "count_in_insights", facts[candidate_id]) is None:
                    facts_of[candidate_id] = facts[candidate_id]
                    counted.append(candidate_id)
                    if len(counted) == limit:
                        break
        cursor.close()
        if not counted:
            return _empty_rows()
        scored = [c for c in counted if may(actor, "count_in_score_figures", facts_of[c])]
        # each interviewer's latest scorecard, as every figure of the insights reads them
        overalls, scores = latest_scorecards(db, scored)
        rubrics = {h: rubric_snapshot(db, h) for h in set(scores["rubric_hash"])}
        latest = _latest_outcomes(db, counted)
    outcomes = pd.DataFrame(
        [(o.candidate_id, o.months, o.rating, o.still_employed) for o in latest.values()],
        columns=OUTCOME_COLUMNS,
    )
    outcomes["rating"] = outcomes["rating"].astype("float64")
    outcomes = outcomes.sort_values(["candidate_id", "months"]).reset_index(drop=True)
    return _predictors(overalls, scores, rubrics), outcomes


def _predictors(overalls: pd.DataFrame, scores: pd.DataFrame, rubrics: dict) -> pd.DataFrame:
    """One row per candidate and criterion (the mean of their interviewers' raw scores), and
    one per candidate for the overall (the mean position on the opening's scale)."""
    frames = []
    if not overalls.empty:
        position = (overalls["overall"] - overalls["scale_min"]) / (
            overalls["scale_max"] - overalls["scale_min"]
        )
        overall = position.groupby(overalls["candidate_id"]).mean().rename("score").reset_index()
        frames.append(
            overall.assign(rubric=OVERALL_RUBRIC, criterion_id=OVERALL, criterion=OVERALL_NAME)
        )
    known = with_criterion(scores.dropna(subset=["score"]), rubrics) if len(scores) else scores
    if not known.empty:
        frames.append(
            known.groupby(["candidate_id", "rubric", "criterion_id", "criterion"], sort=True)[
                "score"
            ]
            .mean()
            .reset_index()
        )
    if not frames:
        return pd.DataFrame(columns=PREDICTOR_COLUMNS)
    return pd.concat(frames, ignore_index=True)[PREDICTOR_COLUMNS]
