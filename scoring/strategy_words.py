"""The decision strategies in a recruiter's words: their names, and an opening's strategy with its
parameters in one line ("Democratic vote by a simple majority, with a veto; at least 3 scorecards
to decide"), for the Openings screen and the exports alike.

What the parameters mean is the engine's (`scoring.engine`): under a vote or the hiring manager,
``quorum`` is the fewest scorecards the outcome needs (0: no minimum); under a committee it is the
fewest committee votes, and at least one is always needed. Forcing follows a preset (or the
opening's own map) and the committee's bar advises or binds: both are said in plain words here,
for the opening form and the one-line summary alike.
"""

from __future__ import annotations

from scoring.engine import Strategy
from scoring.scale import DEFAULT_FORCE_PRESET, FORCE_PRESETS, Scale, ScaleError

STRATEGY_NAMES = {
    "manager": "Hiring manager decides",
    "vote": "Democratic vote",
    "committee": "Cross-company committee",
}
"""Each strategy's name, as the screens and the exports write it."""

FORCE_PRESET_NAMES = {
    "weak_no_to_min": "A weak no becomes the lowest score",
    "all_extremes": "Every score goes to an extreme",
    "only_top_is_yes": "Only a top score stays a yes",
    "custom": "Scores move as this opening's own map says",
}
"""Each way forcing can go, as the opening form offers it (the book's default first)."""

FORCE_PRESET_HELP = {
    "weak_no_to_min": 'As DJ Patil put it: "if this is a weak no, then I\'m a zero". A no or an'
    " undecided score goes to the bottom of the scale; a yes stays as the interviewer wrote it.",
    "all_extremes": 'DJ "would always score a zero or a five": a yes goes to the top, anything'
    " else to the bottom.",
    "only_top_is_yes": '"We absolutely must hire this person ... or let\'s just move on": only'
    " the top score stays a yes, anything short of it goes to the bottom.",
}
"""What each preset does, in a sentence with the book's words, for the form's help text."""

BAR_MODE_NAMES = {
    "advisory": "Advises: the committee's votes decide",
    "binding": "Binds: no hire below it, whatever the votes",
}
"""The committee bar's two modes, as the opening form offers them."""


def force_preset(strategy: Strategy, scale: Scale | None = None) -> str:
    """The preset of the strategy's force map (a key of FORCE_PRESET_NAMES). Without the
    opening's scale, a complete map names its own scale (its lowest and highest points)."""
    if strategy.force_map is None:
        return DEFAULT_FORCE_PRESET
    points = sorted(strategy.force_map)
    try:
        return (scale or Scale(points[0], points[-1])).preset_of(strategy.force_map)
    except (ScaleError, IndexError):
        return "custom"


def forcing_words(strategy: Strategy, scale: Scale | None = None) -> str:
    """What forcing does, in a few words: "a weak no becomes the lowest score"."""
    preset = force_preset(strategy, scale)
    words = FORCE_PRESET_NAMES[preset]
    return words[0].lower() + words[1:] if preset in FORCE_PRESETS else words.lower()


def bar_words(strategy: Strategy) -> str:
    """The committee's bar and what it does: "no hire below a weighted score of 0.50" (binding)
    or "a weighted score below 0.50 is flagged; the committee's votes decide" (advisory); "" with
    no bar."""
    if strategy.bar is None:
        return ""
    if strategy.bar_mode == "binding":
        return f"no hire below a weighted score of {strategy.bar:.2f}"
    return f"a weighted score below {strategy.bar:.2f} is flagged; the committee's votes decide"


def rule_in_words(strategy: Strategy) -> str:
    """How a vote or a committee decides: "a simple majority", "a supermajority of 67%" or
    "unanimity"."""
    if strategy.rule == "supermajority":
        return f"a supermajority of {strategy.supermajority:.0%}"
    return {"majority": "a simple majority", "unanimous": "unanimity"}[strategy.rule]


def needed_in_words(strategy: Strategy) -> str:
    """What `quorum` asks for, in words: "at least 3 scorecards to decide", "2 committee votes
    needed", or "" (a vote or a manager with no minimum)."""
    if strategy.kind == "committee":
        need = max(strategy.quorum, 1)
        return f"{need} committee vote{'s' if need != 1 else ''} needed"
    if strategy.quorum:
        plural = "s" if strategy.quorum != 1 else ""
        return f"at least {strategy.quorum} scorecard{plural} to decide"
    return ""


def strategy_in_words(strategy: Strategy, scale: Scale | None = None) -> str:
    """The strategy and every parameter that changes an outcome, in one line: "Hiring manager
    decides"; "Democratic vote by a simple majority, with a veto and a greenlight; at least 3
    scorecards to decide"; "Cross-company committee by a simple majority; 2 committee votes
    needed; no hire below a weighted score of 0.50". Forced extremes by default come last, with
    what forcing does ("a weak no becomes the lowest score"); `scale` is the opening's overall
    scale, which names a force map's preset when the map leaves points out."""
    name = STRATEGY_NAMES[strategy.kind]
    if strategy.kind in ("vote", "committee"):
        name += f" by {rule_in_words(strategy)}"
    if strategy.kind == "vote":
        powers = [
            w for w, on in (("a veto", strategy.veto), ("a greenlight", strategy.greenlight)) if on
        ]
        if powers:
            name += ", with " + " and ".join(powers)
    parts = [name]
    if needed := needed_in_words(strategy):
        parts.append(needed)
    if strategy.kind == "committee" and strategy.bar is not None:
        parts.append(bar_words(strategy))
    if strategy.force_extremes:
        parts.append(
            f"the debrief shows forced extremes by default: {forcing_words(strategy, scale)}"
        )
    return "; ".join(parts)
