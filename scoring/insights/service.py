"""The Insights service: which openings and candidates count for the person asking, the few
set-based reads over them on one snapshot, and the figures (`scoring.insights.figures`,
`scoring.insights.process`) worked out from those reads, kept until something they read changes
(`scoring.insights.kept`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

import pandas as pd

from scoring.guards import Granted, guarded
from scoring.insights import after_reveal, kept, memo, outcomes, window
from scoring.insights.figures import calibration, criterion_use, overall_use, point_use, reliability
from scoring.insights.frames import (
    _CARD_COLUMNS,
    _SCORE_COLUMNS,
    _SUBMISSION_COLUMNS,
    frames_of,
    independent_of,
)
from scoring.insights.headlines import SECTIONS, headline
from scoring.insights.kept import Depends
from scoring.insights.limits import (
    WINDOW,
    without_thin_intervals,
)
from scoring.insights.process import (
    DECIDED,
    PANEL_COLUMNS,
    _decided,
    _process_rows,
    bar_sweep,
    decision_process,
    opening_thresholds,
    submission,
    what_if,
)
from scoring.insights.records import Insights
from scoring.opening_record import Opening, rubric_snapshot
from scoring.opening_record import load as load_opening
from scoring.openings import list_openings
from scoring.permissions import (
    Organisation,
    Person,
    current,
    ensure,
    may,
    opening_facts,
    why_not,
)
from scoring.queries import insights as Q
from scoring.rubric import Rubric
from scoring.store import Store

# -------------------------------------------------------------------------------- the service


def _rubrics(db, hashes: Iterable[str]) -> dict[str, Rubric]:
    return {h: rubric_snapshot(db, h) for h in set(hashes)}


def insight_openings(store: Store, actor: Person) -> list[Opening]:
    """The openings whose insights the actor may see (coordinators: all; hiring managers:
    their own)."""
    return list_openings(store, actor, "see_insights")


def may_see_own_calibration(store: Store, actor: Person) -> bool:
    """May the actor see how they score compared with their co-interviewers?"""
    with store.read() as db:
        return may(current(db, actor), "see_own_calibration", Organisation())


def may_see_score_figures(store: Store, actor: Person, opening_ids: Iterable[int]) -> bool:
    """Does the actor see figures worked out from scores for at least one of these openings
    (`see_score_figures`: the opening's hiring manager, never a coordinator as such)?"""
    with store.read() as db:
        actor = current(db, actor)
        return any(
            may(actor, "see_score_figures", opening_facts(db, int(o), actor)) for o in opening_ids
        )


# What one person may see of some openings is a pure function of the database and its history,
# and the history changes only through audited writes. So the figures are kept under what
# decides what the person may see (who, their roles, active or not, what was asked) and served
# while no audit entry since touches what they read (`scoring.insights.kept`: the candidates in
# the window, the openings' own entries and newly opened debriefs, a person's seats): a write for
# another opening, or a scorecard for a candidate not yet in any window, leaves them warm. They
# are shared with other server processes and the command line through the `kept_figures` table.
# Each call still checks `see_insights` (or `see_own_calibration`) first.
def _kept(db, actor: Person, what: tuple, work: Callable, update: Callable) -> Insights:
    """The figures `work` gives for `what`, as this person may see them, kept until something
    they read changes, and after a write about a few candidates in the window made again by
    `update` from what was read of every other (`scoring.insights.kept.kept`)."""
    return kept.kept(db, actor, what, work, update)


def opening_insights(store: Store, actor: Person, opening_ids: list[int]) -> Insights:
    """Every figure for the given openings, as the actor may see them, over the latest `WINDOW`
    candidates whose debrief opened: NotAllowed unless they may see each opening's insights.
    Process figures (decisions and dates) count a candidate where `count_in_insights` allows
    (never where the actor still has an unsubmitted seat); score figures are worked out only
    for the openings whose `see_score_figures` the actor has (a coordinator: none), over the
    candidates `count_in_score_figures` allows (those whose scores the actor may read), with
    committee votes only where `see_votes` allows."""
    with store.read() as db:
        actor = current(db, actor)
        facts = {}
        for opening_id in opening_ids:
            facts[opening_id] = opening_facts(db, opening_id, actor)
            ensure(actor, "see_insights", facts[opening_id])
        scored = sorted({o for o, f in facts.items() if may(actor, "see_score_figures", f)})
        refused = [why_not(actor, "see_score_figures", f) for f in facts.values()]
        why = "" if scored or not refused else refused[0] or ""
        # the openings as the key has them (sorted, once each): a view kept for [a, b] and
        # served for [b, a] says the same scope
        scope = f"opening:{','.join(map(str, sorted(set(opening_ids))))}"
        if not opening_ids:
            return _figures(scope, *_nothing(), rubrics={}, panels=[], openings={}, scored=[])
        what = ("openings", *sorted(set(opening_ids)))
        asked = _Asked(tuple(sorted(set(opening_ids))), tuple(scored), why, scope)
        return _kept(
            db,
            actor,
            what,
            lambda: _gather(db, actor, asked),
            lambda state, touched: _regather(db, actor, asked, state, touched),
        )


class _Asked(NamedTuple):
    """What an opening view was asked for and what the actor's rights on the openings made of
    it: the openings, those whose score figures they see, why not (if none), the scope."""

    opening_ids: tuple[int, ...]
    scored: tuple[int, ...]
    why: str
    scope: str


@dataclass(frozen=True)
class _Window:
    """What an opening view was worked out from, kept beside it in this process: what was
    asked, the window (latest first), whether earlier candidates were left out, and what each
    candidate of the window gave (`scoring.insights.window.Read`)."""

    asked: _Asked
    window: tuple[int, ...]
    earlier: bool
    reads: dict[int, window.Read]


def _depends(opening_ids: Iterable[int], candidates: Iterable[int]) -> Depends:
    """What an opening view reads: its window's candidates (every one it counts or leaves
    out), its openings' own entries, and their newly opened debriefs (which enter the window)."""
    openings = frozenset(int(o) for o in opening_ids)
    return Depends(candidates=frozenset(candidates), openings=openings, windows=openings)


def _gather(db, actor: Person, asked: _Asked) -> tuple[Insights, Depends, _Window]:
    """The window, what each of its candidates gives the actor, the figures over them, what
    they read, and the reads kept to update them."""
    ids = json.dumps(list(asked.opening_ids))
    found = [r[0] for r in db.execute(Q.WINDOW, [ids, WINDOW + 1])]
    openings = _openings(db, asked)
    state = _Window(
        asked=asked,
        window=tuple(found[:WINDOW]),
        earlier=len(found) > WINDOW,  # one more than the window: some are left out
        reads=window.read_window(db, actor, found[:WINDOW], openings),
    )
    return _made(db, state, openings), _depends(asked.opening_ids, state.window), state


def _regather(
    db, actor: Person, asked: _Asked, state: _Window, touched: frozenset[int]
) -> tuple[Insights, Depends, _Window] | None:
    """The view again after writes about the `touched` candidates of its window (and nothing
    else it read: `kept` says so): their rows read again, every other candidate's as kept.
    None (work it all out) when the rights on the openings changed what was asked."""
    if asked != state.asked or not touched <= set(state.window):
        return None
    openings = _openings(db, asked)
    fresh = window.read_window(db, actor, sorted(touched), openings)
    if set(fresh) != set(touched):
        return None  # a candidate gone: nothing kept of the window holds
    state = replace(state, reads={**state.reads, **fresh})
    return _made(db, state, openings), _depends(asked.opening_ids, state.window), state


def _openings(db, asked: _Asked) -> dict[int, Opening]:
    return {o: load_opening(db, o) for o in asked.opening_ids}


def _made(db, state: _Window, openings: dict[int, Opening]) -> Insights:
    """The figures over the window's reads: the process ones over the candidates who count,
    from dates and decisions alone; the score ones over those whose scores count."""
    reads = state.reads
    counted = [c for c in sorted(reads) if reads[c].why is None]
    score_ids = [c for c in counted if reads[c].scored]
    if score_ids:
        seats, seat_scores = frames_of(
            [row for c in score_ids for row in reads[c].cards],
            [row for c in score_ids for row in reads[c].scores],
        )
    else:
        seats, seat_scores = _empty()
    dated = pd.DataFrame(
        [row for c in counted for row in reads[c].dated], columns=_SUBMISSION_COLUMNS
    )
    # each decided candidate's first decision and the one in force (the same when there is one)
    made = {c: reads[c].decisions for c in counted if reads[c].decisions}
    decisions = {c: (d[0], d[-1]) for c, d in made.items()}
    decided = _decided(dated, decisions, openings)
    rubrics = _rubrics(db, [*seat_scores["rubric_hash"].unique(), *seats["rubric_hash"].unique()])
    seats = with_rubric_id(seats, rubrics)
    # The decisions were made on the panel as it stood: the decision process and the what-if
    # read the latest scorecards (the panels); agreement, scales and calibration the
    # independent ones.
    panels = [reads[c].panel for c in score_ids if reads[c].panel is not None]
    figures = _figures(
        state.asked.scope,
        dated,
        decided,
        seats,
        seat_scores,
        rubrics=rubrics,
        panels=panels,
        openings=openings,
        scored=list(state.asked.scored),
    )
    withheld = [reads[c].why for c in sorted(reads) if reads[c].why is not None]
    return replace(
        figures,
        withheld=len(withheld),
        withheld_why=_why(withheld),
        earlier=state.earlier,
        scores_withheld_why=state.asked.why,
    )


def _empty() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(columns=_CARD_COLUMNS), pd.DataFrame(columns=_SCORE_COLUMNS)


def _nothing() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """No submissions, no decided candidate, no scorecard, no score."""
    return pd.DataFrame(columns=_SUBMISSION_COLUMNS), pd.DataFrame(columns=DECIDED), *_empty()


def with_rubric_id(cards: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """The scorecards with the id of the rubric each was written on (`rubric_id`: the session
    type, the same across versions of one rubric)."""
    ids = {h: r.id for h, r in rubrics.items()}
    return cards.assign(rubric_id=[ids.get(h) for h in cards["rubric_hash"].tolist()])


# Seats read for one's own calibration: the window's candidates, at most a full loop of seats
# each (an interviewer rarely holds more than one seat on a candidate; six is the longest loop).
OWN_SEATS = 6 * WINDOW


@guarded("see_own_calibration")
def own_calibration(g: Granted) -> Insights:
    """How the actor scores compared with their co-interviewers, over the latest `WINDOW`
    candidates they interviewed whose other scorecards they may see (`see_scores`): their own
    row only; kept like `opening_insights`'s figures. Called as `own_calibration(store, actor)`;
    NotAllowed unless `see_own_calibration` allows."""
    return _kept(
        g.db,
        g.actor,
        ("own",),
        lambda: _own(g.db, g.actor),
        lambda state, touched: _own_again(g.db, g.actor, state, touched),
    )


@dataclass(frozen=True)
class _Own:
    """What one's own calibration was worked out from, kept beside it in this process: the
    window (the latest candidates one interviewed) and what each gave
    (`scoring.insights.window.Read`)."""

    recent: tuple[int, ...]
    reads: dict[int, window.Read]


def _own(db, actor: Person) -> tuple[Insights, Depends, _Own]:
    # the window in SQL: the person's newest seats (a few per candidate at most), not all
    recent = tuple(r[0] for r in db.execute(Q.OWN_RECENT, [actor.id, OWN_SEATS, WINDOW]))
    state = _Own(recent, window.read_own(db, actor, recent))
    return _own_made(db, actor, state), _own_depends(actor, recent), state


def _own_again(
    db, actor: Person, state: _Own, touched: frozenset[int]
) -> tuple[Insights, Depends, _Own] | None:
    """One's own calibration again after writes about the `touched` candidates (in its window,
    or ones the person holds a seat on): None (work it all out) when the window moved, else
    the window's touched candidates read again and every other's rows as kept."""
    recent = tuple(r[0] for r in db.execute(Q.OWN_RECENT, [actor.id, OWN_SEATS, WINDOW]))
    if recent != state.recent:
        return None
    again = sorted(touched & set(recent))
    fresh = window.read_own(db, actor, again)
    if set(fresh) != set(again):
        return None  # a candidate gone: nothing kept of the window holds
    state = replace(state, reads={**state.reads, **fresh})
    return _own_made(db, actor, state), _own_depends(actor, recent), state


def _own_depends(actor: Person, recent: tuple[int, ...]) -> Depends:
    # What it read: the candidates in its window, any candidate the person holds a seat on (a
    # new seat may enter the window), and any opening's own entries (an edit of the reveal rule
    # or the scale changes what counts: rare, so any opening's).
    return Depends(candidates=frozenset(recent), openings=None, seated=actor.id)


def _own_made(db, actor: Person, state: _Own) -> Insights:
    reads = state.reads
    counted = [c for c in sorted(reads) if reads[c].why is None]
    # overalls are all it reads: no criterion score
    seats, _ = frames_of([row for c in counted for row in reads[c].cards], [], with_scores=False)
    seats = with_rubric_id(seats, _rubrics(db, seats["rubric_hash"].unique()))
    cards = seats[seats["independent"]]  # as on the opening's figures: independent judgements
    withheld = [reads[c].why for c in sorted(reads) if reads[c].why is not None]
    own = memo.of(_SCORES, _own_tables, seats, actor.id)
    empty = pd.DataFrame()
    return Insights(
        scope=f"person:{actor.id}",
        candidates=len(set(cards["candidate_id"])),
        withheld=len(withheld),
        withheld_why=_why(withheld),
        counted_ids=frozenset(int(c) for c in cards["candidate_id"]),
        reliability=empty,
        point_use=empty,
        criterion_use=empty,
        overall_points=empty,
        overall_summary={},
        calibration=own["calibration"],
        after_only=own["after_only"],
        own=True,
    )


def _own_tables(seats: pd.DataFrame, person_id: int) -> dict:
    """The person's own calibration row among everyone's on the same candidates, and how many
    of their scorecards were first written after the reveal: from the seats' scorecards alone,
    so kept in this process under their digest like the opening's score tables."""
    cards = seats[seats["independent"]]
    moves = after_reveal.seat_moves(seats)
    table = _calibration(cards, moves)
    return {
        "calibration": table[table["interviewer_id"] == person_id].reset_index(drop=True),
        "after_only": int(moves[moves["interviewer_id"] == person_id]["after_only"].sum()),
    }


def _why(refusals: list[str]) -> str:
    """The commonest reason candidates were left out, for the page to say."""
    if not refusals:
        return ""
    return pd.Series(refusals).value_counts().index[0]


# The score tables read the seats' scorecards and scores alone: a decision, a vote or an
# outcome leaves them as they were, so they are kept in this process under a digest of exactly
# what they read (`scoring.insights.memo`: the frames by value, the rubrics, the openings'
# titles), for as many views as `kept` keeps in this process.
_SCORES = memo.Memo(kept.PROCESS_SIZE)


def _score_tables(
    seats: pd.DataFrame, seat_scores: pd.DataFrame, rubrics: dict, titles: dict
) -> dict:
    """Agreement, the use of each scale and calibration on the independent judgements, and the
    corrections after the reveal from both (`seat_scorecards`' frames)."""
    cards, scores = independent_of(seats, seat_scores)
    moves = after_reveal.seat_moves(seats)
    points, summary = overall_use(cards)
    return {
        "reliability": reliability(scores, rubrics),
        "point_use": point_use(scores, rubrics),
        "criterion_use": criterion_use(scores, rubrics),
        "overall_points": points,
        "overall_summary": summary,
        "calibration": _calibration(cards, moves),
        "corrections": after_reveal.correction_summary(moves, titles),
        "after_only": int(moves["after_only"].astype(bool).sum()),
    }


def _figures(
    scope, dated, decided, seats, seat_scores, *, rubrics, panels, openings, scored
) -> Insights:
    """Every table: the process ones from `dated` and `decided`, the score ones from `seats`
    and `seat_scores` (`seat_scorecards`: agreement, scales and calibration on the independent
    judgements, the corrections after the reveal from both) and `panels` (empty for a viewer
    without score figures: `scored` is the openings whose score figures they may see)."""
    rows = _process_rows(panels)
    process_rows = decided
    if scored and not decided.empty:
        # the panel's columns for the candidates whose scores count; blank for the others
        panel = pd.DataFrame(
            rows[["candidate_id", *PANEL_COLUMNS]] if len(rows) else None,
            columns=["candidate_id", *PANEL_COLUMNS],
        )
        process_rows = decided.merge(panel, on="candidate_id", how="left")
    titles = {o: opening.title for o, opening in openings.items()}
    tables = memo.of(_SCORES, _score_tables, seats, seat_scores, rubrics, titles)
    return Insights(
        scope=scope,
        candidates=int(dated["candidate_id"].nunique()),
        withheld=0,
        withheld_why="",
        counted_ids=frozenset(int(c) for c in dated["candidate_id"]),
        reliability=tables["reliability"],
        point_use=tables["point_use"],
        criterion_use=tables["criterion_use"],
        overall_points=tables["overall_points"],
        overall_summary=tables["overall_summary"] if scored else {},
        calibration=tables["calibration"],
        process=decision_process(process_rows),
        what_if=what_if(rows),
        bar_sweep=bar_sweep(rows),
        thresholds=opening_thresholds(rows, {o: openings[o] for o in scored}),
        submission=submission(dated, titles),
        corrections=tables["corrections"],
        after_only=tables["after_only"],
        decided=len(decided),
        score_figures=bool(scored),
        score_ids=frozenset(int(c) for c in seats["candidate_id"]),
    )


def _calibration(cards: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """`calibration` of the independent scorecards, each interviewer's corrections after the
    reveal beside it, and no leniency interval below `MIN_INTERVAL_UNITS` shared candidates."""
    table = after_reveal.with_corrections(calibration(cards), moves)
    return without_thin_intervals(table, "shared")


def headlines(store: Store, actor: Person, opening_ids: list[int]) -> dict[str, str]:
    """Every section's opening sentence (`headline`) for these openings, as the actor may see
    them: NotAllowed as `opening_insights`."""
    view = opening_insights(store, actor, opening_ids)
    predictors, later = outcomes.outcome_rows(store, actor, opening_ids)
    hires = {
        "correlations": outcomes.outcome_correlations(predictors, later),
        "retention": outcomes.retention(later),
    }
    return {section: headline(view, section, **hires) for section in SECTIONS}


def own_headline(store: Store, actor: Person) -> str:
    """The sentence that opens how the actor scores compared with their co-interviewers
    (`headline` of `own_calibration`)."""
    return headline(own_calibration(store, actor), "calibration")
