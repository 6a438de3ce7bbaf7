"""The decision engine's words: each flag and outcome in a sentence or a word or two, a flag's
reason as the engine gives it, and a force map in a hiring manager's words. Below
`scoring.engine` (which re-exports them: pages and exports import them from there)."""

from __future__ import annotations

from collections.abc import Mapping

from scoring.scale import Scale

FLAG_MEANINGS = {
    "lukewarm": "Nobody scored an extreme: nobody is fighting for or against this candidate.",
    "split": "The panel is split: there are yes and no recommendations.",
    "fragile": "One strong dissent would flip this.",
    "veto": "A strong no, as the interviewer wrote it, blocked the hire (veto power).",
    "greenlight": "A strong yes, as the interviewer wrote it, passed the candidate (greenlight"
    " power).",
    "conflict": "A veto and a greenlight were both used: this needs discussion.",
    "overrode_panel": "The outcome goes against the panel's majority.",
    "below_bar": "The weighted score is below the organisation's bar.",
    "bar_unchecked": "The bar cannot be checked: no criterion scores are in.",
    "incomplete": "Not enough scorecards are in to decide.",
}
"""Each flag in a sentence, for pages and exports."""


FLAG_WORDS = {
    "lukewarm": "Lukewarm",
    "split": "Split",
    "fragile": "Fragile",
    "veto": "Vetoed",
    "greenlight": "Greenlit",
    "conflict": "Veto and greenlight",
    "overrode_panel": "Against the panel",
    "below_bar": "Below the bar",
    "bar_unchecked": "Bar not checked",
    "incomplete": "Incomplete",
}
"""Each flag as a word or two, for tables and badges."""

OUTCOME_WORDS = {
    "hire": "Hire",
    "no_hire": "No hire",
    "needs_discussion": "Needs discussion",
    "incomplete": "Incomplete",
    "awaiting_manager": "Awaiting the hiring manager",
    "awaiting_committee": "Awaiting the committee",
}
"""Each outcome in words."""


LUKEWARM_FORCED = (
    "Before forcing, nobody scored an extreme: nobody was fighting for or against this"
    " candidate; forcing decides for them."
)
"""The lukewarm reason under a forcing that sends every score to an extreme: lukewarm is about
what people wrote (raw scores), and next to "N scores moved to an extreme" the plain "Nobody
scored an extreme" would contradict."""

LUKEWARM_PARTLY_FORCED = (
    "Before forcing, nobody scored an extreme: nobody was fighting for or against this candidate."
)
"""The same under a forcing that leaves some scores as written (a weak yes stays a weak yes), so
forcing does not decide for everyone."""


def flag_reason(flag: str, forced: bool, all_extreme: bool) -> str:
    """A flag's reason sentence, true of the scores it was raised on."""
    if flag == "lukewarm" and forced:
        return LUKEWARM_FORCED if all_extreme else LUKEWARM_PARTLY_FORCED
    return FLAG_MEANINGS[flag]


def forcing_in_words(scale: Scale, force_map: Mapping[int, int] | None) -> str:
    """What the force map does on `scale`, in a hiring manager's words: "a weak no becomes 0",
    "every score goes to an extreme: a yes becomes 5, anything else 0", "only a 5 stays a yes:
    anything below becomes 0", or a custom map's moves ("its own map: 1 becomes 0, 4 becomes 5")."""
    preset = scale.preset_of(force_map)
    if preset == "weak_no_to_min":
        has_middle = scale.midpoint in scale.points
        return f"a weak no{' or an undecided score' if has_middle else ''} becomes {scale.min}"
    if preset == "all_extremes":
        return (
            f"every score goes to an extreme: a yes becomes {scale.max}, anything else {scale.min}"
        )
    if preset == "only_top_is_yes":
        return f"only a {scale.max} stays a yes: anything below becomes {scale.min}"
    moves = [f"{a} becomes {b}" for a, b in scale.resolve_map(force_map).items() if a != b]
    return "its own map: " + (", ".join(moves) or "nothing moves")
