"""One-time sign-in nonces, shared by every server process through the database.

After a sign-in the page trades a nonce for its cookie (`ui/cookies.py`: POST /api/session);
behind a proxy with several server processes that request may reach another process than the
one that issued the nonce, so nonces live in the `sign_in_nonces` table, not in memory:

- a row is kept under a hash of the nonce, never the nonce itself;
- the session token is sealed (AES-GCM) under a key derived from the nonce (HKDF-SHA256), so a
  reader of the database file (or of a backup) learns no token: only the browser holding the
  nonce can open it, and only once;
- taking a nonce deletes its row in the statement that reads it, inside a write transaction:
  of two requests swapping one nonce at once, in any processes, exactly one gets the token;
- a nonce lives a minute; an expired one is refused, and expired rows are pruned whenever a
  nonce is issued.

A nonce is issued for one purpose, setting the cookie of a token or ending the session (`END`);
the purpose is part of the hash, so a nonce presented for the other purpose is not found and
is not used up.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from scoring.clock import now_utc, parse_stamp, stamp
from scoring.queries import nonces as Q
from scoring.store import Store

LIFETIME = timedelta(seconds=60)
END = ""  # what an end nonce stands for (a set nonce stands for its session token)
_SEAL_INFO = b"debrief sign-in nonce: seal"


def _hash(nonce: str, end: bool) -> str:
    purpose = b"end:" if end else b"set:"
    return hashlib.sha256(b"debrief sign-in nonce: id " + purpose + nonce.encode()).hexdigest()


def _key(nonce: str) -> bytes:
    # The nonce carries 192 random bits: HKDF (not a slow hash) is enough to make a key of it.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO).derive(
        nonce.encode()
    )


def seal(nonce: str, token: str, nonce_hash: str) -> bytes:
    """The token sealed under the nonce: 12 random bytes, then AES-GCM's ciphertext and tag
    (the row's hash is bound in as associated data)."""
    iv = os.urandom(12)
    return iv + AESGCM(_key(nonce)).encrypt(iv, token.encode(), nonce_hash.encode())


def unseal(nonce: str, sealed: bytes, nonce_hash: str) -> str | None:
    """The token `seal` sealed, or None when `sealed` was not sealed under this nonce."""
    try:
        opened = AESGCM(_key(nonce)).decrypt(sealed[:12], sealed[12:], nonce_hash.encode())
    except (InvalidTag, ValueError):
        return None
    return opened.decode()


def issue(store: Store, token: str | None, now: datetime | None = None) -> str:
    """A one-time nonce for the cookie of `token`, or (None) for ending the session; it must
    be taken within `LIFETIME`. Expired nonces are pruned on the way."""
    now = now or now_utc()
    nonce = secrets.token_urlsafe(24)
    end = token is None
    nonce_hash = _hash(nonce, end)
    sealed = seal(nonce, END if end else token, nonce_hash)
    with store.write() as db:
        db.execute(Q.PRUNE, [stamp(now)])
        db.execute(Q.ISSUE, [nonce_hash, sealed, stamp(now + LIFETIME)])
    return nonce


def take(store: Store, nonce: str, end: bool, now: datetime | None = None) -> str | None:
    """What a live nonce of this purpose stands for (the token, or `END`), using it up; None
    for a nonce never issued, already taken, expired, or issued for the other purpose."""
    if not nonce or len(nonce) > 200:
        return None
    nonce_hash = _hash(nonce, end)
    with store.write() as db:
        row = db.execute(Q.TAKE, [nonce_hash]).fetchone()
    if row is None or parse_stamp(row["expires_at"]) < (now or now_utc()):
        return None
    return unseal(nonce, bytes(row["sealed"]), nonce_hash)


def waiting(store: Store) -> int:
    """How many nonces are kept (live, or expired and not yet pruned)."""
    with store.read() as db:
        return db.execute(Q.COUNT).fetchone()[0]
