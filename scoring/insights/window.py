"""What an Insights view read of each candidate in its window, kept in this process beside the
view, so that the first view after a write about a few candidates reads again only theirs.

A view is worked out from, per candidate: whether they count for the person and why not (the
permission table on the candidate's facts), their seats' scorecards and criterion scores
(`scoring.insights.frames`' rows), when each latest scorecard came in, their decisions, and, for
a decided candidate whose scores count, their panel as the decision engine reads it. None of it
reads another candidate; what it reads beyond the candidate (their opening, the person asking,
a person's name) has entries of its own that make a kept view cold whole
(`scoring.insights.kept`). So the rows read now for the candidates a write was about, with the
rows kept for every other, are the rows reading them all now would give, in the same order (each
statement's order is total, by candidate first), and the frames made from them are the same
frames (`frames.frames_of`). Rows are kept as plain tuples, never frames: a frame made again
from the same rows is the same frame, dtypes included, which a frame spliced together is not.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from scoring.engine import CommitteeVote
from scoring.insights.frames import (
    _CARD_COLUMNS,
    _SUBMISSION_COLUMNS,
    CARD_ID,
    card_rows,
    score_rows,
    submission_rows,
)
from scoring.insights.process import Panel
from scoring.opening_record import Opening, rubric_snapshot
from scoring.permissions import Person, candidates_facts, may, why_not
from scoring.queries import insights as Q
from scoring.store import parse_stamp

_LATEST = _CARD_COLUMNS.index("latest")
_OVERALL = _CARD_COLUMNS.index("overall")
_ENDS = _CARD_COLUMNS.index("ends_at")
_HASH = _CARD_COLUMNS.index("rubric_hash")
_DATED = tuple(_CARD_COLUMNS.index(c) for c in _SUBMISSION_COLUMNS)  # a card as a date row


class Decision(NamedTuple):
    """A recorded decision as the decision process reads it."""

    outcome: str
    decided_at: datetime
    engine_result: dict  # of the engine's result stored with it, its tally: all that is read


@dataclass(frozen=True)
class Read:
    """What one candidate gave a view: why they do not count for the person (None: they do),
    whether their scores count, their seats' scorecards (`card_rows`) and those cards'
    criterion scores (`score_rows`) when they do, the dates of their latest scorecards
    (`submission_rows`' shape), their decisions oldest first, and their panel (decided, scores
    counted, scorecards in)."""

    why: str | None
    scored: bool
    cards: tuple[tuple, ...] = ()
    scores: tuple[tuple, ...] = ()
    dated: tuple[tuple, ...] = ()
    decisions: tuple[Decision, ...] = ()
    panel: Panel | None = None


def read_window(
    db, actor: Person, ids: Iterable[int], openings: dict[int, Opening]
) -> dict[int, Read]:
    """What these candidates give `actor`'s view of some openings (`openings`: those loaded,
    each candidate's among them): who counts (`count_in_insights`), whose scores count
    (`count_in_score_figures`) and whose votes are seen (`see_votes`), and their rows. A few
    set-based queries whatever the number of candidates; an unknown id is left out."""
    facts = candidates_facts(db, sorted(set(ids)))
    why = {c: why_not(actor, "count_in_insights", facts[c]) for c in sorted(facts)}
    counted = [c for c, w in why.items() if w is None]
    scored = [c for c in counted if may(actor, "count_in_score_figures", facts[c])]
    votes_seen = {c for c in scored if may(actor, "see_votes", facts[c])}
    cards = _by_candidate(card_rows(db, scored)) if scored else {}
    of_card = {row[CARD_ID]: c for c, rows in cards.items() for row in rows}
    scores: dict[int, list[tuple]] = {}
    for row in score_rows(db, list(of_card)):
        scores.setdefault(of_card[row[0]], []).append(row)
    # the dates: of the cards just read where there are cards; otherwise read without a score
    others = [c for c in counted if c not in cards]
    dated = _by_candidate(submission_rows(db, others)) if others else {}
    for c, rows in cards.items():
        dated[c] = [tuple(row[i] for i in _DATED) for row in rows if row[_LATEST]]
    decisions = _decisions(db, counted)
    judged = [c for c in scored if c in decisions]
    panels = _panels(db, judged, votes_seen, cards, scores, decisions, openings)
    scored_set = set(scored)
    return {
        c: Read(
            why=w,
            scored=c in scored_set,
            cards=tuple(cards.get(c, ())),
            scores=tuple(scores.get(c, ())),
            dated=tuple(dated.get(c, ())),
            decisions=tuple(decisions.get(c, ())),
            panel=panels.get(c),
        )
        for c, w in why.items()
    }


def read_own(db, actor: Person, ids: Iterable[int]) -> dict[int, Read]:
    """What these candidates give `actor`'s own calibration: who counts (`see_scores`) and,
    for them, their seats' scorecards (no criterion score: overalls are all it reads)."""
    facts = candidates_facts(db, sorted(set(ids)))
    why = {c: why_not(actor, "see_scores", facts[c]) for c in sorted(facts)}
    counted = [c for c, w in why.items() if w is None]
    cards = _by_candidate(card_rows(db, counted)) if counted else {}
    return {c: Read(why=w, scored=w is None, cards=tuple(cards.get(c, ()))) for c, w in why.items()}


def _by_candidate(rows: list[tuple]) -> dict[int, list[tuple]]:
    """Rows whose first column is the candidate, by candidate, each's in the order read."""
    out: dict[int, list[tuple]] = {}
    for row in rows:
        out.setdefault(int(row[0]), []).append(row)
    return out


def _decisions(db, ids: list[int]) -> dict[int, list[Decision]]:
    """Each decided candidate's decisions, oldest first: one query, reading of each stored
    engine result its tally only."""
    out: dict[int, list[Decision]] = {}
    if not ids:
        return out
    for candidate_id, outcome, decided_at, tally in db.execute(Q.DECISIONS, [json.dumps(ids)]):
        engine = {} if tally is None else {"tally": json.loads(tally)}
        out.setdefault(int(candidate_id), []).append(
            Decision(outcome, parse_stamp(decided_at), engine)
        )
    return out


def _frozen(outcome, tally) -> dict:
    """The parts of a debrief's stored engine result the decision process reads."""
    frozen = {} if outcome is None else {"outcome": outcome}
    if tally is not None:
        frozen["tally"] = json.loads(tally)
    return frozen


def _panels(db, judged, votes_seen, cards, scores, decisions, openings) -> dict[int, Panel]:
    """The `judged` candidates (decided, their scores counted for the viewer) as engine input,
    each from its latest scorecards: a few set-based queries."""
    if not judged:
        return {}
    judged_json = json.dumps(sorted(judged))
    frozen = {
        r[0]: (_frozen(r[1], r[2]), r[3]) for r in db.execute(Q.FROZEN_RESULTS, [judged_json])
    }
    seen = sorted(set(votes_seen) & set(judged))
    votes: dict[int, list[CommitteeVote]] = {c: [] for c in seen}
    for r in db.execute(Q.LATEST_VOTES, [json.dumps(seen)]):
        votes[r[0]].append(CommitteeVote(member=f"member #{r[1]}", vote=r[2]))
    weights: dict[tuple, tuple] = {}
    panels = {}
    for candidate_id in sorted(judged):
        latest = [row for row in cards.get(candidate_id, ()) if row[_LATEST]]
        if not latest:
            continue
        criteria: dict[int, list[tuple]] = {}
        for sid, cid, score in sorted(scores.get(candidate_id, ()), key=lambda r: (r[0], r[1])):
            criteria.setdefault(int(sid), []).append((cid, score))
        made = decisions[candidate_id]
        result, opening_id = frozen[candidate_id]
        panels[candidate_id] = Panel(
            candidate_id=candidate_id,
            opening=openings[opening_id],
            cards=tuple(
                (
                    f"seat {row[CARD_ID]}",
                    int(row[_OVERALL]),
                    _criteria(db, weights, row[_HASH], criteria.get(int(row[CARD_ID]), ())),
                )
                for row in latest
            ),
            frozen=result,
            first=made[0].outcome,
            final=made[-1].outcome,
            engine_at_decision=made[-1].engine_result,
            decided_at=made[0].decided_at,
            interviewed_at=parse_stamp(max(row[_ENDS] for row in latest)),
            votes=tuple(votes[candidate_id]) if candidate_id in votes else None,
        )
    return panels


def _criteria(db, weights: dict, rubric_hash: str, scores) -> tuple:
    """One scorecard's criterion scores as engine input (criterion, score, scale, weight), in
    criterion order; a score for a criterion its rubric lacks is left out."""
    if rubric_hash not in weights:
        weights[rubric_hash] = {
            c.id: (c.scale.min, c.scale.max, c.weight)
            for c in rubric_snapshot(db, rubric_hash).criteria
        }
    known = weights[rubric_hash]
    return tuple(
        (cid, None if score is None else int(score), *known[cid])
        for cid, score in scores
        if cid in known
    )
