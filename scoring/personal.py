"""A candidate's personal data, sealed under a key of their own (issue 28).

Every candidate gets a random 256-bit data key the first time something personal to them is
written (`candidate_keys`); the key is stored wrapped (AES-GCM) under the privacy key, which is
held outside the database (`scoring.privacy_key`). What is personal to a candidate is stored
only sealed under their data key, as a *token* in the column that holds it::

    \x1fpd1:<candidate id>:<kind>:<base64url(nonce + AES-GCM ciphertext)>

(kinds: ``n`` their name, ``e`` email, ``p`` phone, ``t`` a text about them: scorecard
feedback and evidence, review notes, rationales, reasons, messages to or about them, drafts.)
The associated data binds a token to its candidate and its kind of value, so a token moved to
another candidate, or from a name to an email, does not open. History rows, and the digests
their audit entries record, hold the ciphertext only: nothing in the history commits to the
cleartext.

Reading is transparent: `Database.execute` (and PostgreSQL's) opens the tokens of every row it
returns through `Keyring`, so the service reads names and texts as before. Erasure deletes the
data key (`scoring.erasure`); from then on a token opens to what `ERASED` says for its kind
("Erased candidate #N" for a name), and no byte of the cleartext is left to find.

Text written before the privacy key (migration m014) is stored as it was typed; `reveal` passes
anything that is not a token through unchanged.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scoring import privacy_key
from scoring.clock import now_utc, stamp
from scoring.privacy_key import PrivacyKey, PrivacyKeyProblem
from scoring.queries import personal as Q

# The unit separator in front: a control character no one types into a one-line field (each
# refuses them), so nothing typed is ever taken for a token.
PREFIX = "\x1fpd1:"
KINDS = ("n", "e", "p", "t")
ERASED_TEXT = "(erased)"
_TOKEN = re.compile(r"\x1fpd1:(\d{1,19}):([nept]):([A-Za-z0-9_-]{24,})\Z")
# A statement that may return a sealed value names one of these columns (or selects `*`): only
# its rows go through the keyring (the others keep SQLite's own row type, at full speed).
_PERSONAL_COLUMN = re.compile(
    r"\*|\b(name|email|phone|feedback|evidence|notes?|rationale|reason|early_reason"
    r"|recusal_reason|withdrawal_reason|revision_reason|lift_reason|to_address|to_name|subject"
    r"|text_body|answer"
    r"|html_body|ics|logistical|performance|detail|content|last_error)\b",
    re.IGNORECASE,
)
_PERSONAL_SQL: dict[str, bool] = {}


def erased_name(candidate_id: int) -> str:
    """What an erased candidate is called everywhere."""
    return f"Erased candidate #{candidate_id}"


def erased_value(candidate_id: int, kind: str) -> str:
    """What a token of an erased candidate reads as: their name a placeholder, their email and
    phone empty, a text `ERASED_TEXT`."""
    if kind == "n":
        return erased_name(candidate_id)
    return "" if kind in ("e", "p") else ERASED_TEXT


def personal_sql(sql: str) -> bool:
    """Whether rows of `sql` may hold a token (it names a personal column, or selects `*`)."""
    found = _PERSONAL_SQL.get(sql)
    if found is None:
        found = _PERSONAL_SQL[sql] = _PERSONAL_COLUMN.search(sql) is not None
    return found


def is_token(value: Any) -> bool:
    """A sealed value (as stored)."""
    return isinstance(value, str) and value.startswith(PREFIX) and bool(_TOKEN.match(value))


def token_candidate(value: str) -> int | None:
    """The candidate a token belongs to, or None for anything else."""
    found = _TOKEN.match(value) if isinstance(value, str) else None
    return int(found.group(1)) if found else None


def _aad(candidate_id: int, kind: str) -> bytes:
    return f"{PREFIX}{candidate_id}:{kind}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _database_path(db: Any) -> Path | None:
    if getattr(db, "engine", "sqlite") == "postgresql":
        return None
    for row in db.conn.execute(Q.DATABASE_LIST).fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


class Keyring:
    """The data keys one connection has opened in its current unit of work (forgotten at the
    next: `forget`), and the privacy key that wraps them."""

    def __init__(self, db: Any):
        self.db = db
        self._keys: dict[int, AESGCM | None] = {}
        self._erased: set[int] = set()
        self._kek: PrivacyKey | None = None
        self._wrapped_with: str | None = None  # the privacy key id the stored data keys have

    def forget(self) -> None:
        """A new unit of work begins: data keys are read afresh (one may have been erased)."""
        self._keys.clear()
        self._erased.clear()
        self._wrapped_with = None

    def kek(self, create: bool = False) -> PrivacyKey:
        """The privacy key; on SQLite created beside the database at the first write."""
        if self._kek is None:
            key = privacy_key.configured()
            path = None if key is not None else _database_path(self.db)
            key = key or privacy_key.find(path)
            if key is None and create and path is not None:
                # only for a database that has no data key yet: a missing key file is never
                # quietly replaced (the data keys wrapped under the old one would be lost)
                wrapped = self.db.execute(Q.ANY_KEY).fetchone()
                if wrapped is None:
                    key = privacy_key.create_file(path)
                else:
                    raise PrivacyKeyProblem(
                        f"Debrief's privacy key is missing: candidates' data keys are wrapped"
                        f" with key {wrapped[0]}, and there is no ${privacy_key.ENV}, no"
                        f" [privacy] key in .streamlit/secrets.toml and no"
                        f" {privacy_key.key_file(path).name} beside the database. Nothing was"
                        " saved. Ask whoever runs Debrief to put the key back."
                    )
            if key is None:
                raise PrivacyKeyProblem(
                    f"Debrief's privacy key is not set: set ${privacy_key.ENV} or [privacy] key"
                    f" in .streamlit/secrets.toml ({privacy_key.MAKE_ONE} makes one) on every"
                    " host. Candidates' names and the texts about them cannot be read or"
                    " written without it; nothing was saved."
                )
            self._kek = key
        return self._kek

    def _unwrap(self, candidate_id: int, kek_id: str, wrapped: bytes) -> AESGCM:
        kek = self.kek()
        if kek_id != kek.id:
            raise PrivacyKeyProblem(
                f"Debrief's privacy key (key {kek.id}, from {kek.source}) is not the one"
                f" candidate {candidate_id}'s data key is wrapped with (key {kek_id}): set the"
                " right key"
            )
        try:
            data_key = AESGCM(kek.aes_key).decrypt(
                bytes(wrapped[:12]), bytes(wrapped[12:]), _aad(candidate_id, "k")
            )
        except InvalidTag:
            raise PrivacyKeyProblem(
                f"candidate {candidate_id}'s data key does not open under the privacy key"
                f" {kek.id}: it was changed or moved"
            ) from None
        return AESGCM(data_key)

    def key(self, candidate_id: int, create: bool = False) -> AESGCM | None:
        """The candidate's data key; None once erased (or never made). `create`: make one (in
        the caller's write unit) when there is none."""
        if candidate_id in self._keys and (self._keys[candidate_id] or not create):
            return self._keys[candidate_id]
        row = self.db.execute(Q.KEY, [candidate_id]).fetchone()
        found = self._unwrap(candidate_id, row[0], row[1]) if row else None
        if found is None and create:
            if self.db.execute(Q.ERASED, [candidate_id]).fetchone():
                raise PrivacyKeyProblem(
                    f"candidate {candidate_id} is erased: nothing personal is written about them"
                )
            kek = self.kek(create=True)
            self._same_key_as_stored(kek)
            data_key = AESGCM.generate_key(bit_length=256)
            nonce = os.urandom(12)
            wrapped = nonce + AESGCM(kek.aes_key).encrypt(nonce, data_key, _aad(candidate_id, "k"))
            self.db.execute(Q.ADD_KEY, [candidate_id, kek.id, wrapped, stamp(now_utc())])
            found = AESGCM(data_key)
        self._keys[candidate_id] = found
        return found

    def _same_key_as_stored(self, kek: PrivacyKey) -> None:
        """Refuse to wrap a new data key under another privacy key than the stored ones are
        (a wrong key set on one host would split the candidates in two)."""
        if self._wrapped_with is None:
            row = self.db.execute(Q.ANY_KEY).fetchone()
            self._wrapped_with = row[0] if row else kek.id
        if self._wrapped_with != kek.id:
            raise PrivacyKeyProblem(
                f"Debrief's privacy key (key {kek.id}, from {kek.source}) is not the one"
                f" candidates' data keys are wrapped with (key {self._wrapped_with}): set the"
                " right key. Nothing was saved."
            )

    def is_erased(self, candidate_id: int) -> bool:
        """The candidate was erased (an `erasures` row): their missing key is no accident."""
        if candidate_id not in self._erased:
            if not self.db.execute(Q.ERASED, [candidate_id]).fetchone():
                return False
            self._erased.add(candidate_id)
        return True

    def preload(self, candidate_ids: Iterable[int]) -> None:
        """Open the data keys of many candidates at once (one statement), before reading many
        of their sealed values."""
        wanted = sorted({int(i) for i in candidate_ids} - set(self._keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = {r[0]: r for r in self.db.execute(Q.KEYS, [json.dumps(chunk)]).fetchall()}
            for candidate_id in chunk:
                row = found.get(candidate_id)
                self._keys[candidate_id] = (
                    self._unwrap(candidate_id, row[1], row[2]) if row else None
                )
            missing = [i for i in chunk if self._keys[i] is None]
            if missing:
                erased = self.db.execute(Q.ERASED_OF, [json.dumps(missing)]).fetchall()
                self._erased.update(r[0] for r in erased)

    def seal(self, candidate_id: int, text: str, kind: str) -> str:
        """`text` sealed under the candidate's data key (made when there is none)."""
        aead = self.key(candidate_id, create=True)
        assert aead is not None
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, text.encode(), _aad(candidate_id, kind))
        return f"{PREFIX}{candidate_id}:{kind}:{_b64(nonce + sealed)}"

    def open(self, value: Any) -> Any:
        """A token's text (or what an erased candidate's reads as); anything else unchanged."""
        if not (isinstance(value, str) and value.startswith(PREFIX)):
            return value
        found = _TOKEN.match(value)
        if not found:
            return value
        candidate_id, kind = int(found.group(1)), found.group(2)
        aead = self.key(candidate_id)
        if aead is None:
            if not self.is_erased(candidate_id):
                raise PrivacyKeyProblem(
                    f"candidate {candidate_id}'s data key is missing, and they were never erased:"
                    " it was deleted behind Debrief's back (`python -m scoring verify` says so)"
                )
            return erased_value(candidate_id, kind)
        data = _unb64(found.group(3))
        try:
            return aead.decrypt(data[:12], data[12:], _aad(candidate_id, kind)).decode()
        except InvalidTag:
            raise PrivacyKeyProblem(
                f"a sealed value of candidate {candidate_id} does not open: it was changed, or"
                " moved from another candidate or column"
            ) from None

    def open_row(self, row: tuple) -> tuple:
        """A row's values with every token opened."""
        for value in row:
            if value.__class__ is str and value.startswith(PREFIX):
                return tuple(self.open(v) for v in row)
        return row


def keyring(db: Any) -> Keyring:
    """The connection's keyring."""
    ring = getattr(db, "keyring", None)
    if ring is None:
        ring = db.keyring = Keyring(db)
    return ring


def seal(db: Any, candidate_id: int, text: str | None, kind: str = "t") -> str | None:
    """`text` as stored: sealed under the candidate's data key. None and "" stay as they are
    (nothing personal in them), so "is there a text" still reads in SQL. Inside a write unit:
    the first seal for a candidate makes their data key."""
    if text is None or text == "":
        return text
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return keyring(db).seal(candidate_id, text, kind)


def seal_json(db: Any, candidate_id: int, value: Any) -> str:
    """A JSON value (a draft, an event's detail) sealed as one text."""
    return seal(db, candidate_id, json.dumps(value, sort_keys=True), "t") or ""


def reveal(db: Any, value: Any) -> Any:
    """A stored value opened (a token's text; anything else unchanged). Rows read through
    `db.execute` are already opened: this is for values nested in JSON (an audit entry's
    detail)."""
    return keyring(db).open(value)


def reveal_detail(db: Any, detail: dict[str, Any]) -> dict[str, Any]:
    """An audit entry's detail with every sealed value in it opened."""
    return {k: reveal(db, v) for k, v in detail.items()}


def has_key(db: Any, candidate_id: int) -> bool:
    """The candidate has a data key (something personal to them was written, and they are not
    erased)."""
    return db.execute(Q.KEY, [candidate_id]).fetchone() is not None


class Opened:
    """A cursor whose rows come with their tokens opened, read a chunk at a time: the data keys
    of a chunk's candidates are read in one statement (`Keyring.preload`), so a page listing
    fifty candidates reads their keys once, not fifty times. Reads like the cursor it wraps."""

    CHUNK = 256

    def __init__(self, cursor: Any, ring: Keyring, make_row: Callable[[tuple], Any]):
        self._cursor, self._ring, self._make = cursor, ring, make_row
        self._ready: deque = deque()
        self._done = False

    @property
    def description(self) -> Any:
        """The columns of its rows."""
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        """The rows the statement changed (or returned)."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The new row's id, after an insert."""
        return self._cursor.lastrowid

    def _fill(self) -> bool:
        if self._done:
            return False
        raw = self._cursor.fetchmany(self.CHUNK) if self._cursor.description else []
        if not raw:
            self._done = True
            return False
        wanted = {
            found
            for row in raw
            for value in row
            if value.__class__ is str
            and value.startswith(PREFIX)
            and (found := token_candidate(value)) is not None
        }
        if wanted:
            self._ring.preload(wanted)
        self._ready.extend(self._make(self._ring.open_row(tuple(row))) for row in raw)
        return True

    def fetchone(self) -> Any:
        """The next row, or None."""
        if not self._ready and not self._fill():
            return None
        return self._ready.popleft()

    def fetchmany(self, size: int = 1) -> list:
        """Up to `size` more rows."""
        rows: list = []
        while len(rows) < size and (self._ready or self._fill()):
            rows.append(self._ready.popleft())
        return rows

    def fetchall(self) -> list:
        """Every row left."""
        while self._fill():
            pass
        rows = list(self._ready)
        self._ready.clear()
        return rows

    def __iter__(self) -> Iterator[Any]:
        while self._ready or self._fill():
            yield self._ready.popleft()

    def close(self) -> None:
        """Done with its rows."""
        self._cursor.close()


def opened_sqlite(db: Any, cursor: Any) -> Opened:
    """A SQLite cursor (its row factory none: plain tuples) read as sqlite3.Row, opened."""
    import sqlite3

    return Opened(cursor, keyring(db), lambda values: sqlite3.Row(cursor, values))
