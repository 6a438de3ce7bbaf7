"""The plain sentence each Insights section opens with (`headline`), from the figures of
`scoring.insights` alone: pure, so it is read the same on the page, in `insights.headlines` and
in tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from scoring.insights.limits import (
    BAR_STEPS,
    MIN_CANDIDATES_CALIBRATION,
    MIN_CANDIDATES_RELIABILITY,
    MIN_DECISIONS,
    MIN_HIRES,
    MIN_SCORES_DISTRIBUTION,
    RELIABLE_ALPHA,
)
from scoring.insights.outcomes import OVERALL

if TYPE_CHECKING:
    from scoring.insights.records import Insights

# --------------------------------------------------------------------------------- headlines
# Each section of the page opens with one sentence a hiring manager reads without statistics.
# Below the section's minimum it says how many there are of how many are needed, and gives no
# advice (a handful of pairs or shared candidates can land anywhere: "rewrite these anchors" or
# "lenient" on three candidates would be noise read as a finding); from the minimum on, it says
# what the figures mean, in words. The figures themselves are unchanged: the page shows them
# under "How is this worked out?".

SECTIONS = ("agreement", "scales", "calibration", "decisions", "thresholds", "hires")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _names(names: Iterable[str], most: int = 3) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 others'."""
    names = [str(n) for n in names]
    if len(names) > most:
        rest = len(names) - most
        names = [*names[:most], _count(rest, "other", "others")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _not_enough(what: str, to: str, n: int, needed: int, aside: str = "") -> str:
    return f"Not enough {what} yet to {to}: {n} of the {needed} needed{aside}."


def _agreement_sentence(rows: pd.DataFrame) -> str:
    enough = rows[rows["candidates"] >= MIN_CANDIDATES_RELIABILITY]
    judged = enough[enough["alpha"].notna()]
    if judged.empty and len(enough):
        # every score the same: nothing to tell agreement from chance with (alpha undefined)
        return (
            f"Agreement cannot be measured on {_names(sorted(set(enough['criterion'])))}: every"
            " interviewer gave every candidate the same score, so there is nothing to compare."
        )
    if judged.empty:
        most = int(rows["candidates"].max()) if len(rows) else 0
        return _not_enough(
            "candidates interviewed by a pair",
            "judge whether interviewers agree",
            most,
            MIN_CANDIDATES_RELIABILITY,
        )
    weak = judged[judged["alpha"] < RELIABLE_ALPHA]
    total, good = len(judged), len(judged) - len(weak)
    if weak.empty:
        sentence = "Interviewers agree well on " + (
            "the one criterion" if total == 1 else f"all {total} criteria"
        )
        sentence += " with enough candidates interviewed by a pair"
    else:
        sentence = f"Interviewers agree well on {good} of {_count(total, 'criterion', 'criteria')}"
        need = "needs" if len(weak) == 1 else "need"
        sentence += f"; {'all ' if good == 0 and total > 1 else ''}{len(weak)} {need} clearer"
        sentence += f" anchors: {_names(weak['criterion'])}"
    left = len(rows) - total
    if left:
        sentence += f" ({left} more cannot be judged yet)"
    return sentence + "."


def _scales_sentence(summary: dict) -> str:
    n = summary.get("scores", 0)
    if n < MIN_SCORES_DISTRIBUTION:
        return _not_enough(
            "scorecards", "judge how the scales are used", n, MIN_SCORES_DISTRIBUTION
        )
    share = {name: summary[name]["share"] for name in ("middle", "floor", "ceiling")}
    return (
        f"Of {n} overall recommendations, {share['middle']:.0%} are lukewarm (close to the"
        f" middle of the scale), {share['floor']:.0%} at the lowest point and"
        f" {share['ceiling']:.0%} at the highest."
    )


def _calibration_sentence(rows: pd.DataFrame) -> str:
    judged = rows[rows["shared"] >= MIN_CANDIDATES_CALIBRATION] if len(rows) else rows
    if judged.empty:
        return _not_enough(
            "candidates shared between interviewers",
            "say who scores higher or lower than the others",
            int(rows["shared"].max()) if len(rows) else 0,
            MIN_CANDIDATES_CALIBRATION,
            " (the most any interviewer has)",
        )
    higher = judged[judged["low"] > 0]["interviewer"].tolist()
    lower = judged[judged["high"] < 0]["interviewer"].tolist()
    rest = len(judged) - len(higher) - len(lower)
    total = len(judged)
    if not higher and not lower:
        sentence = (
            f"{judged['interviewer'].iloc[0]}, the one interviewer with enough shared"
            " candidates, scores in line with the average interviewer"
            if total == 1
            else f"All {total} interviewers with enough shared candidates score in line with"
            " the average interviewer, once the session type is taken into account"
        )
    else:
        parts = []
        if higher:
            verb = "scores" if len(higher) == 1 else "score"
            parts.append(f"{_names(higher)} {verb} clearly higher than the average interviewer")
        if lower:
            verb = "" if higher else " scores" if len(lower) == 1 else " score"
            parts.append(f"{_names(lower)}{verb} clearly lower")
            if not higher:
                parts[-1] += " than the average interviewer"
        if rest:
            parts.append(f"the other {rest} in line")
        sentence = f"Of {_count(total, 'interviewer', 'interviewers')} with enough shared"
        sentence += " candidates, " + (
            parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        )
    left = len(rows) - total
    if left:
        sentence += f" ({left} more have too few shared candidates to judge yet)"
    return sentence + "."


def _own_sentence(rows: pd.DataFrame) -> str:
    shared = int(rows["shared"].iloc[0]) if len(rows) else 0
    if shared < MIN_CANDIDATES_CALIBRATION:
        return _not_enough(
            "candidates shared with co-interviewers",
            "say whether you score higher or lower than they do",
            shared,
            MIN_CANDIDATES_CALIBRATION,
        )
    row = rows.iloc[0]
    if row["low"] > 0 or row["high"] < 0:
        words = "higher" if row["low"] > 0 else "lower"
        return (
            f"You score {words} than the average interviewer on the same candidates and"
            f" sessions: by about"
            f" {abs(row['leniency']):.0%} of the scale."
        )
    return (
        "You score in line with the average interviewer on the same candidates and sessions:"
        " no clear lean either way."
    )


def _decisions_sentence(process: pd.DataFrame, decided: int) -> str:
    if decided < MIN_DECISIONS:
        return _not_enough("decisions", "judge how they were made", decided, MIN_DECISIONS)
    hires = int(process["hires"].sum())
    sentence = f"Of {decided} decisions, {hires} {'was' if hires == 1 else 'were'} to hire"
    if "changed" not in process or process["changed"].isna().all():
        # decisions and dates only (no score figures): how long they took instead
        days = float(process["days_median"].median())
        took = "one day" if round(days, 1) == 1 else f"{days:.1f} days"
        return f"{sentence}; the median time from the last interview to a decision was {took}."
    changed, against = (int(process[c].sum()) for c in ("changed", "against_panel"))
    return (
        f"{sentence}; the discussion changed the panel's outcome"
        f" {_count(changed, 'time', 'times')} and"
        f" {_count(against, 'decision', 'decisions')} went against the panel's majority."
    )


# What a section says to someone who sees the opening's insights but not its score figures (a
# coordinator): one plain sentence, not an error.
SCORE_SECTIONS = {
    "agreement": "how well interviewers agree",
    "scales": "how the scales are used",
    "calibration": "who scores higher or lower than their co-interviewers",
    "thresholds": "what a bar, a veto or a greenlight would have done",
    "hires": "whether the interview predicted how hires do",
}


def for_managers(section: str) -> str:
    """The sentence a score section opens with for someone without its score figures."""
    return (
        f"Score figures are for hiring managers: {SCORE_SECTIONS[section]} is worked out from"
        " the scores."
    )


def _thresholds_sentence(sweep: pd.DataFrame, used: pd.DataFrame) -> str:
    n = int(sweep["candidates"].iloc[0]) if len(sweep) else 0
    if n < MIN_DECISIONS:
        return _not_enough("decided candidates", "judge a threshold", n, MIN_DECISIONS)
    judged = used[~used["provisional"].astype(bool)] if len(used) else used
    if judged.empty:
        sentence = (
            f"The chart shows what each bar from {BAR_STEPS[0]:.2f} to {BAR_STEPS[-1]:.2f}"
            f" would have done to {n} past decisions"
        )
        if len(used):
            sentence += (
                f"; no opening has the {MIN_DECISIONS} decisions of its own needed to judge"
                " the threshold it uses"
            )
        else:
            sentence += "; these openings use no bar, veto or greenlight"
        return sentence + "."
    parts = []
    for r in judged.to_dict("records"):
        threshold = r["threshold"][0].lower() + r["threshold"][1:]
        part = f"{r['opening']}'s {threshold} was reached by {r['meets']} of {r['candidates']}"
        if r["changed"] is not None and r["changed"] == r["changed"]:
            changed = int(r["changed"])
            part += f" and changed {_count(changed, 'decision', 'decisions')}"
        parts.append(part)
    return "Over past decisions, " + "; ".join(parts) + "."


def hires_headline(
    correlations: pd.DataFrame, retention: pd.DataFrame, *, scores: bool = True
) -> str:
    """The sentence that opens "After the hire", from `scoring.insights.outcomes`' tables
    (`outcome_correlations`, `retention`): below `MIN_HIRES` hires with a recorded outcome,
    how many of how many needed; from it on, whether the panel's overall recommendation went
    with the later rating (only where its interval excludes no relation) and how many stayed.
    Without score figures (`scores` False: a coordinator), that they are for hiring managers,
    and from the minimum on how many stayed."""
    n = int(retention["n"].max()) if len(retention) else 0
    if not scores:
        sentence = for_managers("hires")[:-1]
        stayed = retention[retention["n"] >= MIN_HIRES].sort_values("months")
        if len(stayed):
            s = stayed.iloc[-1]
            sentence += (
                f"; of {int(s['n'])} hires with a recorded outcome, {s['share']:.0%} still work"
                f" here at {int(s['months'])} months"
            )
        return sentence + "."
    if n < MIN_HIRES:
        return _not_enough(
            "hires with a recorded outcome",
            "say whether the interview predicted how hires do",
            n,
            MIN_HIRES,
        )
    parts = []
    overall = correlations[
        (correlations["criterion_id"] == OVERALL)
        & (correlations["n"] >= MIN_HIRES)
        & correlations["r"].notna()
    ]
    if len(overall):
        r = overall.sort_values("months").iloc[-1]
        months = int(r["months"])
        if r["low"] > 0 or r["high"] < 0:
            better = "better" if r["low"] > 0 else "worse"
            parts.append(
                f"hires the panel recommended more strongly tended to get a {better}"
                f" {months}-month rating"
            )
        else:
            parts.append(
                "no clear link yet between the panel's overall recommendation and the"
                f" {months}-month rating"
            )
    stayed = retention[retention["n"] >= MIN_HIRES].sort_values("months")
    if len(stayed):
        s = stayed.iloc[-1]
        parts.append(
            f"{s['share']:.0%} of {int(s['n'])} hires still work here at {int(s['months'])} months"
        )
    return f"Over {n} hires with a recorded outcome: " + "; ".join(parts) + "."


def headline(
    view: Insights,
    section: str,
    *,
    correlations: pd.DataFrame | None = None,
    retention: pd.DataFrame | None = None,
) -> str:
    """The plain sentence that opens `section` (one of `SECTIONS`) of `view`: below the
    section's minimum (`MIN_CANDIDATES_RELIABILITY`, `MIN_SCORES_DISTRIBUTION`,
    `MIN_CANDIDATES_CALIBRATION`, `MIN_DECISIONS`, `MIN_HIRES`), "Not enough ... yet to ...: n
    of the N needed." and no advice; from it on, what the figures say in words. On one's own
    calibration (`view.own`), "calibration" speaks to the person. "hires" reads the outcome
    tables of `scoring.insights.outcomes` (`outcome_correlations`, `retention`). Names in the
    sentence are people's and rubrics' words: render it as plain text. Someone without the score
    figures (`view.score_figures` False: a coordinator) reads, in a score section, that score
    figures are for hiring managers (`for_managers`), and in "decisions" the hire rate and the
    days to decision."""
    if section not in SECTIONS:
        raise ValueError(f"section must be one of {', '.join(SECTIONS)}")
    if not view.score_figures and section in SCORE_SECTIONS and section != "hires":
        return for_managers(section)
    if section == "agreement":
        return _agreement_sentence(view.reliability)
    if section == "scales":
        return _scales_sentence(view.overall_summary)
    if section == "calibration":
        return (
            _own_sentence(view.calibration) if view.own else _calibration_sentence(view.calibration)
        )
    if section == "decisions":
        return _decisions_sentence(view.process, view.decided)
    if section == "thresholds":
        return _thresholds_sentence(view.bar_sweep, view.thresholds)
    if section == "hires":
        empty = pd.DataFrame(columns=["criterion_id", "months", "n", "r", "low", "high"])
        return hires_headline(
            empty if correlations is None else correlations,
            pd.DataFrame(columns=["months", "n"]) if retention is None else retention,
            scores=view.score_figures,
        )
    raise AssertionError(section)  # pragma: no cover - every section is answered above
