"""The audit key: the secret that signs the audit log, held outside the database.

Where Debrief looks, first found wins:

1. ``$DEBRIEF_AUDIT_KEY``;
2. ``[audit] key`` in the secrets file (``.streamlit/secrets.toml``, the one mail reads);
3. the key file beside the database (``data/debrief.sqlite.audit-key``).

A key is at least 32 characters of anything (``python -c "import secrets;
print(secrets.token_urlsafe(32))"`` makes one). When none is set, the first write to a new
database (or to one from before the key) creates the key file, readable by its owner only (mode
0600), and says so once on standard error. That file sits next to the database, so whoever can
write the database can usually read it too: the guarantee needs the key moved to 1 or 2 (and
the file deleted), and `verify` says so while it is not.

Each key has a public id (`AuditKey.id`, derived from the key; it reveals nothing of it) that
every signed audit entry carries, so a wrong key is named as such.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scoring.errors import DebriefError
from scoring.settings import SettingsProblem, read_secrets, secrets_path

ENV = "DEBRIEF_AUDIT_KEY"
MIN_LENGTH = 32
SUFFIX = ".audit-key"
MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class AuditKeyProblem(DebriefError):
    """The audit key is missing, too short, or not the one the history was written with; the
    message says which, and what to do."""


@dataclass(frozen=True)
class AuditKey:
    """One audit key and where it was found."""

    secret: bytes = field(repr=False)
    source: str
    beside_database: bool = False

    @property
    def id(self) -> str:
        """A public name for this key (8 hex digits): the same key, the same id."""
        return hmac.new(self.secret, b"debrief audit key id", hashlib.sha256).hexdigest()[:8]

    def sign(self, body: bytes) -> str:
        """HMAC-SHA256 of `body` under this key, as hex."""
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()


def key_file(db_path: Path) -> Path:
    """The key file beside a database: ``debrief.sqlite`` -> ``debrief.sqlite.audit-key``."""
    return db_path.with_name(db_path.name + SUFFIX)


def from_text(text: str, source: str, beside_database: bool = False) -> AuditKey:
    """A key from its text, refused (naming `source`) when it is too short to be a secret."""
    text = text.strip()
    if len(text) < MIN_LENGTH:
        raise AuditKeyProblem(
            f"the audit key in {source} is too short ({len(text)} characters): use at least"
            f" {MIN_LENGTH}, for example the output of {MAKE_ONE}"
        )
    return AuditKey(text.encode(), source, beside_database)


_override = threading.local()


@contextmanager
def using(key: AuditKey) -> Iterator[None]:
    """Sign and check with `key` inside the block, wherever the database is (a backup being
    checked or a restore on a temporary copy uses the live database's key)."""
    before = getattr(_override, "key", None)
    _override.key = key
    try:
        yield
    finally:
        _override.key = before


def configured(secrets_file: Path | None = None) -> AuditKey | None:
    """The key from ``$DEBRIEF_AUDIT_KEY`` or ``[audit] key`` in the secrets file, else None."""
    override = getattr(_override, "key", None)
    if override is not None:
        return override
    text = os.environ.get(ENV)
    if text:
        return from_text(text, f"${ENV}")
    path = secrets_file or secrets_path()
    if path is None or not path.is_file():
        return None
    text = _secrets_key(path, path.stat().st_mtime_ns)
    return from_text(text, f"[audit] key in {path}") if text else None


_SECRETS: dict[tuple[Path, int], str] = {}


def _secrets_key(path: Path, mtime: int) -> str:
    if (path, mtime) not in _SECRETS:
        try:
            audit = read_secrets(path).get("audit") or {}
        except SettingsProblem as exc:
            raise AuditKeyProblem(str(exc)) from None
        _SECRETS[(path, mtime)] = str(audit.get("key") or "")
    return _SECRETS[(path, mtime)]


def read_key_file(path: Path, problem: type[Exception], what: str) -> str | None:
    """The text of a key file beside a database; None when there is none (`problem`, naming
    `what` key it is, when it cannot be read). The audit key's and the privacy key's."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise problem(f"the {what} key file {path} cannot be read: {exc}") from None


def new_key_file(path: Path) -> str | None:
    """Create a key file (owner-only) with a fresh random key and return its text; None when
    another process has just created it (read that one)."""
    text = secrets.token_urlsafe(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return text


def find(db_path: Path) -> AuditKey | None:
    """The key for the database at `db_path`, wherever it is kept; None when there is none.
    Never creates one."""
    key = configured()
    if key is not None:
        return key
    path = key_file(db_path)
    text = read_key_file(path, AuditKeyProblem, "audit")
    return None if text is None else from_text(text, str(path), beside_database=True)


def create_file(db_path: Path) -> AuditKey:
    """Create the key file beside the database (owner-only), or read the one another process
    has just created; says so on standard error when it is new."""
    path = key_file(db_path)
    text = new_key_file(path)
    if text is None:
        found = find(db_path)
        if found is None:  # pragma: no cover - it exists
            raise AuditKeyProblem(f"the audit key file {path} vanished")
        return found
    logging.getLogger("debrief").warning(
        "Debrief created its audit key at %s (owner-only). Whoever can write the database can"
        " usually read that file too: move the key to $%s or [audit] key in"
        " .streamlit/secrets.toml, then delete the file (see README, 'The audit key').",
        path,
        ENV,
    )
    return from_text(text, str(path), beside_database=True)


def replace_file(db_path: Path, text: str) -> None:
    """Write a new key into the key file beside the database (atomically, owner-only)."""
    path = key_file(db_path)
    fresh = path.with_name(path.name + ".new")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(fresh, path)


def new_key_text() -> str:
    """A fresh random key (43 characters)."""
    return secrets.token_urlsafe(32)
