"""Bulk exports per opening: decisions (one row per candidate; coordinators may have these) and
scorecards (one row per criterion score; only people who may see the scores), as CSV or JSON,
and the Decisions screen's page of them.

In CSV a cell a spreadsheet would run as a formula is neutralised and every cell holding a line
break is quoted.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from scoring import opening_record, openings, scorecards
from scoring.debrief_panel import decision_records
from scoring.engine import OUTCOME_WORDS
from scoring.exports.summary import _when
from scoring.guards import Granted, guarded
from scoring.permissions import Person, candidates_facts, may, why_not
from scoring.queries import exports as Q
from scoring.store import Store
from scoring.strategy_words import STRATEGY_NAMES
from scoring.text import formula_like, strip_bidi

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # the plain starts; `formula_like` sees more


def export_openings(store: Store, actor: Person) -> list[openings.Opening]:
    """The openings whose decisions the actor may export."""
    return openings.list_openings(store, actor, "export_decisions")


CHUNK = 500  # candidates loaded together: a handful of queries for each chunk, never one each


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[n : n + CHUNK] for n in range(0, len(ids), CHUNK)]


def _labels(db, actor: Person, facts: dict, ids: list[int]) -> dict[int, str]:
    """Each candidate's name, or alias where the actor may not see the name (one query)."""
    if not ids:
        return {}
    rows = db.execute(Q.labels_of(len(ids)), ids)
    return {
        r["id"]: r["name"] if may(actor, "see_name", facts[r["id"]]) else r["alias"] for r in rows
    }


def _decision_rows_for(
    db, actor: Person, opening, ids: list[int], when=_when
) -> list[dict[str, Any]]:
    """The decision rows of these candidates, in their order, in five queries for them all.
    Every row goes through the permission table: the decision only where the actor may see it,
    what the panel said only where they may see the scores. Outcomes and the strategy are in
    words; `when` writes the moment of the decision (UTC text for a file)."""
    if not ids:
        return []
    facts = candidates_facts(db, ids)
    labels = _labels(db, actor, facts, ids)
    opened = {r["candidate_id"]: r for r in db.execute(Q.debriefs_of(len(ids)), ids)}
    withheld = {i: why_not(actor, "see_decision", facts[i]) for i in ids}
    records = decision_records(db, [i for i in ids if withheld[i] is None])
    rows = []
    for candidate_id in ids:
        decisions = records.get(candidate_id, [])
        final = decisions[-1] if decisions else None
        sees_panel = may(actor, "see_scores", facts[candidate_id])
        opening_row = opened.get(candidate_id)
        frozen_result = (
            json.loads(opening_row["frozen_result"]) if opening_row and sees_panel else None
        )
        tally = frozen_result["tally"] if frozen_result else None
        rows.append(
            {
                "candidate_id": candidate_id,
                "candidate": labels[candidate_id],
                "opening": opening.title,
                "strategy": STRATEGY_NAMES[opening.strategy.kind],
                "debrief_opened_at": opening_row["opened_at"] if opening_row else "",
                "opened_early_because": (opening_row["early_reason"] or "") if opening_row else "",
                "outcome_at_opening": (
                    OUTCOME_WORDS[frozen_result["outcome"]] if frozen_result else ""
                ),
                "panel_at_opening": (
                    f"{tally['yes']} yes, {tally['no']} no, {tally['undecided']} undecided"
                    if tally
                    else ""
                ),
                "decision": OUTCOME_WORDS[final.outcome] if final else "",
                "decided_by": final.decided_by if final else "",
                "decided_at": when(final.decided_at) if final else "",
                "rationale": final.rationale if final else "",
                "accepts_responsibility": final.accepts_responsibility if final else "",
                "strategy_said": (
                    OUTCOME_WORDS[final.engine_result["outcome"]] if final and sees_panel else ""
                ),
                "decisions_recorded": len(decisions),
                "withheld": withheld[candidate_id] or "",
            }
        )
    return rows


@guarded("export_decisions", on="opening_id")
def decision_rows(g: Granted, opening_id: int) -> list[dict[str, Any]]:
    """One row per candidate of the opening: the decision in force and how it was reached.
    For coordinators too. What the panel said (derived from scores) is blank for anyone who may
    not see that candidate's scores; the decision, who made it and the rationale are blank for
    anyone who may not see them (an interviewer whose own scorecard is not in), and
    `withheld` says why. Built in chunks of candidates, a few queries each."""
    db, actor = g.db, g.actor
    opening = opening_record.load(db, opening_id)
    rows = []
    for chunk in _chunks(openings.candidate_ids(db, opening_id)):
        rows += _decision_rows_for(db, actor, opening, chunk)
    return rows


@dataclass(frozen=True)
class DecisionPage:
    """One page of an opening's decisions, the latest decided first, and the candidates whose
    decision the actor may not see yet (their own scorecard is missing), with why."""

    rows: list[dict[str, Any]]  # decided, as `decision_rows` makes them; decided_at a datetime
    withheld: list[dict[str, Any]]
    decided: int  # decided candidates shown to the actor (every page)
    candidates: int  # in the opening
    page: int
    pages: int


@guarded("export_decisions", on="opening_id")
def decision_page(
    g: Granted, opening_id: int, *, page: int = 1, per_page: int = 25
) -> DecisionPage:
    """A page of the opening's decided candidates, the latest decision first, for the Decisions
    screen: a fixed number of queries whatever the opening's history (the exports,
    `decision_rows`, cover the whole opening when a file is asked for)."""
    db, actor = g.db, g.actor
    opening = opening_record.load(db, opening_id)
    # Blind rows: where the actor's own scorecard is missing, the decision is not theirs to
    # see. Bounded by the actor's own open seats.
    pending = [r[0] for r in db.execute(Q.PENDING_OWN, [actor.id, opening_id])]
    withheld = [r for r in _decision_rows_for(db, actor, opening, pending) if r["withheld"]]
    hidden = [r["candidate_id"] for r in withheld]
    candidates, decided = db.execute(
        Q.counts_without(len(hidden)), [*hidden, opening_id]
    ).fetchone()
    pages = max(1, -(-decided // per_page))
    page = min(max(1, page), pages)
    # the latest decisions first: a walk down the decisions' ids that stops at the page
    cursor = db.execute(Q.latest_decided_without(len(hidden)), [opening_id, *hidden])
    found: dict[int, None] = {}
    wanted = page * per_page
    while len(found) < wanted and (chunk := cursor.fetchmany(256)):
        for (candidate_id,) in chunk:
            found.setdefault(candidate_id)
            if len(found) == wanted:
                break
    cursor.close()
    ids = list(found)[(page - 1) * per_page :]
    # the moment itself: the screen writes it in the viewer's zone
    rows = _decision_rows_for(db, actor, opening, ids, when=lambda moment: moment)
    return DecisionPage(
        rows=[r for r in rows if r["decision"]],
        withheld=withheld,
        decided=decided,
        candidates=candidates,
        page=page,
        pages=pages,
    )


def _scorecard_row(
    card, rubric, criterion, label: str, opening_title: str, after_reveal: bool
) -> dict[str, Any]:
    entry = card.criteria.get(criterion.id)
    return {
        "candidate_id": card.candidate_id,
        "candidate": label,
        "opening": opening_title,
        "session": card.session_title,
        "interviewer": card.interviewer_name,
        "revision": card.revision,
        "submitted_at": _when(card.first_submitted_at),
        "late": card.late,
        "revised_after_reveal": after_reveal,
        "rubric_id": rubric.id,
        "rubric_version": rubric.version,
        "rubric_hash": rubric.content_hash,
        "criterion_id": criterion.id,
        "criterion": criterion.name,
        "score": "" if entry is None or entry.score is None else entry.score,
        "not_assessed": entry is None or entry.score is None,
        "scale_min": criterion.scale.min,
        "scale_max": criterion.scale.max,
        "weight": criterion.weight,
        "evidence": entry.evidence if entry else "",
        "overall": card.overall,
        "feedback": card.feedback,
    }


@guarded("export_scores", on="opening_id")
def scorecard_rows(g: Granted, opening_id: int) -> list[dict[str, Any]]:
    """One row per criterion score of every active scorecard the person may see now (the
    candidates whose debrief is open to them). Never for a coordinator as such. Built in chunks
    of candidates, a few queries each."""
    db, actor = g.db, g.actor
    opening = opening_record.load(db, opening_id)
    rubrics: dict[str, Any] = {}
    rows = []
    for chunk in _chunks(openings.candidate_ids(db, opening_id)):
        facts = candidates_facts(db, chunk)
        seen = [i for i in chunk if may(actor, "see_scores", facts[i])]
        if not seen:
            continue
        labels = _labels(db, actor, facts, seen)
        card_ids = [r[0] for r in db.execute(Q.cards_in_force_of(len(seen)), seen)]
        cards = scorecards.load_scorecards(db, card_ids)
        # the debrief's rule (`debrief_view.marks_of`): any revision made after seeing others
        seats = [c.assignment_id for c in cards]
        seen_others = (
            {r[0] for r in db.execute(Q.seen_others_of(len(seats)), seats)} if seats else set()
        )
        for card in cards:
            if card.rubric_hash not in rubrics:
                rubrics[card.rubric_hash] = openings.rubric_snapshot(db, card.rubric_hash)
            rubric = rubrics[card.rubric_hash]
            label = labels[card.candidate_id]
            after = card.assignment_id in seen_others
            rows += [
                _scorecard_row(card, rubric, c, label, opening.title, after)
                for c in rubric.criteria
            ]
    return rows


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading quote:
    also when the formula starts after spaces, line breaks or invisible characters, or with a
    full-width sign (``＝`` reads as ``=``). Direction controls are removed: an override typed
    into a name would reorder the cell in a spreadsheet."""
    if isinstance(value, str):
        value = strip_bidi(value)
        if formula_like(value):
            return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV (RFC 4180), formula-like cells neutralised. Lines end in CRLF: Python's csv
    quotes a field holding any character of the line terminator, so a carriage return inside a
    name is quoted as a line feed is, and no spreadsheet starts a new row there."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def to_json(rows: list[dict[str, Any]]) -> str:
    """Rows as a JSON list."""
    return json.dumps(rows, indent=2, ensure_ascii=False, default=str)
