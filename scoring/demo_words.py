"""The demo's shared words and team record, below both `scoring.demo` (the present candidates)
and `scoring.demo_history` (the year behind them): the words themselves are read from
scoring/demo.toml (names, what interviewers write, what a hiring manager gives as a reason); here
are the e-mail addresses made from names, the feedback put together from those words, and the
`DemoTeam` both build on. Kept apart so neither module imports the other."""

from __future__ import annotations

import random
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from scoring import openings, stages
from scoring.models.openings import Opening
from scoring.models.people import Person
from scoring.models.stages import Stage
from scoring.rubric import Criterion, Rubric
from scoring.scale import Scale
from scoring.store import Store


@dataclass(frozen=True)
class DemoLogin:
    """How one demo person signs in: their email and personal access code."""

    name: str
    email: str
    roles: tuple[str, ...]
    code: str


@dataclass
class DemoTeam:
    """The demo's people and openings, as `add_demo_candidate` needs them."""

    coordinator: Person
    interviewers: tuple[Person, ...]  # everyone with the interviewer role, hiring managers too
    people: dict[int, Person]
    openings: dict[str, Opening]  # "ds", "mle", "da"
    logins: list[DemoLogin]
    _rubrics: dict[str, Rubric] = field(default_factory=dict, repr=False)
    _processes: dict[int, tuple[Stage, ...]] = field(default_factory=dict, repr=False)

    def rubric(self, store: Store, rubric_hash: str) -> Rubric:
        """The frozen rubric a session is scored against (read once, then cached)."""
        if rubric_hash not in self._rubrics:
            with store.read() as db:
                self._rubrics[rubric_hash] = openings.rubric_snapshot(db, rubric_hash)
        return self._rubrics[rubric_hash]

    def process(self, store: Store, opening_id: int) -> tuple[Stage, ...]:
        """The opening's stages, frozen when it was created (read once, then cached)."""
        if opening_id not in self._processes:
            with store.read() as db:
                self._processes[opening_id] = stages.process(db, opening_id)
        return self._processes[opening_id]


# Every word of the demo, and its people, openings and plan, are data: scoring/demo.toml.
DATA = tomllib.loads(Path(__file__).with_name("demo.toml").read_text(encoding="utf-8"))
_WORDS = DATA["words"]
_HISTORY = DATA["history"]

FIRST_NAMES: tuple[str, ...] = tuple(DATA["first_names"])  # for candidates added without a name
LAST_NAMES: tuple[str, ...] = tuple(DATA["last_names"])
# Evidence notes per criterion: (strong, middling, weak). A binary criterion uses strong or weak.
NOTES: dict[str, tuple[str, str, str]] = {
    cid: (n["strong"], n["middling"], n["weak"]) for cid, n in DATA["notes"].items()
}
# Feedback openers by position on a 0..5 scale (rescaled for other scales).
OPENERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(_WORDS["openers"][str(level)]) for level in range(6)
)
MANAGER_RATIONALES: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _WORDS["manager_rationales"].items()
}
NOT_ASSESSED: tuple[str, ...] = tuple(_WORDS["not_assessed"])
RECUSALS: tuple[str, ...] = tuple(_WORDS["recusals"])
REVISIONS: tuple[str, ...] = tuple(_WORDS["revisions"])
EARLY: tuple[str, ...] = tuple(_WORDS["early"])
VOTE_NOTES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _WORDS["vote_notes"].items()}
FIRST_CALL: dict[str, str] = _WORDS["first_call"]
RECONSIDERED: dict[str, str] = _WORDS["reconsidered"]
SETTLED: dict[str, str] = _WORDS["settled"]
CONFIRMED: str = _WORDS["confirmed"]  # .format(kind=the strategy's kind)
RECONFIRMED: str = _WORDS["reconfirmed"]
# The year of history's words (scoring.demo_history).
CORRECTIONS: tuple[str, ...] = tuple(_HISTORY["corrections"])
AGAINST: dict[str, str] = _HISTORY["against"]
HISTORY_SETTLED: str = _HISTORY["settled"]
OFFER_ACCEPTED: str = _HISTORY["offer_accepted"]
OUTCOME_NOTES: dict[str, str | tuple[str, ...]] = {
    "left": _HISTORY["outcome_notes"]["left"],
    "stayed": tuple(_HISTORY["outcome_notes"]["stayed"]),
}


def email_of(name: str, domain: str) -> str:
    """A demo address made from a name: "Tomás Herrera" -> tomas.herrera@domain."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part.replace("'", "").replace("-", "") for part in ascii_name.lower().split())
    return f"{local}@{domain}"


def evidence_note(criterion: Criterion, score: int) -> str:
    """What an interviewer writes about `criterion` for `score`: its strong, middling or weak
    note (a plain sentence for a criterion the data file has no notes for)."""
    notes = NOTES.get(criterion.id)
    level = criterion.scale.normalise(score)
    index = 0 if level >= 0.67 else 1 if level >= 0.34 else 2
    if notes is None:
        name = criterion.name[0].lower() + criterion.name[1:]
        notes = (
            f"Strong on {name}, with specific examples.",
            f"Adequate on {name}; some prompting needed.",
            f"Weak on {name}.",
        )
    return notes[index]


def _sentence_case(text: str) -> str:
    """Lower-case the first letter for use after a colon, unless it starts an acronym."""
    return text if text[1:2].isupper() else text[0].lower() + text[1:]


def written_feedback(
    scored: list[tuple[float, Criterion, int]], overall: int, scale: Scale, rng: random.Random
) -> str:
    """One to three sentences: an opener for `overall`, maybe the best and the worst evidence
    among the `scored` criteria (normalised score, criterion, score)."""
    level = round(scale.normalise(overall) * 5)
    sentences = [rng.choice(OPENERS[level])]
    scored = sorted(scored, key=lambda item: item[0])
    extra = rng.choice((0, 1, 1, 2))
    if scored and extra and scored[-1][0] >= 0.67 and (level >= 3 or extra == 2):
        _, best, best_score = scored[-1]
        sentences.append(f"Best evidence: {_sentence_case(evidence_note(best, best_score))}")
    if scored and extra and scored[0][0] < 0.67 and (level <= 2 or extra == 2):
        norm, worst, worst_score = scored[0]
        lead = "Main concern" if norm < 0.34 else "Could be stronger"
        sentences.append(f"{lead}: {_sentence_case(evidence_note(worst, worst_score))}")
    return " ".join(sentences)
