"""Who may see and do what: every rule of the product's people table, in one table.

Modelled on datasette's permissions. Each named action (`ACTIONS`) is a pure function of the acting
person (`actor`) and a resource; `may(actor, action, resource)` answers, `why_not` says why not, and
`ensure` raises `NotAllowed` with that reason. The service loads the actor as the database knows
them *now* (`current`) and the resource's facts (`organisation`, `opening_facts`,
`candidate_facts` or, for a page of rows, `candidates_facts`; `seat_facts`) inside its unit of
work, then asks; pages ask the service, whose views carry what the actor may do. No other
module decides who may do what.

Two kinds of rule make up every action:

- **Powers come from current roles and memberships together.** The hiring manager of an opening
  acts as one only while they still hold the `hiring_manager` role; a committee member of an
  opening only while they hold `committee_member`; an interviewer scores and reads others'
  scorecards only while they hold `interviewer`. A role removed, or the person deactivated, takes
  effect on the next call, in every browser session and on the command line.
- **One restriction overrides every power (blind scoring).** A person with an unsubmitted,
  unrecused seat on a candidate sees nothing derived from anyone else's judgement of that
  candidate (scores, outcome, decision, rationale, votes), whatever other role they hold, until
  their own scorecard is in. Committee votes are blind the same way: a member sees the others'
  votes only after casting their own (or once the decision is recorded).

`python -m scoring permissions` prints the matrix of every action over the role combinations
that occur and the stages of a candidate's day (the README shows it; a test keeps it current).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scoring import permission_funnel as funnel
from scoring import permission_privacy as privacy
from scoring.errors import NotAllowed
from scoring.permission_facts import (  # noqa: F401 - the facts the rules read, importable from here as before
    OWN_FIRST,
    ROLE_TITLES,
    ROLES,
    SCREENS,
    CandidateFacts,
    OpeningFacts,
    Organisation,
    Person,
    Screen,
    Seat,
    SeatFacts,
    StageFacts,
    StageSeat,
    StageSeatFacts,
    _committee,
    candidate_facts,
    candidates_facts,
    current,
    opening_facts,
    organisation,
    seat_facts,
    stage_facts,
    stage_seat_facts,
)

# --------------------------------------------------------------------------- the table itself

Rule = Callable[[Person, Any], str | None]


@dataclass(frozen=True)
class Action:
    """A named thing someone may do to a kind of resource, and the rule that says who."""

    name: str
    resource: type
    summary: str
    rule: Rule
    anonymous: bool = False  # asked before anyone has signed in


ACTIONS: dict[str, Action] = {}


def _action(name: str, resource: type, summary: str, *, anonymous: bool = False):
    def register(rule: Rule) -> Rule:
        ACTIONS[name] = Action(name, resource, summary, rule, anonymous)
        return rule

    return register


from scoring.permission_facts import INACTIVE, SIGN_IN  # noqa: E402


def why_not(actor: Person | None, action: str, resource: Any) -> str | None:
    """None when `actor` may do `action` to `resource` now; otherwise the reason, in words."""
    entry = ACTIONS[action]
    if not isinstance(resource, entry.resource):
        raise TypeError(f"{action} applies to {entry.resource.__name__}, not {resource!r}")
    if not entry.anonymous:
        if actor is None:
            return SIGN_IN
        if not actor.active:
            return INACTIVE
    return entry.rule(actor, resource)


def may(actor: Person | None, action: str, resource: Any) -> bool:
    """May `actor` do `action` to `resource` now?"""
    return why_not(actor, action, resource) is None


def ensure(actor: Person | None, action: str, resource: Any) -> None:
    """Raise NotAllowed (saying why) unless `actor` may do `action` to `resource` now."""
    refusal = why_not(actor, action, resource)
    if refusal is not None:
        raise NotAllowed(refusal)


# ------------------------------------------------------------------ powers, from current roles


def _coordinates(actor: Person) -> bool:
    return actor.has("coordinator")


def _manages(actor: Person, opening: OpeningFacts) -> bool:
    return actor.has("hiring_manager") and actor.id == opening.hiring_manager_id


def _sits(actor: Person, opening: OpeningFacts) -> bool:
    return actor.has("committee_member") and actor.id in opening.committee_ids


def _interviews(actor: Person, facts: CandidateFacts) -> bool:
    return actor.has("interviewer") and facts.has_seat(actor.id)


def _roles(*roles: str) -> str:
    words = [ROLE_TITLES[r].lower() for r in roles]
    return " or ".join(words)


# ------------------------------------------------------------------------------- organisation


@_action(
    "start_organisation",
    Organisation,
    "Create the first coordinator of an empty Debrief",
    anonymous=True,
)
def _start_organisation(actor: Person | None, org: Organisation) -> str | None:
    if org.has_people:
        return "Debrief already has people: ask a coordinator to add you."
    return None


@_action("manage_people", Organisation, "Add people, change roles, issue codes, deactivate")
def _manage_people(actor: Person, org: Organisation) -> str | None:
    return None if _coordinates(actor) else "Only a coordinator can do this."


@_action("see_people", Organisation, "See the directory of people (names, emails, roles)")
def _see_people(actor: Person, org: Organisation) -> str | None:
    return None if _coordinates(actor) else "Only a coordinator sees the directory of people."


@_action(
    "see_own_calibration",
    Organisation,
    "How one scores compared with one's co-interviewers (one's own row only)",
)
def _see_own_calibration(actor: Person, org: Organisation) -> str | None:
    return None if actor.has("interviewer") else "Only an interviewer has a calibration."


@_action("create_opening", Organisation, "Create an opening from a loop template")
def _create_opening(actor: Person, org: Organisation) -> str | None:
    return None if _coordinates(actor) else "Only a coordinator can do this."


@_action("use_screen", Screen, "Open a screen of the app")
def _use_screen(actor: Person, screen: Screen) -> str | None:
    roles = SCREENS[screen.name]
    if any(actor.has(role) for role in roles):
        return None
    return f"This page is for a {_roles(*roles)}."


# -------------------------------------------------------------------------------- an opening


@_action("see_opening", OpeningFacts, "See an opening's settings and pick it in a list")
def _see_opening(actor: Person, opening: OpeningFacts) -> str | None:
    if _coordinates(actor) or _manages(actor, opening) or _sits(actor, opening):
        return None
    if actor.has("interviewer") and opening.actor_interviews:
        return None
    return "This opening is not one of yours."


@_action("manage_opening", OpeningFacts, "Add candidates, import a CSV, schedule the day")
def _manage_opening(actor: Person, opening: OpeningFacts) -> str | None:
    return None if _coordinates(actor) else "Only a coordinator can do this."


@_action("see_candidates", OpeningFacts, "List an opening's candidates")
def _see_candidates(actor: Person, opening: OpeningFacts) -> str | None:
    if _coordinates(actor) or _manages(actor, opening) or _sits(actor, opening):
        return None
    return "Only the coordinator, the opening's hiring manager and committee see this list."


@_action("see_opening_status", OpeningFacts, "The Status page of an opening (no scores)")
def _see_opening_status(actor: Person, opening: OpeningFacts) -> str | None:
    if _coordinates(actor) or _manages(actor, opening):
        return None
    return "Only the coordinator and the opening's hiring manager see its status."


@_action("see_debriefs", OpeningFacts, "The opening's pipeline and debrief day view")
def _see_debriefs(actor: Person, opening: OpeningFacts) -> str | None:
    if _manages(actor, opening) or _sits(actor, opening):
        return None
    return "The debrief is for the opening's hiring manager and committee."


@_action("export_decisions", OpeningFacts, "Export the opening's decisions (CSV/JSON)")
def _export_decisions(actor: Person, opening: OpeningFacts) -> str | None:
    if _coordinates(actor) or _manages(actor, opening) or _sits(actor, opening):
        return None
    return "Decisions are exported by coordinators and the opening's hiring manager and committee."


@_action("export_scores", OpeningFacts, "Export the opening's scorecards (CSV/JSON)")
def _export_scores(actor: Person, opening: OpeningFacts) -> str | None:
    if _manages(actor, opening) or _sits(actor, opening):
        return None
    return "Scorecards are exported only by the opening's hiring manager and committee."


# Insights come in two kinds. Process figures are worked out from decisions and dates alone
# (hire rate, days to decision, time to submit, hires who stayed): what a coordinator reads on
# Decisions and Status anyway. Score figures are worked out from scores (agreement, scale use,
# each interviewer's calibration, what discussion and forcing changed against the panel's
# outcome, the what-if, thresholds, what predicted good hires). An aggregate over a small or
# changing set of scorecards is a score: subtract two readings and the newest one comes out. So
# score figures are the opening's hiring manager's alone (who sees every score of the opening
# once its debrief is open), and a candidate counts in them only where the person may see that
# candidate's scores (`count_in_score_figures`).


@_action(
    "see_insights",
    OpeningFacts,
    "The opening's insights: process figures from decisions and dates (hire rate, days to"
    " decision, time to submit, hires who stayed)",
)
def _see_insights(actor: Person, opening: OpeningFacts) -> str | None:
    if _coordinates(actor) or _manages(actor, opening):
        return None
    return "Only the coordinator and the opening's hiring manager see its insights."


SCORE_FIGURES_FOR_MANAGERS = (
    "Score figures are for hiring managers: a coordinator sees the decisions and how long they"
    " took, never figures worked out from scores."
)


@_action(
    "see_score_figures",
    OpeningFacts,
    "The opening's figures from scores: agreement, scale use, each interviewer's calibration,"
    " what discussion and forcing changed, the what-if, thresholds, what predicted good hires",
)
def _see_score_figures(actor: Person, opening: OpeningFacts) -> str | None:
    if _manages(actor, opening):
        return None
    if _coordinates(actor):
        return SCORE_FIGURES_FOR_MANAGERS
    return "Only the opening's hiring manager sees figures worked out from its scores."


# ------------------------------------------------------------------------------- a candidate


@_action("see_candidate", CandidateFacts, "See that the candidate exists (name or alias)")
def _see_candidate(actor: Person, facts: CandidateFacts) -> str | None:
    o = facts.opening
    if _coordinates(actor) or _manages(actor, o) or _sits(actor, o) or _interviews(actor, facts):
        return None
    return "This candidate is not on any of your openings or interviews."


@_action("see_name", CandidateFacts, "See the candidate's name (not only the alias)")
def _see_name(actor: Person, facts: CandidateFacts) -> str | None:
    refusal = _see_candidate(actor, facts)
    if refusal or not facts.anonymise:
        return refusal
    # Anyone who scores the candidate or sits on the committee sees only the alias.
    if facts.has_seat(actor.id):
        return "This opening is anonymised: its interviewers see only the alias."
    if _coordinates(actor) or _manages(actor, facts.opening):
        return None
    return "This opening is anonymised: the committee sees only the alias."


@_action("see_status", CandidateFacts, "Who has submitted, who is late or recused (no scores)")
def _see_status(actor: Person, facts: CandidateFacts) -> str | None:
    if _see_candidate(actor, facts) is None:
        return None
    return "Only the coordinator, the hiring manager and the panel see this status."


@_action("see_debrief", CandidateFacts, "Open the candidate's debrief page")
def _see_debrief(actor: Person, facts: CandidateFacts) -> str | None:
    if _manages(actor, facts.opening) or _sits(actor, facts.opening):
        return None
    return "The debrief is for the opening's hiring manager and committee."


@_action("open_debrief", CandidateFacts, "Open the debrief (early only with a reason)")
def _open_debrief(actor: Person, facts: CandidateFacts) -> str | None:
    if not _manages(actor, facts.opening):
        return "Only the hiring manager of this opening opens the debrief."
    if facts.pending(actor.id):
        return OWN_FIRST
    if facts.debrief_open:
        return "The debrief is already open."
    return None


@_action("see_scores", CandidateFacts, "See others' scorecards, the outcome and flags")
def _see_scores(actor: Person, facts: CandidateFacts) -> str | None:
    if facts.pending(actor.id):
        return OWN_FIRST
    o = facts.opening
    if (_manages(actor, o) or _sits(actor, o)) and facts.debrief_open:
        return None
    if actor.has("interviewer") and facts.seats_of(actor.id):
        if facts.reveal_rule == "all_in" and not facts.all_in:
            return "This opening shows others' scores only once every scorecard is in."
        return None
    if _manages(actor, o) or _sits(actor, o):
        role = "hiring manager" if _manages(actor, o) else "committee"
        return f"Scores are shown to the {role} once the debrief is open."
    if facts.has_seat(actor.id) and not facts.seats_of(actor.id):
        return "You recused yourself from this candidate, so their scores are not shown to you."
    return "Only the candidate's interviewers, hiring manager and committee see scores."


@_action("see_decision", CandidateFacts, "See the decision, who made it and the rationale")
def _see_decision(actor: Person, facts: CandidateFacts) -> str | None:
    if facts.pending(actor.id):
        return OWN_FIRST
    o = facts.opening
    if _coordinates(actor) or _manages(actor, o) or _sits(actor, o):
        return None
    return "Decisions are shown to the coordinator, the hiring manager and the committee."


@_action("see_votes", CandidateFacts, "See the committee's votes and notes")
def _see_votes(actor: Person, facts: CandidateFacts) -> str | None:
    if facts.pending(actor.id):
        return OWN_FIRST
    o = facts.opening
    if not (_manages(actor, o) or _sits(actor, o)):
        return "Votes are shown to the hiring manager and the committee."
    if not facts.debrief_open:
        return "Votes are cast once the debrief is open."
    if _manages(actor, o) or actor.id in facts.voter_ids or facts.decided:
        return None
    return "Cast your own vote first: the other members' votes are shown after it."


@_action("vote", CandidateFacts, "Cast or change one's committee vote (the latest counts)")
def _vote(actor: Person, facts: CandidateFacts) -> str | None:
    o = facts.opening
    if o.strategy_kind != "committee":
        return "This opening is not decided by a committee vote."
    if not _sits(actor, o):
        return "Only the opening's committee members vote."
    if facts.pending(actor.id):
        return OWN_FIRST
    if not facts.debrief_open:
        return "Votes are cast once the debrief is open."
    if facts.decided:
        return "The decision is recorded: votes are closed."
    return None


@_action("decide", CandidateFacts, "Record the decision as the strategy allows")
def _decide(actor: Person, facts: CandidateFacts) -> str | None:
    if not _manages(actor, facts.opening):
        return "Only the hiring manager of this opening records the decision."
    if facts.pending(actor.id):
        return OWN_FIRST
    if not facts.debrief_open:
        return "Open the debrief before recording a decision."
    return None


@_action(
    "record_outcome",
    CandidateFacts,
    "Record how a hire turned out: a 6- or 12-month rating, still employed",
)
def _record_outcome(actor: Person, facts: CandidateFacts) -> str | None:
    if not _manages(actor, facts.opening):
        return "Only the hiring manager of this opening records how a hire turned out."
    if facts.pending(actor.id):
        return OWN_FIRST
    if not facts.hired:
        return "Outcomes are recorded only for a candidate whose decision is hire."
    return None


@_action(
    "count_in_insights",
    CandidateFacts,
    "The candidate's decision and dates count in the opening's process figures shown to the person",
)
def _count_in_insights(actor: Person, facts: CandidateFacts) -> str | None:
    if facts.pending(actor.id):
        return OWN_FIRST
    refusal = _see_insights(actor, facts.opening)
    if refusal is None and not facts.debrief_open:
        # Scores reach the hiring manager with the debrief: figures across candidates do too.
        return "A candidate counts in the insights once their debrief is open."
    return refusal


@_action(
    "count_in_score_figures",
    CandidateFacts,
    "The candidate's scores count in the opening's score figures shown to the person",
)
def _count_in_score_figures(actor: Person, facts: CandidateFacts) -> str | None:
    # Only where the person may read this candidate's scorecards themselves: then no figure,
    # and no difference of two figures, tells them a score they could not read.
    refusal = _see_score_figures(actor, facts.opening) or _see_scores(actor, facts)
    if refusal is None and not facts.debrief_open:
        return "A candidate counts in the insights once their debrief is open."
    return refusal


@_action(
    "see_packet",
    CandidateFacts,
    "The open debrief: panel, outcomes, charts; on the page or as the decision summary",
)
def _see_packet(actor: Person, facts: CandidateFacts) -> str | None:
    refusal = _see_debrief(actor, facts)
    if refusal is None and not facts.debrief_open:
        return "The debrief is not open yet."
    return refusal or _see_scores(actor, facts)


# ------------------------------------------------------------------------------------ a seat


@_action("score", SeatFacts, "Submit, correct or draft the scorecard of one's own seat")
def _score(actor: Person, seat: SeatFacts) -> str | None:
    if seat.interviewer_id != actor.id:
        return "This is not your assignment: only its interviewer can score it."
    if not actor.has("interviewer"):
        return "Only an interviewer scores: you no longer have the interviewer role."
    if seat.recused:
        return "You recused yourself from this session."
    return None


@_action("recuse", SeatFacts, "Declare a conflict of interest on one's own seat")
def _recuse(actor: Person, seat: SeatFacts) -> str | None:
    if seat.interviewer_id != actor.id:
        return "Only the interviewer of this session can recuse from it."
    return None


@_action("see_own", SeatFacts, "Read one's own scorecard, revisions and draft")
def _see_own(actor: Person, seat: SeatFacts) -> str | None:
    if seat.interviewer_id != actor.id:
        return "This is not your assignment: only its interviewer can score it."
    return None


# ------------------------------------------------------------------------ composed of the above
# Rules a service function used to compose by hand ("may this, else ensure that"), named once
# here so that a guard can declare them and the matrix shows them.


@_action(
    "read_scorecard",
    SeatFacts,
    "Read a seat's scorecard and revisions: one's own, or anyone's on a panel whose scores one"
    " may see (`see_own`, else `see_scores` on the candidate)",
)
def _read_scorecard(actor: Person, seat: SeatFacts) -> str | None:
    if _see_own(actor, seat) is None:
        return None
    if seat.candidate is None:  # a loader's mistake, not a refusal: say which loader
        raise TypeError("read_scorecard needs the seat's candidate: seat_facts(db, id, reader)")
    return _see_scores(actor, seat.candidate)


@_action(
    "hear_of_decision",
    CandidateFacts,
    "Be sent word of the decision: the opening's hiring manager or committee (`see_debrief`), or"
    " an interviewer on the panel (`score` on a seat of it)",
)
def _hear_of_decision(actor: Person, facts: CandidateFacts) -> str | None:
    if _see_debrief(actor, facts) is None:
        return None
    for s in facts.seats_of(actor.id):
        seat = SeatFacts(
            s.assignment_id, facts.candidate_id, s.interviewer_id, s.recused, s.submitted
        )
        if _score(actor, seat) is None:
            return None
    return (
        "Word of the decision goes to the candidate's hiring manager, committee and interviewers."
    )


@_action(
    "hear_debrief_ready",
    CandidateFacts,
    "Be told the panel is in and the debrief can open: the opening's hiring manager",
)
def _hear_debrief_ready(actor: Person, facts: CandidateFacts) -> str | None:
    if _manages(actor, facts.opening):
        return None
    return "Only the opening's hiring manager is told that a debrief is ready."


# ------------------------------------------------------------------- the funnel (issue 27)
# The rules, with their names and summaries, are in `scoring.permission_funnel`; registered here
# like the others (a seat's `flag_cheating` is `score`'s rule: one's own seat, as its scorer).

for _name, _resource, _summary, _rule in funnel.ACTIONS:
    _action(_name, _resource, _summary)(_rule or _score)


# ------------------------------------------------------------------- privacy (issue 28)
# The rules, with their names and summaries, are in `scoring.permission_privacy`.

for _name, _resource, _summary, _rule in privacy.ACTIONS:
    _action(_name, _resource, _summary)(_rule)
