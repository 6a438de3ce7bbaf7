"""The decision strategies in a recruiter's words: their names, and an opening's strategy with its
parameters in one line ("Democratic vote by a simple majority, with a veto; at least 3 scorecards
to decide"), for the Openings screen and the exports alike.

What the parameters mean is the engine's (`scoring.engine`): under a vote or the hiring manager,
``quorum`` is the fewest scorecards the outcome needs (0: no minimum); under a committee it is the
fewest committee votes, and at least one is always needed.
"""

from __future__ import annotations

from scoring.engine import Strategy

STRATEGY_NAMES = {
    "manager": "Hiring manager decides",
    "vote": "Democratic vote",
    "committee": "Cross-company committee",
}
"""Each strategy's name, as the screens and the exports write it."""


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


def strategy_in_words(strategy: Strategy) -> str:
    """The strategy and every parameter that changes an outcome, in one line: "Hiring manager
    decides"; "Democratic vote by a simple majority, with a veto and a greenlight; at least 3
    scorecards to decide"; "Cross-company committee by a simple majority; 2 committee votes
    needed; no hire below a weighted score of 0.50". Forced extremes by default come last."""
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
        parts.append(f"no hire below a weighted score of {strategy.bar:.2f}")
    if strategy.force_extremes:
        parts.append("the debrief shows forced extremes by default")
    return "; ".join(parts)
