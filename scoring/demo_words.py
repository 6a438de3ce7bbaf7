"""The demo's shared words and team record, below both `scoring.demo` (the present candidates)
and `scoring.demo_history` (the year behind them): names, what interviewers write, what a hiring
manager gives as a reason, the e-mail addresses made from names, and the `DemoTeam` both build on.
Kept apart so neither module imports the other."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from scoring import openings
from scoring.opening_record import Opening
from scoring.permissions import Person
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

    def rubric(self, store: Store, rubric_hash: str) -> Rubric:
        """The frozen rubric a session is scored against (read once, then cached)."""
        if rubric_hash not in self._rubrics:
            with store.read() as db:
                self._rubrics[rubric_hash] = openings.rubric_snapshot(db, rubric_hash)
        return self._rubrics[rubric_hash]


# For candidates a benchmark adds without a name.
_FIRST_NAMES = (
    "Adam", "Beatriz", "Chen", "Dara", "Elif", "Farah", "Gabriel", "Hiro", "Ines", "Jamal",
    "Katarina", "Liam", "Mariam", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Stefan", "Tara",
    "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zofia",
)  # fmt: skip


_LAST_NAMES = (
    "Abara", "Bianchi", "Castillo", "Dimitrov", "Eriksen", "Fernandes", "Gupta", "Hansen",
    "Ibrahim", "Jensen", "Kowalski", "Lopez", "Murphy", "Nakamura", "Okonkwo", "Park", "Quist",
    "Romano", "Singh", "Thompson", "Usman", "Varga", "Wong", "Young", "Zhou",
)  # fmt: skip


# Evidence notes per criterion: (strong, middling, weak). A binary criterion uses strong or weak.
_NOTES: dict[str, tuple[str, str, str]] = {
    # presentation
    "project-structure": (
        "Walked through problem, data, approach and results in order, then tied the result back"
        " to the churn goal.",
        "Clear problem statement and approach; how success was measured only came out in Q&A.",
        "Jumped straight into model details; the panel had to ask what problem it solved.",
    ),
    "solution-design": (
        "Justified gradient boosting over logistic regression on an explicit accuracy versus"
        " interpretability trade-off.",
        "Gave reasons for the model choice but not for the evaluation metric.",
        "Could not say why this model was chosen beyond 'it is what we used'.",
    ),
    "qa-depth": (
        "Answered every 'what if' question with specifics, e.g. how the approach changes with a"
        " tenth of the data.",
        "Handled most questions; got vague on how the features would change under a new"
        " constraint.",
        "Several answers stayed at the surface and did not survive a follow-up question.",
    ),
    "technical-communication": (
        "Explained the bias-variance trade-off with a concrete example from the project.",
        "Results explained correctly, though the calibration plot needed a second pass.",
        "Mixed up precision and recall when explaining the headline result.",
    ),
    "audience-adaptation": (
        "Checked the panel's background early and re-pitched when the product manager asked a"
        " basic question.",
        "Slowed down when asked, but did not check what the panel already knew.",
        "Kept the same level of detail even after two questions showed the panel was lost.",
    ),
    "own-contribution-clear": (
        "Made their own part clear: built the features and the model, a colleague deployed it.",
        "Said which parts were their own once asked.",
        "Never said which parts of the project were their own work, even when asked.",
    ),
    # ds-technical
    "statistics-probability": (
        "Set up the A/B test correctly and named non-independent sessions as the way it breaks.",
        "Correct hypothesis test after one hint; unsure on the follow-up about sample size.",
        "Confused the p-value with the probability that the hypothesis is true.",
    ),
    "ml-methods": (
        "Explained overfitting and cross-validation, and compared random forests with a linear"
        " model on interpretability.",
        "Explained regularisation well but needed a hint on the metric for imbalanced classes.",
        "Could not explain how a decision tree chooses a split.",
    ),
    "data-handling": (
        "Checked row counts before and after the join and found the duplicated customer ids"
        " unprompted.",
        "Spotted the missing values and duplicates; did not say how to check the cleaned table.",
        "Would drop every row with a missing value without asking why it is missing.",
    ),
    "role-specific-skill": (
        "Flagged leakage from a random split of the time series and proposed a rolling-origin"
        " evaluation.",
        "Reasonable forecasting approach; missed the weekly seasonality in the follow-up.",
        "Proposed a random train/test split for a forecasting problem.",
    ),
    "reasoning-and-candour": (
        "Stated assumptions out loud and corrected their own slip on the variance formula"
        " unprompted.",
        "Mostly reasoned out loud; bluffed once on the bootstrap question.",
        "Guessed confidently rather than saying what they would check.",
    ),
    # coding
    "problem-solving": (
        "Planned the approach before typing, had the base case in 15 minutes and the extension"
        " nearly done.",
        "Base case working with one counted hint; ran out of time on the extension.",
        "Needed three hints and did not get the base case working.",
    ),
    "runs-without-error": (
        "Final code ran cleanly on all three example inputs.",
        "Final code ran on the example inputs after a last-minute fix.",
        "Final code raised a KeyError on the second example input.",
    ),
    "legibility": (
        "Small, well-named functions with a docstring on the one tricky part.",
        "Readable overall, but one long function mixes parsing and aggregation.",
        "Single-letter names and leftover debugging prints made it hard to follow.",
    ),
    "idiomatic-style": (
        "Idiomatic Python: comprehensions, collections.Counter and pathlib where natural.",
        "Mostly idiomatic; a few manual index loops where a comprehension would do.",
        "Reimplemented built-ins by hand and mixed naming styles.",
    ),
    "efficiency": (
        "Stated the O(n log n) cost unprompted and swapped the nested loop for a dict lookup.",
        "Fine for the input size; needed a prompt to state the complexity.",
        "Quadratic scan for every query and no idea how to improve it.",
    ),
    # stakeholders
    "explains-to-non-specialists": (
        "Explained what the churn model's precision means for the sales team in plain terms and"
        " checked it landed.",
        "Plain-language explanation, though it drifted into jargon about AUC.",
        "Explained everything in modelling jargon; the stakeholders had to ask twice.",
    ),
    "clarifies-stakeholder-needs": (
        "Asked who acts on the forecast and what a wrong call costs before proposing anything.",
        "Asked about the goal but not how success would be judged.",
        "Jumped to a solution before understanding the request.",
    ),
    "business-context": (
        "Related their retention work to our subscription model and asked a sharp question about"
        " pricing.",
        "Talked about who used their work, less about what changed for the business.",
        "Described their projects purely technically, with no word on impact.",
    ),
    "collaboration-and-professionalism": (
        "Listened well, built on the operations manager's experience and handled pushback calmly.",
        "Professional throughout; a little defensive when challenged on timelines.",
        "Talked over the stakeholders and dismissed the finance lead's concern.",
    ),
    # ml-engineering
    "requirements-and-slas": (
        "Proposed concrete service levels: scores in the CRM by 06:00, p99 latency under 200 ms.",
        "Asked about batch versus online and volume, but did not turn them into service levels.",
        "Went straight to architecture without asking who consumes the scores.",
    ),
    "system-design": (
        "Chose precomputed nightly scores over on-demand serving and explained the trade-off and"
        " the failure points.",
        "Workable architecture; scaling and failure points only came up when prompted.",
        "Design missed the latency requirement and had no handling of model artefacts.",
    ),
    "data-pipelines": (
        "Shared feature code between training and serving to avoid skew; jobs are rerunnable.",
        "Scheduled pipelines with basic data-quality checks; training/serving skew not addressed.",
        "Kept the one-off CSV export and a manual retraining step.",
    ),
    "monitoring-and-operations": (
        "Tied a monitored drift metric to the business KPI and allowed for labels arriving late.",
        "Monitors system health and input drift; who gets the alert is unclear.",
        "No monitoring beyond 'check the dashboard now and then'.",
    ),
    "productionizing-code": (
        "Tests, pinned dependencies and CI gating the release, with the data snapshot versioned"
        " alongside the code.",
        "Would package the notebook with tests; nothing on releases or reproducibility.",
        "Would schedule the notebook as it is.",
    ),
    "safe-rollout": (
        "Described a shadow deployment against the current model with a clear rollback path.",
        "Mentioned an A/B test for the new model once prompted.",
        "No plan for comparing the new model online or rolling back.",
    ),
    # analytics-sql
    "query-correctness": (
        "Used a CTE and a window function for 7-day retention and checked the intermediate counts.",
        "Correct joins and aggregation after fixing a grain mistake.",
        "Joined orders to customers at the wrong grain and double-counted revenue.",
    ),
    "data-quality": (
        "Found the duplicated orders, the missing day and the mismatch with finance_daily_revenue.",
        "Found the duplicates and the NULLs; missed the day with no data.",
        "Took the raw table at face value.",
    ),
    "metric-definition": (
        "Defined conversion with numerator, denominator and window, and tied the choice to the"
        " pricing decision.",
        "Precise definition, but no alternatives considered.",
        "The metric stayed vague ('people who bought').",
    ),
    "dashboard-presentation": (
        "Sketched three views with a baseline and the 1 March price change marked.",
        "Sensible charts, but no target or baseline to act on.",
        "Proposed one large table with every column.",
    ),
    "business-interpretation": (
        "Plain-language answer with the supporting number, an honest caveat about causality and"
        " a holdout as the next step.",
        "Clear answer with the number; caveats only when prompted.",
        "Claimed the price change caused the drop, with no caveat.",
    ),
    "answer-matches-key": (
        "Final query reproduces the answer key's numbers.",
        "Final query matches the key after one correction.",
        "Final query returns totals that do not match the answer key.",
    ),
    # take-home-review
    "runs-as-submitted": (
        "Ran end to end from the README on the provided data.",
        "Ran after following the README closely.",
        "Failed on a hard-coded local path; needed an edit to run.",
    ),
    "sound-analysis": (
        "Sound methods throughout, checked against a simple baseline and a holdout.",
        "Methods appropriate; one conclusion rests on an unchecked assumption.",
        "Compared means of heavily skewed revenue with a t-test and drew strong conclusions.",
    ),
    "scoping-and-structure": (
        "Explained the choice to focus on retention and reused the cleaning steps across parts.",
        "Reasonable scope, but the parts read as separate scripts.",
        "Attempted everything superficially with no stated plan.",
    ),
    "questions-the-data": (
        "Questioned the refund rows and asked the data owner a concrete question about them.",
        "Noted the outliers but did not state any assumptions.",
        "Took the data at face value and missed the duplicated export.",
    ),
    "code-legibility": (
        "Clear functions with inputs and outputs; comments say why, not what.",
        "Readable notebook with some repeated cells.",
        "Long notebook of copy-pasted cells with no structure.",
    ),
    "results-write-up": (
        "Answers each question with evidence and states the main limitation of each conclusion.",
        "Answers stated with evidence; limitations missing.",
        "The write-up lists charts without answering the questions.",
    ),
}


# Feedback openers by position on a 0..5 scale (rescaled for other scales).
_OPENERS = (
    (
        "Strong no: could not get going on the core problem, even with hints.",
        "Strong no: several answers did not hold up under follow-up.",
    ),
    ("No: struggled with the core of the session.", "No: not ready for this role yet."),
    (
        "Leaning no: some good moments, but too many gaps for this level.",
        "Leaning no: needed more help than I would like.",
    ),
    (
        "Leaning yes: sound on the essentials, but nothing stood out.",
        "Leaning yes, with some reservations.",
    ),
    ("Yes: solid across the board, with no real gaps.", "Yes: would be a good addition."),
    (
        "Strong yes: one of the best sessions I have run this year.",
        "Strong yes: I would fight to hire this person.",
    ),
)


_MANAGER_RATIONALES = {
    "hire": (
        "Strong, consistent panel; the technical and coding sessions show exactly the skills the"
        " team lacks.",
        "The panel is in favour and the evidence backs it: sound statistics and clear"
        " communication with stakeholders.",
    ),
    "no_hire": (
        "Nobody on the panel was fighting for this candidate; a lukewarm hire is a no.",
        "The gaps are in core skills we cannot train in time for this role.",
    ),
}


def _email(name: str, domain: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part.replace("'", "").replace("-", "") for part in ascii_name.lower().split())
    return f"{local}@{domain}"


def _note(criterion: Criterion, score: int) -> str:
    notes = _NOTES.get(criterion.id)
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


def _feedback(
    scored: list[tuple[float, Criterion, int]], overall: int, scale: Scale, rng: random.Random
) -> str:
    """One to three sentences: an opener for `overall`, maybe the best and the worst evidence
    among the `scored` criteria (normalised score, criterion, score)."""
    level = round(scale.normalise(overall) * 5)
    sentences = [rng.choice(_OPENERS[level])]
    scored = sorted(scored, key=lambda item: item[0])
    extra = rng.choice((0, 1, 1, 2))
    if scored and extra and scored[-1][0] >= 0.67 and (level >= 3 or extra == 2):
        _, best, best_score = scored[-1]
        sentences.append(f"Best evidence: {_sentence_case(_note(best, best_score))}")
    if scored and extra and scored[0][0] < 0.67 and (level <= 2 or extra == 2):
        norm, worst, worst_score = scored[0]
        lead = "Main concern" if norm < 0.34 else "Could be stronger"
        sentences.append(f"{lead}: {_sentence_case(_note(worst, worst_score))}")
    return " ".join(sentences)
