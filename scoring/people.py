"""People, their roles, personal access codes and sign-in.

A coordinator issues a personal access code (random, shown once). Only a salted scrypt hash is
stored, compared in constant time. Five wrong codes in a row lock the person out for 15 minutes;
every failure and every lockout is in the audit log. An identity that arrives already verified
(single sign-on) maps to a person by email the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from scoring import audit
from scoring.errors import InvalidInput, NotFound, SignInFailed
from scoring.permissions import ROLES, Person, current, ensure, organisation
from scoring.store import Store, now_utc, parse_stamp, stamp

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
# An alphabet without look-alikes (no 0/O, 1/I/L): codes are read off a screen and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 4  # 16 symbols: about 79 bits
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_WRONG = "That email and code do not match. Check both and try again."


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInput(
            f"roles: unknown role {unknown[0]!r} (expected one of {', '.join(ROLES)})"
        )
    return roles


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise InvalidInput(f"email: {email!r} is not an email address")
    return email


def _insert_person(db, name: str, email: str, roles: list[str], at: datetime) -> int:
    if not (name or "").strip():
        raise InvalidInput("name: must not be empty")
    if db.execute("SELECT 1 FROM people WHERE email = ? COLLATE NOCASE", [email]).fetchone():
        raise InvalidInput(f"email: {email} already belongs to someone")
    cursor = db.execute(
        "INSERT INTO people (name, email, roles, created_at) VALUES (?, ?, ?, ?)",
        [name.strip(), email, json.dumps(roles), stamp(at)],
    )
    return cursor.lastrowid


def nobody_yet(store: Store) -> bool:
    """True on a fresh database: the first coordinator may still be created."""
    with store.read() as db:
        return db.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0


def create_first_coordinator(
    store: Store, name: str, email: str, now: datetime | None = None
) -> tuple[Person, str]:
    """Create the first coordinator and their access code. Only while nobody exists."""
    at = now or now_utc()
    email = _clean_email(email)
    with store.write() as db:
        ensure(None, "start_organisation", organisation(db))
        person_id = _insert_person(db, name, email, ["coordinator"], at)
        code = _set_code(db, person_id, at)
        audit.record(db, person_id, "first_coordinator", f"person:{person_id}", at)
    return get_person(store, person_id), code


def add_person(
    store: Store,
    actor: Person,
    name: str,
    email: str,
    roles: Iterable[str],
    now: datetime | None = None,
) -> Person:
    """A coordinator adds someone (no code yet: issue one with `issue_code`)."""
    at = now or now_utc()
    email, roles = _clean_email(email), _clean_roles(roles)
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_people", organisation(db))
        person_id = _insert_person(db, name, email, roles, at)
        audit.record(db, actor.id, "add_person", f"person:{person_id}", at, roles=roles)
    return get_person(store, person_id)


def update_person(
    store: Store,
    actor: Person,
    person_id: int,
    *,
    name: str | None = None,
    roles: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Person:
    """A coordinator changes someone's name or roles."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_people", organisation(db))
        _row(db, person_id)
        changes = {}
        if name is not None:
            if not name.strip():
                raise InvalidInput("name: must not be empty")
            changes["name"] = name.strip()
        if roles is not None:
            changes["roles"] = json.dumps(_clean_roles(roles))
        if changes:
            sets = ", ".join(f"{column} = ?" for column in changes)
            db.execute(f"UPDATE people SET {sets} WHERE id = ?", [*changes.values(), person_id])
            audit.record(db, actor.id, "update_person", f"person:{person_id}", at, **changes)
    return get_person(store, person_id)


def set_active(
    store: Store, actor: Person, person_id: int, active: bool, now: datetime | None = None
) -> Person:
    """Deactivate (or reactivate) someone. Their history stays; they can no longer sign in."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_people", organisation(db))
        _row(db, person_id)
        if actor.id == person_id and not active:
            raise InvalidInput("You cannot deactivate yourself.")
        db.execute("UPDATE people SET active = ? WHERE id = ?", [int(active), person_id])
        audit.record(
            db, actor.id, "activate" if active else "deactivate", f"person:{person_id}", at
        )
    return get_person(store, person_id)


def _row(db, person_id: int):
    row = db.execute("SELECT * FROM people WHERE id = ?", [person_id]).fetchone()
    if row is None:
        raise NotFound(f"No person with id {person_id}.")
    return row


def get_person(store: Store, person_id: int) -> Person:
    """One person by id."""
    with store.read() as db:
        return Person.from_row(_row(db, person_id))


def list_people(store: Store, actor: Person) -> list[Person]:
    """Everyone, by name: the directory (names, emails, roles) is for coordinators."""
    with store.read() as db:
        ensure(current(db, actor), "see_people", organisation(db))
        rows = db.execute("SELECT * FROM people ORDER BY name COLLATE NOCASE").fetchall()
    return [Person.from_row(r) for r in rows]


# -------------------------------------------------------------------------------- access codes


def _hash(code: str, salt: bytes) -> bytes:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.scrypt(normalised.encode(), salt=salt, **_SCRYPT)


def new_code() -> str:
    """A random code like ``7KQF-92MX-D4RT-HWZ3``."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(
        symbols[i : i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)
    )


def _set_code(db, person_id: int, at: datetime, code: str | None = None) -> str:
    code = code or new_code()
    salt = secrets.token_bytes(16)
    db.execute(
        """INSERT INTO access_codes (person_id, code_hash, salt, issued_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (person_id) DO UPDATE SET code_hash = excluded.code_hash,
             salt = excluded.salt, issued_at = excluded.issued_at,
             failed_attempts = 0, locked_until = NULL""",
        [person_id, _hash(code, salt), salt, stamp(at)],
    )
    return code


def issue_code(
    store: Store,
    actor: Person,
    person_id: int,
    now: datetime | None = None,
    code: str | None = None,
) -> str:
    """A coordinator issues (or resets) someone's access code. Returned once, never stored.
    `code` is for the demo generator only, whose codes are printed for everyone to use."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        ensure(actor, "manage_people", organisation(db))
        if not _row(db, person_id)["active"]:
            raise InvalidInput("This person is deactivated: reactivate them first.")
        code = _set_code(db, person_id, at, code)
        audit.record(db, actor.id, "issue_code", f"person:{person_id}", at)
    return code


def sign_in(store: Store, email: str, code: str, now: datetime | None = None) -> Person:
    """The person with this email and code, or SignInFailed (wrong, locked or inactive).
    A failure is committed (counted and logged) before it is raised."""
    at = now or now_utc()
    with store.write() as db:
        person, refusal = _check_code(db, (email or "").strip(), code or "", at)
    if refusal:
        raise SignInFailed(refusal)
    return person


def _check_code(db, email: str, code: str, at: datetime) -> tuple[Person | None, str | None]:
    person = db.execute("SELECT * FROM people WHERE email = ? COLLATE NOCASE", [email]).fetchone()
    secret = (
        person
        and db.execute("SELECT * FROM access_codes WHERE person_id = ?", [person["id"]]).fetchone()
    )
    if not person or not secret or not person["active"]:
        _hash(code, b"0" * 16)  # the same time as a real check: timing does not tell who exists
        audit.record(db, None, "sign_in_failed", f"email:{email}", at, why="unknown or inactive")
        return None, _WRONG
    subject = f"person:{person['id']}"
    locked_until = parse_stamp(secret["locked_until"])
    if locked_until and at < locked_until:
        audit.record(db, person["id"], "sign_in_locked", subject, at)
        return None, f"Too many wrong codes: signing in is locked until {locked_until:%H:%M} UTC."
    if hmac.compare_digest(_hash(code, secret["salt"]), secret["code_hash"]):
        db.execute(
            "UPDATE access_codes SET failed_attempts = 0, locked_until = NULL WHERE person_id = ?",
            [person["id"]],
        )
        audit.record(db, person["id"], "sign_in", subject, at, how="code")
        return Person.from_row(person), None
    # A lock that has run out starts the count again.
    failures = (0 if locked_until else secret["failed_attempts"]) + 1
    lock = stamp(at + LOCKOUT) if failures >= MAX_FAILURES else None
    db.execute(
        "UPDATE access_codes SET failed_attempts = ?, locked_until = ? WHERE person_id = ?",
        [0 if lock else failures, lock, person["id"]],
    )
    audit.record(db, person["id"], "sign_in_failed", subject, at, failures=failures, locked=lock)
    if lock:
        audit.record(db, person["id"], "locked_out", subject, at, until=lock)
        return None, "Too many wrong codes: signing in is locked for 15 minutes."
    return None, _WRONG


def sign_in_verified(store: Store, email: str, now: datetime | None = None) -> Person:
    """Map an email already verified by single sign-on to an active person."""
    at = now or now_utc()
    with store.write() as db:
        row = db.execute(
            "SELECT * FROM people WHERE email = ? COLLATE NOCASE", [(email or "").strip()]
        ).fetchone()
        if row and row["active"]:
            audit.record(db, row["id"], "sign_in", f"person:{row['id']}", at, how="sso")
        else:
            audit.record(db, None, "sign_in_failed", f"email:{email}", at, how="sso")
    if not row or not row["active"]:
        raise SignInFailed(f"{email} is not a Debrief user here. Ask a coordinator to add you.")
    return Person.from_row(row)
