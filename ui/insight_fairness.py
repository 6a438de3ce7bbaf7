"""The Insights page's adverse-impact section (issue 28, item 5): per stage of an opening's
process, each self-identified group's and each source's selection rate, and its ratio to the
group selected most often, in plain words and one small table (`scoring.insights.
adverse_impact`). Aggregates above a minimum group size only: nothing here names, counts or
describes one candidate. The coordinator's and the opening's hiring manager's."""

from __future__ import annotations

import streamlit as st

from scoring.errors import NotAllowed
from scoring.insights.adverse_impact import AdverseImpact, GroupRate, StageImpact, adverse_impact
from scoring.permissions import Person
from scoring.settings import SettingsProblem
from scoring.store import Store
from scoring.text import plain_markdown
from ui.downloads import rows_buttons
from ui.insight_parts import how, lead
from ui.widgets import table


def show(store: Store, actor: Person, opening_ids: list[int]) -> None:
    """The adverse-impact figures of the openings, or why the actor may not see them."""
    st.header("Adverse impact")
    try:
        view = adverse_impact(store, actor, opening_ids)
    except NotAllowed as refusal:
        st.caption(plain_markdown(str(refusal), one_line=True))
        return
    except SettingsProblem as problem:
        st.error(plain_markdown(str(problem), one_line=True), icon=":material/error:")
        return
    lead(
        "Does a stage select some groups of candidates less often than others? Selection"
        " rates by self-identified group and by source, per stage."
    )
    st.caption(plain_markdown(f"Stage decisions {view.through_words()}.", one_line=True))
    for opening in view.openings:
        if len(view.openings) > 1:
            st.subheader(plain_markdown(opening.title, one_line=True))
        for stage in opening.stages:
            stage_part(view, stage)
    with how("fairness"):
        st.markdown(explanation(view))
    rows_buttons(
        lambda: adverse_impact(store, actor, opening_ids).rows(),
        "adverse-impact-" + "-".join(map(str, opening_ids)),
    )


def stage_part(view: AdverseImpact, stage: StageImpact) -> None:
    """One stage: its sentences, category by category, then the table of the groups shown."""
    st.subheader(plain_markdown(f"{stage.position}. {stage.title}", one_line=True))
    st.caption(plain_markdown(stage.through_words(), one_line=True))
    for sentence in stage.sentences():
        st.markdown(plain_markdown(sentence, one_line=True))
    rows = group_rows(stage)
    if rows:
        table(rows)
    if any(c.hidden for c in stage.categories):
        st.caption(
            f"Groups with fewer than {view.min_group} candidates decided at this stage are not"
            " shown, nor how many they have."
        )


def ratio_words(group: GroupRate) -> str:
    """'0.62 (0.41–0.94): below 4/5', 'highest rate' for the reference, '—' without one."""
    if group.reference:
        return "highest rate (reference)"
    if group.ratio is None or group.ratio_low is None or group.ratio_high is None:
        return "—"
    flag = "below 4/5" if group.below_four_fifths else "4/5 or above"
    return f"{group.ratio:.2f} ({group.ratio_low:.2f}–{group.ratio_high:.2f}): {flag}"


def group_rows(stage: StageImpact) -> list[dict]:
    """The stage's table: one row per group shown, every cell in words (four columns, so it
    reads on a phone)."""
    return [
        {
            "group": f"{c.category.replace('_', ' ').capitalize()}: {g.answer}",
            "selected": f"{g.selected} of {g.decided}",
            "rate (95%)": f"{g.rate:.0%} ({g.low:.0%}–{g.high:.0%})",
            "ratio to highest (95%)": ratio_words(g),
        }
        for c in stage.categories
        for g in c.groups
    ]


def explanation(view: AdverseImpact) -> str:
    """What the figures are, how they are worked out, and what the four-fifths rule is and is
    not."""
    n = view.min_group
    return (
        "**Who is counted.** At each stage, the candidates decided there: advanced or rejected"
        " (withdrawn and pending ones are not decided; the offer is left out, its outcome is the"
        " candidate's answer). Each counts under the answers they gave about themselves"
        " (optional; *Prefer not to say* counts in no rate) and under their source (referral,"
        " agency, applied, other; a source not recorded is not counted). A group with fewer"
        f" than {n} candidates decided at a stage is not shown, nor how many it has, and is"
        " never the reference. Nothing here is about one candidate, and no one's answers are"
        " shown to anyone. Erased candidates still count, as numbers with no one in them."
        "\n\n**When.** The figures count stage decisions"
        f" {view.through_words()}. Whatever is decided or recorded this month, an erasure"
        " included, changes nothing shown until the month is over; and a stage's figures move"
        f" only once at least {n} candidates have been decided there since they last moved (a"
        " quieter month waits for the next), so a month with a single decision in it does not"
        " give that candidate's group away. Each stage says the last day it counts."
        "\n\n**The figures.** The *selection rate* is the share selected (advanced) of those"
        " decided, with a 95% interval (Wilson). The *ratio* is a group's rate over the rate of"
        " the group selected most often at that stage (the reference), with a 95% interval by"
        " Katz's log method for a ratio of two proportions (where a group selected no one, ½ is"
        " added to each count for the interval, which then starts at 0)."
        "\n\n**The four-fifths rule** (US Uniform Guidelines on Employee Selection Procedures,"
        " 1978): a group selected at less than four-fifths (0.8) of the rate of the group"
        " selected most often is a sign of adverse impact, worth looking into. It is a rule of"
        " thumb, not a test: it is not proof of discrimination, and a ratio of 0.8 or more is"
        " not proof of fairness. With small groups a ratio swings widely by chance: an interval"
        " that reaches 1 is consistent with equal rates. A difference can also come from who"
        " applies or from an earlier stage, and groups are compared one category at a time."
        " Referrals bring people like those who refer them (the book, L1381-1383): the source"
        " is shown the same way."
    )
