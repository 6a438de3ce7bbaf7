"""Turning pydantic validation errors into phrases a person can act on.

Used by the rubric loader and the decision engine alike, so both speak the same way:
``criteria[2].weight must be > 0 (got 0)``.
"""

from __future__ import annotations

from typing import Any


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location written as in the file: ``criteria[2].anchors[3]``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif path and path[-1] == "]" and part.lstrip("-").isdigit():
            path += f"[{part}]"  # a dict key such as an anchor's point
        else:
            path += f".{part}" if path else str(part)
    return path


def _bound(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def phrase(error: Any) -> str:
    """A pydantic error as a short phrase a person can act on, e.g. ``must be > 0 (got 0)``."""
    kind, ctx, got = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "greater_than":
        return f"must be > {_bound(ctx['gt'])} (got {got!r})"
    if kind == "greater_than_equal":
        return f"must be >= {_bound(ctx['ge'])} (got {got!r})"
    if kind == "less_than_equal":
        return f"must be <= {_bound(ctx['le'])} (got {got!r})"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')} (got {got!r})"
    fixed = {
        "missing": "is required",
        "extra_forbidden": "is not a known field",
        "string_pattern_mismatch": "must be lowercase letters, digits and hyphens",
        "string_too_short": "must not be empty",
        "too_short": "must not be empty",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "string_type": "must be text",
        "dict_type": "must be a mapping",
        "list_type": "must be a list",
        "model_type": "must be a mapping of fields",
        "model_attributes_type": "must be a mapping of fields",
    }
    if kind in fixed:
        return fixed[kind] + (
            ""
            if kind in ("missing", "extra_forbidden", "string_too_short", "too_short")
            else f" (got {got!r})"
        )
    return str(error["msg"]).removeprefix("Value error, ")


class DebriefError(Exception):
    """Base of the errors the service raises; the message is meant for the person acting."""


class NotAllowed(DebriefError, PermissionError):
    """The acting person may not see or do this (yet); the message says why."""


class NotFound(DebriefError, LookupError):
    """No such person, opening, candidate, session or assignment."""


class InvalidInput(DebriefError, ValueError):
    """What was submitted breaks a rule; nothing was written. The message names the field."""


class SignInFailed(DebriefError):
    """Wrong email or code, or locked out for a while."""


class StorageFailed(DebriefError):
    """The database could not be read or written (disk full, read-only, damaged, busy). Nothing
    was half-written; the message says what happened and what to do."""


class HistoryBroken(DebriefError):
    """Stored history does not match its own hashes: it was changed outside Debrief. The message
    names the row; `python -m scoring verify` lists what else is wrong."""
