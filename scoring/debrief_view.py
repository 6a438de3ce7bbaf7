"""What the debrief is made of: the records it reads (decisions, votes), what the hiring manager
may record, the frame before it opens (`DebriefStatus`) and the open debrief itself (`Debrief`):
one frozen object, read from one snapshot, that the page and every export render.

Nothing here reads the database (`scoring.debrief_panel` does); everything here is words and
arithmetic over what was read.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring import adjusted, uncertainty
from scoring.case import Verdict
from scoring.engine import OUTCOME_WORDS, Decision, lean
from scoring.models.decisions import DecisionRecord, VoteRecord
from scoring.models.openings import Opening
from scoring.models.questions import CheatingFlag
from scoring.models.scorecards import Scorecard
from scoring.models.status import SeatStatus
from scoring.rubric import Question, Rubric

STRATEGY_KINDS = ("manager", "vote", "committee")


@dataclass(frozen=True)
class Recordable:
    """What the hiring manager may record now, as the opening's strategy allows it."""

    verdicts: tuple[Verdict, ...]  # () when there is nothing to record yet
    reason_required: bool
    responsibility_required: bool
    prompt: str  # what the strategy asks of the hiring manager, in one sentence
    rule: str = ""  # whose vote decides, in words ("The committee's vote"); vote and committee


_WHOSE_VOTE = {"vote": "The panel's vote", "committee": "The committee's vote"}


def recordable(kind: str, rule: Decision) -> Recordable:
    """The verdicts a strategy lets the hiring manager record, given what its rule says
    (under the opening's own forcing setting):

    - manager: hire or no hire, with a rationale and accepted responsibility (L1313);
    - vote and committee: the rule's hire or no hire, confirmed; a tie or conflict
      (needs_discussion) is settled either way with a recorded reason; otherwise nothing yet."""
    if kind == "manager":
        return Recordable(
            ("hire", "no_hire"), True, True, "The panel gives advice and consent; you decide."
        )
    words = OUTCOME_WORDS[rule.outcome]
    if rule.outcome in ("hire", "no_hire"):
        return Recordable(
            (rule.outcome,),
            False,
            False,
            f"{_WHOSE_VOTE[kind]} says {words.lower()}. Record it as the decision.",
            _WHOSE_VOTE[kind],
        )
    if rule.outcome == "needs_discussion":
        return Recordable(
            ("hire", "no_hire"), True, False, "The panel needs discussion. Settle it and say why."
        )
    return Recordable((), False, False, f"Nothing to record yet: {words.lower()}.")


@dataclass(frozen=True)
class DebriefStatus:
    """A candidate's debrief before any score: who is in, whether it is open, and what the
    actor may do here. Everything the page needs to decide what to show is in here."""

    candidate_id: int
    candidate: str
    opening: Opening
    seats: list[SeatStatus]
    is_open: bool
    may_open: bool  # the actor may open the debrief now
    early: bool  # opening now would be early: a reason is required
    hidden: str | None  # why the actor may not see the panel now (None: they may)

    @property
    def active(self) -> list[SeatStatus]:
        """Seats that count (not recused)."""
        return [s for s in self.seats if s.state != "recused"]

    @property
    def missing(self) -> list[SeatStatus]:
        """Seats still without a submitted scorecard."""
        return [s for s in self.active if s.submitted_at is None]


def applicable_strategies(opening: Opening) -> tuple[str, ...]:
    """The strategies that can decide for this opening: every opening has a hiring manager and
    a panel; only an opening with committee members can go to a committee (its own strategy
    is always listed)."""
    return tuple(
        k
        for k in STRATEGY_KINDS
        if k == opening.strategy.kind or k != "committee" or opening.committee_ids
    )


def outcome_words(result: Decision) -> str:
    """An engine outcome in words; while the hiring manager has not decided, the panel's lean
    instead (the manager decides on its advice, and the advice is what the room needs to see)."""
    if result.outcome == "awaiting_manager":
        return lean(result).words
    return OUTCOME_WORDS[result.outcome]


def committee_count(cast: int, members: int, blind: bool) -> str:
    """How many of the committee have voted, in a sentence. The number of votes cast may be
    shown to a member who has not voted yet; which way they went may not (`blind`)."""
    counted = f"{cast} of {members} member{'s' if members != 1 else ''}"
    verb = "has" if cast == 1 else "have"
    if blind:
        return f"{counted} {verb} voted; you will see their votes after yours."
    return f"{counted} {verb} voted."


@dataclass(frozen=True)
class Preview:
    """One strategy that can apply to the opening, on raw and on forced scores."""

    kind: str
    raw: Decision
    forced: Decision
    chosen: bool  # the opening's own strategy

    @property
    def flips(self) -> bool:
        """Does forcing change this strategy's outcome?"""
        return self.raw.outcome != self.forced.outcome


@dataclass(frozen=True)
class Headline:
    """The debrief's headline: what the room reads first. `tone` is an outcome ("hire",
    "no_hire", ...) for the colour."""

    text: str
    tone: str
    detail: str  # one line under it: which scores it is on, and who decides


# ----------------------------------------------------------------------------- a scorecard's marks


@dataclass(frozen=True)
class Mark:
    """One thing a hiring manager must see about a scorecard, beside its scores: `kind` is
    "late", "revised" or "after_reveal"; `words` what every rendering says."""

    kind: str
    words: str


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def marks_of(history: list[Scorecard]) -> tuple[Mark, ...]:
    """A scorecard's marks from its whole history (oldest revision first, the last in force).

    - late: first submitted more than the opening's overdue hours after the session;
    - revised: corrected after it was submitted;
    - after_reveal: ANY revision was made when its author could already see others' scores.
      Not only the latest: a correction made after seeing the others stays a fact the hiring
      manager must know, even when a later revision (made, say, while a new seat was still
      open) could not see them. The product's rule: "a revision made after its author could
      see others' scores is flagged on the debrief and in the export"."""
    card = history[-1]
    found = []
    if card.late:
        found.append(Mark("late", f"late: {card.hours_after_session:.0f} h after the session"))
    if card.revision > 1:
        found.append(Mark("revised", f"corrected {times(card.revision - 1)}"))
    if any(r.saw_others for r in history):
        found.append(Mark("after_reveal", "revised after seeing others' scores"))
    return tuple(found)


@dataclass(frozen=True)
class PanelCard:
    """One scorecard of the panel as every rendering shows it: the revision in force, its
    history (oldest first, the last is `card`), the label the engine knows its author by, the
    frozen rubric it was scored against, and its marks."""

    card: Scorecard
    history: tuple[Scorecard, ...]
    label: str
    rubric: Rubric
    marks: tuple[Mark, ...]

    @property
    def mark_kinds(self) -> tuple[str, ...]:
        """The marks' kinds, in order ("late", "revised", "after_reveal")."""
        return tuple(m.kind for m in self.marks)

    @property
    def mark_words(self) -> list[str]:
        """The marks in words."""
        return [m.words for m in self.marks]


@dataclass(frozen=True)
class Debrief:
    """The open debrief of one candidate as one person may see it, read from one snapshot
    (`scoring.debrief.debrief`): panel, marks, outcomes, reasons, decisions, votes and what the
    charts draw. The page, the Markdown/HTML/PDF/JSON summaries render it; none reads again."""

    status: DebriefStatus
    scorecards: list[Scorecard]
    result: Decision  # the opening's strategy, forcing as asked
    raw: Decision  # the same without forcing
    forced: Decision  # the same with forcing
    rule: Decision  # the same with the opening's own forcing setting: what decides
    what_if: dict[str, Decision]  # each strategy that can apply, on the same scores
    previews: list[Preview]  # each strategy that can apply, raw and forced
    opened_at: datetime
    opened_by: str
    early_reason: str | None
    frozen: dict[str, Any]  # the engine's result when the debrief opened
    decisions: list[DecisionRecord]
    votes: list[VoteRecord]  # empty while `votes_hidden`
    votes_hidden: str | None  # why the committee's votes are not shown to the actor
    own_vote: VoteRecord | None
    votes_cast: int  # members who have voted: a number anyone at the debrief may see
    committee_size: int
    may_decide: bool
    may_vote: bool  # cast or change one's vote
    recordable: Recordable | None  # None unless `may_decide`
    # The raw weighted score with its 95% interval, the panel-size advice and "too close to
    # call" (`scoring.uncertainty`); None when no criterion was assessed.
    score_interval: uncertainty.ScoreInterval | None = None
    # The second reading, leniency-adjusted, beside the raw one and never instead of it
    # (`scoring.adjusted`); None for a viewer who may not see the opening's score figures.
    leniency_adjusted: adjusted.AdjustedReading | None = None
    # Each scorecard of `scorecards` with its history, label, rubric and marks, in panel order.
    cards: tuple[PanelCard, ...] = ()
    anonymised: bool = False  # the viewer sees the candidate's alias, not the name
    # Suspected cheating flagged by the panel's interviewers, with their evidence: recorded
    # facts shown beside the panel, never a score (issue 27, L1987).
    cheating_flags: tuple[CheatingFlag, ...] = ()
    # The questions drawn for each seat (by assignment id, then criterion id).
    asked: dict[int, dict[str, Question]] = dataclasses.field(default_factory=dict)

    @property
    def candidate_id(self) -> int:
        """The candidate."""
        return self.status.candidate_id

    @property
    def candidate(self) -> str:
        """The candidate's name, or the alias where the actor may not see the name."""
        return self.status.candidate

    @property
    def opening(self) -> Opening:
        """The candidate's opening."""
        return self.status.opening

    @property
    def final(self) -> DecisionRecord | None:
        """The decision in force: the latest one."""
        return self.decisions[-1] if self.decisions else None

    @property
    def frozen_lean(self) -> Verdict | None:
        """Where the panel stood when the debrief opened: the frozen outcome when it was a
        hire or no hire, else the panel's majority then (None when it was tied)."""
        if self.frozen["outcome"] in ("hire", "no_hire"):
            return self.frozen["outcome"]
        yes, no = self.frozen["tally"]["yes"], self.frozen["tally"]["no"]
        return "hire" if yes > no else "no_hire" if no > yes else None

    @property
    def blind_to_votes(self) -> bool:
        """A committee member who has not voted yet: the others' votes are hidden from them,
        and so is everything that follows from those votes."""
        return self.opening.strategy.kind == "committee" and self.votes_hidden is not None

    @property
    def committee_count(self) -> str:
        """'2 of 3 members have voted' (and, to a member who has not, that theirs comes
        first); empty unless the committee decides."""
        if self.opening.strategy.kind != "committee":
            return ""
        return committee_count(self.votes_cast, self.committee_size, self.blind_to_votes)

    @property
    def headline(self) -> Headline:
        """The outcome under the opening's strategy, forcing as asked. While the hiring manager
        has not decided, "Awaiting the hiring manager" tells the room nothing: the panel's lean
        is the headline, and the decision is named as the manager's. A committee member who
        has not voted reads that their vote is awaited, with how many are in, never which
        way they went."""
        result = self.result
        scores = "Forced extremes" if result.forced else "Raw scores"
        if self.blind_to_votes and result.outcome == "awaiting_committee":
            return Headline("Awaiting your vote", "awaiting_committee", self.committee_count)
        if result.outcome != "awaiting_manager":
            return Headline(OUTCOME_WORDS[result.outcome], result.outcome, scores)
        panel = lean(result)
        who = "your decision" if self.may_decide else "the hiring manager decides"
        tone = panel.verdict or "needs_discussion"
        return Headline(
            f"{panel.words} — {who}", tone, f"{scores} · the panel gives advice and consent"
        )

    @property
    def standing(self) -> str:
        """Where the panel stood when the debrief opened, in one sentence."""
        tally = self.frozen["tally"]
        counts = f"{tally['yes']} yes, {tally['no']} no, {tally['undecided']} undecided"
        outcome = self.frozen["outcome"]
        if outcome in ("hire", "no_hire"):
            return f"When the debrief opened the panel said {OUTCOME_WORDS[outcome]}: {counts}."
        stood = self.frozen_lean
        if stood is None:
            return f"When the debrief opened the panel had no lean: {counts}."
        return (
            f"When the debrief opened the panel leaned {OUTCOME_WORDS[stood].lower()}: {counts}"
            f" ({OUTCOME_WORDS[outcome].lower()})."
        )

    @property
    def changed_since_opening(self) -> bool:
        """Does the decision in force go against where the panel stood at opening?"""
        lean = self.frozen_lean
        return self.final is not None and lean is not None and self.final.outcome != lean

    @property
    def flipped_by_forcing(self) -> list[str]:
        """Interviewers whose position changes when scores are forced to the extremes."""
        return [
            raw.interviewer
            for raw, forced in zip(self.raw.positions, self.forced.positions, strict=True)
            if raw.position != forced.position
        ]

    @property
    def rubrics(self) -> dict[str, Rubric]:
        """The frozen rubrics the panel scored against, by content hash."""
        return {c.card.rubric_hash: c.rubric for c in self.cards}

    @functools.cached_property
    def criteria(self):
        """The charts' data: one row per interviewer and criterion, raw points
        (`analysis.criterion_frame`), computed once however many renderings draw it."""
        from scoring import analysis  # pandas loads where a chart is drawn

        return analysis.criterion_frame(
            [c.card for c in self.cards], self.rubrics, [c.label for c in self.cards]
        )


DebriefView = Debrief  # the old name
