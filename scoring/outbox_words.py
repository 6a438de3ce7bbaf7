"""The outbox's messages in words: each kind's subject, paragraphs and link label, rendered as
plain text and HTML for one recipient. Every string a person typed is one line in a subject,
escaped in HTML, and cut to a sane length; no message carries a score.

Messages to candidates (`CANDIDATE_MESSAGES`, rendered by `render_to_candidate`) have no link
into Debrief (a candidate has no account): they carry a list (the day's sessions) or a text the
hiring manager wrote (feedback) as paragraphs of their own, and are signed by the person who sent
them."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime
from typing import Any

from jinja2 import Environment, StrictUndefined

from scoring.settings import mail_zone, one_line

NAME_LIMIT = 200
# A video link can be long (a meeting URL with its passcode); cut shorter, it would not open.
LOCATION_LIMIT = 1000
# What a coordinator sent as a take-home (a link or the assignment's name) may be a long link too.
LIMITS = {
    "location": LOCATION_LIMIT,
    "location_before": LOCATION_LIMIT,
    "brief": LOCATION_LIMIT,
    # a candidate's contact (a name and an address) and their day in a sentence
    "contact": LOCATION_LIMIT,
    "summary": LOCATION_LIMIT,
}
# The label of the link of a decision's message that carries the outcome (and only of that one):
# how the sender knows, from the row, that the message says what the decision is.
DECISIONS_LABEL = "See it on Decisions"

_TEXT = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
_HTML = Environment(autoescape=True, undefined=StrictUndefined)


@functools.lru_cache(maxsize=256)
def _template(source: str, html: bool = False):
    """A message template compiled once: the templates are this module's own strings (people's
    text only ever comes in as values), so there are few, and compiling each on every message
    was a quarter of building the demo."""
    return (_HTML if html else _TEXT).from_string(source)


# Each kind: subject, paragraphs (the same in text and HTML; one that renders empty is left
# out), and the label of its one link. Words are a recruiter's: no role, strategy or state ids.
_WHERE = "{% if location %}Where: {{ location }}{% endif %}"
MESSAGES: dict[str, tuple[str, list[str], str]] = {
    "invitation": (
        "Interview: {{ session }} with {{ candidate }}, {{ when }}",
        [
            "You interview {{ candidate }} for {{ opening }}: {{ session }}, {{ when }}.",
            _WHERE,
            "Score right after the session, on your own: the sooner, the fresher. Nobody's"
            " scores are shown to you before yours is in.",
            "The calendar invitation is attached.",
        ],
        "Your scorecard for this interview",
    ),
    "update": (
        "{% if before %}Moved: {{ session }} with {{ candidate }}, now {{ when }}"
        "{% else %}New place: {{ session }} with {{ candidate }}, {{ when }}"
        "{% endif %}",
        [
            "{% if before %}{{ session }} with {{ candidate }} ({{ opening }}) has moved: it is"
            " now {{ when }} (was {{ before }}).{% else %}{{ session }} with {{ candidate }}"
            " ({{ opening }}), {{ when }}, has a new place.{% endif %}",
            "{% if location_before is not none %}Where: {{ location or 'no place given' }}"
            " (was {{ location_before or 'no place given' }}).{% else %}" + _WHERE + "{% endif %}",
            "The attached invitation updates your calendar.",
        ],
        "Your scorecard for this interview",
    ),
    "cancellation": (
        "Cancelled: {{ session }} with {{ candidate }}, {{ when }}",
        [
            "{{ session }} with {{ candidate }} ({{ opening }}), {{ when }}, is no longer yours:"
            " {{ why }}",
            "The attachment removes it from your calendar. Nothing more is needed from you.",
        ],
        "Your interviews",
    ),
    "due": (
        "Your scorecard is due: {{ candidate }}, {{ session }}",
        [
            "{{ session }} with {{ candidate }} ended {{ ended }}. Your scorecard is not in yet.",
            "Score it while it is fresh; it counts as late after {{ late_after }}.",
        ],
        "Score it",
    ),
    "overdue": (
        "Overdue: your scorecard for {{ candidate }}, {{ session }}",
        [
            "{{ session }} with {{ candidate }} ended {{ ended }} and your scorecard is still"
            " missing. It is now late; the debrief waits for it.",
        ],
        "Score it",
    ),
    "reminder": (
        "Reminder: your scorecard for {{ candidate }}, {{ session }}",
        [
            "{{ by }} asks for your scorecard: {{ session }} with {{ candidate }}, which ended"
            " {{ ended }}.",
        ],
        "Score it",
    ),
    "ready": (
        "All scorecards are in — ready to debrief: {{ candidate }}",
        [
            "All {{ count }} scorecards for {{ candidate }} ({{ opening }}) are in.",
            "Open the debrief when the panel meets.",
        ],
        "Open the debrief",
    ),
    # To those who may see the decision: the outcome, and how it differs from the one it
    # replaces. To the others: only that a decision is recorded, or recorded again.
    "decision": (
        "{% if not earlier %}Decision recorded: {{ candidate }}"
        "{% if outcome %} — {{ outcome }}{% endif %}"
        "{% elif not outcome %}Decision updated: {{ candidate }}"
        "{% elif earlier != outcome %}Decision changed: {{ candidate }} — was {{ earlier }},"
        " now {{ outcome }}"
        "{% else %}Decision recorded again: {{ candidate }} — still {{ outcome }}{% endif %}",
        [
            "{% if not earlier %}The decision on {{ candidate }} ({{ opening }}) is recorded"
            "{% if outcome %}: {{ outcome }}{% endif %}."
            "{% elif not outcome %}A new decision on {{ candidate }} ({{ opening }}) is"
            " recorded; it replaces the earlier one."
            "{% elif earlier != outcome %}The decision on {{ candidate }} ({{ opening }}) has"
            " changed: it was {{ earlier }}, it is now {{ outcome }}."
            "{% else %}The decision on {{ candidate }} ({{ opening }}) was recorded again: it"
            " is still {{ outcome }}.{% endif %}",
            "Thank you for your part in it.",
        ],
        "{% if outcome %}" + DECISIONS_LABEL + "{% else %}Your interviews{% endif %}",
    ),
}

OUTCOMES = {"hire": "Hire", "no_hire": "No hire"}
# Values a message may go without: no place given, no earlier start, place or decision.
OPTIONAL: dict[str, Any] = {"location": "", "location_before": None, "before": "", "earlier": ""}


def render(kind: str, name: str, link: str, **values: Any) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one message. Every value is made one line and cut to a
    sane length first (a place or video link to `LOCATION_LIMIT`, anything else to
    `NAME_LIMIT`); HTML escapes it. A paragraph that renders empty is left out."""
    subject, templates, label = MESSAGES[kind]
    clean = {
        k: one_line(v, LIMITS.get(k, NAME_LIMIT)) if isinstance(v, str) else v
        for k, v in {**OPTIONAL, **values}.items()
    }
    name, link = one_line(name, NAME_LIMIT), one_line(link, 1000)
    subject_text = one_line(_template(subject).render(**clean), 250)
    label = _template(label).render(**clean)
    paragraphs = [p for p in (_template(t).render(**clean) for t in templates) if p]
    text = "\n\n".join([f"Hello {name},", *paragraphs, f"{label}: {link}", "— Debrief"])
    html = _template(
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
        "<p>Hello {{ name }},</p>"
        "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}"
        '<p><a href="{{ link }}">{{ label }}</a></p>'
        '<p style="color: #555">— Debrief</p></body></html>',
        html=True,
    ).render(name=name, paragraphs=paragraphs, link=link, label=label)
    return subject_text, text + "\n", html


def when_words(starts: datetime, ends: datetime | None = None) -> str:
    """A time as a message writes it, in the organisation's mail time zone: "Tue 03 Mar 2026
    14:00 CET", or a session's span "Tue 03 Mar 2026, 14:00-15:00 CET"."""
    zone = mail_zone()
    first = starts.astimezone(zone)
    if ends is None:
        return f"{first:%a %d %b %Y %H:%M} {first:%Z}"
    return f"{first:%a %d %b %Y, %H:%M}-{ends.astimezone(zone):%H:%M} {first:%Z}"


# ----------------------------------------------------------------------------- to candidates

# A paragraph of a candidate's message: a template, or a marker for a value that is several
# lines: ("list", key) a list of one-line items; ("text", key) a text someone wrote, its
# paragraphs kept (blank lines) and its lines kept within them.
Block = str | tuple[str, str]
# A take-home's rules, the same for every take-home: explicit, because the rule on cheating is
# zero tolerance (L1985-1987), and fair about the time it takes (L1929-1931, L2248).
ALLOWED = (
    "What is allowed: your own computer, tools and setup; documentation, books and searching the"
    " web for how to do something, as you would at work."
)
NOT_ALLOWED = (
    "What is not allowed: help from another person; code, text or answers copied from elsewhere"
    " (the web, a forum, an AI assistant) without saying where they came from; sharing the"
    " assignment or your answer with anyone."
)
ZERO_TOLERANCE = (
    "We hold to these rules strictly: an answer that breaks them ends the application. If"
    " something is unclear, ask before you start."
)
CANDIDATE_MESSAGES: dict[str, tuple[str, list[Block]]] = {
    "take_home": (
        "Your take-home assignment for {{ opening }}",
        [
            "Thank you for your time so far. Here is your take-home assignment for"
            " {{ opening }}: {{ brief }}",
            "It should take about {{ hours }}. Please do not spend more than that: we do not"
            " take a longer answer for a better one, and your time matters to us.",
            "Please send your answer to {{ contact }} by {{ deadline }}. If that deadline does"
            " not work for you, write to them and we will find one that does.",
            ALLOWED,
            NOT_ALLOWED,
            ZERO_TOLERANCE,
        ],
    ),
    "take_home_reminder": (
        "Reminder: your take-home for {{ opening }} is due {{ deadline }}",
        [
            "A reminder: your answer to the take-home assignment for {{ opening }} is due"
            " {{ deadline }}.",
            "It should take about {{ hours }}; the rules sent with the assignment still apply."
            " Your answer goes to {{ contact }}.",
            "If you have sent it already, thank you, and please ignore this message.",
        ],
    ),
    "take_home_feedback": (
        "Feedback on your take-home for {{ opening }}",
        [
            "Thank you for the time you gave the take-home assignment for {{ opening }}. Here is"
            " our feedback on it.",
            ("text", "feedback"),
            "We hope it is useful to you.",
        ],
    ),
    "schedule": (
        "{% if updated %}Updated: {% endif %}Your interview day for {{ opening }}, {{ day }}",
        [
            "Here is your interview day for {{ opening }}{% if updated %}. It replaces the"
            " schedule we sent you before{% endif %}.",
            ("list", "lines"),
            "{{ summary }}",
            "{% if dropped %}No longer on your day:{% endif %}",
            ("list", "dropped"),
            "You can ask for a break at any time, for water or anything else: just say so.",
            "Your contact for the day is {{ contact }}. Write to them with any question before"
            " the day, or if anything goes wrong on it.",
            "The attached calendar holds each interview.",
        ],
    ),
    "feedback": (
        "Feedback on your application for {{ opening }}",
        [
            "Thank you for asking for feedback on your application for {{ opening }}. Here it"
            " is, with some context first.",
            # Context and expectations (L2428-2432): the signal is noisy, the pool is large.
            "An interview is a short and imperfect look at anyone's work, and we often meet"
            " many strong candidates for one role. A decision not to go ahead is not a"
            " judgement of you, and others may well decide differently.",
            "{% if logistical %}Reasons that have to do with the role, not with you:{% endif %}",
            ("text", "logistical"),
            "{% if performance %}What we saw in your interviews and assessments:{% endif %}",
            ("text", "performance"),
            "We hope this is useful to you, and we wish you well.",
        ],
    ),
}
CANDIDATE_KINDS = frozenset(CANDIDATE_MESSAGES)
# A line of a list (a session: its time, title, interviewers and place) and a written text.
LINE_LIMIT = 1500
TEXT_LIMIT = 5000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _paragraphs(text: str) -> list[str]:
    """A written text's paragraphs (split at blank lines), each line kept, control characters
    gone."""
    text = "".join(
        c if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") else " "
        for c in str(text)[:TEXT_LIMIT].replace("\r\n", "\n").replace("\r", "\n")
    )
    found = []
    for block in _PARAGRAPH_BREAK.split(text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        kept = "\n".join(line for line in lines if line)
        if kept:
            found.append(kept)
    return found


def render_to_candidate(kind: str, name: str, signed: str, **values: Any) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one message to a candidate: greeted by `name`, signed by
    `signed`. A string value is one line, cut to `NAME_LIMIT` (or its `LIMITS`); a list value
    is one line per item; the value of a ("text", key) block keeps its paragraphs. HTML escapes
    all of it. A paragraph that renders empty is left out."""
    subject, blocks = CANDIDATE_MESSAGES[kind]
    clean = {
        k: one_line(v, LIMITS.get(k, NAME_LIMIT)) if isinstance(v, str) else v
        for k, v in values.items()
    }
    name, signed = one_line(name, NAME_LIMIT), one_line(signed, NAME_LIMIT)
    # Each part: ("p", paragraph), ("ul", items) or ("text", paragraphs).
    parts: list[tuple[str, Any]] = []
    for block in blocks:
        if isinstance(block, str):
            rendered = _template(block).render(**clean)
            if rendered:
                parts.append(("p", rendered))
        elif block[0] == "list":
            items = [one_line(item, LINE_LIMIT) for item in values.get(block[1]) or []]
            if items:
                parts.append(("ul", items))
        else:
            found = _paragraphs(values.get(block[1]) or "")
            if found:
                parts.append(("text", found))
    subject_text = one_line(_template(subject).render(**clean), 250)
    lines = [f"Hello {name},"]
    for shape, body in parts:
        if shape == "p":
            lines.append(body)
        elif shape == "ul":
            lines.append("\n".join(f"- {item}" for item in body))
        else:
            lines.extend(body)
    lines.append(f"Best regards,\n{signed}")
    html = _template(
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
        "<p>Hello {{ name }},</p>"
        "{% for shape, body in parts %}"
        "{% if shape == 'p' %}<p>{{ body }}</p>"
        "{% elif shape == 'ul' %}<ul>{% for item in body %}<li>{{ item }}</li>{% endfor %}</ul>"
        "{% else %}{% for paragraph in body %}<p>"
        "{% for line in paragraph %}{% if not loop.first %}<br>{% endif %}"
        "{{ line }}{% endfor %}</p>{% endfor %}{% endif %}"
        "{% endfor %}"
        "<p>Best regards,<br>{{ signed }}</p></body></html>",
        html=True,
    ).render(
        name=name,
        parts=[
            (shape, [p.split("\n") for p in body] if shape == "text" else body)
            for shape, body in parts
        ],
        signed=signed,
    )
    return subject_text, "\n\n".join(lines) + "\n", html
