"""One candidate's debrief, projected in the meeting: are all scorecards in, where does the panel
stand and how strongly, what does the strategy say, what would change it; then the decision."""

import streamlit as st

from scoring import analysis, charts, debrief, openings
from scoring.engine import FLAG_MEANINGS, FLAG_WORDS, OUTCOME_WORDS
from scoring.errors import DebriefError
from scoring.permissions import OWN_FIRST
from scoring.text import NOTE_MAX, RATIONALE_MAX, REASON_MAX, plain_markdown
from ui.clock import when
from ui.downloads import summary_buttons
from ui.guard import require
from ui.scorecard_view import marks, show_scorecard
from ui.session import store
from ui.widgets import (
    STATE_LABELS,
    STRATEGY_LABELS,
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
st.page_link("pages/debrief_day.py", label="Day view", icon=":material/arrow_back:")

try:
    candidate_id = int(st.query_params.get("candidate", ""))
    frame = debrief.status(store(), actor, candidate_id)
except (ValueError, DebriefError):
    st.info("Choose a candidate on the day view.", icon=":material/groups:")
    st.stop()

opening = frame.opening
COLOURS = {"hire": "green", "no_hire": "red"}


def coloured(outcome: str) -> str:
    """An outcome in words, green for hire, red for no hire, orange otherwise."""
    return f":{COLOURS.get(outcome, 'orange')}[{OUTCOME_WORDS[outcome]}]"


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
force = st.toggle(
    "Force extremes (if this is a weak no, it is a no)",
    value=opening.strategy.force_extremes,
    help="Every score pushed to the top or the bottom of its scale: above the midpoint to the"
    " top, otherwise the bottom (L907-911).",
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
left, middle, right = st.columns([3, 2, 2])
left.markdown(f"## {coloured(result.outcome)}")
left.caption("Forced extremes" if force else "Raw scores")
missing = view.status.missing
middle.metric("Scorecards in", f"{len(view.scorecards)} of {len(view.status.active)}")
middle.caption(
    f"{result.tally['yes']} yes · {result.tally['no']} no · {result.tally['undecided']} undecided"
)
right.metric("Weighted score", "—" if result.score is None else f"{result.score:.2f}")
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
    st.markdown(f"- {plain_markdown(reason)}")
for flag in result.flags:
    if flag not in ("lukewarm", "split", "fragile"):
        st.caption(f"{FLAG_WORDS[flag]}: {FLAG_MEANINGS[flag]}")

# Raw next to forced, and what the other strategies would say.
st.subheader("What would change it")
for column, title, shown in zip(
    st.columns(2), ("Raw scores", "Forced extremes"), (view.raw, view.forced), strict=True
):
    with column, st.container(border=True):
        st.markdown(f"**{title}:** {coloured(shown.outcome)}")
        st.caption(", ".join(FLAG_WORDS[f] for f in shown.flags) or "no flags")
if view.raw.outcome != view.forced.outcome:
    st.warning(
        "Forcing the scores to the extremes flips the outcome.", icon=":material/swap_horiz:"
    )
moved = [p.interviewer for p in view.forced.positions if p.raw != p.effective]
changed = view.flipped_by_forcing
moves = f"Forcing moves {', '.join(moved)} to an extreme. " if moved else "Nobody's score moves. "
sides = f"Positions that change side: {', '.join(changed)}." if changed else "Nobody changes side."
st.caption(plain_markdown(moves + sides))
cols = st.columns(3)
for col, (kind, other) in zip(cols, view.what_if.items(), strict=True):
    chosen = " (this opening's)" if kind == opening.strategy.kind else ""
    col.markdown(f"{STRATEGY_LABELS[kind]}{chosen}  \n**{OUTCOME_WORDS[other.outcome]}**")

# The panel.
st.subheader("The panel")
scale = opening.scale.scale
st.altair_chart(
    charts.overall_chart(
        analysis.overall_frame(result.positions, scale, opening.scale.labels), scale.min, scale.max
    ),
    width="stretch",
)
rubrics = {c.rubric_hash: openings.rubric(store(), c.rubric_hash) for c in view.scorecards}
labels = [p.interviewer for p in result.positions]
frame = analysis.criterion_frame(view.scorecards, rubrics, labels, forced=force)
st.markdown("**Criteria** (blank: not assessed, or another session's rubric)")
st.altair_chart(charts.heatmap(frame), width="content")
st.markdown("**Where interviewers differ**")
spread = analysis.spread(frame)
if spread.empty:
    st.caption("Every criterion was rated by one interviewer: no spread to compare.")
else:
    chart, numbers = st.columns([3, 1])
    chart.altair_chart(charts.spread_chart(spread), width="stretch")
    numbers.metric("Agreement", f"{analysis.agreement(spread):.2f}")
    numbers.caption("1.00: interviewers who rated the same criteria gave the same points.")
    for row in spread[spread["discuss"]].itertuples():
        st.error(
            plain_markdown(
                f"Discuss: {row.criterion} ({row.session}): {row.lowest} to {row.highest}"
                f" on {row.min}..{row.max}"
            ),
            icon=":material/forum:",
        )

for card, position in zip(view.scorecards, result.positions, strict=True):
    arrow = (
        f"{position.raw} → {position.effective}"
        if position.raw != position.effective
        else f"{position.raw}"
    )
    strong = ", strong" if position.strong else ""
    flags = f" · {plain_markdown('; '.join(marks(card)), one_line=True)}" if marks(card) else ""
    with st.expander(
        f"**{plain_markdown(position.interviewer, one_line=True)}**"
        f" · {plain_markdown(card.session_title, one_line=True)} · {arrow}"
        f" ({position.position.value}{strong}){flags}"
    ):
        show_scorecard(card, rubrics[card.rubric_hash], opening, who=False)

# The decision.
st.subheader("Decision")
if view.frozen:
    frozen_words = OUTCOME_WORDS[view.frozen["outcome"]]
    st.caption(
        f"When the debrief opened ({when(view.opened_at)}) the panel said:"
        f" {frozen_words}, {view.frozen['tally']['yes']} yes to {view.frozen['tally']['no']} no."
    )
for record in view.decisions:
    superseded = "" if record is view.final else " (superseded)"
    by = plain_markdown(record.decided_by, one_line=True)
    why = plain_markdown(record.rationale or "confirmed")
    st.markdown(
        f"- **{OUTCOME_WORDS[record.outcome]}**{superseded} by {by},"
        f" {when(record.decided_at)}: {why}"
    )
if view.final is not None:
    if view.changed_since_opening:
        st.warning(
            "The decision differs from where the panel stood when the debrief opened.",
            icon=":material/change_circle:",
        )
    else:
        st.caption("The decision matches where the panel stood when the debrief opened.")
if view.votes:
    st.markdown("**Committee votes**")
    for vote in view.votes:
        changed = f", changed {vote.changes}×" if vote.changes else ""
        st.markdown(
            f"- {plain_markdown(vote.member, one_line=True)}: {OUTCOME_WORDS[vote.vote]}{changed}"
            + (f" ({plain_markdown(vote.note)})" if vote.note else "")
        )
elif view.votes_hidden and opening.strategy.kind == "committee":
    st.caption(plain_markdown(view.votes_hidden))

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

with st.expander("Export the decision summary"):
    summary_buttons(store(), actor, candidate_id, view.candidate)

if not view.may_decide:
    st.stop()

allowed = view.recordable
with st.form("decide"):
    st.markdown(f"**{allowed.prompt}**")
    problem_on_top("decide", ("outcome", "rationale", "accepts_responsibility"))
    if len(allowed.verdicts) == 2:
        verdict = st.radio(
            "Decision", allowed.verdicts, format_func=OUTCOME_WORDS.get, horizontal=True, index=None
        )
        problem_under("decide", "outcome")
    else:
        verdict = allowed.verdicts[0] if allowed.verdicts else None
    rationale = ""
    if allowed.verdicts:
        rationale = st.text_area(
            "Why (required)" if allowed.reason_required else "Note (optional)",
            max_chars=RATIONALE_MAX,
        )
        problem_under("decide", "rationale")
    accepts = allowed.responsibility_required and st.checkbox(
        "I accept responsibility for this decision, also if it proves a mis-hire (L1313)"
    )
    problem_under("decide", "accepts_responsibility")
    if st.form_submit_button("Record the decision", type="primary", disabled=not allowed.verdicts):
        try:
            debrief.record_decision(store(), actor, candidate_id, verdict, rationale, accepts)
        except DebriefError as problem:
            remember_problem("decide", problem)
        else:
            forget_problem("decide")
            flash(f"Decision recorded: {OUTCOME_WORDS[verdict]}.")
            st.rerun()
