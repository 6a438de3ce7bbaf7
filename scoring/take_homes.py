"""Take-homes (issue 27; L1927-1933, L1774-1782, L2240-2248): the stage of an opening's process
where the candidate works on an assignment in their own time.

Each step is a row of `take_home_events` (append-only), written with what it causes in one unit
of work, and audited:

- ``sent``: a coordinator sends the assignment (`send_take_home`) to a candidate at a take-home
  stage: the email says what it is, the time it should take (fair: no more is asked, L1929,
  L2248), the deadline, and what is and is not allowed (explicit, for a zero tolerance of
  cheating, L1987). A reminder is queued with it, to go a day before the deadline (halfway for a
  deadline under two days) unless the answer is in by then;
- ``submitted``: the coordinator records the answer (`record_submission`): a link or a file
  name, never a file (Debrief stores no candidate files), late or not. The stage's reviewers
  are then given the review (`scoring.stages.assign_reviewers`), blind with the alias when the
  stage says so; they review through `scoring.stage_reviews.review`;
- ``feedback_sent``: once the stage is decided, the hiring manager answers the candidate's work
  with constructive feedback (`send_take_home_feedback`, L1782): words, never a score.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scoring import audit, personal
from scoring.candidate_feedback import refuse_quotes
from scoring.candidate_mail import (
    candidate_row,
    contact_of,
    ensure_email,
    queue_to_candidate,
    refuse_scores,
    written,
)
from scoring.database import Database
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.models.stages import Stage
from scoring.outbox_recipients import withdraw
from scoring.outbox_words import TEXT_LIMIT
from scoring.queries import candidate_mail as QC
from scoring.queries import take_homes as Q
from scoring.settings import mail_zone
from scoring.stages import assign_reviewers, process, progress_of, stage_at
from scoring.store import now_utc, parse_stamp, stamp
from scoring.text import check_length, check_one_line

# What was sent (a link, or the assignment's name) and what came back (a link or a file name).
LINE_MAX = 500
REMIND_BEFORE = timedelta(hours=24)
# A link's scheme: only the web's. "C:\\answers.zip" is a file name (one letter, no scheme).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def _hours(hours: float) -> str:
    """The time asked in words: "3 hours", "1 hour", "90 minutes"."""
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    if float(hours).is_integer():
        return f"{int(hours)} hour{'s' if hours != 1 else ''}"
    return f"{hours:g} hours"


def _when(moment: datetime) -> str:
    shown = moment.astimezone(mail_zone())
    return f"{shown:%a %d %b %Y, %H:%M} {shown:%Z}"


def _line(field: str, value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{field}: {what}")
    text = check_one_line(field, check_length(field, text, LINE_MAX))
    scheme = _SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise InvalidInput(
            f"{field}: a link starts with https:// (got {scheme.group(1)}:); or give a file name"
        )
    return text


def event_detail(text: str | None) -> dict:
    """An event's detail as stored (sealed JSON, opened as read); {} once the candidate is
    erased (it reads as `personal.ERASED_TEXT`)."""
    if not text or text == personal.ERASED_TEXT:
        return {}
    return json.loads(text)


def _event(db: Database, candidate_id: int, position: int, event: str) -> Any:
    return db.execute(Q.EVENT, [candidate_id, position, event]).fetchone()


def _record(
    db: Database, candidate_id: int, position: int, event: str, by: int, at: datetime, **detail
) -> int:
    return db.execute(
        Q.ADD_EVENT,
        [
            candidate_id,
            position,
            event,
            stamp(at),
            by,
            personal.seal(db, candidate_id, json.dumps(detail)),
        ],
    ).lastrowid


def _current_take_home(db: Database, candidate: Any) -> Stage:
    """The take-home stage the candidate is at now, or InvalidInput saying where they are."""
    if candidate["withdrawn_at"]:
        raise InvalidInput("candidate: This candidate has withdrawn.")
    if candidate["closed_at"]:
        raise InvalidInput("opening: This opening is closed.")
    where = progress_of(db, candidate["id"])
    stage = stage_at(process(db, candidate["opening_id"]), where.stage)
    if stage.kind != "take_home" or where.state != "in_process":
        state = "" if where.state == "in_process" else f" ({where.state.replace('_', ' ')})"
        raise InvalidInput(
            f"candidate: not at a take-home stage: at stage {stage.position}, {stage.title}{state}"
        )
    return stage


def _deadline(sent: Any) -> datetime:
    return parse_stamp(event_detail(sent["detail"]).get("deadline"))


@guarded("manage_stage", on="candidate_id", write=True)
def send_take_home(
    g: Granted, candidate_id: int, link_or_brief: str, now: datetime | None = None
) -> int:
    """A coordinator sends the take-home to a candidate at a take-home stage, once: what was
    sent (a link, or the assignment's name: one line), the time it should take and the
    deadline (the stage's), in an email that says what is and is not allowed; with a reminder
    queued for a day before the deadline. Returns the event's id."""
    db, at = g.db, now or now_utc()
    brief = _line("brief", link_or_brief, "Say what is sent: a link, or the assignment's name.")
    candidate = candidate_row(db, candidate_id)
    stage = _current_take_home(db, candidate)
    sent = _event(db, candidate_id, stage.position, "sent")
    if sent is not None:
        raise InvalidInput(f"take_home: already sent, {_when(parse_stamp(sent['at']))}")
    ensure_email(candidate)
    hours, days = stage.hours_asked or 0, stage.deadline_days or 0
    deadline = at + timedelta(days=days)
    event_id = _record(
        db,
        candidate_id,
        stage.position,
        "sent",
        g.actor.id,
        at,
        hours_asked=hours,
        deadline=stamp(deadline),
        sent=brief,
    )
    words = {
        "hours": _hours(hours),
        "deadline": _when(deadline),
        "contact": contact_of(db, g.actor.id),
    }
    message = queue_to_candidate(
        db,
        candidate,
        kind="take_home",
        at=at,
        signed=g.actor.name,
        values={**words, "brief": brief},
        dedupe_key=f"take_home:{candidate_id}:{stage.position}",
    )
    # A day before the deadline; halfway to it when it is closer than two days.
    remind_at = deadline - min(REMIND_BEFORE, (deadline - at) / 2)
    reminder = queue_to_candidate(
        db,
        candidate,
        kind="take_home_reminder",
        at=at,
        signed=g.actor.name,
        values=words,
        due_at=remind_at,
        dedupe_key=f"take_home_reminder:{candidate_id}:{stage.position}",
    )
    audit.record(
        db,
        g.actor.id,
        "send_take_home",
        f"candidate:{candidate_id}",
        at,
        position=stage.position,
        deadline=stamp(deadline),
        message=message,
        reminder=reminder,
        remind_at=stamp(remind_at),
    )
    return event_id


@guarded("manage_stage", on="candidate_id", write=True)
def record_submission(
    g: Granted, candidate_id: int, link_or_file_name: str, now: datetime | None = None
) -> list[int]:
    """A coordinator records the candidate's answer, once, after the take-home was sent: a link
    or a file name (one line; Debrief keeps no file), late when after the deadline. On a blind
    stage it may not carry the candidate's name. The stage's reviewers are given the review at
    once, and the reminder still waiting is withdrawn. Returns the new review seats' ids."""
    db, at = g.db, now or now_utc()
    answer = _line("submission", link_or_file_name, "Give the answer's link or file name.")
    candidate = candidate_row(db, candidate_id)
    stage = _current_take_home(db, candidate)
    sent = _event(db, candidate_id, stage.position, "sent")
    if sent is None:
        raise InvalidInput("take_home: not sent yet: send it before recording an answer")
    done = _event(db, candidate_id, stage.position, "submitted")
    if done is not None:
        raise InvalidInput(f"submission: already recorded, {_when(parse_stamp(done['at']))}")
    if stage.blind:
        _refuse_name(answer, candidate)
    deadline = _deadline(sent)
    late = at > deadline
    seats = assign_reviewers(db, candidate_id, stage.position, at)
    _record(
        db,
        candidate_id,
        stage.position,
        "submitted",
        g.actor.id,
        at,
        submission=answer,
        late=late,
        deadline=stamp(deadline),
        seats=seats,
    )
    for row in db.execute(QC.QUEUED_TO_CANDIDATE, [candidate_id, "take_home_reminder"]).fetchall():
        withdraw(db, row["id"], "the candidate's take-home answer is in")
    audit.record(
        db,
        g.actor.id,
        "record_submission",
        f"candidate:{candidate_id}",
        at,
        position=stage.position,
        late=late,
        seats=seats,
    )
    return seats


def _refuse_name(answer: str, candidate: Any) -> None:
    """A blind stage's reviewers see the alias: the answer's link or file name may not give the
    name away: a part of the name or of the email's name part, as a word of its own ("lin" in
    lin-answer.zip) or, four letters or more, inside a word ("LinLovelace")."""
    parts = re.split(
        r"[\W_]+", f"{candidate['name']} {(candidate['email'] or '').partition('@')[0]}"
    )
    words = {w.casefold() for w in re.split(r"[\W_]+", answer) if w}
    lowered = answer.casefold()
    for part in (p for p in parts if len(p) >= 3):
        if part.casefold() in words or (len(part) >= 4 and part.casefold() in lowered):
            raise InvalidInput(
                f'submission: holds "{part}", from the candidate\'s name or email, and this'
                " stage is reviewed blind: rename the file or give a link without it"
            )


@guarded("write_feedback", on="candidate_id", write=True)
def send_take_home_feedback(
    g: Granted, candidate_id: int, text: str, now: datetime | None = None
) -> int | None:
    """The hiring manager answers the candidate's take-home with constructive feedback (L1782,
    "the least we can do"), once the stage is decided, once per take-home: what worked, what
    did not, what to look at; never a score (a number on our scale would invite an argument
    about the number, not help). Queued to the candidate through the outbox. Returns the
    message's id (None when mail is held back)."""
    db, at = g.db, now or now_utc()
    feedback = written("feedback", text, TEXT_LIMIT)
    refuse_scores("feedback", feedback)
    refuse_quotes(db, candidate_id, {"feedback": feedback})  # no reviewer's words, unconsented
    candidate = candidate_row(db, candidate_id)
    stages = [s for s in process(db, candidate["opening_id"]) if s.kind == "take_home"]
    answered = [s for s in stages if _event(db, candidate_id, s.position, "submitted")]
    if not answered:
        raise InvalidInput(
            "take_home: the candidate's answer is not in: there is no work to answer"
        )
    stage = answered[-1]
    if not db.execute(Q.DECIDED, [candidate_id, stage.position]).fetchone():
        raise InvalidInput(
            "take_home: the reviews are not settled yet: feedback follows the stage's outcome"
        )
    done = _event(db, candidate_id, stage.position, "feedback_sent")
    if done is not None:
        raise InvalidInput(f"feedback: already sent, {_when(parse_stamp(done['at']))}")
    ensure_email(candidate)
    message = queue_to_candidate(
        db,
        candidate,
        kind="take_home_feedback",
        at=at,
        signed=g.actor.name,
        values={"feedback": feedback},
        dedupe_key=f"take_home_feedback:{candidate_id}:{stage.position}",
    )
    _record(db, candidate_id, stage.position, "feedback_sent", g.actor.id, at, message=message)
    audit.record(
        db,
        g.actor.id,
        "send_take_home_feedback",
        f"candidate:{candidate_id}",
        at,
        position=stage.position,
        message=message,
    )
    return message


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class TakeHomeEvent:
    """One step of a take-home: sent, submitted, feedback sent."""

    event: str
    at: datetime
    by: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class TakeHome:
    """A candidate's take-home at one stage, as their record shows it."""

    position: int
    title: str
    hours_asked: float | None
    deadline_days: float | None
    events: tuple[TakeHomeEvent, ...]
    sent: str | None  # what was sent (a link or the assignment's name)
    sent_at: datetime | None
    deadline: datetime | None
    submission: str | None  # the answer's link or file name
    submitted_at: datetime | None
    late: bool | None  # None: no answer yet
    decided: bool  # the stage has its outcome (advance or reject)
    feedback_at: datetime | None


def take_homes_of(
    db: Database, candidate_id: int, stages: tuple[Stage, ...] | None = None
) -> list[TakeHome]:
    """`take_home` on the caller's connection, for a view its guard already allowed (`stages`:
    the candidate's process, when the caller has it)."""
    if stages is None:
        stages = process(db, candidate_row(db, candidate_id)["opening_id"])
    stages = tuple(s for s in stages if s.kind == "take_home")
    events: dict[int, list[TakeHomeEvent]] = {s.position: [] for s in stages}
    for r in db.execute(Q.EVENTS, [candidate_id]):
        events.setdefault(r["position"], []).append(
            TakeHomeEvent(r["event"], parse_stamp(r["at"]), r["by_name"], event_detail(r["detail"]))
        )
    found = []
    for stage in stages:
        steps = {e.event: e for e in events[stage.position]}
        sent, answer, feedback = (steps.get(k) for k in ("sent", "submitted", "feedback_sent"))
        found.append(
            TakeHome(
                position=stage.position,
                title=stage.title,
                hours_asked=stage.hours_asked,
                deadline_days=stage.deadline_days,
                events=tuple(events[stage.position]),
                sent=sent.detail.get("sent") if sent else None,
                sent_at=sent.at if sent else None,
                deadline=parse_stamp(sent.detail.get("deadline")) if sent else None,
                submission=answer.detail.get("submission") if answer else None,
                submitted_at=answer.at if answer else None,
                late=bool(answer.detail.get("late")) if answer else None,
                decided=db.execute(Q.DECIDED, [candidate_id, stage.position]).fetchone()
                is not None,
                feedback_at=feedback.at if feedback else None,
            )
        )
    return found


@guarded("see_candidate_messages", on="candidate_id")
def take_home(g: Granted, candidate_id: int) -> list[TakeHome]:
    """The candidate's take-homes (one per take-home stage of their opening's process): when
    each was sent, what, the deadline, the answer and whether it came late, the feedback."""
    return take_homes_of(g.db, candidate_id)


@dataclass(frozen=True)
class Submission:
    """What a take-home's reviewer opens: the answer's link or file name, and what was asked."""

    submission: str
    submitted_at: datetime
    late: bool
    sent: str
    hours_asked: float | None


@guarded("review_stage", on="seat_id")
def submission(g: Granted, seat_id: int) -> Submission | None:
    """The answer the reviewer of this seat reviews (None for a screen: nothing was sent). On a
    blind stage it carries no name (`record_submission` refuses one)."""
    seat = g.db.execute(Q.SEAT, [seat_id]).fetchone()
    for found in take_homes_of(g.db, seat["candidate_id"]):
        if found.position == seat["position"] and found.submission is not None:
            return Submission(
                submission=found.submission,
                submitted_at=found.submitted_at,  # type: ignore[arg-type]
                late=bool(found.late),
                sent=found.sent or "",
                hours_asked=found.hours_asked,
            )
    return None
