"""The decision summary's content: what was decided and why, for people not in the room.

`summary_of` writes one `Debrief` (read once, from one snapshot, by `scoring.debrief.debrief`) as
a `Summary` in words; Markdown, HTML, PDF and JSON (`scoring.exports.templates`) render that same
content. Nothing here reads the database: the marks, outcomes and charts are the debrief's own,
so the page and every file say the same.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from scoring import charts, debrief
from scoring.analysis import gaps
from scoring.debrief_view import Debrief, PanelCard
from scoring.engine import FLAG_MEANINGS, FLAG_WORDS, OUTCOME_WORDS, Strategy
from scoring.models.people import Person
from scoring.store import Store, now_utc
from scoring.strategy_words import STRATEGY_NAMES, forcing_words, strategy_in_words
from scoring.text import isolate, strip_bidi


@dataclass(frozen=True)
class CriterionLine:
    """One criterion of one scorecard, in words."""

    name: str
    score: str  # "3 of 4", "Yes", "Not assessed"
    anchor: str
    evidence: str


@dataclass(frozen=True)
class Revision:
    """One revision of a scorecard."""

    revision: int
    submitted_at: str
    overall: str
    reason: str
    after_reveal: bool


@dataclass(frozen=True)
class ScorecardSection:
    """A scorecard as the summary shows it."""

    interviewer: str
    session: str
    rubric: str  # "Coding session, version 1"
    rubric_hash: str  # the frozen rubric's content hash (the CSV's `rubric_hash`)
    overall: str
    feedback: str
    submitted: str
    late: bool
    marks: list[str]
    criteria: list[CriterionLine]
    revisions: list[Revision]


@dataclass(frozen=True)
class Summary:
    """Everything a decision summary says about one candidate."""

    candidate: str
    anonymised: bool  # the exporter sees the alias, not the name
    opening: str
    role: str
    loop: str
    interview_date: str
    strategy: str
    parameters: dict[str, Any]
    outcome_raw: str
    outcome_forced: str
    what_if: list[dict[str, Any]]  # each strategy that can apply: raw and forced outcome
    flags: list[tuple[str, str]]  # (word, meaning)
    reasons: list[str]
    tally: dict[str, int]
    score: float | None
    frozen: str
    standing: str  # where the panel stood when the debrief opened, in a sentence
    opened: str
    early_reason: str | None
    scorecards: list[ScorecardSection]
    decisions: list[dict[str, Any]]
    votes: list[dict[str, str]]
    changed_since_opening: bool
    generated: str
    charts: dict[str, dict] = field(default_factory=dict)  # Vega-Lite specs
    # The raw weighted score's 95% interval, the panel-size advice and "too close to call",
    # in sentences and as figures (`scoring.uncertainty`); empty / None without a score.
    uncertainty: list[str] = field(default_factory=list)
    score_interval: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        """The summary as plain JSON-able data (the `json` format)."""
        return asdict(self)


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


def _section(panel_card: PanelCard, view: Debrief) -> ScorecardSection:
    """One scorecard of the debrief in words: every criterion's point with its anchor and the
    evidence, the revisions, and the debrief's own marks (never worked out again here)."""
    card, rubric, labels = panel_card.card, panel_card.rubric, view.opening.scale.labels
    lines = []
    for criterion in rubric.criteria:
        entry = card.criteria.get(criterion.id)
        score = entry.score if entry else None
        shown, anchor = criterion.point_words(score)
        lines.append(CriterionLine(criterion.name, shown, anchor, entry.evidence if entry else ""))
    return ScorecardSection(
        interviewer=panel_card.label,
        session=card.session_title,
        rubric=f"{rubric.title}, version {rubric.version}",
        rubric_hash=rubric.content_hash,
        overall=f"{card.overall} · {labels[card.overall]}",
        feedback=card.feedback,
        submitted=_when(card.first_submitted_at),
        late=card.late,
        marks=panel_card.mark_words,
        criteria=lines,
        revisions=[
            Revision(
                r.revision,
                _when(r.submitted_at),
                f"{r.overall} · {labels[r.overall]}",
                r.revision_reason or "",
                r.saw_others,
            )
            for r in panel_card.history
        ],
    )


def _charts(view: Debrief) -> dict[str, dict]:
    """The debrief's charts as Vega-Lite specs, drawn from the debrief's own chart data."""
    opening, frame = view.opening, view.criteria
    scale = opening.scale.scale
    # the page's own builders (`pages/debrief.py`), at the exports' fixed width
    specs = {
        "Overall recommendations": charts.overall_of(
            view.raw.positions, scale, opening.scale.labels, width=charts.WIDE
        ),
        "Scores by session (raw)": charts.sessions_grid(frame),
    }
    for session, spec in charts.differ_charts(frame, gaps(frame), width=charts.WIDE):
        specs[f"Where interviewers differ: {session} (raw, in points)"] = spec
    # the charts name interviewers in their axes: no direction control from a name reaches the
    # SVG or the PDF's pictures
    return {
        title: json.loads(strip_bidi(json.dumps(spec, ensure_ascii=False)))
        for title, spec in specs.items()
    }


# The formats that draw the charts; the others leave them out (drawing them is most of a
# summary's time, about a second, and a Markdown or JSON file would not show them).
DRAWN = ("html", "pdf")


def summary_of(view: Debrief, generated: datetime | None = None, *, charts: bool = True) -> Summary:
    """The decision summary of one open debrief, in words (reads nothing); `charts=False` for
    a format that shows none (not in `DRAWN`)."""
    opening = view.opening
    result = view.rule
    first_day = min((c.session_ended_at for c in view.scorecards), default=view.opened_at)
    return Summary(
        candidate=view.candidate,
        anonymised=view.anonymised,
        opening=opening.title,
        role=opening.role,
        loop=opening.loop_title,
        interview_date=f"{first_day:%Y-%m-%d}",
        strategy=opening.strategy.kind,
        parameters=opening.strategy.model_dump(),
        outcome_raw=debrief.outcome_words(view.raw),
        outcome_forced=debrief.outcome_words(view.forced),
        what_if=[
            {
                "strategy": p.kind,
                "chosen": p.chosen,
                "raw": debrief.outcome_words(p.raw),
                "forced": debrief.outcome_words(p.forced),
            }
            for p in view.previews
        ],
        flags=[(FLAG_WORDS[f], FLAG_MEANINGS[f]) for f in result.flags],
        reasons=list(result.reasons),
        tally=dict(result.tally),
        score=result.score,
        frozen=OUTCOME_WORDS[view.frozen["outcome"]],
        standing=view.standing,
        opened=f"{_when(view.opened_at)} by {view.opened_by}",
        early_reason=view.early_reason,
        scorecards=[_section(c, view) for c in view.cards],
        decisions=[
            {
                "outcome": OUTCOME_WORDS[d.outcome],
                "by": d.decided_by,
                "at": _when(d.decided_at),
                "rationale": d.rationale,
                "accepts_responsibility": d.accepts_responsibility,
                "engine_outcome": OUTCOME_WORDS[d.engine_result["outcome"]],
                "in_force": d is view.final,
            }
            for d in view.decisions
        ],
        votes=[
            {
                "member": v.member,
                "vote": OUTCOME_WORDS[v.vote],
                "note": v.note,
                "at": _when(v.cast_at),
            }
            for v in view.votes
        ],
        changed_since_opening=view.changed_since_opening,
        generated=_when(generated or now_utc()),
        uncertainty=view.score_interval.sentences if view.score_interval else [],
        score_interval=view.score_interval.as_json() if view.score_interval else None,
        charts=_charts(view) if charts else {},
    )


def summary(store: Store, actor: Person, candidate_id: int, *, charts: bool = True) -> Summary:
    """The decision summary of one candidate, for someone who may see its debrief and panel
    (`see_packet`): one read of one snapshot (`debrief.debrief`), then words."""
    return summary_of(debrief.debrief(store, actor, candidate_id), charts=charts)


# ------------------------------------------------------------------------ shared by the formats


def parameters_in_words(s: Summary) -> str:
    """The strategy with its parameters, in words ("Hiring manager decides")."""
    return strategy_in_words(Strategy.model_validate(s.parameters))


def sections(s: Summary) -> list[tuple[str, list[str]]]:
    """The summary as (heading, paragraphs/lines) in reading order, shared by every format."""
    # What this opening's forcing does, said once: not every forced score is an extreme.
    forcing = forcing_words(Strategy.model_validate(s.parameters))
    head = [
        f"Opening: {s.opening} ({s.role}) · loop: {s.loop} · interviewed {s.interview_date}",
        f"Decision strategy: {parameters_in_words(s)}",
        f"Outcome on raw scores: {s.outcome_raw} · forced ({forcing}): {s.outcome_forced}",
        f"Panel: {s.tally['yes']} yes, {s.tally['no']} no, {s.tally['undecided']} undecided"
        + (f" · weighted score {s.score:.2f}" if s.score is not None else ""),
        *s.uncertainty,
        f"Debrief opened {s.opened}. {s.standing}",
    ]
    for w in s.what_if:
        chosen = " (this opening's strategy)" if w["chosen"] else ""
        head.append(
            f"{STRATEGY_NAMES[w['strategy']]}{chosen}: raw scores: {w['raw']};"
            f" forced: {w['forced']}"
        )
    if s.early_reason:
        head.append(f"Opened early: {s.early_reason}")
    if s.anonymised:
        head.append("This opening is anonymised: the candidate is named by their alias.")
    decided = []
    for d in s.decisions:
        state = "in force" if d["in_force"] else "superseded"
        responsibility = "; accepts responsibility" if d["accepts_responsibility"] else ""
        decided.append(
            f"{d['outcome']} ({state}) by {isolate(d['by'])}, {d['at']}{responsibility}."
            f" The strategy said: {d['engine_outcome']}."
            f" Rationale: {d['rationale'] or '(confirmed)'}"
        )
    if not decided:
        decided.append("No decision recorded yet.")
    elif s.changed_since_opening:
        decided.append("The decision differs from where the panel stood when the debrief opened.")
    for v in s.votes:
        decided.append(
            f"Committee vote: {isolate(v['member'])}: {v['vote']}"
            + (f" ({v['note']})" if v["note"] else "")
        )
    flags = [f"{word}: {meaning}" for word, meaning in s.flags] or ["None."]
    return [("Summary", head), ("Decision", decided), ("Flags", flags), ("Reasons", s.reasons)]
