"""Time as the database keeps it: the current moment in UTC to the second, and the ISO text
written for it. Below the store, the migrations and the audit log (all three write times), so
none of them imports another for it; `scoring.store` re-exports these names. (Local time on
screen is `ui/clock.py`.)"""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    """The current time, timezone-aware, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    """A datetime as the ISO text the database keeps (UTC)."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat()


def parse_stamp(text: str | None) -> datetime | None:
    """The inverse of `stamp`."""
    return datetime.fromisoformat(text) if text else None
