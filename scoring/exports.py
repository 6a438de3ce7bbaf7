"""Decision summaries and bulk exports: what was decided and why, for people not in the room.

One generator (`summary`) gathers everything through the service's access rules; Markdown, HTML
and PDF are renderings of that same content. Bulk exports per opening: decisions (one row per
candidate; coordinators may have these) and scorecards (one row per criterion score; only people
who may see the scores).

Text stays text: in the Markdown every typed text is escaped (`scoring.text.plain_markdown`), in
the HTML every text is HTML-escaped, and in CSV a cell a spreadsheet would run as a formula is
neutralised and every cell holding a line break is quoted.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from scoring import analysis, charts, debrief, openings, scorecards
from scoring.engine import FLAG_MEANINGS, FLAG_WORDS, OUTCOME_WORDS, Strategy
from scoring.permissions import (
    Person,
    candidate_facts,
    candidates_facts,
    current,
    ensure,
    may,
    opening_facts,
    why_not,
)
from scoring.store import Store, now_utc
from scoring.strategy_words import STRATEGY_NAMES, forcing_words, strategy_in_words
from scoring.text import formula_like, isolate, neutral_bidi, plain_markdown, strip_bidi

FONTS = Path(__file__).resolve().parent / "fonts"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # the plain starts; `formula_like` sees more


# ------------------------------------------------------------------------------ the content


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


def summary(store: Store, actor: Person, candidate_id: int) -> Summary:
    """The decision summary of one candidate, for someone who may see its debrief and panel."""
    with store.read() as db:
        ensure(current(db, actor), "see_packet", candidate_facts(db, candidate_id))
    view = debrief.debrief(store, actor, candidate_id)
    opening = view.opening
    rubrics = {c.rubric_hash: openings.rubric(store, c.rubric_hash) for c in view.scorecards}
    labels = [p.interviewer for p in view.raw.positions]
    sections = []
    for card, label in zip(view.scorecards, labels, strict=True):
        rubric = rubrics[card.rubric_hash]
        lines = []
        for criterion in rubric.criteria:
            entry = card.criteria.get(criterion.id)
            score = entry.score if entry else None
            if score is None:
                shown, anchor = "Not assessed", ""
            elif criterion.kind == "binary":
                shown, anchor = ("Yes" if score else "No"), criterion.anchors[score]
            else:
                shown, anchor = f"{score} of {criterion.scale.max}", criterion.anchors[score]
            lines.append(
                CriterionLine(criterion.name, shown, anchor, entry.evidence if entry else "")
            )
        history = scorecards.revisions(store, actor, card.assignment_id)
        marks = []
        if card.late:
            marks.append(f"late: {card.hours_after_session:.0f} h after the session")
        if card.revision > 1:
            marks.append(f"revised ({card.revision} revisions)")
        if any(r.saw_others for r in history):
            marks.append("revised after seeing others' scores")
        sections.append(
            ScorecardSection(
                interviewer=label,
                session=card.session_title,
                rubric=f"{rubric.title}, version {rubric.version}",
                rubric_hash=rubric.content_hash,
                overall=f"{card.overall} · {opening.scale.labels[card.overall]}",
                feedback=card.feedback,
                submitted=_when(card.first_submitted_at),
                late=card.late,
                marks=marks,
                criteria=lines,
                revisions=[
                    Revision(
                        r.revision,
                        _when(r.submitted_at),
                        f"{r.overall} · {opening.scale.labels[r.overall]}",
                        r.revision_reason or "",
                        r.saw_others,
                    )
                    for r in history
                ],
            )
        )
    frame = analysis.criterion_frame(view.scorecards, rubrics, labels)
    scale = opening.scale.scale
    specs = {
        "Overall recommendations": charts.overall_chart(
            analysis.overall_frame(view.raw.positions, scale, opening.scale.labels),
            scale.min,
            scale.max,
        )
        .properties(width=charts.WIDE)
        .to_dict(),
        "Scores by session (raw)": charts.sessions_grid(frame).to_dict(),
    }
    spread = analysis.spread(frame)
    for session, part in spread.groupby("session", sort=False):
        specs[f"Where interviewers differ: {session} (raw, in points)"] = charts.differ_chart(
            frame[frame["session"] == session], part, str(session), width=charts.WIDE
        ).to_dict()
    result = view.rule
    first_day = min((c.session_ended_at for c in view.scorecards), default=view.opened_at)
    return Summary(
        candidate=view.candidate,
        anonymised=openings.get_candidate(store, actor, candidate_id).name is None,
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
        scorecards=sections,
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
        generated=_when(now_utc()),
        uncertainty=view.score_interval.sentences if view.score_interval else [],
        score_interval=view.score_interval.as_json() if view.score_interval else None,
        # the charts name interviewers in their axes: no direction control from a name reaches
        # the SVG or the PDF's pictures
        charts={
            title: json.loads(strip_bidi(json.dumps(spec, ensure_ascii=False)))
            for title, spec in specs.items()
        },
    )


# ---------------------------------------------------------------------------------- Markdown


def _parameters(s: Summary) -> str:
    """The strategy with its parameters, in words ("Hiring manager decides")."""
    return strategy_in_words(Strategy.model_validate(s.parameters))


def _sections(s: Summary) -> list[tuple[str, list[str]]]:
    """The summary as (heading, paragraphs/lines) in reading order, shared by every format."""
    # What this opening's forcing does, said once: not every forced score is an extreme.
    forcing = forcing_words(Strategy.model_validate(s.parameters))
    head = [
        f"Opening: {s.opening} ({s.role}) · loop: {s.loop} · interviewed {s.interview_date}",
        f"Decision strategy: {_parameters(s)}",
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


def render_markdown(s: Summary) -> str:
    """The summary as Markdown (charts are in the HTML and PDF renderings). Only the headings,
    lists, table and bold are the app's: every text in them is escaped, so a name or a feedback
    line shows as typed (no heading, bold, link, image or HTML of its own)."""
    md = plain_markdown

    def line(text: str) -> str:  # in a heading, bold or a table cell
        return plain_markdown(text, one_line=True)

    out = [f"# Decision summary: {line(s.candidate)}", ""]
    for heading, lines in _sections(s):
        out += [f"## {heading}", ""] + [f"- {md(x)}" for x in lines] + [""]
    out += ["## Scorecards", ""]
    for card in s.scorecards:
        out += [f"### {line(card.interviewer)} · {line(card.session)}", ""]
        out += [
            f"- Rubric: {md(card.rubric)}",
            f"- Overall: **{line(card.overall)}**",
            f"- Submitted: {md(card.submitted)}"
            + (f" ({md('; '.join(card.marks))})" if card.marks else ""),
        ]
        out += [
            "",
            "> " + md(card.feedback).replace("\n", "\n> "),
            "",
            "| criterion | score | anchor | evidence |",
            "|---|---|---|---|",
        ]
        for c in card.criteria:
            row = [c.name, c.score, c.anchor, c.evidence]
            out.append("| " + " | ".join(line(x) for x in row) + " |")
        if len(card.revisions) > 1:
            out += ["", "Revisions:"]
            for r in card.revisions:
                after = " — after seeing others' scores" if r.after_reveal else ""
                out.append(
                    f"- {r.revision}: {md(r.submitted_at)}, overall {md(r.overall)}."
                    f" {md(r.reason)}{after}"
                )
        out.append("")
    out.append(f"*Generated {s.generated} by Debrief.*")
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------------------------- HTML


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.8rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f6f6}.mark{color:#b45309}
blockquote{border-left:4px solid #ccc;margin:.5rem 0;padding:.2rem .8rem;color:#444}
figure{margin:1rem 0}figcaption{font-weight:600}
"""


def _svg(spec: dict, title: str) -> str:
    """A chart as inline SVG named by its title (an SVG image needs a name: axe svg-img-alt)."""
    import vl_convert

    # The figure is named; its marks are not separate images (unnamed ARIA symbols fail axe).
    config = spec.get("config", {})
    quiet = {**config, "mark": {**config.get("mark", {}), "aria": False}}
    svg = vl_convert.vegalite_to_svg({**spec, "config": quiet, "description": title})
    return svg.replace("<svg", f"<svg aria-label='{html.escape(title, quote=True)}'", 1)


def render_html(s: Summary) -> str:
    """The summary as one self-contained HTML file (charts embedded as SVG). Every text loses
    the direction overrides typed into it; names sit in <bdi>, so a right-to-left name cannot
    reorder what is around it."""

    def e(text: Any, quote: bool = True) -> str:
        return html.escape(neutral_bidi(str(text)), quote=quote)

    def name(text: str) -> str:
        return f"<bdi>{e(text)}</bdi>"

    out = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Decision summary: {e(isolate(s.candidate))}</title><style>{_CSS}</style>"
        "</head><body>",
        f"<main><h1>Decision summary: {name(s.candidate)}</h1>",
    ]
    for heading, lines in _sections(s):
        out.append(
            f"<h2>{e(heading)}</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>"
        )
    out.append("<h2>Charts</h2>")
    for title, spec in s.charts.items():
        out.append(
            f"<figure role='group' aria-label='{e(title)}'><figcaption>{e(title)}</figcaption>"
            f"{_svg(spec, title)}</figure>"
        )
    out.append("<h2>Scorecards</h2>")
    for card in s.scorecards:
        marks = "".join(f" <span class='mark'>({e(m)})</span>" for m in card.marks)
        out.append(
            f"<h3>{name(card.interviewer)} · {e(card.session)}</h3>"
            f"<p>Rubric: {e(card.rubric)}<br>Overall: <strong>{e(card.overall)}</strong><br>"
            f"Submitted: {e(card.submitted)}{marks}</p><blockquote>{e(card.feedback)}</blockquote>"
            "<table><tr><th>criterion</th><th>score</th><th>anchor</th><th>evidence</th></tr>"
            + "".join(
                f"<tr><td>{e(c.name)}</td><td>{e(c.score)}</td><td>{e(c.anchor)}</td>"
                f"<td>{e(c.evidence)}</td></tr>"
                for c in card.criteria
            )
            + "</table>"
        )
        if len(card.revisions) > 1:
            out.append(
                "<p>Revisions:</p><ul>"
                + "".join(
                    f"<li>{r.revision}: {e(r.submitted_at)}, overall {e(r.overall)}. {e(r.reason)}"
                    + (" — after seeing others' scores" if r.after_reveal else "")
                    + "</li>"
                    for r in card.revisions
                )
                + "</ul>"
            )
    out.append(
        f"</main><footer><p><em>Generated {e(s.generated)} by Debrief.</em></p></footer>"
        "</body></html>"
    )
    return "\n".join(out)


# --------------------------------------------------------------------------------------- PDF


@functools.cache
def _dejavu_characters() -> frozenset[str]:
    """Every character the body font has (its bold has the same): the 4 MB CJK fallback font
    is embedded only in a summary with a character outside them."""
    from fontTools.ttLib import TTFont

    with TTFont(FONTS / "DejaVuSans.ttf", lazy=True) as font:
        return frozenset(map(chr, font.getBestCmap())) | {"\n", "\r", "\t"}


@functools.lru_cache(maxsize=64)
def _png(spec: str) -> bytes:
    """A chart as PNG, kept for the next export of the same chart (the same summary exported
    again, or in another format)."""
    import vl_convert

    return vl_convert.vegalite_to_png(json.loads(spec), scale=2)


def render_pdf(s: Summary) -> bytes:
    """The summary as a PDF (charts as images; DejaVu with a CJK fallback, so any name renders)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    if not set(render_markdown(s)) <= _dejavu_characters():  # a name DejaVu cannot write
        pdf.add_font("Fallback", "", FONTS / "DroidSansFallbackFull.ttf")
        pdf.set_fallback_fonts(["Fallback"], exact_match=False)
    pdf.add_page()
    width = pdf.epw
    down = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def text(line: str, size: float = 10, bold: bool = False, height: float = 5.5) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        # no direction controls at all: DejaVu has no glyph for them, and an override typed
        # into a name must not reorder the line
        pdf.multi_cell(width, height, strip_bidi(line), **down)

    text(f"Decision summary: {s.candidate}", 18, bold=True, height=9)
    for heading, lines in _sections(s):
        pdf.ln(2)
        text(heading, 13, bold=True, height=7)
        for line in lines:
            text(f"• {line}")
    for title, spec in s.charts.items():
        png = _png(json.dumps(spec, sort_keys=True))
        pixels_wide, pixels_high = int.from_bytes(png[16:20]), int.from_bytes(png[20:24])
        # A quarter of a millimetre per CSS pixel (rendered at scale 2): a narrow chart keeps
        # its lettering at reading size instead of being blown up to the page's width.
        shown = min(width, pixels_wide / 2 * 0.25)
        if pdf.will_page_break(12 + shown * pixels_high / pixels_wide):
            pdf.add_page()  # keep a chart with its title
        pdf.ln(2)
        text(title, 12, bold=True, height=7)
        pdf.image(io.BytesIO(png), w=shown)
    pdf.ln(2)
    text("Scorecards", 13, bold=True, height=7)
    for card in s.scorecards:
        pdf.ln(2)
        text(f"{card.interviewer} · {card.session}", 11, bold=True, height=6)
        text(f"Rubric {card.rubric} · overall {card.overall} · submitted {card.submitted}")
        for mark in card.marks:
            text(f"! {mark}")
        text(card.feedback)
        for c in card.criteria:
            line = f"{c.name}: {c.score}" + (f" — {c.anchor}" if c.anchor else "")
            text(line, 9)
            if c.evidence:
                text(f"    Evidence: {c.evidence}", 9)
        if len(card.revisions) > 1:
            for r in card.revisions:
                after = " — after seeing others' scores" if r.after_reveal else ""
                text(
                    f"Revision {r.revision}: {r.submitted_at}, overall {r.overall}."
                    f" {r.reason}{after}",
                    9,
                )
    pdf.ln(3)
    text(f"Generated {s.generated} by Debrief.", 8)
    return bytes(pdf.output())


def render(s: Summary, fmt: str) -> bytes:
    """One summary in one format: md, html, pdf or json."""
    if fmt == "md":
        return render_markdown(s).encode()
    if fmt == "html":
        return render_html(s).encode()
    if fmt == "pdf":
        return render_pdf(s)
    if fmt == "json":
        return json.dumps(s.as_json(), indent=2, ensure_ascii=False).encode()
    raise ValueError(f"format: must be md, html, pdf or json (got {fmt!r})")


# ------------------------------------------------------------------------------ bulk exports


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
    rows = db.execute(
        f"SELECT id, name, alias FROM candidates WHERE id IN ({','.join('?' * len(ids))})", ids
    )
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
    opened = {
        r["candidate_id"]: r
        for r in db.execute(
            f"SELECT * FROM debriefs WHERE candidate_id IN ({','.join('?' * len(ids))})", ids
        )
    }
    withheld = {i: why_not(actor, "see_decision", facts[i]) for i in ids}
    records = debrief.decision_records(db, [i for i in ids if withheld[i] is None])
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


def decision_rows(store: Store, actor: Person, opening_id: int) -> list[dict[str, Any]]:
    """One row per candidate of the opening: the decision in force and how it was reached.
    For coordinators too. What the panel said (derived from scores) is blank for anyone who may
    not see that candidate's scores; the decision, who made it and the rationale are blank for
    anyone who may not see them (an interviewer whose own scorecard is not in), and
    `withheld` says why. Built in chunks of candidates, a few queries each."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "export_decisions", opening_facts(db, opening_id))
        opening = openings._opening(db, opening_id)
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


def decision_page(
    store: Store, actor: Person, opening_id: int, *, page: int = 1, per_page: int = 25
) -> DecisionPage:
    """A page of the opening's decided candidates, the latest decision first, for the Decisions
    screen: a fixed number of queries whatever the opening's history (the exports,
    `decision_rows`, cover the whole opening when a file is asked for)."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "export_decisions", opening_facts(db, opening_id))
        opening = openings._opening(db, opening_id)
        # Blind rows: where the actor's own scorecard is missing, the decision is not theirs
        # to see. Bounded by the actor's own open seats.
        pending = [
            r[0]
            for r in db.execute(
                """SELECT DISTINCT i.candidate_id FROM assignments a
                   JOIN interview_sessions i ON i.id = a.session_id
                   JOIN candidates c ON c.id = i.candidate_id
                   WHERE a.interviewer_id = ? AND a.recused_at IS NULL AND c.opening_id = ?
                     AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.assignment_id = a.id)
                   ORDER BY i.candidate_id""",
                [actor.id, opening_id],
            )
        ]
        withheld = [r for r in _decision_rows_for(db, actor, opening, pending) if r["withheld"]]
        hidden = [r["candidate_id"] for r in withheld]
        marks = ",".join("?" * len(hidden))
        candidates, decided = db.execute(
            f"""SELECT COUNT(*), COALESCE(SUM(EXISTS
                  (SELECT 1 FROM decisions d WHERE d.candidate_id = c.id)
                  AND c.id NOT IN ({marks})), 0)
                FROM candidates c WHERE c.opening_id = ?""",
            [*hidden, opening_id],
        ).fetchone()
        pages = max(1, -(-decided // per_page))
        page = min(max(1, page), pages)
        # the latest decisions first: a walk down the decisions' ids that stops at the page
        cursor = db.execute(
            # CROSS JOIN keeps the decisions outside: down their ids, not all the opening's
            f"""SELECT d.candidate_id FROM decisions d CROSS JOIN candidates c
                ON c.id = d.candidate_id
                WHERE c.opening_id = ? AND d.candidate_id NOT IN ({marks})
                ORDER BY d.id DESC""",
            [opening_id, *hidden],
        )
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


def scorecard_rows(store: Store, actor: Person, opening_id: int) -> list[dict[str, Any]]:
    """One row per criterion score of every active scorecard the person may see now (the
    candidates whose debrief is open to them). Never for a coordinator as such. Built in chunks
    of candidates, a few queries each."""
    with store.read() as db:
        actor = current(db, actor)
        ensure(actor, "export_scores", opening_facts(db, opening_id))
        opening = openings._opening(db, opening_id)
        rubrics: dict[str, Any] = {}
        rows = []
        for chunk in _chunks(openings.candidate_ids(db, opening_id)):
            facts = candidates_facts(db, chunk)
            seen = [i for i in chunk if may(actor, "see_scores", facts[i])]
            if not seen:
                continue
            labels = _labels(db, actor, facts, seen)
            card_ids = [
                r[0]
                for r in db.execute(
                    f"""SELECT s.id FROM interview_sessions i
                        JOIN assignments a ON a.session_id = i.id AND a.recused_at IS NULL
                        JOIN scorecards s ON s.assignment_id = a.id
                        WHERE i.candidate_id IN ({",".join("?" * len(seen))}) AND s.revision =
                          (SELECT MAX(revision) FROM scorecards WHERE assignment_id = a.id)
                        ORDER BY i.candidate_id, i.position, a.id""",
                    seen,
                )
            ]
            for card in scorecards._load(db, card_ids):
                if card.rubric_hash not in rubrics:
                    rubrics[card.rubric_hash] = openings.rubric_snapshot(db, card.rubric_hash)
                rubric = rubrics[card.rubric_hash]
                for criterion in rubric.criteria:
                    entry = card.criteria.get(criterion.id)
                    rows.append(
                        {
                            "candidate_id": card.candidate_id,
                            "candidate": labels[card.candidate_id],
                            "opening": opening.title,
                            "session": card.session_title,
                            "interviewer": card.interviewer_name,
                            "revision": card.revision,
                            "submitted_at": _when(card.first_submitted_at),
                            "late": card.late,
                            "revised_after_reveal": card.saw_others,
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
                    )
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
