"""The outbox's messages in words: each kind's subject, paragraphs and link label, rendered as
plain text and HTML for one recipient. Every string a person typed is one line in a subject,
escaped in HTML, and cut to a sane length; no message carries a score."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from jinja2 import Environment, StrictUndefined

from scoring.settings import mail_zone, one_line

NAME_LIMIT = 200
# A video link can be long (a meeting URL with its passcode); cut shorter, it would not open.
LOCATION_LIMIT = 1000
LIMITS = {"location": LOCATION_LIMIT, "location_before": LOCATION_LIMIT}
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
