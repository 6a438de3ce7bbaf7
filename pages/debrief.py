"""One candidate's debrief, projected in the meeting: are all scorecards in, where does the panel
stand and how strongly, what does the strategy say, what would change it; then the decision."""

import streamlit as st

from scoring import analysis, charts, debrief
from scoring.engine import FLAG_MEANINGS, FLAG_WORDS, OUTCOME_WORDS, lean
from scoring.errors import DebriefError
from scoring.permissions import OWN_FIRST
from scoring.scale import Scale
from scoring.strategy_words import FORCE_PRESET_HELP, bar_words, force_preset, forcing_words
from scoring.text import NOTE_MAX, RATIONALE_MAX, REASON_MAX, plain_markdown
from ui.charts import draw, draw_two_by_two
from ui.clock import when
from ui.downloads import summary_buttons
from ui.guard import require
from ui.score_interval import show_leniency_adjusted, show_score_interval
from ui.scorecard_view import show_scorecard
from ui.session import store
from ui.widgets import (
    SCROLL,
    STATE_LABELS,
    STRATEGY_LABELS,
    field_problem,
    flash,
    forget_problem,
    problem_on_top,
    problem_under,
    remember_problem,
    show_flash,
    show_problem,
    table,
)

actor = require("debrief")
st.page_link("pages/pipeline.py", label="Pipeline", icon=":material/arrow_back:")

try:
    candidate_id = int(st.query_params.get("candidate", ""))
    frame = debrief.status(store(), actor, candidate_id)
except (ValueError, DebriefError):
    st.info("Choose a candidate in the pipeline.", icon=":material/groups:")
    st.stop()

opening = frame.opening
COLOURS = {"hire": "green", "no_hire": "red"}


def coloured(outcome: str, words: str | None = None) -> str:
    """An outcome in words, green for hire, red for no hire, orange otherwise."""
    return f":{COLOURS.get(outcome, 'orange')}[{words or OUTCOME_WORDS[outcome]}]"


st.title(plain_markdown(frame.candidate, one_line=True))
st.caption(f"{plain_markdown(opening.title)} · {STRATEGY_LABELS[opening.strategy.kind]}")
show_flash()

# ----------------------------------------------------------------------- before the debrief opens
if not frame.is_open:
    done = [s for s in frame.active if s.submitted_at is not None]
    st.header(f"Scorecards in: {len(done)} of {len(frame.active)}")
    table(
        [
            {
                "session": s.session_title,
                "interviewer": s.interviewer_name,
                "status": STATE_LABELS[s.state],
                "submitted": f"{when(s.submitted_at, '%a %H:%M')},"
                f" {s.hours_after_session:.1f} h after"
                if s.submitted_at
                else "",
            }
            for s in frame.seats
        ]
    )
    st.caption("No scores are shown before the debrief opens.")
    if not frame.may_open:
        if frame.hidden == OWN_FIRST:
            st.info(OWN_FIRST, icon=":material/edit_note:")
        st.info("The hiring manager opens the debrief.", icon=":material/hourglass:")
        st.stop()
    reason = ""
    if frame.early:
        names = plain_markdown(", ".join(s.interviewer_name for s in frame.missing))
        st.warning(f"Still missing: {names}.", icon=":material/schedule:")
        reason = st.text_input(
            "Reason to open early (recorded and shown from then on)", max_chars=REASON_MAX
        )
    label = "Open the debrief early" if frame.early else "Open the debrief"
    if st.button(label, type="primary", disabled=frame.early and not reason.strip()):
        try:
            debrief.open_debrief(store(), actor, candidate_id, reason=reason or None)
        except DebriefError as problem:
            show_problem(problem)
        else:
            flash("The debrief is open; the panel's outcome at this moment is frozen.")
            st.rerun()
    st.stop()

if frame.hidden:
    st.info(plain_markdown(frame.hidden), icon=":material/visibility_off:")
    st.stop()

# --------------------------------------------------------------------------- the open debrief
scale = Scale(opening.scale.min, opening.scale.max)
force = st.toggle(
    f"Force extremes ({forcing_words(opening.strategy, scale)})",
    value=opening.strategy.force_extremes,
    help=FORCE_PRESET_HELP.get(
        force_preset(opening.strategy, scale), "Scores move as this opening's own map says."
    )
    + " A veto or a greenlight still needs an extreme the interviewer wrote.",
)
try:
    view = debrief.debrief(store(), actor, candidate_id, force=force)
except DebriefError as refusal:  # a role removed since the page was drawn
    st.info(plain_markdown(str(refusal)), icon=":material/visibility_off:")
    st.stop()
result = view.result
if view.early_reason:
    st.warning(
        plain_markdown(f"Opened early by {view.opened_by}: {view.early_reason}"),
        icon=":material/fast_forward:",
    )

# The answer first, large enough to read from the back of the room.
headline = view.headline
st.markdown(f"## {coloured(headline.tone, headline.text)}")
st.caption(headline.detail)
missing = view.status.missing
scored, tally, weighted = st.columns(3)
scored.metric("Scorecards in", f"{len(view.scorecards)} of {len(view.status.active)}")
tally.metric(
    "Yes · no · undecided",
    f"{result.tally['yes']} · {result.tally['no']} · {result.tally['undecided']}",
)
weighted.metric("Weighted score", "—" if result.score is None else f"{result.score:.2f}")
# How sure the score is, right under it; the leniency-adjusted reading goes beside it.
show_score_interval(view.score_interval, result.forced)
show_leniency_adjusted(view.leniency_adjusted)
if missing:
    st.error(
        plain_markdown(
            "Missing: " + ", ".join(f"{s.interviewer_name} ({s.session_title})" for s in missing)
        ),
        icon=":material/person_off:",
    )
if result.flags:
    st.markdown(" ".join(f":orange-badge[{FLAG_WORDS[f]}]" for f in result.flags))
for reason in result.reasons:
    if reason != headline.detail:  # a committee member's count is under the headline already
        st.markdown(f"- {plain_markdown(reason)}")
for flag in result.flags:
    if flag not in ("lukewarm", "split", "fragile"):
        st.caption(f"{FLAG_WORDS[flag]}: {FLAG_MEANINGS[flag]}")
# Suspected cheating, as the interviewers recorded it: a fact beside the scores, never one of
# them (nothing above counts it).
if view.cheating_flags:
    said_of = [
        f"**Cheating flagged** by {plain_markdown(f.flagged_by, one_line=True)}"
        f" ({plain_markdown(f.where, one_line=True)}, {when(f.flagged_at)}):"
        f" {plain_markdown(f.evidence)}"
        for f in view.cheating_flags
    ]
    st.warning(
        "\n\n".join(said_of)
        + "\n\n:small[A recorded fact, not a score: it changes no score or outcome above.]",
        icon=":material/report:",
    )

# Raw next to forced, under every strategy that can apply to this opening.
st.subheader("What would change it")
rows = ["| Strategy | Raw scores | Forced |", "|---|---|---|"]
for preview in view.previews:
    name = STRATEGY_LABELS[preview.kind]
    name = f"**{name}** (this opening's)" if preview.chosen else name
    rows.append(
        f"| {name} | {debrief.outcome_words(preview.raw)}"
        f" | {debrief.outcome_words(preview.forced)} |"
    )
st.markdown("\n".join(rows))
# The opening's three contracts under the table, so the what-if is read with the rules it ran on.
contracts = [f"Forced: {forcing_words(opening.strategy, scale)}."]
if opening.strategy.veto or opening.strategy.greenlight:
    contracts.append("A veto or a greenlight needs an extreme the interviewer wrote.")
if opening.strategy.bar is not None and any(p.kind == "committee" for p in view.previews):
    said = bar_words(opening.strategy)
    contracts.append(f"The committee's bar: {said[0].lower()}{said[1:]}.")
st.caption(" ".join(contracts))
if view.raw.outcome != view.forced.outcome:
    st.warning(
        f"Forcing ({forcing_words(opening.strategy, scale)}) flips the outcome.",
        icon=":material/swap_horiz:",
    )
elif lean(view.raw).verdict != lean(view.forced).verdict:
    st.warning(
        "Forcing the scores to the extremes changes where the panel leans.",
        icon=":material/swap_horiz:",
    )
moved = [p.interviewer for p in view.forced.positions if p.raw != p.effective]
changed = view.flipped_by_forcing
moves = f"Forcing moves {', '.join(moved)} to an extreme. " if moved else "Nobody's score moves. "
sides = f"Positions that change side: {', '.join(changed)}." if changed else "Nobody changes side."
st.caption(plain_markdown(moves + sides))

# The panel.
st.subheader("The panel")
scale = opening.scale.scale
draw(charts.overall_of(result.positions, scale, opening.scale.labels))
# The charts draw the debrief's own data: nothing here reads the database again.
frame = view.criteria
st.markdown("**Scores by session**")
st.caption(
    "The points each interviewer wrote, on each criterion's own scale (raw scores): red low,"
    ' blue high. A dashed cell is "not assessed", which is not a low score.'
)
draw_two_by_two(charts.session_grids(frame))
st.markdown("**Where interviewers differ**")
gaps = analysis.gaps(frame)
if not gaps:
    st.caption("Every criterion was rated by one interviewer: no differences to compare.")
else:
    st.caption(
        "Where two or more interviewers rated the same criterion: how many points of its scale"
        " apart they wrote (raw scores)."
    )
    draw_two_by_two(charts.differ_charts(frame, gaps))
    discuss = [
        f"- {plain_markdown(f'{gap.criterion} ({gap.session}): {points}{gap.apart}')}"
        for gap in gaps
        if gap.discuss
        for points in [f"{gap.lowest} to {gap.highest}, " if gap.kind == "scale" else ""]
    ]
    if discuss:
        st.error(
            "**Discuss: half the scale or more apart**\n\n" + "\n".join(discuss),
            icon=":material/forum:",
        )

for panel_card, position in zip(view.cards, result.positions, strict=True):
    card = panel_card.card
    arrow = (
        f"{position.raw} → {position.effective}"
        if position.raw != position.effective
        else f"{position.raw}"
    )
    strong = ", strong" if position.strong else ""
    # The debrief's marks, as every export writes them (`debrief_view.marks_of`).
    said = panel_card.mark_words
    flags = f" · {plain_markdown('; '.join(said), one_line=True)}" if said else ""
    with st.expander(
        f"**{plain_markdown(position.interviewer, one_line=True)}**"
        f" · {plain_markdown(card.session_title, one_line=True)} · {arrow}"
        f" ({position.position.value}{strong}){flags}",
        key=f"card_{card.assignment_id}",
    ):
        show_scorecard(
            card,
            panel_card.rubric,
            opening,
            who=False,
            flags=said,
            asked=view.asked.get(card.assignment_id),
        )

# The decision.
st.subheader("Decision")
if view.frozen:
    st.caption(f"{view.standing} (Opened {when(view.opened_at)}.)")
for record in view.decisions:
    superseded = "" if record is view.final else " (superseded)"
    by = plain_markdown(record.decided_by, one_line=True)
    why = plain_markdown(record.rationale or "confirmed")
    st.markdown(
        f"- **{OUTCOME_WORDS[record.outcome]}**{superseded} by {by},"
        f" {when(record.decided_at)}: {why}"
    )
if view.final is not None and view.frozen_lean is not None:  # only when it stood somewhere
    if view.changed_since_opening:
        st.warning(
            "The decision differs from where the panel stood when the debrief opened.",
            icon=":material/change_circle:",
        )
    else:
        st.caption("The decision matches where the panel stood when the debrief opened.")
if opening.strategy.kind == "committee":
    st.markdown("**Committee votes**")
    # How many have voted is told to everyone at the debrief; which way, only as the rule allows.
    st.caption(view.committee_count)
if view.votes:
    if opening.strategy.kind != "committee":
        st.markdown("**Committee votes**")
    for vote in view.votes:
        changed = f", changed {vote.changes}×" if vote.changes else ""
        st.markdown(
            f"- {plain_markdown(vote.member, one_line=True)}: {OUTCOME_WORDS[vote.vote]}{changed}"
            + (f" ({plain_markdown(vote.note)})" if vote.note else "")
        )

if view.may_vote:
    with st.form("vote"):
        if view.own_vote:
            st.markdown(
                f"**Your vote:** {OUTCOME_WORDS[view.own_vote.vote]}. You may change it until"
                " the decision is recorded."
            )
        else:
            st.markdown("**Your vote**")
        problem_on_top("vote", ("vote", "note"))
        choice = st.radio(
            "Vote", ["hire", "no_hire"], format_func=OUTCOME_WORDS.get, horizontal=True, index=None
        )
        problem_under("vote", "vote")
        note = st.text_input("Note (optional)", max_chars=NOTE_MAX)
        problem_under("vote", "note")
        label = "Change my vote" if view.own_vote else "Cast my vote"
        if st.form_submit_button(label, type="primary"):
            try:
                debrief.cast_vote(store(), actor, candidate_id, choice, note)
            except DebriefError as problem:
                remember_problem("vote", problem)
            else:
                forget_problem("vote")
                flash("Your vote is changed." if view.own_vote else "Your vote is in.")
                st.rerun()

with st.expander("Export the decision summary", key="export_summary"):
    summary_buttons(store(), actor, candidate_id, view.candidate)

if not view.may_decide:
    st.stop()

# Every problem of a refused decision at once, each under its field (the service finds them all).
PROBLEMS = "decide_problems"
FIELDS = ("outcome", "rationale", "accepts_responsibility")


def decision_problem(field: str) -> None:
    """The refused decision's problem with this field, right under it."""
    found = st.session_state.get(PROBLEMS, {})
    if field in found:
        field_problem(f"decide-{field}", found[field])


allowed = view.recordable
with st.form("decide"):
    st.markdown(f"**{allowed.prompt}**")
    found = st.session_state.get(PROBLEMS, {})
    if found:
        count = f"{len(found)} thing{'s' if len(found) != 1 else ''}"
        st.error(f"{count} to fix before recording, each marked below.", icon=":material/error:")
    shown = FIELDS if len(allowed.verdicts) == 2 else FIELDS[1:]
    for field, message in found.items():
        if field not in shown:  # no field of its own on this form: said at the top
            field_problem(f"decide-top-{field or 'form'}", message, icon=":material/error:")
    if len(allowed.verdicts) == 2:
        verdict = st.radio(
            "Decision", allowed.verdicts, format_func=OUTCOME_WORDS.get, horizontal=True, index=None
        )
        decision_problem("outcome")
    else:
        verdict = allowed.verdicts[0] if allowed.verdicts else None
    rationale = ""
    if allowed.verdicts:
        rationale = st.text_area(
            "Why (required)" if allowed.reason_required else "Note (optional)",
            max_chars=RATIONALE_MAX,
        )
        decision_problem("rationale")
    accepts = allowed.responsibility_required and st.checkbox(
        "I accept responsibility for this decision, also if it proves a mis-hire"
    )
    decision_problem("accepts_responsibility")
    if st.form_submit_button("Record the decision", type="primary", disabled=not allowed.verdicts):
        try:
            debrief.record_decision(store(), actor, candidate_id, verdict, rationale, accepts)
        except debrief.DecisionRefused as refused:
            st.session_state[PROBLEMS] = refused.problems
            st.session_state[SCROLL] = True
            st.rerun()
        except DebriefError as problem:  # refused as a whole: a role removed, a stale page
            st.session_state[PROBLEMS] = {"": str(problem)}
            st.session_state[SCROLL] = True
            st.rerun()
        else:
            st.session_state.pop(PROBLEMS, None)
            flash(f"Decision recorded: {OUTCOME_WORDS[verdict]}.")
            st.rerun()
