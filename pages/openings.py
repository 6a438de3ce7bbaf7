"""Openings: the list; an opening changed where no score depends on it, or closed; a new opening
created from a loop template with its decision rules."""

import streamlit as st

from scoring import openings, people, stages
from scoring.errors import DebriefError
from scoring.rubric import OverallScale
from scoring.scale import DEFAULT_FORCE_PRESET, FORCE_PRESETS, Scale
from scoring.strategy_words import BAR_MODE_NAMES, FORCE_PRESET_HELP, FORCE_PRESET_NAMES
from scoring.text import TITLE_MAX, plain_markdown
from ui.guard import require
from ui.session import catalog, store
from ui.widgets import (
    STRATEGY_LABELS,
    flash,
    forget_problem,
    problem_on_top,
    problem_under,
    remember_problem,
    show_flash,
    strategy_summary,
)

REVEAL_CHOICES = {
    "after_own": "after their own scorecard is in",
    "all_in": "only once every scorecard is in",
}
REVEAL_WORDS = {"after_own": "after one's own", "all_in": "once all are in"}


def scoring_rules(o: openings.Opening) -> str:
    """The loop and the rules its scorers work under, in a few words."""
    rules = [o.loop_title, f"others' scores {REVEAL_WORDS[o.reveal_rule]}"]
    if o.anonymise:
        rules.append("anonymised")
    if o.forced_choice:
        rules.append("forced choice")
    return "; ".join(rules)


actor = require("openings")
st.title("Openings")
show_flash()

everyone = people.list_people(store(), actor)
names = {p.id: p.name for p in everyone}
existing = openings.list_openings(store(), actor)
if existing:
    # A static table: its cells wrap, so the strategy's words are read whole at any width
    # (a data grid cuts them). Every cell is typed text or built from it: escaped.
    st.table(
        [
            {
                "opening": plain_markdown(
                    (f"{o.title} ({o.level})" if o.level else o.title)
                    + (" · closed" if o.closed_at else ""),
                    one_line=True,
                ),
                "hiring manager": plain_markdown(
                    names.get(o.hiring_manager_id, "?"), one_line=True
                ),
                "how it is decided": plain_markdown(strategy_summary(o), one_line=True),
                "process": plain_markdown(
                    stages.process_words(stages.opening_process(store(), actor, o.id)),
                    one_line=True,
                ),
                "scoring": plain_markdown(scoring_rules(o), one_line=True),
            }
            for o in existing
        ],
        hide_index=True,
    )
else:
    st.info("No openings yet: create the first one below.", icon=":material/info:")

still_open = [o for o in existing if o.closed_at is None]
if still_open:
    with st.expander("Change or close an opening", key="change_opening"):
        changing = st.selectbox(
            "Opening to change", still_open, format_func=lambda o: o.title, key="edit_pick"
        )
        k = f"edit_{changing.id}"
        st.caption(
            "Title, role, level, hiring manager and committee may change at any time. The rules"
            " scores depend on (reveal, anonymisation, forced choice, overdue threshold) only"
            " until the first scorecard is in; the loop and its rubrics never."
        )
        problem_on_top(
            "edit_opening",
            (
                "title",
                "role",
                "level",
                "hiring_manager_id",
                "committee_ids",
                "reveal_rule",
                "anonymise",
                "forced_choice",
                "overdue_hours",
            ),
        )
        e_left, e_right = st.columns(2, gap="large")
        with e_left:
            new_title = st.text_input(
                "Title", value=changing.title, max_chars=TITLE_MAX, key=f"{k}_title"
            )
            problem_under("edit_opening", "title")
            new_role = st.text_input(
                "Role", value=changing.role, max_chars=TITLE_MAX, key=f"{k}_role"
            )
            problem_under("edit_opening", "role")
            new_level = st.text_input(
                "Level", value=changing.level, max_chars=TITLE_MAX, key=f"{k}_level"
            )
            problem_under("edit_opening", "level")
            leads = [p for p in everyone if p.active and p.has("hiring_manager")]
            lead_ids = [p.id for p in leads]
            new_manager = st.selectbox(
                "Hiring manager",
                leads,
                index=lead_ids.index(changing.hiring_manager_id)
                if changing.hiring_manager_id in lead_ids
                else None,
                format_func=lambda p: p.name,
                key=f"{k}_manager",
            )
            problem_under("edit_opening", "hiring_manager_id")
        with e_right:
            seated = [
                p for p in everyone if p.has("committee_member") or p.id in changing.committee_ids
            ]
            new_committee = st.multiselect(
                "Committee members",
                seated,
                default=[p for p in seated if p.id in changing.committee_ids],
                format_func=lambda p: p.name,
                key=f"{k}_committee",
            )
            problem_under("edit_opening", "committee_ids")
            new_reveal = st.radio(
                "Others' scores are shown to an interviewer",
                ["after_own", "all_in"],
                index=0 if changing.reveal_rule == "after_own" else 1,
                format_func=REVEAL_CHOICES.get,
                key=f"{k}_reveal",
            )
            problem_under("edit_opening", "reveal_rule")
            new_anonymise = st.checkbox(
                "Anonymise candidates", value=changing.anonymise, key=f"{k}_anon"
            )
            problem_under("edit_opening", "anonymise")
            new_forced = st.checkbox(
                "Forced choice", value=changing.forced_choice, key=f"{k}_forced"
            )
            problem_under("edit_opening", "forced_choice")
            new_overdue = st.number_input(
                "A scorecard is overdue after (hours)",
                min_value=1.0,
                max_value=240.0,
                value=float(changing.overdue_hours),
                key=f"{k}_overdue",
            )
            problem_under("edit_opening", "overdue_hours")
        save, close = st.columns(2)
        if save.button("Save changes", type="primary", key=f"{k}_save"):
            try:
                openings.edit_opening(
                    store(),
                    actor,
                    changing.id,
                    title=new_title,
                    role=new_role,
                    level=new_level,
                    hiring_manager_id=new_manager.id if new_manager else None,
                    committee_ids=[p.id for p in new_committee],
                    reveal_rule=new_reveal,
                    anonymise=new_anonymise,
                    forced_choice=new_forced,
                    overdue_hours=new_overdue,
                )
            except DebriefError as problem:
                remember_problem("edit_opening", problem)
            else:
                forget_problem("edit_opening")
                flash(f"Opening '{new_title.strip()}' changed.")
                st.rerun()
        if close.button("Close this opening", key=f"{k}_close"):
            try:
                openings.close_opening(store(), actor, changing.id)
            except DebriefError as problem:
                remember_problem("edit_opening", problem)
            else:
                forget_problem("edit_opening")
                flash(
                    f"Opening '{changing.title}' is closed: it keeps everything, takes nothing new."
                )
                st.rerun()

RULE_CHOICES = {
    "majority": "Simple majority",
    "supermajority": "Supermajority",
    "unanimous": "Unanimity",
}

SCALES = {
    "loop": None,
    "1-4": OverallScale(min=1, max=4, labels={1: "Strong no", 2: "No", 3: "Yes", 4: "Strong yes"}),
    "1-5": OverallScale(
        min=1,
        max=5,
        labels={1: "Strong no", 2: "No", 3: "Undecided", 4: "Yes", 5: "Strong yes"},
    ),
}


def process_form(found, everyone, manager) -> tuple[list[dict], dict[int, list[int]]]:
    """The opening's stages as chosen: screens before the loop, the offer after it; and each
    reviewed stage's reviewers by position."""
    reviewers = [
        p for p in everyone if p.active and (p.has("interviewer") or p.has("hiring_manager"))
    ]
    specs: list[dict] = []
    chosen: dict[int, list[int]] = {}
    one, two, three = st.columns(3, gap="large")
    with one:
        if "resume-screen" in found.rubrics and st.checkbox("Resume screen (blind)"):
            spec = {"kind": "screen", "rubric": "resume-screen", "blind": True}
            spec["title"] = "Resume screen"
            people = st.multiselect(
                "Resume reviewers", reviewers, format_func=lambda p: p.name, key="rs_people"
            )
            if st.checkbox("Advance on a bar (weighted score)", key="rs_bar"):
                spec["bar"] = st.slider("Bar", 0.0, 1.0, 0.5, 0.05, key="rs_bar_value")
                spec["provisional"] = st.checkbox(
                    "Provisional: the bar is a first guess (L2101-2106)", value=True
                )
                spec["spot_check"] = st.slider(
                    "Share of rejections spot-checked by a second reviewer",
                    0.0,
                    1.0,
                    0.25,
                    0.05,
                )
            specs.append(spec)
            chosen[len(specs)] = [p.id for p in people] or [manager.id]
        if "hm-phone-screen" in found.rubrics and st.checkbox("Hiring manager's phone screen"):
            specs.append({"kind": "screen", "rubric": "hm-phone-screen", "title": "Phone screen"})
            chosen[len(specs)] = [manager.id]
    with two:
        if "take-home-review" in found.rubrics and st.checkbox("Take-home"):
            spec = {"kind": "take_home", "rubric": "take-home-review", "blind": True}
            spec["title"] = "Take-home"
            spec["hours"] = st.number_input("Hours it should take", 1, 16, 4, key="th_hours")
            spec["deadline_days"] = st.number_input("Days to answer", 1, 30, 7, key="th_days")
            people = st.multiselect(
                "Take-home reviewers", reviewers, format_func=lambda p: p.name, key="th_people"
            )
            spec["reviewers"] = max(1, min(len(people), 3))
            specs.append(spec)
            chosen[len(specs)] = [p.id for p in people] or [manager.id]
    specs.append({"kind": "loop"})
    with three:
        if st.checkbox("Offer (the candidate's answer is recorded)"):
            specs.append({"kind": "offer"})
    if len(specs) == 1:
        return [], {}
    return specs, chosen


def with_stages(loop, specs: list[dict]):
    """The loop template with the chosen stages (none: the loop alone)."""
    if not specs:
        return loop
    return type(loop).model_validate({**loop.model_dump(mode="json"), "stages": specs})


st.header("New opening")
found = catalog()
if not found.loops:
    st.error("No loop template is available: see the Rubrics page.", icon=":material/error:")
    st.stop()
managers = [p for p in everyone if p.active and p.has("hiring_manager")]
members = [p for p in everyone if p.active and p.has("committee_member")]
if not managers:
    st.warning(
        "Nobody has the hiring manager role yet. Add one on the People page first.",
        icon=":material/warning:",
    )
    st.stop()

with st.container(border=True):
    left, right = st.columns(2, gap="large")
    with left:
        loop = st.selectbox(
            "Loop template",
            list(found.loops.values()),
            format_func=lambda loop: loop.title,
            help="The sessions of the interview day. Its rubrics are frozen into the opening now.",
        )
        st.caption(
            "  →  ".join(
                plain_markdown(f"{s.title or found.rubrics[s.rubric].title} ({s.minutes} min)")
                for s in loop.sessions
            )
        )
        title = st.text_input(
            "Title", placeholder="e.g. Senior data scientist, growth team", max_chars=TITLE_MAX
        )
        problem_under("create_opening", "title")
        role = st.text_input("Role", value=loop.role, max_chars=TITLE_MAX)
        problem_under("create_opening", "role")
        if loop.levels:  # the loop is made for these levels: the level picks among them
            level = st.selectbox("Level", loop.levels, help="This loop is made for these levels.")
        else:
            level = st.text_input("Level", placeholder="e.g. Senior", max_chars=TITLE_MAX)
        problem_under("create_opening", "level")
        manager = st.selectbox("Hiring manager", managers, format_func=lambda p: p.name)
    with right:
        kind = st.radio(
            "Decision strategy",
            list(STRATEGY_LABELS),
            format_func=STRATEGY_LABELS.get,
            help="Hiring manager decides: the panel advises, the hiring manager decides and"
            " accepts responsibility (recommended for small teams). Democratic vote: each"
            " interviewer's recommendation is a vote. Cross-company committee: a committee"
            " votes on the packet.",
        )
        strategy: dict = {"kind": kind}
        committee = []
        if kind in ("vote", "committee"):
            strategy["rule"] = st.selectbox(
                "Rule", list(RULE_CHOICES), format_func=RULE_CHOICES.get, key="rule"
            )
            if strategy["rule"] == "supermajority":
                strategy["supermajority"] = st.slider(
                    "Supermajority (share of yes among yes and no)", 0.5, 1.0, 2 / 3, 0.05
                )
        if kind == "vote":
            strategy["veto"] = st.checkbox("Veto: any strong no blocks the hire")
            strategy["greenlight"] = st.checkbox("Greenlight: any strong yes passes")
        if kind == "committee":
            committee = st.multiselect(
                "Committee members", members, format_func=lambda p: p.name, default=members
            )
            problem_under("create_opening", "committee_ids")
            if st.checkbox("Organisation-wide bar on the weighted score", value=True):
                strategy["bar"] = st.slider("Bar (weighted score, 0 to 1)", 0.0, 1.0, 0.5, 0.05)
                strategy["bar_mode"] = st.radio(
                    "Below the bar, the bar",
                    list(BAR_MODE_NAMES),
                    format_func=BAR_MODE_NAMES.get,
                    key="bar_mode",
                    help="Advises: a candidate below the bar is flagged and the reasons say so;"
                    " the committee members still decide by their votes. Binds: below the bar"
                    " it is no hire, whatever the committee votes.",
                )
        if kind == "committee":
            strategy["quorum"] = st.number_input(
                "Committee votes needed to decide",
                min_value=1,
                max_value=20,
                value=2,
                help="Until this many members have voted, the outcome is awaiting the committee.",
            )
        else:
            strategy["quorum"] = st.number_input(
                "Scorecards needed to decide (0: no minimum)",
                min_value=0,
                max_value=20,
                value=0,
                help="With fewer submitted scorecards the outcome reads Incomplete."
                " 0: the outcome is worked out on whatever scorecards are in.",
            )
        strategy["force_extremes"] = st.checkbox(
            "Debrief shows forced extremes by default",
            help="Scores pushed towards an extreme, as DJ Patil did to make a panel take a"
            " side. The debrief can always toggle it; a veto or a greenlight still needs an"
            " extreme the interviewer wrote.",
        )
        force_preset = DEFAULT_FORCE_PRESET
        if strategy["force_extremes"]:
            force_preset = st.radio(
                "Forcing moves scores like this",
                list(FORCE_PRESETS),
                format_func=FORCE_PRESET_NAMES.get,
                captions=[FORCE_PRESET_HELP[p] for p in FORCE_PRESETS],
                key="force_preset",
            )

    st.divider()
    a, b, c = st.columns(3, gap="large")
    with a:
        reveal = st.radio(
            "Others' scores are shown to an interviewer",
            ["after_own", "all_in"],
            format_func=REVEAL_CHOICES.get,
        )
        anonymise = st.checkbox(
            "Anonymise candidates",
            help="Scorers see an alias, never the name: for take-home and resume reviews.",
        )
    with b:
        scale_key = st.radio(
            "Overall recommendation scale",
            list(SCALES),
            format_func={
                "loop": f"the loop's {loop.overall_scale.min}-{loop.overall_scale.max}",
                "1-4": "1-4 (no middle point)",
                "1-5": "1-5 (with an undecided middle)",
            }.get,
        )
        scale = SCALES[scale_key] or loop.overall_scale
        st.caption(plain_markdown(" · ".join(f"{p} {label}" for p, label in scale.labels.items())))
    with c:
        forced_choice = st.checkbox(
            "Forced choice",
            help="Interviewers may give only the two extremes as their overall recommendation:"
            ' "if this is a weak no, then I\'m a zero".',
        )
        overdue = st.number_input(
            "A scorecard is overdue after (hours)", min_value=1, max_value=240, value=24
        )

    st.divider()
    st.subheader("Process")
    st.caption(
        "The stages in front of the on-site day and after it (L1150-1161): each screen is"
        " reviewed on its own against its rubric; the loop is the interview day above."
    )
    stage_specs, stage_reviewers = process_form(found, everyone, manager)
    problem_under("create_opening", "stage_reviewers")

    problem_on_top(
        "create_opening", ("title", "role", "level", "committee_ids", "stage_reviewers")
    )  # any other problem, right above the button
    if st.button("Create opening", type="primary"):
        # The map is stored resolved on the chosen scale, so the opening keeps its rule even if
        # a later version changes the default.
        strategy["force_map"] = Scale(scale.min, scale.max).preset_map(force_preset)
        try:
            created = openings.create_opening(
                store(),
                actor,
                title=title,
                role=role,
                level=level,
                loop=with_stages(loop, stage_specs),
                catalog=found,
                hiring_manager_id=manager.id,
                strategy=strategy,
                reveal_rule=reveal,
                anonymise=anonymise,
                overall_scale=scale,
                forced_choice=forced_choice,
                overdue_hours=overdue,
                committee_ids=[p.id for p in committee],
                stage_reviewers=stage_reviewers,
            )
        except DebriefError as problem:
            remember_problem("create_opening", problem)
        else:
            forget_problem("create_opening")
            st.session_state.chosen_opening = created.id
            flash(f"Opening '{created.title}' created. Next: add its candidates on Candidates.")
            st.rerun()
