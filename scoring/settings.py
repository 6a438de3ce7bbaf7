"""Debrief's settings outside the database: the secrets file (`.streamlit/secrets.toml`, or
``$DEBRIEF_SECRETS``), where the app is reached and the time zone messages use. Below both the
outbox (which writes messages) and the mail sender (which sends them), so neither imports the
other for them; the audit key is read from the same file (`scoring.keys`)."""

from __future__ import annotations

import os
import tomllib
import unicodedata
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scoring.paths import PROJECT_ROOT

DEFAULT_URL = "http://localhost:8501"


class SettingsProblem(ValueError):
    """The [smtp] or [app] settings are wrong; the message names the key."""


def secrets_path() -> Path | None:
    """The secrets file Debrief reads: ``$DEBRIEF_SECRETS``, else ``.streamlit/secrets.toml``
    in the working folder, then in the project, then in the home folder (as Streamlit looks)."""
    chosen = os.environ.get("DEBRIEF_SECRETS")
    if chosen:
        return Path(chosen)
    for folder in (Path.cwd(), PROJECT_ROOT, Path.home()):
        path = folder / ".streamlit" / "secrets.toml"
        if path.is_file():
            return path
    return None


def read_secrets(path: Path | None = None) -> dict[str, Any]:
    """The secrets file as a dict ({} when there is none); SettingsProblem when unreadable."""
    path = path or secrets_path()
    if path is None or not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsProblem(f"{path}: cannot be read: {exc}") from None


def app_url(path: Path | None = None) -> str:
    """Where the app is reached, for links in messages: ``$DEBRIEF_URL``, else [app] url."""
    url = os.environ.get("DEBRIEF_URL") or (read_secrets(path).get("app") or {}).get("url")
    return one_line(str(url or DEFAULT_URL), 500).rstrip("/")


def mail_zone(path: Path | None = None) -> tzinfo:
    """The time zone messages write times in ([app] timezone or $DEBRIEF_TZ; default UTC)."""
    name = os.environ.get("DEBRIEF_TZ") or (read_secrets(path).get("app") or {}).get("timezone")
    try:
        return ZoneInfo(str(name)) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def one_line(text: Any, limit: int = 200) -> str:
    """Text fit for a mail header or a subject: every line break and control character becomes
    a space, runs of space one, and at most `limit` characters (cut with an ellipsis)."""
    text = str(text)
    # Clean a growing prefix, not a whole megabyte: the cleaned prefix is a prefix of the cleaned
    # whole, so once it is longer than `limit` the cut is the same.
    size = max(limit * 2, 64)
    while True:
        head = text[:size]
        cleaned = "".join(
            " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in head
        )
        cleaned = " ".join(cleaned.split())
        if len(cleaned) > limit or size >= len(text):
            break
        size *= 4
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"
