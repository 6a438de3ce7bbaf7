"""The privacy key: the key-encryption key that wraps every candidate's data key
(`scoring.personal`), held outside the database as the audit key is (`scoring.keys`).

Where Debrief looks, first found wins:

1. ``$DEBRIEF_PRIVACY_KEY``;
2. ``[privacy] key`` in the secrets file (``.streamlit/secrets.toml``);
3. the key file beside the database (``data/debrief.sqlite.privacy-key``), created owner-only at
   the first write to a SQLite database when neither is set. On PostgreSQL it is never kept
   beside the database: 1 or 2 must be set on every host.

A key is at least 32 characters of anything (``python -c "import secrets;
print(secrets.token_urlsafe(32))"``). The AES key is derived from it (HKDF-SHA256), and its
public id (`PrivacyKey.id`) is stored with every data key it wraps, so a wrong key is named as
such. Losing the privacy key loses every candidate's name, email and the texts about them; keep
it with the audit key (and back both up apart from the database).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from scoring.errors import DebriefError
from scoring.keys import new_key_file, read_key_file
from scoring.settings import SettingsProblem, read_secrets, secrets_path

ENV = "DEBRIEF_PRIVACY_KEY"
MIN_LENGTH = 32
SUFFIX = ".privacy-key"
MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class PrivacyKeyProblem(DebriefError):
    """The privacy key is missing, too short, or not the one the data keys are wrapped with;
    the message says which, and what to do."""


@dataclass(frozen=True)
class PrivacyKey:
    """One privacy key and where it was found."""

    secret: bytes = field(repr=False)
    source: str
    beside_database: bool = False

    @property
    def id(self) -> str:
        """A public name for this key (8 hex digits): the same key, the same id."""
        return hmac.new(self.secret, b"debrief privacy key id", hashlib.sha256).hexdigest()[:8]

    @property
    def aes_key(self) -> bytes:
        """The 256-bit AES key that wraps data keys, derived from the key's text."""
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"debrief privacy kek"
        ).derive(self.secret)


def key_file(db_path: Path) -> Path:
    """The key file beside a database: ``debrief.sqlite`` -> ``debrief.sqlite.privacy-key``."""
    return db_path.with_name(db_path.name + SUFFIX)


def from_text(text: str, source: str, beside_database: bool = False) -> PrivacyKey:
    """A key from its text, refused (naming `source`) when it is too short to be a secret."""
    text = text.strip()
    if len(text) < MIN_LENGTH:
        raise PrivacyKeyProblem(
            f"the privacy key in {source} is too short ({len(text)} characters): use at least"
            f" {MIN_LENGTH}, for example the output of {MAKE_ONE}"
        )
    return PrivacyKey(text.encode(), source, beside_database)


def configured(secrets_file: Path | None = None) -> PrivacyKey | None:
    """The key from ``$DEBRIEF_PRIVACY_KEY`` or ``[privacy] key`` in the secrets file, else
    None."""
    text = os.environ.get(ENV)
    if text:
        return from_text(text, f"${ENV}")
    path = secrets_file or secrets_path()
    if path is None or not path.is_file():
        return None
    try:
        privacy = read_secrets(path).get("privacy") or {}
    except SettingsProblem as exc:
        raise PrivacyKeyProblem(str(exc)) from None
    text = str(privacy.get("key") or "")
    return from_text(text, f"[privacy] key in {path}") if text else None


def find(db_path: Path | None) -> PrivacyKey | None:
    """The key for the database at `db_path` (None: a PostgreSQL database, never a file beside
    it), wherever it is kept; None when there is none. Never creates one."""
    key = configured()
    if key is not None or db_path is None:
        return key
    path = key_file(db_path)
    text = read_key_file(path, PrivacyKeyProblem, "privacy")
    return None if text is None else from_text(text, str(path), beside_database=True)


def create_file(db_path: Path) -> PrivacyKey:
    """Create the key file beside the database (owner-only), or read the one another process
    has just created; says so on standard error when it is new."""
    path = key_file(db_path)
    text = new_key_file(path)
    if text is None:
        found = find(db_path)
        if found is None:  # pragma: no cover - it exists
            raise PrivacyKeyProblem(f"the privacy key file {path} vanished")
        return found
    logging.getLogger("debrief").warning(
        "Debrief created its privacy key at %s (owner-only). Whoever can read the database and"
        " that file can read candidates' personal data: move the key to $%s or [privacy] key in"
        " .streamlit/secrets.toml, then delete the file (see README, 'Privacy').",
        path,
        ENV,
    )
    return from_text(text, str(path), beside_database=True)
