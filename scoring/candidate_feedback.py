"""Feedback to a declined candidate who asks for it (issue 27; L2422-2432).

Only when asked: the request is recorded first (`record_request`, by the coordinator or the
opening's hiring manager), and only for a declined candidate (rejected at a stage, or a decision
of no hire). The hiring manager writes it (`draft`) from a template that keeps logistical
reasons ("we filled the role") apart from what was seen of the candidate's performance, and the
message gives context and expectations first (an interview is a noisy signal; the pool is
large). Someone other than its writer (a coordinator) reviews it and sends it
(`approve_and_send`): once, through the outbox (the partial unique index
`candidate_feedback_sent_once` backs it).

It holds no score (`scoring.candidate_mail.refuse_scores`), and no interviewer's words unless
that interviewer agreed (`consent_to_quote`): no run of eight words or more taken word for word
from what they wrote about this candidate (a scorecard's feedback or evidence; a screen's or
take-home's review notes, which have no consent and are never quoted). Both are checked when it
is written and again when it is sent.

Each step is a row of `candidate_feedback` (append-only): requested, drafted (each draft),
approved, sent; every one audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from scoring import audit, personal
from scoring.candidate_mail import (
    candidate_row,
    ensure_email,
    queue_to_candidate,
    refuse_scores,
    unnamed,
    written,
)
from scoring.database import Database
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.stages import Progress
from scoring.outbox_words import TEXT_LIMIT, render_to_candidate
from scoring.permissions import may
from scoring.queries import candidate_mail as Q
from scoring.stages import progress_of
from scoring.store import now_utc, parse_stamp, stamp
from scoring.text import NOTE_MAX

# A run of this many words, the same as an interviewer's, is a quote.
QUOTE_WORDS = 8
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# The template's two parts, as the form explains them.
LOGISTICAL_HELP = (
    "Reasons that have to do with the role, not the candidate: we filled the role, another"
    " candidate accepted an offer, the role changed or closed, the level or location did not"
    " fit. Usually safe to give."
)
PERFORMANCE_HELP = (
    "What was seen in the interviews and assessments, in your own words: what went well, what"
    " would have made the difference, what to work on. No scores, and no interviewer's words"
    " unless they agreed to be quoted."
)

Step = Literal["requested", "drafted", "approved", "sent"]


def declined(db: Database, candidate_id: int, where: Progress | None = None) -> bool:
    """The candidate was declined: rejected at a stage of their process (`where`, when the
    caller has it), or the decision in force is no hire."""
    if (where or progress_of(db, candidate_id)).state == "rejected":
        return True
    latest = db.execute(Q.LATEST_DECISION, [candidate_id]).fetchone()
    return latest is not None and latest["outcome"] == "no_hire"


def _steps(db: Database, candidate_id: int) -> list[Any]:
    return db.execute(Q.FEEDBACK_STEPS, [candidate_id]).fetchall()


def _last(steps: list[Any], step: str) -> Any:
    return next((r for r in reversed(steps) if r["step"] == step), None)


def _add(db: Database, candidate_id: int, step: Step, by: int, at: datetime, **text: str) -> int:
    return db.execute(
        Q.ADD_FEEDBACK_STEP,
        [
            candidate_id,
            step,
            stamp(at),
            by,
            personal.seal(db, candidate_id, text.get("logistical", "")),
            personal.seal(db, candidate_id, text.get("performance", "")),
            personal.seal(db, candidate_id, text.get("note", "")),
        ],
    ).lastrowid


def _day(at: str) -> str:
    return f"{parse_stamp(at):%d %b %Y}"


def _still_declined(db: Database, candidate_id: int) -> None:
    """Refuse feedback to a candidate who is no longer declined (a rejection overturned)."""
    if not declined(db, candidate_id):
        raise InvalidInput(
            "candidate: no longer declined (the decision changed): there is no feedback to give"
        )


def _sent_refusal(steps: list[Any]) -> None:
    sent = _last(steps, "sent")
    if sent is not None:
        raise InvalidInput(f"feedback: already sent on {_day(sent['at'])}: it goes out once")


@guarded("record_feedback_request", on="candidate_id", write=True)
def record_request(
    g: Granted, candidate_id: int, note: str = "", now: datetime | None = None
) -> int:
    """Record that a declined candidate asked for feedback (how and when they asked: `note`).
    Refused for a candidate who was not declined, and while a request is open or after the
    feedback went. Returns the step's id."""
    db, at = g.db, now or now_utc()
    note = written("note", note, NOTE_MAX, required=False)
    candidate_row(db, candidate_id)
    if not declined(db, candidate_id):
        raise InvalidInput(
            "candidate: not declined: feedback is for a candidate who was rejected at a stage"
            " or decided no hire, and asked for it"
        )
    steps = _steps(db, candidate_id)
    _sent_refusal(steps)
    asked = _last(steps, "requested")
    if asked is not None:
        raise InvalidInput(f"candidate: the request is already recorded, on {_day(asked['at'])}")
    step_id = _add(db, candidate_id, "requested", g.actor.id, at, note=note)
    audit.record(db, g.actor.id, "record_feedback_request", f"candidate:{candidate_id}", at)
    return step_id


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text or "")]


def _runs(words: list[str]) -> list[tuple[int, str]]:
    return [(i, " ".join(words[i : i + QUOTE_WORDS])) for i in range(len(words) - QUOTE_WORDS + 1)]


def refuse_quotes(
    db: Database, candidate_id: int, texts: dict[str, str], *, say_whose: bool = True
) -> None:
    """InvalidInput naming the field when one of `texts` takes `QUOTE_WORDS` words or more in a
    row, word for word (case and punctuation aside), from what an interviewer wrote about this
    candidate without having agreed to be quoted (`consent_to_quote`), or from a screen's or
    take-home's review (never quoted). Only `say_whose` (to the hiring manager, who reads the
    scorecards) says whose words they are: a coordinator reviewing it learns nothing of them."""
    consented = {r["assignment_id"] for r in db.execute(Q.CONSENTS, [candidate_id])}
    sources: dict[str, tuple[str, str]] = {}  # a run of words -> (whose, where)
    for r in db.execute(Q.SCORECARD_WORDS, [candidate_id, candidate_id]):
        if r["assignment_id"] in consented:
            continue
        for _, run in _runs(_words(r["words"])):
            sources.setdefault(run, (r["name"], "scorecard"))
    for r in db.execute(Q.REVIEW_WORDS, [candidate_id]):
        for _, run in _runs(_words(r["words"])):
            sources.setdefault(run, (r["name"], "review"))
    if not sources:
        return
    for field, text in texts.items():
        for _, run in _runs(_words(text)):
            if run not in sources:
                continue
            name, where = sources[run]
            if not say_whose:
                raise InvalidInput(
                    f"{field}: quotes an interviewer's words about the candidate without their"
                    " consent: the hiring manager rewrites it in their own words"
                )
            if where == "scorecard":
                ask = f"say it in your own words, or ask {name} to agree to be quoted"
            else:
                ask = "a screen's or take-home's review is never quoted: say it in your own words"
            raise InvalidInput(
                f'{field}: "{run} …" is {name}\'s words about the candidate, word for word;'
                f" feedback quotes no interviewer without their consent: {ask}"
            )


def _check(
    db: Database, candidate_id: int, logistical: str, performance: str, *, say_whose: bool = True
) -> None:
    if not logistical and not performance:
        raise InvalidInput("performance: Write the logistical reasons, the performance, or both.")
    refuse_scores("logistical", logistical)
    refuse_scores("performance", performance)
    refuse_quotes(
        db,
        candidate_id,
        {"logistical": logistical, "performance": performance},
        say_whose=say_whose,
    )


@guarded("write_feedback", on="candidate_id", write=True)
def draft(
    g: Granted,
    candidate_id: int,
    logistical: str,
    performance: str,
    now: datetime | None = None,
) -> int:
    """The hiring manager writes (or rewrites) the feedback a declined candidate asked for:
    logistical reasons and what was seen of their performance, kept apart, either may be empty.
    Refused before a request is recorded, after it went, with a score in it, or with an
    interviewer's words they did not agree to have quoted. Returns the draft's id."""
    db, at = g.db, now or now_utc()
    logistical = written("logistical", logistical, TEXT_LIMIT, required=False)
    performance = written("performance", performance, TEXT_LIMIT, required=False)
    candidate_row(db, candidate_id)
    steps = _steps(db, candidate_id)
    _sent_refusal(steps)
    _still_declined(db, candidate_id)
    if _last(steps, "requested") is None:
        raise InvalidInput(
            "candidate: no request for feedback is recorded: feedback is given when asked"
        )
    _check(db, candidate_id, logistical, performance)
    step_id = _add(
        db, candidate_id, "drafted", g.actor.id, at, logistical=logistical, performance=performance
    )
    audit.record(db, g.actor.id, "draft_feedback", f"candidate:{candidate_id}", at, draft=step_id)
    return step_id


@guarded("review_feedback", on="candidate_id", write=True)
def approve_and_send(g: Granted, candidate_id: int, now: datetime | None = None) -> int | None:
    """Someone other than its writer (a coordinator) approves the latest draft and sends it to
    the candidate through the outbox, once. Checked again first (no score, no unconsented
    quote). Returns the message's id (None when mail is held back)."""
    db, at = g.db, now or now_utc()
    candidate = candidate_row(db, candidate_id)
    steps = _steps(db, candidate_id)
    _sent_refusal(steps)
    _still_declined(db, candidate_id)
    latest = _last(steps, "drafted")
    if latest is None:
        raise InvalidInput("feedback: nothing is written yet: the hiring manager writes it first")
    if latest["by_id"] == g.actor.id:
        raise InvalidInput(
            "feedback: you wrote this draft: someone other than its writer reviews and sends it"
        )
    ensure_email(candidate)
    _check(db, candidate_id, latest["logistical"], latest["performance"], say_whose=False)
    _add(db, candidate_id, "approved", g.actor.id, at, note=f"draft {latest['id']}")
    message = queue_to_candidate(
        db,
        candidate,
        kind="feedback",
        at=at,
        signed=latest["by_name"] or g.actor.name,
        values={"logistical": latest["logistical"], "performance": latest["performance"]},
        dedupe_key=f"feedback:{candidate_id}",
    )
    note = f"message {message}" if message else "no message: mail held back"
    _add(db, candidate_id, "sent", g.actor.id, at, note=note)
    audit.record(
        db,
        g.actor.id,
        "send_feedback",
        f"candidate:{candidate_id}",
        at,
        draft=latest["id"],
        drafted_by=latest["by_id"],
        message=message,
    )
    return message


@guarded("consent_to_quote", on="assignment_id", write=True)
def consent_to_quote(g: Granted, assignment_id: int, now: datetime | None = None) -> bool:
    """An interviewer agrees that what they wrote on this scorecard may be quoted in feedback to
    the candidate. Given once, for good (append-only). Returns False when it was given before."""
    db, at = g.db, now or now_utc()
    if db.execute(Q.CONSENTED, [assignment_id]).fetchone():
        return False
    seat = db.execute(Q.SEAT, [assignment_id]).fetchone()
    db.execute(Q.ADD_CONSENT, [assignment_id, seat["candidate_id"], g.actor.id, stamp(at)])
    audit.record(
        db,
        g.actor.id,
        "consent_to_quote",
        f"assignment:{assignment_id}",
        at,
        candidate_id=seat["candidate_id"],
    )
    return True


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class FeedbackStep:
    """One step of a candidate's feedback: who did it, when."""

    step: str
    at: datetime
    by: str | None
    note: str


@dataclass(frozen=True)
class Feedback:
    """A candidate's feedback as the coordinator and the hiring manager see it, with what the
    reader may do next."""

    candidate_id: int
    declined: bool
    state: Literal["none", "requested", "drafted", "sent"]
    steps: tuple[FeedbackStep, ...]
    logistical: str  # the latest draft's
    performance: str
    drafted_by: str | None
    subject: str  # the message as it goes (or went), from the latest draft
    text: str
    has_email: bool
    may_write: bool  # the reader writes the candidate's feedback (the opening's hiring manager)
    may_request: bool
    may_draft: bool
    may_send: bool
    why_not_send: str | None  # said to a reviewer who may not send it (its writer)


@guarded("see_candidate_messages", on="candidate_id")
def feedback(g: Granted, candidate_id: int) -> Feedback:
    """Where the candidate's feedback stands: its steps, the latest draft and the message as it
    would go (or went), and what the reader may do now."""
    return feedback_of(g.db, g.actor, g.facts, candidate_id)


def feedback_of(
    db: Database,
    actor: Any,
    facts: Any,
    candidate_id: int,
    *,
    candidate: Any = None,
    where: Progress | None = None,
) -> Feedback:
    """`feedback` on the caller's connection, for a view its guard already allowed (`facts`:
    the candidate's; `candidate` and `where`, their row and progress, when the caller has
    them)."""
    candidate = candidate or candidate_row(db, candidate_id)
    is_declined = declined(db, candidate_id, where)
    steps = _steps(db, candidate_id)
    latest = _last(steps, "drafted")
    state: Any = "none"
    for wanted in ("sent", "drafted", "requested"):
        if _last(steps, wanted) is not None:
            state = wanted
            break
    subject = text = ""
    named = may(actor, "see_name", facts)
    if latest is not None:
        subject, text, _ = render_to_candidate(
            "feedback",
            candidate["name"],
            latest["by_name"] or "",
            opening=candidate["opening_title"],
            logistical=latest["logistical"],
            performance=latest["performance"],
        )
        text = text if named else unnamed(text, candidate)
    writer = latest is not None and latest["by_id"] == actor.id
    open_ = state in ("requested", "drafted")
    writes = may(actor, "write_feedback", facts)
    return Feedback(
        candidate_id=candidate_id,
        declined=is_declined,
        state=state,
        steps=tuple(
            FeedbackStep(r["step"], parse_stamp(r["at"]), r["by_name"], r["note"]) for r in steps
        ),
        logistical=latest["logistical"] if latest else "",
        performance=latest["performance"] if latest else "",
        drafted_by=latest["by_name"] if latest else None,
        subject=subject,
        text=text,
        has_email=bool((candidate["email"] or "").strip()),
        may_write=writes,
        may_request=state == "none"
        and is_declined
        and may(actor, "record_feedback_request", facts),
        may_draft=open_ and writes,
        may_send=state == "drafted" and not writer and may(actor, "review_feedback", facts),
        why_not_send="you wrote this draft: someone else reviews and sends it"
        if state == "drafted" and writer
        else None,
    )
