"""The decision process's figures, pure functions over the decided candidates: each past panel
as engine input (`Panel`), what the decision did against the panel's outcome, what another
strategy or a bar would have said on the same panels (`what_if`, `bar_sweep`,
`opening_thresholds`), and the process figures worked out from decisions and dates alone
(`decision_process`, `submission`)."""

from __future__ import annotations

import hashlib
import marshal
import math
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from scoring.debrief import applicable_strategies
from scoring.engine import Case, CommitteeVote, ScorecardIn, candidate_score, decide, lean
from scoring.insights import memo
from scoring.insights.limits import (
    BAR_STEPS,
    MIN_DECISIONS,
    MIN_SCORES_DISTRIBUTION,
    WINDOW,
    has_interval,
    share_interval,
)
from scoring.models.openings import Opening
from scoring.store import parse_stamp

# ----------------------------------------------------------------------- the decision process
# Every outcome here comes from `scoring.engine.decide`, run on each past panel as it stands:
# the same function the debrief page runs, so the what-if across history is the what-if of the
# room, candidate by candidate.


# One scorecard as the engine reads it, in plain values: (interviewer label, overall, criteria),
# each criterion (id, score or None, scale min, scale max, weight). Plain, so that a panel's
# engine input can be compared and digested without building the engine's models.
PlainCard = tuple[str, int, tuple[tuple[str, int | None, int, int, float], ...]]


@dataclass(frozen=True)
class Panel:
    """One decided candidate as the decision-process figures need it: the opening's strategy,
    the panel's latest scorecards as engine input (`PlainCard`s), what the engine said when the
    debrief opened (`frozen`: its outcome and tally), the first and the final decision, the
    votes (None when hidden from the viewer) and when the last session ended."""

    candidate_id: int
    opening: Opening
    cards: tuple[PlainCard, ...]
    frozen: dict
    first: str  # the first recorded decision: hire / no_hire
    final: str  # the decision in force
    engine_at_decision: dict  # the engine's result stored with the final decision
    decided_at: datetime  # the first decision
    interviewed_at: datetime  # the end of the last session
    votes: tuple[CommitteeVote, ...] | None


def _tally_lean(tally: dict) -> str:
    """hire / no_hire / undecided: the side with more yes or no positions in a stored tally."""
    yes, no = tally.get("yes", 0), tally.get("no", 0)
    return "hire" if yes > no else "no_hire" if no > yes else "undecided"


def _scorecards(panel: Panel) -> list[ScorecardIn]:
    """The panel's cards as the engine's input models."""
    return [
        ScorecardIn(
            interviewer=label,
            overall=overall,
            criteria=[
                {"id": cid, "score": score, "min": low, "max": high, "weight": weight}
                for cid, score, low, high, weight in criteria
            ],
        )
        for label, overall, criteria in panel.cards
    ]


def _case(panel: Panel, cards: list[ScorecardIn], kind: str, *, force: bool, **changes) -> Case:
    strategy = panel.opening.strategy.model_copy(
        update={"kind": kind, "force_extremes": force, **changes}
    )
    votes = list(panel.votes or ()) if kind == "committee" else []
    return Case(
        scale={"min": panel.opening.scale.min, "max": panel.opening.scale.max},
        strategy=strategy,
        scorecards=list(cards),
        committee_votes=votes,
    )


def _call(
    panel: Panel, cards: list[ScorecardIn], kind: str, *, force: bool, **changes
) -> str | None:
    """What `kind` says on this panel: the outcome, or for the hiring manager (who decides on
    the panel's advice) the panel's lean; None when it cannot say (a committee whose votes the
    viewer may not see)."""
    if kind == "committee" and panel.votes is None:
        return None
    result = decide(_case(panel, cards, kind, force=force, **changes))
    if kind == "manager":
        verdict = lean(result).verdict
        return verdict or "undecided"
    return result.outcome if result.outcome in ("hire", "no_hire") else "undecided"


# What the engine says on a panel is a pure function of its input: the opening's rules (its
# strategy, scale and whether it has a committee) and the panel (`Panel.cards`, and the votes
# where the viewer sees them). A decision, an outcome or a new candidate in the window changes
# none of it for the other panels, so the engine's calls on each panel are kept in this process
# under a digest of exactly that input (`_engine_key`): the first view after such a write runs
# the engine on the panels that changed only. The digest is of the input itself, never of who
# asked: two people get the same calls only for the same panel, which both of them read.
# At most `CALLS_KEPT` panels (a few windows' worth), the least recently used going first.
CALLS_KEPT = 8 * WINDOW
_CALLS = memo.Memo(CALLS_KEPT)


def _rules_of(opening: Opening) -> str:
    """What the engine and the what-if read of an opening: its strategy, scale and whether it
    has a committee (`applicable_strategies`)."""
    return "|".join(
        (
            opening.strategy.model_dump_json(),
            f"{opening.scale.min}..{opening.scale.max}",
            str(bool(opening.committee_ids)),
        )
    )


def _engine_key(rules: str, panel: Panel) -> bytes:
    # marshal writes plain values in a form that reads back to them: two different inputs never
    # give the same bytes (equal ones may differ, which costs a call, never a wrong figure)
    votes = None if panel.votes is None else tuple((v.member, v.vote) for v in panel.votes)
    return hashlib.sha256(marshal.dumps((rules, panel.cards, votes))).digest()


def _engine_calls(panel: Panel, rules: str) -> dict:
    """What the engine says on the panel under its own strategy, forcing flipped, every
    applicable strategy, the vote with and without its powers and the committee without its
    bar, and the weighted score: kept under `_engine_key`."""
    key = _engine_key(rules, panel)
    calls = _CALLS.get(key)
    if calls is not None:
        return calls  # read only: `_process_rows` copies each value into its row
    strategy = panel.opening.strategy
    force = strategy.force_extremes
    cards = _scorecards(panel)
    calls = {
        "own": _call(panel, cards, strategy.kind, force=force),
        "other": _call(panel, cards, strategy.kind, force=not force),
        "score": candidate_score(_case(panel, cards, strategy.kind, force=force)),
        "powers_change": _call(panel, cards, "vote", force=force, veto=True, greenlight=True)
        != _call(panel, cards, "vote", force=force, veto=False, greenlight=False),
        "if": {
            kind: _call(panel, cards, kind, force=force)
            for kind in applicable_strategies(panel.opening)
        },
        "without_bar": (
            _call(panel, cards, "committee", force=force, bar=None)
            if strategy.kind == "committee" and strategy.bar is not None
            else None
        ),
    }
    _CALLS.put(key, calls)
    return calls


def _process_rows(panels: list[Panel]) -> pd.DataFrame:
    """One row per decided candidate: what each figure of the decision process is made of."""
    rows = []
    rules: dict[int, str] = {}
    for p in panels:
        strategy = p.opening.strategy
        if p.opening.id not in rules:
            rules[p.opening.id] = _rules_of(p.opening)
        calls = _engine_calls(p, rules[p.opening.id])
        at_opening = p.frozen.get("outcome")
        if at_opening not in ("hire", "no_hire"):
            at_opening = "undecided" if at_opening == "needs_discussion" else None
        if at_opening is None:  # the manager or committee had not spoken: the panel's lean
            at_opening = _tally_lean(p.frozen.get("tally", {}))
        majority = _tally_lean(p.engine_at_decision.get("tally", {}))
        own, other = calls["own"], calls["other"]
        row = {
            "candidate_id": p.candidate_id,
            "opening_id": p.opening.id,
            "opening": p.opening.title,
            "strategy": strategy.kind,
            "forcing": strategy.force_extremes,
            "at_opening": at_opening,
            "first": p.first,
            "final": p.final,
            "changed": at_opening in ("hire", "no_hire") and p.final != at_opening,
            "settled": at_opening == "undecided",
            "against_panel": majority != "undecided" and p.final != majority,
            "forcing_flips": None if own is None or other is None else own != other,
            "days": (p.decided_at - p.interviewed_at).total_seconds() / 86400,
            "score": calls["score"],
            "vetoable": any(overall == p.opening.scale.min for _, overall, _ in p.cards),
            "greenlightable": any(overall == p.opening.scale.max for _, overall, _ in p.cards),
            "powers_change": calls["powers_change"],
        }
        for kind, said in calls["if"].items():
            row[f"if_{kind}"] = said
        row["without_bar"] = calls["without_bar"]
        # the bar changed the outcome where the committee says otherwise without it (an
        # advisory bar flags and never does; a binding one stops a hire below it)
        row["bar_changed"] = (
            None if row["without_bar"] is None or own is None else own != row["without_bar"]
        )
        rows.append(row)
    return pd.DataFrame(rows)


def _share_columns(prefix: str, k: int, n: int) -> dict:
    low, high = share_interval(k, n)
    return {
        prefix: k,
        f"{prefix}_share": k / n if n else math.nan,
        f"{prefix}_low": low,
        f"{prefix}_high": high,
    }


# The decision process's figures worked out from the panel's outcome (at the debrief's
# opening, by the majority, under forcing): score figures, present only for a viewer who may
# see them (`see_score_figures`).
PANEL_COLUMNS = ("changed", "settled", "against_panel", "forcing_flips")


def decision_process(rows: pd.DataFrame) -> pd.DataFrame:
    """Per opening and strategy, over its decided candidates (`rows`: one per candidate, with
    opening_id, opening, strategy, final and days): hire rate and days from the last interview
    to the first decision (median and quartiles), from decisions and dates alone. Where `rows`
    also carry the panel's columns (`_process_rows`: changed, settled, against_panel,
    forcing_flips; blank for a candidate whose scores the viewer may not see), how often the
    decision went against the outcome at the debrief's opening (and which way), settled an
    undecided one, went against the panel's majority, and how often forcing would have flipped
    the outcome, over the candidates that have them. Shares carry Wilson 95% intervals;
    provisional below `MIN_DECISIONS` decisions."""
    columns = ["opening_id", "opening", "strategy", "decided"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    panel = "changed" in rows.columns
    out = []
    for (opening_id, opening, strategy), group in rows.groupby(
        ["opening_id", "opening", "strategy"], sort=True
    ):
        n = len(group)
        days = group["days"]
        row = {"opening_id": int(opening_id), "opening": opening, "strategy": strategy}
        row["decided"] = n
        row |= _share_columns("hires", int((group["final"] == "hire").sum()), n)
        if panel:
            row |= _panel_columns(group[group["changed"].notna()])
        row["days_median"] = float(days.median())
        row["days_p25"], row["days_p75"] = _quartiles(days)
        row["provisional"] = n < MIN_DECISIONS
        out.append(row)
    return pd.DataFrame(out)


def _quartiles(values: pd.Series) -> tuple[float, float]:
    """The first and third quartiles; blank below `MIN_INTERVAL_UNITS` values (the quartiles
    of one or two values are those values)."""
    if not has_interval(len(values)):
        return math.nan, math.nan
    return float(values.quantile(0.25)), float(values.quantile(0.75))


def _panel_columns(group: pd.DataFrame) -> dict:
    """The decision process's columns from the panel's outcome, over `group` (the decided
    candidates whose scores the viewer may see; blank when there are none)."""
    n = len(group)
    if not n:  # the same columns, in the same order, blank

        def blank(prefix: str) -> dict:
            return {f"{prefix}{end}": math.nan for end in ("", "_share", "_low", "_high")}

        return (
            blank("changed")
            | {"changed_to_hire": math.nan, "changed_to_no_hire": math.nan, "settled": math.nan}
            | blank("against_panel")
            | blank("forcing_flips")
            | {"forcing_n": 0}
        )
    changed = group["changed"].astype(bool)
    final = group["final"]
    flips = group["forcing_flips"].dropna()
    row = _share_columns("changed", int(changed.sum()), n)
    row["changed_to_hire"] = int((changed & (final == "hire")).sum())
    row["changed_to_no_hire"] = int((changed & (final == "no_hire")).sum())
    row["settled"] = int(group["settled"].astype(bool).sum())
    row |= _share_columns("against_panel", int(group["against_panel"].astype(bool).sum()), n)
    row |= _share_columns("forcing_flips", int(flips.astype(bool).sum()), len(flips))
    row["forcing_n"] = len(flips)
    return row


SUBMISSION_COLUMNS = [
    "opening_id",
    "opening",
    "scorecards",
    "median_hours",
    "hours_p25",
    "hours_p75",
    "late",
    "late_share",
    "late_low",
    "late_high",
    "provisional",
]


def submission(cards: pd.DataFrame, titles: dict[int, str]) -> pd.DataFrame:
    """Per opening, from dates alone (`cards`: one row per latest scorecard with opening_id,
    ends_at, first_at, overdue_hours; no score): how many scorecards, the median hours from the
    end of the session to the first submission with its quartiles, and how many came in later
    than the opening's overdue threshold, with a Wilson 95% interval; provisional below
    `MIN_SCORES_DISTRIBUTION` scorecards. No row per interviewer: that is a score figure's
    (`calibration`)."""
    if cards.empty:
        return pd.DataFrame(columns=SUBMISSION_COLUMNS)
    ends = pd.to_datetime(cards["ends_at"], utc=True, format="ISO8601")
    first = pd.to_datetime(cards["first_at"], utc=True, format="ISO8601")
    hours = (first - ends).dt.total_seconds() / 3600
    late = hours > cards["overdue_hours"]
    rows = []
    for opening_id, group in hours.groupby(cards["opening_id"], sort=True):
        n = len(group)
        row = {"opening_id": int(opening_id), "opening": titles.get(int(opening_id), "")}
        row |= {
            "scorecards": n,
            "median_hours": float(group.median()),
            "hours_p25": _quartiles(group)[0],
            "hours_p75": _quartiles(group)[1],
        }
        row |= _share_columns("late", int(late[group.index].sum()), n)
        row["provisional"] = n < MIN_SCORES_DISTRIBUTION
        rows.append(row)
    return pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)


def what_if(rows: pd.DataFrame) -> pd.DataFrame:
    """Per opening and each strategy that could decide it: on the same panels, how often it
    says hire, no hire or cannot say (a tie, a veto against a greenlight), and how often it
    says the opposite of the decision in force (of all panels, a Wilson 95% interval). For
    "hiring manager decides" the figure is the panel's lean, the advice the manager had."""
    columns = ["opening_id", "opening", "strategy", "alternative", "n"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for (opening_id, opening, strategy), group in rows.groupby(
        ["opening_id", "opening", "strategy"], sort=True
    ):
        for kind in ("manager", "vote", "committee"):
            column = f"if_{kind}"
            if column not in group or group[column].isna().all():
                continue
            calls = group[column].dropna()
            n = len(calls)
            decisive = calls[calls != "undecided"]
            differs = int((decisive != group.loc[decisive.index, "final"]).sum())
            row = {
                "opening_id": int(opening_id),
                "opening": opening,
                "strategy": strategy,
                "alternative": kind,
                "n": n,
                "hire": int((calls == "hire").sum()),
                "no_hire": int((calls == "no_hire").sum()),
                "undecided": int((calls == "undecided").sum()),
                "in_force": kind == strategy,
                "provisional": n < MIN_DECISIONS,
            }
            out.append(row | _share_columns("differs", differs, n))
    return pd.DataFrame(out)


def bar_sweep(rows: pd.DataFrame) -> pd.DataFrame:
    """For each bar from 0.20 to 0.90 on the weighted score (0..1, the committee bar's own
    measure, comparable across openings): the share of past decided candidates at or above it,
    the past hires it would have stopped (below it) and the past no-hires it would have let
    through to the votes."""
    columns = ["bar", "candidates", "above", "above_share", "above_low", "above_high"]
    scored = rows.dropna(subset=["score"]) if not rows.empty else rows
    if scored.empty:
        return pd.DataFrame(columns=columns)
    n = len(scored)
    out = []
    for bar in BAR_STEPS:
        above = scored["score"] >= bar
        row = {"bar": bar, "candidates": n}
        row |= _share_columns("above", int(above.sum()), n)
        row["hires_stopped"] = int((~above & (scored["final"] == "hire")).sum())
        row["no_hires_above"] = int((above & (scored["final"] == "no_hire")).sum())
        row["provisional"] = n < MIN_DECISIONS
        out.append(row)
    return pd.DataFrame(out)


def opening_thresholds(rows: pd.DataFrame, openings: dict[int, Opening]) -> pd.DataFrame:
    """Per opening, each threshold it uses, against its own decided candidates:

    - the committee bar (advisory or binding): how many met it (weighted score at or above),
      and of those below it, on how many the committee's outcome differs from its votes alone
      (the decisions the bar changed: never for an advisory bar; blank where the votes are
      hidden from the viewer);
    - the veto (lowest overall point) and the greenlight (highest): how many panels had such a
      score, and on how many a vote with the powers decides otherwise than one without.

    Shares carry Wilson 95% intervals; provisional below `MIN_DECISIONS`."""
    out = []
    for opening_id, opening in sorted(openings.items()):
        group = rows[rows["opening_id"] == opening_id] if not rows.empty else pd.DataFrame()
        strategy = opening.strategy
        base = {"opening_id": opening_id, "opening": opening.title}
        if strategy.bar is not None:
            scored = group.dropna(subset=["score"]) if len(group) else group
            n = len(scored)
            meets = scored["score"] >= strategy.bar if n else pd.Series([], dtype=bool)
            below = scored[~meets] if n else scored
            known = below["bar_changed"].dropna() if n else pd.Series([], dtype=object)
            mode = getattr(strategy, "bar_mode", "binding")
            out.append(
                base
                | {
                    "threshold": f"Committee bar {strategy.bar:.2f} (weighted score, 0 to 1;"
                    f" {mode})"
                }
                | {"candidates": n}
                | _share_columns("meets", int(meets.sum()), n)
                | {
                    "changed": int(known.astype(bool).sum()) if len(known) else None,
                    "changed_of": len(known),
                    "provisional": n < MIN_DECISIONS,
                }
            )
        if strategy.kind == "vote" and (strategy.veto or strategy.greenlight):
            n = len(group)
            hits = pd.Series(False, index=group.index, dtype=bool)
            words = []
            if strategy.veto:
                hits |= group["vetoable"].astype(bool) if n else hits
                words.append(f"veto at {opening.scale.min}")
            if strategy.greenlight:
                hits |= group["greenlightable"].astype(bool) if n else hits
                words.append(f"greenlight at {opening.scale.max}")
            out.append(
                base
                | {"threshold": " and ".join(words).capitalize() + " (overall)", "candidates": n}
                | _share_columns("meets", int(hits.sum()), n)
                | {
                    "changed": int(group["powers_change"].sum()) if n else 0,
                    "changed_of": n,
                    "provisional": n < MIN_DECISIONS,
                }
            )
    return pd.DataFrame(out)


DECIDED = ["candidate_id", "opening_id", "opening", "strategy", "final", "days"]


def _decided(dated: pd.DataFrame, decisions: dict, openings: dict[int, Opening]) -> pd.DataFrame:
    """One row per decided candidate with a scorecard in, from dates and decisions alone: the
    opening, its strategy, the decision in force and the days from the end of the last scored
    session to the first decision."""
    if dated.empty or not decisions:
        return pd.DataFrame(columns=DECIDED)
    # as plain dicts: a lookup a candidate in a pandas Series costs more than the rest
    ended = dated.groupby("candidate_id")["ends_at"].max().to_dict()
    opening_of = dated.groupby("candidate_id")["opening_id"].first().to_dict()
    rows = []
    for candidate_id, made in sorted(decisions.items()):
        if candidate_id not in ended:
            continue
        opening = openings[int(opening_of[candidate_id])]
        days = (made[0].decided_at - parse_stamp(ended[candidate_id])).total_seconds() / 86400
        rows.append(
            {
                "candidate_id": candidate_id,
                "opening_id": opening.id,
                "opening": opening.title,
                "strategy": opening.strategy.kind,
                "final": made[-1].outcome,
                "days": days,
            }
        )
    return pd.DataFrame(rows, columns=DECIDED)
