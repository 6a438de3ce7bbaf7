"""How long Debrief keeps a candidate who is no longer in process (issue 28): the
``[retention]`` table of the secrets file (`.streamlit/secrets.toml`, or ``$DEBRIEF_SECRETS``)::

    [retention]
    rejected_days = 180    # after the final decision not to hire, or a rejection at a stage
    withdrawn_days = 180   # after the candidate withdrew (or declined the offer)
    hired_days = 0         # after the hire; 0 keeps them: retention never erases a hire
    notice_days = 7        # coordinators are told this long before anyone is erased

Every period counts whole days from the moment of the decision or the withdrawal. A period of 0
keeps that kind of candidate: retention never erases them (the default for hires, whose record
the employer keeps as an employee's). Each value may also be set with
``$DEBRIEF_RETENTION_<KEY>`` (e.g. ``DEBRIEF_RETENTION_REJECTED_DAYS=90``), which wins over the
file. A value that is not a whole number of days from 0 to `MAX_DAYS` is refused with the key it
is under: a typo must not erase early, nor keep for ever.

Retention is off until it is configured (`configured`): without a ``[retention]`` table and
without any ``$DEBRIEF_RETENTION_<KEY>``, nothing is noticed or erased (`NOT_CONFIGURED` says
so). Once it is, the defaults above apply to every key not given: an empty ``[retention]``
turns retention on with them. A ``$DEBRIEF_RETENTION_...`` variable that names no setting is
refused like an unknown key."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scoring.errors import DebriefError
from scoring.settings import SettingsProblem, read_secrets

MAX_DAYS = 36_500  # a century: more is a typo
KEYS = ("rejected_days", "withdrawn_days", "hired_days", "notice_days")
PREFIX = "DEBRIEF_RETENTION_"
NOT_CONFIGURED = (
    "retention is not configured: add [retention] to .streamlit/secrets.toml (see README,"
    " Retention)"
)


class RetentionSettingsProblem(SettingsProblem, DebriefError):
    """The [retention] settings are wrong; the message names the key. Nothing is erased or
    noticed while they are."""


@dataclass(frozen=True)
class RetentionSettings:
    """How many days each kind of candidate is kept after their process ended (0: kept), and
    how many days' notice coordinators get before an erasure."""

    rejected_days: int = 180
    withdrawn_days: int = 180
    hired_days: int = 0
    notice_days: int = 7

    def days_for(self, kind: str) -> int:
        """The period of a kind of ending: "rejected", "withdrawn" or "hired" (0: kept)."""
        return {
            "rejected": self.rejected_days,
            "withdrawn": self.withdrawn_days,
            "hired": self.hired_days,
        }[kind]

    @property
    def periods(self) -> list[int]:
        """The periods that erase (non-zero), shortest first."""
        return sorted(d for d in (self.rejected_days, self.withdrawn_days, self.hired_days) if d)

    def as_dict(self) -> dict[str, int]:
        """The settings as the audit entry of a run records them."""
        return asdict(self)

    def words(self) -> str:
        """The settings in a sentence, for Status and the notice mail."""

        def kept(days: int, after: str) -> str:
            return f"{days} days after {after}" if days else "kept (never erased by retention)"

        return (
            f"Rejected: {kept(self.rejected_days, 'the decision')}. Withdrawn:"
            f" {kept(self.withdrawn_days, 'the withdrawal')}. After a hire:"
            f" {kept(self.hired_days, 'the decision')}. Coordinators are told"
            f" {self.notice_days} days before."
        )


def _days(key: str, value: Any, where: str) -> int:
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit():
            raise RetentionSettingsProblem(
                f"{where} {key}: must be a whole number of days, 0 or more (got {value!r})"
            )
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RetentionSettingsProblem(
            f"{where} {key}: must be a whole number of days, 0 or more (got {value!r})"
        )
    if value < 0 or value > MAX_DAYS:
        raise RetentionSettingsProblem(
            f"{where} {key}: must be from 0 to {MAX_DAYS:,} days (got {value})"
        )
    return value


def _variables() -> dict[str, str]:
    """The $DEBRIEF_RETENTION_<KEY> variables set (not empty), by key. Raises
    `RetentionSettingsProblem` for one that names no setting."""
    chosen = {}
    for variable, value in os.environ.items():
        if not variable.startswith(PREFIX) or not value.strip():
            continue
        key = {k.upper(): k for k in KEYS}.get(variable[len(PREFIX) :])
        if key is None:
            raise RetentionSettingsProblem(
                f"${variable}: not a setting (the settings are"
                f" {', '.join(PREFIX + k.upper() for k in KEYS)})"
            )
        chosen[key] = value
    return chosen


def _table(path: Path | None) -> dict[str, Any] | None:
    """The [retention] table (None when there is none), its keys checked."""
    table = read_secrets(path).get("retention")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise RetentionSettingsProblem("[retention]: must be a table of settings")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise RetentionSettingsProblem(
            f"[retention] {unknown[0]}: not a setting (the settings are {', '.join(KEYS)})"
        )
    return table


def _settings(table: dict[str, Any], variables: dict[str, str]) -> RetentionSettings:
    chosen: dict[str, int] = {}
    for key in KEYS:
        if key in variables:
            chosen[key] = _days(key, variables[key], f"${PREFIX}{key.upper()}:")
        elif key in table:
            chosen[key] = _days(key, table[key], "[retention]")
    return RetentionSettings(**chosen)


def configured(path: Path | None = None) -> RetentionSettings | None:
    """The [retention] settings when retention is configured (a [retention] table, even an
    empty one, or a $DEBRIEF_RETENTION_<KEY> variable; the defaults for the keys not given), or
    None: retention is off (`NOT_CONFIGURED`). Raises `RetentionSettingsProblem` as
    `retention_settings` does."""
    table, variables = _table(path), _variables()
    if table is None and not variables:
        return None
    return _settings(table or {}, variables)


def retention_settings(path: Path | None = None) -> RetentionSettings:
    """The [retention] settings, the defaults where a key is not set, configured or not (what
    a candidate's due date would be; whether retention runs at all is `configured`). Raises
    `RetentionSettingsProblem`, naming the key, for a value that is not a whole number of days
    from 0 to `MAX_DAYS`, an unknown key (a misspelt one would silently keep the default), or a
    [retention] that is not a table."""
    return _settings(_table(path) or {}, _variables())
