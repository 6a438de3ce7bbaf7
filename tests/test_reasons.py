"""The reasons the debrief reads aloud never contradict each other: thousands of generated panels
(random scales, scores, strategies, forcing on and off, decisions and committee votes; seeded),
each decided by the engine, each pair of its reasons checked against the contradictions below.

The contradicting pairs are written out from the sentences `scoring.engine` produces; a new kind
of reason that can contradict another belongs in CONTRADICTIONS."""

from __future__ import annotations

import random
import re
from itertools import combinations

from scoring.engine import Case, decide, lean
from scoring.scale import Scale

NOBODY_EXTREME = re.compile(r"^Nobody scored an extreme")  # unqualified: about the scores used


def _moved(reason: str) -> int:
    found = re.search(r"forcing is on: (\d+) of \d+ scores moved to an extreme", reason)
    return int(found.group(1)) if found else 0


def _counts(reason: str) -> tuple[int, int] | None:
    found = re.search(r"(\d+) (?:strong )?yes, (\d+) (?:strong )?no\b", reason)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _says_extreme(reason: str) -> bool:
    return _moved(reason) > 0 or reason.startswith(("Vetoed by", "Greenlit by"))


# (name, predicate over two reasons a, b): True when a and b cannot both be true.
CONTRADICTIONS = [
    (
        "nobody scored an extreme / somebody is at an extreme",
        lambda a, b: bool(NOBODY_EXTREME.match(a)) and _says_extreme(b),
    ),
    (
        "nobody voted yes or no / yes and no counted",
        lambda a, b: (
            a.startswith("Nobody voted yes or no")
            and (
                b.startswith(("The panel is split", "The panel leans"))
                or (_counts(b) or (0, 0)) != (0, 0)
            )
        ),
    ),
    (
        "the vote is tied / unequal counts under a simple majority",
        lambda a, b: (
            a.startswith("The vote is tied")
            and b.startswith("Vote by a simple majority")
            and (_counts(b) or (0, 0))[0] != (_counts(b) or (0, 0))[1]
        ),
    ),
    (
        "the panel is split / one side is empty",
        lambda a, b: (
            a.startswith("The panel is split") and _counts(b) is not None and 0 in _counts(b)
        ),
    ),
    (
        "two different tallies of the same panel",
        lambda a, b: None not in (_counts(a), _counts(b)) and _counts(a) != _counts(b),
    ),
    (
        "the manager has not decided / the manager decided",
        lambda a, b: (
            "the hiring manager has not decided yet" in a and "(hiring manager) decided" in b
        ),
    ),
    (
        "one dissent would flip it / no hire whatever the votes",
        lambda a, b: a.startswith("One strong dissent would flip") and "whatever the votes" in b,
    ),
    (
        "leans hire / leans no hire",
        lambda a, b: "leans hire" in a and "leans no hire" in b,
    ),
]


def contradictions(reasons: list[str]) -> list[tuple[str, str, str]]:
    """Every (name, a, b) of CONTRADICTIONS that holds for some ordered pair of reasons."""
    found = []
    for x, y in combinations(reasons, 2):
        for a, b in ((x, y), (y, x)):
            found += [(name, a, b) for name, clash in CONTRADICTIONS if clash(a, b)]
    return found


SCALES = [(0, 5), (1, 4), (0, 3), (1, 7), (0, 1)]


def random_case(rng: random.Random) -> Case:
    low, high = rng.choice(SCALES)
    kind = rng.choice(["manager", "vote", "committee"])
    strategy = {
        "kind": kind,
        "force_extremes": rng.random() < 0.5,
        "rule": rng.choice(["majority", "supermajority", "unanimous"]),
        "supermajority": rng.choice([0.5, 2 / 3, 0.75, 1.0]),
        "veto": rng.random() < 0.4,
        "greenlight": rng.random() < 0.4,
        "quorum": rng.choice([0, 0, 1, 2, 3, 4]),
        "bar": rng.choice([None, None, 0.3, 0.5, 0.7]),
    }
    # Lukewarm panels (nobody at an extreme) are the interesting ones: make them common.
    middle = rng.random() < 0.4 and high - low >= 2
    cards = []
    for i in range(rng.randint(0, 7)):
        overall = rng.randint(low + 1, high - 1) if middle else rng.randint(low, high)
        criteria = [
            {
                "id": f"c{j}",
                "score": None if rng.random() < 0.15 else rng.randint(1, 4),
                "min": 1,
                "max": 4,
                "weight": rng.choice([0.5, 1.0, 2.0]),
            }
            for j in range(rng.randint(0, 3))
        ]
        cards.append({"interviewer": f"Interviewer {i}", "overall": overall, "criteria": criteria})
    document = {"scale": {"min": low, "max": high}, "strategy": strategy, "scorecards": cards}
    if kind == "manager" and rng.random() < 0.4:
        document["manager_decision"] = {
            "decision": rng.choice(["hire", "no_hire"]),
            "by": "Maria Manager",
            "rationale": "Fills the gap in causal work",
            "accepts_responsibility": True,
        }
    if kind == "committee":
        document["committee_votes"] = [
            {"member": f"Member {i}", "vote": rng.choice(["hire", "no_hire"])}
            for i in range(rng.randint(0, 4))
        ]
    return Case.model_validate(document)


def test_no_two_reasons_contradict_over_generated_panels():
    rng = random.Random(13)
    clashes = []
    forced_lukewarm = 0
    for _ in range(3000):
        case = random_case(rng)
        decision = decide(case)
        forced_lukewarm += decision.forced and "lukewarm" in decision.flags
        clashes += [(case, *clash) for clash in contradictions(decision.reasons)]
    assert forced_lukewarm > 100  # the generator reaches the panels that used to contradict
    assert not clashes, "\n".join(f"{name}: {a!r} vs {b!r}" for _, name, a, b in clashes[:5])


def test_the_contradiction_table_catches_what_it_names():
    """The checker itself: the sentences the engine used to print side by side under forcing."""
    bad = [
        "Extreme-score forcing is on: 5 of 5 scores moved to an extreme (an undecided score"
        " counts as no).",
        "Nobody scored an extreme: nobody is fighting for or against this candidate.",
    ]
    assert [name for name, _, _ in contradictions(bad)] == [
        "nobody scored an extreme / somebody is at an extreme"
    ]
    assert (
        contradictions(["Vote by a simple majority: 2 yes, 1 no, 0 undecided (abstaining)."]) == []
    )


def test_the_lean_moves_with_forcing():
    """Forcing moves scores as the opening's force map says, and the panel's lean, in words,
    shows it: by the book's default a weak no becomes the lowest score and a weak yes stays; with
    the every-extreme preset a weak yes becomes the highest score too."""
    cards = [
        {"interviewer": name, "overall": overall}
        for name, overall in (("Ana", 3), ("Bo", 3), ("Cy", 1), ("Di", 2), ("Ed", 2))
    ]
    every_extreme = Scale(0, 4).preset_map("all_extremes")
    assert every_extreme == {0: 0, 1: 0, 2: 0, 3: 4, 4: 4}

    def words(force: bool, force_map: dict[int, int] | None = None) -> str:
        strategy = {"kind": "manager", "force_extremes": force, "force_map": force_map}
        return lean(
            decide(Case(scale={"min": 0, "max": 4}, strategy=strategy, scorecards=cards))
        ).words

    assert words(False) == "Panel leans hire: 2 yes, 1 no, 2 undecided"
    assert words(True) == "Panel leans no hire: 2 yes, 3 strong no"
    assert words(True, every_extreme) == "Panel leans no hire: 2 strong yes, 3 strong no"
