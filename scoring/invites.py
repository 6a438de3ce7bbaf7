"""Calendar invitations (iCalendar, RFC 5545 with the iTIP methods of RFC 5546).

One event per interview session: its UID never changes, its SEQUENCE rises with every move, so
a calendar updates the entry it already has (REQUEST) or removes it (CANCEL) instead of adding a
second one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vText

Method = Literal["REQUEST", "CANCEL"]


def _address(name: str, email: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def session_event(
    *,
    uid: str,
    sequence: int,
    method: Method,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    url: str,
    location: str = "",
    organiser: tuple[str, str],
    attendee: tuple[str, str],
    stamped_at: datetime,
) -> str:
    """One interview session as an iCalendar document for one attendee: a REQUEST (new or moved)
    or a CANCEL. Times are written in UTC; every calendar shows them in its own zone. `location`
    (a room or a video link, one line) becomes the event's LOCATION where one is given; the
    library escapes its commas, semicolons and backslashes, so it stays one text value."""
    calendar = Calendar()
    calendar.add("prodid", "-//Debrief//Interview day//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamped_at)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(*organiser))
    event.add(
        "attendee",
        _address(*attendee, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE"),
    )
    calendar.add_component(event)
    return calendar.to_ical().decode()
