"""The scorecard form, generated from the rubric snapshot of a session.

Every anchor is on the form next to its point (not in a tooltip); "not assessed" is offered only
where the rubric allows it; the overall recommendation is on the opening's scale, or only its two
extremes under forced choice. The form returns what was entered; saving and submitting go through
`scoring.scorecards`, which validates everything again.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import streamlit as st

from scoring import scorecards
from scoring.drafts import Draft, DraftCriterion
from scoring.rubric import Criterion, Question
from scoring.scorecards import Sheet
from scoring.text import EVIDENCE_MAX, FEEDBACK_MAX, REASON_MAX, plain_markdown
from ui.clock import when
from ui.widgets import SCROLL, field_problem

NOT_ASSESSED = "not assessed"
NOT_ASSESSED_NOTE = (
    "Not assessed: the session did not get to it. Left out of the weighted score, which is not"
    " the same as a low score."
)


@dataclass(frozen=True)
class Entered:
    """What the interviewer entered, and which button they pressed."""

    action: Literal["draft", "submit"]
    overall: int | None
    feedback: str
    criteria: dict[str, dict[str, Any]]  # id -> {"score": int | None, "evidence": str}
    reason: str = ""


def values_of(card) -> Draft:
    """A submitted scorecard as the form's starting values (to correct it)."""
    return Draft(
        overall=card.overall,
        feedback=card.feedback,
        criteria={
            key: DraftCriterion(chosen=True, level=entry.score, evidence=entry.evidence)
            for key, entry in card.criteria.items()
        },
    )


# The rubric's own texts (names, descriptions, anchors, the scale's labels) as Markdown: the same
# few texts on every rerun of every form, so each is made safe once a process, not once a rerun.
# Bounded; a text typed by a person (evidence, feedback) never goes through it.
_rubric_text = functools.lru_cache(maxsize=4096)(plain_markdown)


def _form_point(entry: DraftCriterion) -> Any:
    """A draft's criterion as the form's choice: its point, NOT_ASSESSED, or None (no choice)."""
    if not entry.chosen:
        return None
    return NOT_ASSESSED if entry.level is None else entry.level


NOTHING_LEFT = (
    "**No question left to draw:** every approved question of this criterion is retired or was"
    " already asked of this candidate. Ask the hiring manager what to ask instead, and say what"
    " it was in the evidence."
)


def asked_line(criterion: Criterion, asked: dict[str, Question] | None) -> str:
    """The question drawn for a criterion, as one line of Markdown under its name: "Question
    asked: <text> (stats-p-value v1)", the text escaped (it never formats); a line saying none
    was left where the criterion has a pool and the seat got nothing; "" otherwise (no pool, or
    the caller has no drawn questions to show)."""
    if asked is None or not criterion.questions:
        return ""
    question = asked.get(criterion.id)
    if question is None:
        return NOTHING_LEFT
    words = f"{question.text.strip()} ({question.id} v{question.version})"
    return f"**Question asked:** {_rubric_text(words)}"


def _room(limit: int, value: str) -> int:
    """The widget's character limit: the field's, or more for a text saved before limits existed
    (the service then says what is too long, instead of the widget cutting it silently)."""
    return max(limit, len(value or ""))


def scorecard_form(
    sheet: Sheet,
    *,
    start: Draft | None,
    revising: bool,
    changed: Callable[[], None] | None = None,
    styled: bool = True,
    bar_line: Callable[[str], str] | None = None,
    asked: dict[str, Question] | None = None,
) -> Entered | None:
    """Draw the form; return what was entered when a button was pressed (else None).
    `changed` runs on every change (a point chosen, a text committed): the page saves the draft
    there. Not a `st.form`, so that every change reaches the server at once. `styled=False`:
    the page draws the bar's style itself (`bar_style`), once a page run, not once a form rerun.
    `bar_line` makes the HTML of the bar's line from where the scorecard stands ("4 of 6
    criteria, feedback missing"), once every field is drawn: the page's save line (it may save
    first); without it, that progress alone. `asked`: the questions drawn for the seat, by
    criterion (`questions.seat_questions`, read once a page run), each shown under its
    criterion's name."""
    start = start or Draft()
    rubric, opening = sheet.rubric, sheet.opening
    key = f"{'revise' if revising else 'score'}_{sheet.assignment_id}"
    problems: dict[str, str] = st.session_state.get(f"{key}_problems", {})
    # Every block of the form has a key: Streamlit redraws an unkeyed block afresh when a line
    # above it appears or goes (a first draft's note, a message), and the text box being typed
    # in loses its focus and every later keystroke. A keyed block keeps its place by its key.
    with st.container(key=f"{key}_form"):
        if problems:
            count = f"{len(problems)} thing{'s' if len(problems) != 1 else ''}"
            st.error(
                f"{count} to fix before submitting, each marked below.", icon=":material/error:"
            )
        criteria: dict[str, dict[str, Any]] = {}
        for n, criterion in enumerate(rubric.criteria, start=1):
            name = _rubric_text(criterion.name, one_line=True)
            # One element for the name and its description, and no box around the criterion
            # (each element and block drawn is a message to the browser on every rerun of the
            # form): the style draws a line above each name instead (`_BAR_STYLE`).
            question = asked_line(criterion, asked)
            st.markdown(
                f"**{n}. {name}** · weight {criterion.weight:g}  \n"
                f":small[{_rubric_text(criterion.description.strip())}]"
                + (f"  \n:small[{question}]" if question else "")
            )
            points = _points(criterion)
            captions = [
                NOT_ASSESSED_NOTE
                if p == NOT_ASSESSED
                else _rubric_text(criterion.anchors_for(opening.level)[p].strip())
                for p in points
            ]
            before = start.criteria.get(criterion.id, DraftCriterion())
            earlier = _form_point(before)  # a point, NOT_ASSESSED, or None: not chosen
            yes_no = {0: "No", 1: "Yes"} if criterion.kind == "binary" else {}
            score = st.radio(
                name,
                points,
                index=points.index(earlier) if earlier in points else None,
                format_func=lambda p, yn=yes_no: (
                    "Not assessed" if p == NOT_ASSESSED else yn.get(p, str(p))
                ),
                captions=captions,
                key=f"{key}_{criterion.id}",
                label_visibility="collapsed",
                on_change=changed,
            )
            _problem(problems, f"criteria.{criterion.id}")
            evidence = st.text_area(
                "Evidence",
                value=before.evidence,
                max_chars=_room(EVIDENCE_MAX, before.evidence),
                key=f"{key}_{criterion.id}_evidence",
                on_change=changed,
                height=68,
                placeholder="What you saw or heard that puts it at this point",
            )
            _problem(problems, f"criteria.{criterion.id}.evidence")
            criteria[criterion.id] = {
                "score": None if score == NOT_ASSESSED else score,
                "evidence": evidence or "",
                "chosen": score is not None,
            }

        st.subheader("Overall recommendation")
        scale = opening.scale
        overall_points = _overall_points(opening)
        if opening.forced_choice:
            st.caption(
                "This opening asks for a clear position, the top or the bottom of the scale:"
                ' "if this is a weak no, it is a no".'
            )
        earlier = start.overall
        overall = st.radio(
            "Overall recommendation",
            overall_points,
            index=overall_points.index(earlier) if earlier in overall_points else None,
            format_func=lambda p: f"{p} · {_rubric_text(scale.labels[p], one_line=True)}",
            horizontal=True,
            key=f"{key}_overall",
            label_visibility="collapsed",
            on_change=changed,
        )
        _problem(problems, "overall")
        feedback = st.text_area(
            "Written feedback (required)",
            value=start.feedback,
            max_chars=_room(FEEDBACK_MAX, start.feedback),
            key=f"{key}_feedback",
            on_change=changed,
            placeholder="Why this recommendation: the strongest evidence for and against.",
        )
        _problem(problems, "feedback")
        reason = ""
        if revising:
            reason = st.text_input(
                "Why are you correcting it? (required; kept with the revision)",
                key=f"{key}_reason",
                max_chars=REASON_MAX,
            )
            _problem(problems, "reason")
        if not revising:
            # Pressed by the page's script (KEEP_TYPING_SAVED) to send the form again.
            st.button("Send the form again", key=f"{key}_resend")
        early = not (revising or sheet.may_submit)
        if early:
            st.caption(
                f"You can submit once the interview begins ({when(sheet.starts_at)}). Until"
                " then, keep your notes here: they are saved as you go."
            )
        # The bar stays in sight at the bottom of the screen while the form is: where the
        # scorecard stands, the save line, and Submit, without scrolling to the end of a form
        # six phone screens long. Its line is made once every field above is drawn (read).
        done = progress(sheet, criteria, overall, feedback or "")
        with st.container(key=f"{key}_bar"):
            if styled:
                st.html(bar_style(key))
            st.html(
                bar_line(done)
                if bar_line
                else f'<p class="debrief-progress">{html.escape(done)}</p>'
            )
            with st.container(horizontal=True, key=f"{key}_actions", vertical_alignment="center"):
                draft = (
                    False
                    if revising
                    else st.button("Save draft", icon=":material/save:", key=f"{key}_draft")
                )
                label = "Submit the correction…" if revising else "Submit scorecard…"
                submit = st.button(
                    label,
                    type="primary",
                    icon=":material/send:",
                    disabled=early,
                    key=f"{key}_submit",
                )
    if not (draft or submit):
        return None
    entered = Entered(
        "draft" if draft else "submit",
        overall,
        feedback or "",
        {cid: {k: v for k, v in c.items() if k != "chosen"} for cid, c in criteria.items()},
        reason or "",
    )
    if draft:
        return entered
    found = _problems_of(sheet, criteria, overall, feedback or "", reason if revising else None)
    if found:
        st.session_state[f"{key}_problems"] = found
        st.session_state[SCROLL] = True
        st.rerun()
    st.session_state.pop(f"{key}_problems", None)
    return entered


def progress(sheet: Sheet, criteria: dict[str, dict[str, Any]], overall: Any, feedback: str) -> str:
    """Where the scorecard stands, in a line: "4 of 6 criteria, feedback missing"."""
    total = len(sheet.rubric.criteria)
    chosen = sum(1 for c in criteria.values() if c["chosen"])
    missing = [
        *(["overall missing"] if overall is None else []),
        *(["feedback missing"] if not feedback.strip() else []),
    ]
    if chosen == total and not missing:
        return f"All {total} criteria, the overall and the feedback are in: ready to submit"
    return ", ".join([f"{chosen} of {total} criteria", *missing])


# The bar at the bottom of the form (KEY: the form's key). Sticky: it stays at the bottom of the
# screen while the form is in view, and rests under its last field after. The chosen point's
# anchor is drawn in the text colour, the others stay muted. A line above each criterion's name
# (the Markdown just before a criterion's points) sets the criteria apart.
_BAR_STYLE = """<style>
.st-key-KEY_resend {display: none}
[data-testid=stLayoutWrapper]:has(> .st-key-KEY_bar) {position: sticky; bottom: 0; z-index: 5}
.st-key-KEY_bar {background: #fff; border-top: 1px solid #d0d0d6; padding: 0.5rem 0 0.75rem;
  gap: 0.25rem}
.st-key-KEY_bar .debrief-progress, .st-key-KEY_bar #debrief-save {display: inline; margin: 0;
  font-size: 0.875rem; color: #3d3d46}
.st-key-KEY_bar #debrief-save::before {content: " · "; color: #3d3d46; font-weight: 400}
[data-testid=stMain] {scroll-padding-bottom: 9rem}  /* a focused box is not left under the bar */
.st-key-KEY_bar #debrief-save[data-failed='1'], .st-key-KEY_bar #debrief-save[data-stale] {
  color: #a3141c; font-weight: 600}
.st-key-KEY_form [data-testid=stRadio] label:has(input:checked) [data-testid=stCaptionContainer] {
  color: #111318}
.st-key-KEY_form [data-testid=stElementContainer]:has([data-testid=stMarkdown]):not(:has(
  [data-testid=stCaptionContainer])):has(+ [data-testid=stElementContainer] [data-testid=stRadio])
  {border-top: 1px solid #d0d0d6; padding-top: 1rem; margin-top: 0.5rem}
</style>"""


def bar_style(key: str) -> str:
    """The style of the bar under the form whose key is `key` (`score_ID`, `revise_ID`)."""
    return _BAR_STYLE.replace("KEY", key)


def _points(criterion) -> list[Any]:
    """A criterion's choices on the form: its anchors, then "not assessed" where allowed."""
    return [*criterion.anchors, *([] if criterion.required else [NOT_ASSESSED])]


def _overall_points(opening) -> list[Any]:
    scale = opening.scale
    return [scale.min, scale.max] if opening.forced_choice else list(scale.labels)


def _problem(problems: dict[str, str], field: str) -> None:
    """The problem with one field, right under it."""
    if field in problems:
        field_problem(f"scorecard-{field}", problems[field])


def _problems_of(
    sheet: Sheet,
    criteria: dict[str, dict[str, Any]],
    overall: Any,
    feedback: str,
    reason: str | None,
) -> dict[str, str]:
    """What stops this scorecard from being submitted, by field, in the order of the form: the
    service's rules, plus a criterion left without any choice (not even "Not assessed")."""
    answered = {cid: c for cid, c in criteria.items() if c["chosen"]}
    found = scorecards.submission_problems(
        sheet.rubric,
        sheet.opening,
        overall,
        feedback,
        {cid: {"score": c["score"], "evidence": c["evidence"]} for cid, c in answered.items()},
    )
    for criterion in sheet.rubric.criteria:
        if criterion.id not in answered and not criterion.required:
            found[f"criteria.{criterion.id}"] = (
                f"Choose a point for “{criterion.name}”, or Not assessed."
            )
    if reason is not None and not reason.strip():
        found["reason"] = "Say why you are correcting the scorecard."
    order = [f"criteria.{c.id}{part}" for c in sheet.rubric.criteria for part in ("", ".evidence")]
    order += ["overall", "feedback", "reason"]
    return {field: found[field] for field in order if field in found}


def draft_of(sheet: Sheet) -> Draft:
    """The form as it stands, read from the widgets' state: what autosave keeps. A criterion
    marked "Not assessed" is chosen with no point; one not chosen yet is not chosen."""
    key = f"score_{sheet.assignment_id}"
    state = st.session_state
    criteria = {}
    for c in sheet.rubric.criteria:
        point = state.get(f"{key}_{c.id}")
        criteria[c.id] = DraftCriterion(
            chosen=point is not None,
            level=None if point is None or point == NOT_ASSESSED else point,
            evidence=state.get(f"{key}_{c.id}_evidence") or "",
        )
    return Draft(
        overall=state.get(f"{key}_overall"),
        feedback=state.get(f"{key}_feedback") or "",
        criteria=criteria,
    )


def has_content(draft: Draft) -> bool:
    """Anything chosen or typed yet?"""
    return not draft.empty


def save_state(
    sheet: Sheet, saved: Draft | None, status: str, failed: bool, progress_line: str = ""
) -> str:
    """The bar's line: where the scorecard stands, and the save line carrying what the server
    holds (the widget keys of the form and their saved values, a radio as the index of its
    choice) so that the page's script can tell whether what is on screen has reached it."""
    key = f"score_{sheet.assignment_id}"
    saved = saved or Draft()
    held: dict[str, Any] = {}
    for criterion in sheet.rubric.criteria:
        entry = saved.criteria.get(criterion.id, DraftCriterion())
        points = _points(criterion)
        point = _form_point(entry)
        held[f"{key}_{criterion.id}"] = points.index(point) if point in points else -1
        held[f"{key}_{criterion.id}_evidence"] = entry.evidence
    overall_points = _overall_points(sheet.opening)
    held[f"{key}_overall"] = (
        overall_points.index(saved.overall) if saved.overall in overall_points else -1
    )
    held[f"{key}_feedback"] = saved.feedback
    return (
        f'<p class="debrief-progress">{html.escape(progress_line)}</p>'
        f'<p id="debrief-save" role="status" data-resend="{key}_resend" data-form="{key}_form"'
        f' data-failed="{"1" if failed else ""}" data-held="{html.escape(json.dumps(held))}"'
        f' data-text="{html.escape(status)}"'
        f">{html.escape(status)}</p>"
    )


# The page's script that keeps what is typed saved and the save line true (see its comments).
KEEP_TYPING_SAVED = f"<script>{(Path(__file__).parent / 'autosave.js').read_text()}</script>"
