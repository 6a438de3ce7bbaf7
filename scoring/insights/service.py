"""The Insights service: which openings and candidates count for the person asking, the few
set-based reads over them on one snapshot, and the figures (`scoring.insights.figures`,
`scoring.insights.process`) worked out from those reads, kept until something they read changes
(`scoring.insights.kept`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

import pandas as pd

from scoring.engine import CommitteeVote
from scoring.guards import Granted, guarded
from scoring.insights import after_reveal, kept, memo, outcomes
from scoring.insights.figures import calibration, criterion_use, overall_use, point_use, reliability
from scoring.insights.frames import (
    _CARD_COLUMNS,
    _SCORE_COLUMNS,
    _SUBMISSION_COLUMNS,
    independent_of,
    latest_of,
    seat_scorecards,
    submissions,
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
    Panel,
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
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
    why_not,
)
from scoring.queries import insights as Q
from scoring.rubric import Rubric
from scoring.store import Store, parse_stamp

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
def _kept(db, actor: Person, what: tuple, work: Callable[[], tuple[Insights, Depends]]) -> Insights:
    """The figures `work` gives for `what`, as this person may see them, kept until something
    they read changes (`scoring.insights.kept.kept`)."""
    return kept.kept(db, actor, what, work)


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
        return _kept(db, actor, what, lambda: _gather(db, actor, opening_ids, scored, why, scope))


def _depends(opening_ids: Iterable[int], window: list[int]) -> Depends:
    """What an opening view reads: its window's candidates (every one it counts or leaves
    out), its openings' own entries, and their newly opened debriefs (which enter the window)."""
    openings = frozenset(int(o) for o in opening_ids)
    return Depends(candidates=frozenset(window), openings=openings, windows=openings)


def _gather(
    db, actor: Person, opening_ids: list[int], scored: list[int], why: str, scope: str
) -> tuple[Insights, Depends]:
    """The window, who counts in it for the actor (for process and for score figures), the
    figures over them, and what they read."""
    window = [
        r[0] for r in db.execute(Q.WINDOW, [json.dumps(sorted(set(opening_ids))), WINDOW + 1])
    ]
    earlier = len(window) > WINDOW  # one more than the window: some are left out
    window = window[:WINDOW]
    facts = candidates_facts(db, window)
    refusals = {c: why_not(actor, "count_in_insights", f) for c, f in facts.items()}
    counted = sorted(c for c, why in refusals.items() if why is None)
    score_ids = [c for c in counted if may(actor, "count_in_score_figures", facts[c])]
    votes_seen = {c for c in score_ids if may(actor, "see_votes", facts[c])}
    withheld = [why for why in refusals.values() if why is not None]
    figures = _compute(db, opening_ids, scored, counted, score_ids, votes_seen, scope)
    view = replace(
        figures,
        withheld=len(withheld),
        withheld_why=_why(withheld),
        earlier=earlier,
        scores_withheld_why=why,
    )
    return view, _depends(opening_ids, window)


def _empty() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(columns=_CARD_COLUMNS), pd.DataFrame(columns=_SCORE_COLUMNS)


def _nothing() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """No submissions, no decided candidate, no scorecard, no score."""
    return pd.DataFrame(columns=_SUBMISSION_COLUMNS), pd.DataFrame(columns=DECIDED), *_empty()


def _compute(db, opening_ids, scored, counted, score_ids, votes_seen, scope) -> Insights:
    """The process figures over `counted` from dates and decisions alone; the score figures
    over `score_ids` only (none read at all when there are none)."""
    seats, seat_scores = seat_scorecards(db, score_ids) if score_ids else _empty()
    # Where every counted candidate's scores count (the hiring manager's own openings), the
    # dates are those of the latest scorecards just read: no second read of the same seats.
    dated = _dated(seats) if score_ids == counted else submissions(db, counted)
    decisions = _decisions(db, counted)
    openings = {o: load_opening(db, o) for o in sorted(set(opening_ids))}
    decided = _decided(dated, decisions, openings)
    rubrics = _rubrics(db, [*seat_scores["rubric_hash"].unique(), *seats["rubric_hash"].unique()])
    seats = with_rubric_id(seats, rubrics)
    # The decisions were made on the panel as it stood: the decision process and the what-if
    # read the latest scorecards; agreement, scales and calibration the independent ones.
    cards, scores = latest_of(seats, seat_scores)
    judged = {c: decisions[c] for c in score_ids if c in decisions}
    panels = _panels(db, judged, votes_seen, cards, scores, rubrics, openings)
    return _figures(
        scope,
        dated,
        decided,
        seats,
        seat_scores,
        rubrics=rubrics,
        panels=panels,
        openings=openings,
        scored=scored,
    )


def _dated(seats: pd.DataFrame) -> pd.DataFrame:
    """`submissions`' frame from `seat_scorecards`' cards: the latest scorecard of each seat,
    in the same order (candidate, session position, seat) with the same columns."""
    latest = seats[seats["latest"].astype(bool)]
    return latest[_SUBMISSION_COLUMNS].reset_index(drop=True)


def with_rubric_id(cards: pd.DataFrame, rubrics: dict[str, Rubric]) -> pd.DataFrame:
    """The scorecards with the id of the rubric each was written on (`rubric_id`: the session
    type, the same across versions of one rubric)."""
    ids = {h: r.id for h, r in rubrics.items()}
    return cards.assign(rubric_id=[ids.get(h) for h in cards["rubric_hash"].tolist()])


class _Decision(NamedTuple):
    """A recorded decision as the decision process reads it."""

    outcome: str
    decided_at: datetime
    engine_result: dict  # of the engine's result stored with it, its tally: all that is read


def _decisions(db, ids: list[int]) -> dict[int, tuple[_Decision, _Decision]]:
    """Each decided candidate's first decision and the one in force (the same when there is
    one): one query, reading of each stored engine result its tally only."""
    first: dict[int, _Decision] = {}
    in_force: dict[int, _Decision] = {}
    for candidate_id, outcome, decided_at, tally in db.execute(Q.DECISIONS, [json.dumps(ids)]):
        engine = {} if tally is None else {"tally": json.loads(tally)}
        decision = _Decision(outcome, parse_stamp(decided_at), engine)
        first.setdefault(int(candidate_id), decision)
        in_force[int(candidate_id)] = decision  # oldest first: the last is in force
    return {c: (first[c], in_force[c]) for c in first}


def _frozen(outcome, tally) -> dict:
    """The parts of a debrief's stored engine result the decision process reads."""
    frozen = {} if outcome is None else {"outcome": outcome}
    if tally is not None:
        frozen["tally"] = json.loads(tally)
    return frozen


def _panels(db, decisions, votes_seen, cards, scores, rubrics, openings) -> list[Panel]:
    """The candidates of `decisions` (decided, their scores counted for the viewer) as engine
    input: a few set-based queries."""
    if not decisions:
        return []
    decided_json = json.dumps(sorted(decisions))
    frozen = {
        r[0]: (_frozen(r[1], r[2]), r[3]) for r in db.execute(Q.FROZEN_RESULTS, [decided_json])
    }
    votes: dict[int, list[CommitteeVote]] = {c: [] for c in votes_seen}
    for r in db.execute(Q.LATEST_VOTES, [json.dumps(sorted(set(votes_seen) & set(decisions)))]):
        votes[r[0]].append(CommitteeVote(member=f"member #{r[1]}", vote=r[2]))
    criteria: dict[int, list[tuple]] = {}
    weights = {
        (h, c.id): (c.scale.min, c.scale.max, c.weight)
        for h, r in rubrics.items()
        for c in r.criteria
    }
    # only the decided candidates' scores: the window's others are never a panel here
    scores = scores[scores["candidate_id"].isin(list(decisions))]
    for sid, rubric_hash, cid, score in zip(
        scores["scorecard_id"].tolist(),
        scores["rubric_hash"].tolist(),
        scores["criterion_id"].tolist(),
        scores["score"].tolist(),
        strict=True,
    ):
        if (rubric_hash, cid) not in weights:
            continue
        low, high, weight = weights[rubric_hash, cid]
        criteria.setdefault(int(sid), []).append(
            (cid, None if score != score else int(score), low, high, weight)
        )
    # each decided candidate's latest cards, in the frame's order (plain lists: a thousand
    # small pandas groups cost more than the work done on them)
    by_candidate: dict[int, list[tuple]] = {}
    for candidate_id, sid, overall, ends_at in zip(
        cards["candidate_id"].tolist(),
        cards["scorecard_id"].tolist(),
        cards["overall"].tolist(),
        cards["ends_at"].tolist(),
        strict=True,
    ):
        if candidate_id in decisions:
            by_candidate.setdefault(int(candidate_id), []).append((sid, overall, ends_at))
    panels = []
    for candidate_id, group in sorted(by_candidate.items()):
        made = decisions[candidate_id]
        result, opening_id = frozen[candidate_id]
        panels.append(
            Panel(
                candidate_id=candidate_id,
                opening=openings[opening_id],
                cards=tuple(
                    (f"seat {sid}", int(overall), tuple(criteria.get(int(sid), ())))
                    for sid, overall, _ in group
                ),
                frozen=result,
                first=made[0].outcome,
                final=made[-1].outcome,
                engine_at_decision=made[-1].engine_result,
                decided_at=made[0].decided_at,
                interviewed_at=parse_stamp(max(ends for _, _, ends in group)),
                votes=tuple(votes[candidate_id]) if candidate_id in votes else None,
            )
        )
    return panels


# Seats read for one's own calibration: the window's candidates, at most a full loop of seats
# each (an interviewer rarely holds more than one seat on a candidate; six is the longest loop).
OWN_SEATS = 6 * WINDOW


@guarded("see_own_calibration")
def own_calibration(g: Granted) -> Insights:
    """How the actor scores compared with their co-interviewers, over the latest `WINDOW`
    candidates they interviewed whose other scorecards they may see (`see_scores`): their own
    row only; kept like `opening_insights`'s figures. Called as `own_calibration(store, actor)`;
    NotAllowed unless `see_own_calibration` allows."""
    return _kept(g.db, g.actor, ("own",), lambda: _own(g.db, g.actor))


def _own(db, actor: Person) -> tuple[Insights, Depends]:
    # the window in SQL: the person's newest seats (a few per candidate at most), not all
    recent = [r[0] for r in db.execute(Q.OWN_RECENT, [actor.id, OWN_SEATS, WINDOW])]
    facts = candidates_facts(db, recent)
    refusals = {c: why_not(actor, "see_scores", f) for c, f in facts.items()}
    counted = sorted(c for c, why in refusals.items() if why is None)
    seats, _ = seat_scorecards(db, counted, with_scores=False)  # overalls are all it reads
    seats = with_rubric_id(seats, _rubrics(db, seats["rubric_hash"].unique()))
    cards = seats[seats["independent"]]  # as on the opening's figures: independent judgements
    withheld = [why for why in refusals.values() if why is not None]
    own = memo.of(_SCORES, _own_tables, seats, actor.id)
    empty = pd.DataFrame()
    # What it read: the candidates in its window, any candidate the person holds a seat on (a
    # new seat may enter the window), and any opening's own entries (an edit of the reveal rule
    # or the scale changes what counts: rare, so any opening's).
    depends = Depends(candidates=frozenset(recent), openings=None, seated=actor.id)
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
    ), depends


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
