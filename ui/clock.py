"""Times as the viewer reads them: in their browser's time zone (`st.context.timezone`), with
the zone named. The database and the exports keep UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


def zone() -> tzinfo:
    """The viewer's time zone, or UTC when the browser did not say."""
    name = st.context.timezone
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def local(moment: datetime) -> datetime:
    """A stored (UTC) moment in the viewer's zone."""
    return moment.astimezone(zone())


def when(moment: datetime, fmt: str = "%a %d %b %H:%M") -> str:
    """``Fri 20 Nov 10:00 CET``: the moment in the viewer's zone, the zone named."""
    shown = local(moment)
    return f"{shown:{fmt}} {shown:%Z}"


def span(start: datetime, end: datetime) -> str:
    """``Fri 20 Nov 10:00-11:00 CET``."""
    first, last = local(start), local(end)
    return f"{first:%a %d %b %H:%M}-{last:%H:%M} {last:%Z}"


def today() -> date:
    """Today, where the viewer is."""
    return datetime.now(zone()).date()
