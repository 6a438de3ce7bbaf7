"""The notice retention sends every active coordinator before it erases anyone (issue 28): the
candidates by alias, id and opening, with the date each is erased from and why. It names no
candidate and holds no text about one, so it is not sealed and outlives their erasure (it goes
to a mailbox Debrief cannot erase). Written into the outbox like every message, in the caller's
unit of work; `scoring.retention` decides who is in it."""

from __future__ import annotations

import shlex
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, StrictUndefined

from scoring.database import Database
from scoring.outbox_queue import insert_row
from scoring.outbox_words import NAME_LIMIT
from scoring.settings import app_url, one_line

KIND = "retention_notice"
LINE_LIMIT = 600

_TEXT = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
_HTML = Environment(autoescape=True, undefined=StrictUndefined)
SUBJECT = (
    "Retention: {{ count }} candidate{{ '' if count == 1 else 's' }} to be erased from {{ first }}"
)
TEXT = """Hello {{ name }},

Under Debrief's retention settings, the personal data of {{ 'this candidate' if count == 1 else \
'these candidates' }} (their name, email and every text about them) will be erased on or after \
the date given. Their scores, decisions and counts stay, as numbers.

{% for line in lines %}- {{ line }}
{% endfor %}
To keep a candidate for a legal reason, place a legal hold before that date, with their id \
from the list:

    {{ command }}

(it asks for your access code; or use the candidate's Privacy panel). This message names no \
one: it is kept after they are erased.

{{ settings }}

See them on Status: {{ link }}

— Debrief
"""
HTML = (
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">'
    "<p>Hello {{ name }},</p>"
    "<p>Under Debrief's retention settings, the personal data of"
    " {{ 'this candidate' if count == 1 else 'these candidates' }} (their name, email and every"
    " text about them) will be erased on or after the date given. Their scores, decisions and"
    " counts stay, as numbers.</p>"
    "<ul>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ul>"
    "<p>To keep a candidate for a legal reason, place a legal hold before that date, with their"
    " id from the list:</p>"
    "<pre>{{ command }}</pre>"
    "<p>(it asks for your access code; or use the candidate's Privacy panel). This message names"
    " no one: it is kept after they are erased.</p>"
    "<p>{{ settings }}</p>"
    '<p><a href="{{ link }}">See them on Status</a></p>'
    '<p style="color: #555">— Debrief</p></body></html>'
)


def hold_command(email: str) -> str:
    """The command that places a legal hold, signed in as the coordinator (`email`): the
    candidate's id and the reason are theirs to fill in."""
    signed = shlex.quote(one_line(email, 254))
    return f'python -m scoring hold --as {signed} --candidate ID --reason "..."'


def words(
    name: str, lines: list[str], first: date, settings: str, link: str, email: str = ""
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the notice to one coordinator (`name`, `email`): one
    line per candidate (each made one line and cut to `LINE_LIMIT`), the first date anyone is
    erased, the settings in words, and the command that holds a candidate, as them. HTML
    escapes every value."""
    values: dict[str, Any] = {
        "name": one_line(name, NAME_LIMIT),
        "command": hold_command(email or "YOUR_EMAIL"),
        "count": len(lines),
        "first": first.isoformat(),
        "lines": [one_line(line, LINE_LIMIT) for line in lines],
        "settings": one_line(settings, 1000),
        "link": one_line(link, 1000),
    }
    subject = one_line(_TEXT.from_string(SUBJECT).render(**values), 250)
    return (
        subject,
        _TEXT.from_string(TEXT).render(**values),
        _HTML.from_string(HTML).render(**values),
    )


def queue(
    db: Database, person: Any, lines: list[str], first: date, settings: str, at: datetime
) -> int | None:
    """The notice to one coordinator (a `people` row), into the outbox in the caller's unit of
    work: about no one candidate (`candidate_id` NULL). Returns its id."""
    subject, text, html = words(
        person["name"], lines, first, settings, f"{app_url()}/status", person["email"]
    )
    # no dedupe key (the notices table keeps a candidate from a second notice), about no one
    # candidate, due at once
    return insert_row(
        db,
        at=at,
        kind=KIND,
        recipient_id=person["id"],
        to=(person["email"], person["name"]),
        words=(subject, text, html),
    )
