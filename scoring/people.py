"""People, their roles, personal access codes and sign-in.

A coordinator issues a personal access code (random, shown once). Only a salted HMAC-SHA256 of it
is stored (why not a slow hash: see `_hash`), compared in constant time, outside any write
transaction. Wrong codes slow down only the client that types them (`scoring/throttle.py`): a
client that has made no failed attempt is never refused, so nobody can lock someone else out.
Failures are counted in bounded tables; a real person's are also logged, sparsely. Deactivating a
person ends their code. An identity that arrives already verified (single sign-on) maps to a
person by email the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from scoring import audit, outbox, throttle
from scoring.emails import check_email
from scoring.errors import InvalidInput, NotFound, SignInFailed, StorageFailed
from scoring.guards import Granted, guarded
from scoring.permissions import ROLE_TITLES, ROLES, Person, current
from scoring.queries import people as Q
from scoring.store import Store, now_utc, parse_stamp, stamp
from scoring.text import EMAIL_MAX, check_name

SESSION_IDLE = timedelta(hours=12)  # a sign-in ends after this long unused
SESSION_ABSOLUTE = timedelta(days=7)  # and after this long in any case
SESSION_TOUCH = timedelta(minutes=1)  # how often use is written down
# An alphabet without look-alikes (no 0/O, 1/I/L): codes are read off a screen and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 4  # 16 symbols: about 79 bits
# Codes stored before the tagged format are bare scrypt hashes at this cost. They still sign in,
# and the first sign-in stores the code again in the current format (`_remember`).
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
# Each scrypt hash needs 16 MiB (128 * r * n bytes). glibc keeps a freed block of that size in
# the malloc arena of the thread that used it, and gives busy threads arenas of their own: hashed
# in every session's thread, a burst of 30 sign-ins left about 250 MB behind. Two threads of their
# own (one per core: more would only share the cores) bound that to two blocks; a burst queues.
_HASHERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scrypt")
_TAG = b"h1:"  # the stored format: this tag, then HMAC-SHA256(key=salt, code)
_WRONG = "That email and code do not match. Check both and try again."


def roles_in_words(roles: Iterable[str]) -> str:
    """A person's roles as people say them, in the usual order: "Hiring manager, Committee
    member" (never the stored names, `hiring_manager`)."""
    held = set(roles)
    return ", ".join(ROLE_TITLES[r] for r in ROLES if r in held)


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInput(
            f"roles: unknown role {unknown[0]!r} (a role is one of "
            + ", ".join(f"{ROLE_TITLES[r].lower()} ({r})" for r in ROLES)
            + ")"
        )
    return roles


def _clean_email(email: str) -> str:
    return check_email("email", email)


def _insert_person(db, name: str, email: str, roles: list[str], at: datetime) -> int:
    name = check_name("name", name, "Write their name.")
    if db.execute(Q.EMAIL_TAKEN, [email]).fetchone():
        raise InvalidInput(f"email: {email} already belongs to someone")
    cursor = db.execute(Q.ADD_PERSON, [name, email, json.dumps(roles), stamp(at)])
    return cursor.lastrowid


def nobody_yet(store: Store) -> bool:
    """True on a fresh database: the first coordinator may still be created."""
    with store.read() as db:
        return db.execute(Q.COUNT_PEOPLE).fetchone()[0] == 0


def create_first_coordinator(
    store: Store, name: str, email: str, now: datetime | None = None
) -> tuple[Person, str]:
    """Create the first coordinator and their access code. Only while nobody exists."""
    return _start_organisation(store, None, name, _clean_email(email), now or now_utc())


@guarded("start_organisation", write=True)
def _start_organisation(g: Granted, name: str, email: str, at: datetime) -> tuple[Person, str]:
    # Asked by nobody (no one can be signed in yet): the guard's actor is None.
    person_id = _insert_person(g.db, name, email, ["coordinator"], at)
    code = _set_code(g.db, person_id, at)
    audit.record(g.db, person_id, "first_coordinator", f"person:{person_id}", at)
    return Person.from_row(_row(g.db, person_id)), code


@guarded("manage_people", write=True)
def add_person(
    g: Granted,
    name: str,
    email: str,
    roles: Iterable[str],
    now: datetime | None = None,
) -> Person:
    """A coordinator adds someone (no code yet: issue one with `issue_code`)."""
    at = now or now_utc()
    email, roles = _clean_email(email), _clean_roles(roles)
    person_id = _insert_person(g.db, name, email, roles, at)
    audit.record(g.db, g.actor.id, "add_person", f"person:{person_id}", at, roles=roles)
    return Person.from_row(_row(g.db, person_id))


@guarded("manage_people", write=True)
def update_person(
    g: Granted,
    person_id: int,
    *,
    name: str | None = None,
    roles: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Person:
    """A coordinator changes someone's name or roles."""
    at = now or now_utc()
    db, actor = g.db, g.actor
    _row(db, person_id)
    changes = {}
    if name is not None:
        changes["name"] = check_name("name", name, "Write their name.")
    if roles is not None:
        changes["roles"] = json.dumps(_clean_roles(roles))
    if "roles" in changes:  # new powers or fewer: every running sign-in starts again
        _end_sessions_of(db, person_id, at)
    if changes:
        db.execute(Q.update_person(list(changes)), [*changes.values(), person_id])
        audit.record(db, actor.id, "update_person", f"person:{person_id}", at, **changes)
    if "roles" in changes:  # mail written for a role they no longer hold is withdrawn
        outbox.recheck_mail(db, person_id, at, actor.id)
    return Person.from_row(_row(db, person_id))


@guarded("manage_people", write=True)
def set_active(g: Granted, person_id: int, active: bool, now: datetime | None = None) -> Person:
    """Deactivate (or reactivate) someone. Their history stays; they can no longer sign in."""
    at = now or now_utc()
    db, actor = g.db, g.actor
    _row(db, person_id)
    if actor.id == person_id and not active:
        raise InvalidInput("You cannot deactivate yourself.")
    db.execute(Q.SET_ACTIVE, [int(active), person_id])
    # A deactivated person's code dies with the deactivation: reactivating them needs a new
    # code, so an old one never comes back to life.
    db.execute(Q.DROP_CODE, [person_id])
    _end_sessions_of(db, person_id, at)
    audit.record(db, actor.id, "activate" if active else "deactivate", f"person:{person_id}", at)
    outbox.recheck_mail(db, person_id, at, actor.id)  # nothing waiting goes to who left
    return Person.from_row(_row(db, person_id))


def _row(db, person_id: int):
    row = db.execute(Q.PERSON, [person_id]).fetchone()
    if row is None:
        raise NotFound(f"No person with id {person_id}.")
    return row


def get_person(store: Store, person_id: int) -> Person:
    """One person by id."""
    with store.read() as db:
        return Person.from_row(_row(db, person_id))


@guarded("see_people")
def list_people(g: Granted) -> list[Person]:
    """Everyone, by name: the directory (names, emails, roles) is for coordinators."""
    return [Person.from_row(r) for r in g.db.execute(Q.EVERYONE).fetchall()]


@dataclass(frozen=True)
class PeoplePage:
    """One page of the directory: the people whose name or email matches, by name."""

    rows: list[Person]
    total: int  # matching, every page
    page: int
    pages: int


@guarded("see_people")
def find_people(g: Granted, text: str = "", *, page: int = 1, per_page: int = 50) -> PeoplePage:
    """The directory a page at a time, by name, narrowed to names or emails containing `text`:
    what the People screen lists and picks from (for coordinators, as `list_people`)."""
    matching, params = bool(text.strip()), []
    if matching:
        like = "%" + re.sub(r"([\\%_])", r"\\\1", text.strip()) + "%"
        params = [like, like]
    total = g.db.execute(Q.count_people(matching), params).fetchone()[0]
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = g.db.execute(
        Q.people_page(matching), [*params, per_page, (page - 1) * per_page]
    ).fetchall()
    return PeoplePage([Person.from_row(r) for r in rows], total, page, pages)


# -------------------------------------------------------------------------------- access codes


def _normalised(code: str) -> bytes:
    return code.strip().upper().replace("-", "").replace(" ", "").encode()


def _hash(code: str, salt: bytes) -> bytes:
    """What is stored of a code: a tag naming the format, then HMAC-SHA256 keyed by a random
    16-byte salt.

    Why not a slow hash (scrypt, as before): a slow hash protects secrets people choose, which
    fall to a dictionary. A code here is chosen by the machine, 16 symbols of 31 (about 79 random
    bits): whoever steals the table and tries a trillion HMACs a second needs about 10,000 years
    on average for one code, and the salt makes each code its own search. Online guessing is
    throttled before any hash (`scoring/throttle.py`). scrypt cost 50 ms of a core at every
    sign-in, a third of a rush's server time (issue 25); this costs a microsecond."""
    return _TAG + hmac.new(salt, _normalised(code), "sha256").digest()


def _legacy_hash(code: str, salt: bytes) -> bytes:
    """A code stored before the tagged format: a bare scrypt hash (two at a time, see above)."""
    return _HASHERS.submit(hashlib.scrypt, _normalised(code), salt=salt, **_SCRYPT).result()


_NO_LEGACY_CODES: set[str] = set()  # the databases seen with none left


def _legacy_codes_left(store: Store, db) -> bool:
    """Whether any code is still stored as scrypt. Once none is, none comes back (codes are only
    written in the current format), so this process stops asking that database."""
    if store.location in _NO_LEGACY_CODES:
        return False
    left = bool(db.execute(Q.LEGACY_CODES_LEFT).fetchone()[0])
    if not left:
        _NO_LEGACY_CODES.add(store.location)
    return left


def _matches(code: str, salt: bytes, stored: bytes) -> bool:
    stored = bytes(stored)
    made = _hash(code, salt) if stored.startswith(_TAG) else _legacy_hash(code, salt)
    return hmac.compare_digest(made, stored)


def new_code() -> str:
    """A random code like ``7KQF-92MX-D4RT-HWZ3``."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(
        symbols[i : i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)
    )


def _set_code(db, person_id: int, at: datetime, code: str | None = None) -> str:
    code = code or new_code()
    salt = secrets.token_bytes(16)
    db.execute(Q.SET_CODE, [person_id, _hash(code, salt), salt, stamp(at)])
    return code


@guarded("manage_people", write=True)
def issue_code(
    g: Granted, person_id: int, now: datetime | None = None, code: str | None = None
) -> str:
    """A coordinator issues (or resets) someone's access code. Returned once, never stored.
    `code` is for the demo generator only, whose codes are printed for everyone to use."""
    at = now or now_utc()
    if not _row(g.db, person_id)["active"]:
        raise InvalidInput("This person is deactivated: reactivate them first.")
    code = _set_code(g.db, person_id, at, code)
    _end_sessions_of(g.db, person_id, at)  # a new code: sign-ins with the old one end
    audit.record(g.db, g.actor.id, "issue_code", f"person:{person_id}", at)
    return code


def _who(email: str) -> str:
    """What the throttle keeps of a typed email: a hash, never the text (a stranger may type
    anything, of any length)."""
    return hashlib.sha256(email.strip().lower()[: EMAIL_MAX * 4].encode()).hexdigest()[:32]


def _typed(email: str) -> str:
    """A typed email as a message may repeat it: at most an email's length."""
    email = email.strip()
    return email if len(email) <= EMAIL_MAX else f"({len(email):,} characters, not kept)"


def throttle_delay(failures: int) -> timedelta:
    """How long to wait after `failures` wrong codes in a row from one client for one email:
    nothing for the first few, then doubling, at most 15 minutes."""
    return throttle.delay(failures)


def _in_words(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds()))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{seconds // 60} minutes"


# Attempts from one client run one at a time (the next one reads what the last one counted), so
# a burst of simultaneous guesses cannot all reach the slow hash before the first is counted.
# Striped: a client shares its lock with 1/64 of the others, who at worst wait one hash.
_CLIENT_LOCKS = [threading.Lock() for _ in range(64)]


def _client_lock(client: str) -> threading.Lock:
    return _CLIENT_LOCKS[int(hashlib.sha256(client.encode()).hexdigest()[:8], 16) % 64]


def sign_in(
    store: Store, email: str, code: str, now: datetime | None = None, client: str = "local"
) -> Person:
    """The person with this email and code, or SignInFailed.

    The hash runs outside any write transaction, so attempts never hold up anyone's save.
    Only failures slow anyone down, and only the client that made them (`scoring/throttle.py`:
    per email and client, per client, per email), with growing delays decided before the hash:
    a client that has made no failed attempt is never refused. Known and unknown emails get the
    same answer after the same work. On a read-only database a right code still signs in
    (read-only mode)."""
    at = now or now_utc()
    email, code = (email or "").strip(), code or ""
    who, client = _who(email), (client or "unknown")[: throttle.CLIENT_MAX]
    with _client_lock(client):
        with store.read() as db:
            wait = throttle.wait(db, who, client, at)
            person = secret = None
            if not wait and len(email) <= EMAIL_MAX:
                person = db.execute(Q.PERSON_BY_EMAIL, [email]).fetchone()
                secret = person and db.execute(Q.CODE_OF, [person["id"]]).fetchone()
            checking = person and secret and person["active"]
            legacy = checking and not bytes(secret["code_hash"]).startswith(_TAG)
            even_out = not wait and not legacy and _legacy_codes_left(store, db)
        if wait:
            raise SignInFailed(
                f"Too many wrong codes from this browser: wait {_in_words(wait)} and try again."
            )
        if checking:
            ok = _matches(code, secret["salt"], secret["code_hash"])
        else:
            _hash(code, b"0" * 16)  # the same work as a real check: timing does not tell who exists
            ok = False
        if even_out:  # while some codes are still scrypt, every check takes as long as theirs
            _legacy_hash(code, b"0" * 16)
        try:
            _remember(store, at, who, client, person, ok, secret if ok else None, code)
        except StorageFailed:
            # Read-only mode: nothing can be counted or logged. A right code still signs in; a
            # wrong one gets the usual answer (79-bit codes do not fall to unthrottled guessing).
            if not store.read_only:
                raise
    if not ok:
        raise SignInFailed(_WRONG)
    return Person.from_row(person)


def _remember(
    store: Store, at: datetime, who: str, client: str, person, ok: bool, secret=None, code=""
) -> None:
    """A right code clears this client's count for the email and is logged; one still stored as
    scrypt is stored again in the current format (unless it was changed meanwhile). A wrong one
    is counted (bounded tables, not the audit log); only for a real person's email is it logged
    too, at their 1st, 2nd, 4th, 8th, … failure of the day, whoever typed it."""
    with store.write() as db:
        if ok:
            throttle.clear(db, who, client)
            if not bytes(secret["code_hash"]).startswith(_TAG):
                salt = secrets.token_bytes(16)
                db.execute(
                    Q.REHASH_CODE, [_hash(code, salt), salt, person["id"], secret["code_hash"]]
                )
            audit.record(db, person["id"], "sign_in", f"person:{person['id']}", at, how="code")
            return
        kind = "a person's email" if person is not None else "an unknown email"
        failures = throttle.count_failure(db, who, client, at, kind)
        if person is not None and throttle.is_power_of_two(failures):
            audit.record(
                db,
                None,
                "sign_in_failed",
                f"person:{person['id']}",
                at,
                client=client,
                failures=failures,
            )


def sign_in_verified(store: Store, email: str, now: datetime | None = None) -> Person:
    """Map an email already verified by single sign-on to an active person. A refusal is
    counted, not logged, unless the email is a (deactivated) person's: then it is logged at
    their 1st, 2nd, 4th, … refusal of the day."""
    at = now or now_utc()
    with store.write() as db:
        row = db.execute(Q.PERSON_BY_EMAIL, [(email or "").strip()]).fetchone()
        if row and row["active"]:
            audit.record(db, row["id"], "sign_in", f"person:{row['id']}", at, how="sso")
        else:
            kind = "a company account of a person" if row else "a company account unknown here"
            failures = throttle.count_email_failure(db, _who(email or ""), at, kind)
            if row and throttle.is_power_of_two(failures):
                audit.record(
                    db,
                    None,
                    "sign_in_failed",
                    f"person:{row['id']}",
                    at,
                    how="sso",
                    failures=failures,
                )
    if not row or not row["active"]:
        raise SignInFailed(
            f"{_typed(email)} is not a Debrief user here. Ask a coordinator to add you."
        )
    return Person.from_row(row)


# ------------------------------------------------------------------------- sessions that last


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(store: Store, actor: Person, how: str, now: datetime | None = None) -> str:
    """A server-side session for someone who has just signed in: returns its random token
    (for the browser's cookie); only a hash of it is kept."""
    at = now or now_utc()
    token = secrets.token_urlsafe(32)
    with store.write() as db:
        actor = current(db, actor)
        db.execute(Q.START_SESSION, [_token_hash(token), actor.id, how, stamp(at), stamp(at)])
    return token


def session_person(store: Store, token: str | None, now: datetime | None = None) -> Person | None:
    """The person a session token signs in, or None: unknown, ended, idle for 12 hours, older
    than 7 days, or its person deactivated. Use is written down at most once a minute (and not
    at all in read-only mode)."""
    if not token or len(token) > 200:
        return None
    at = now or now_utc()
    with store.read() as db:
        row = db.execute(Q.SESSION, [_token_hash(token)]).fetchone()
        if row is None or row["ended_at"] or not row["active"]:
            return None
        created, seen = parse_stamp(row["session_created_at"]), parse_stamp(row["last_seen_at"])
        if at - created > SESSION_ABSOLUTE or at - seen > SESSION_IDLE:
            return None
        person = Person.from_row(row)
    if at - seen > SESSION_TOUCH and not store.read_only:
        with store.write() as db:
            db.execute(Q.TOUCH_SESSION, [stamp(at), _token_hash(token)])
    return person


def end_session(store: Store, token: str | None, now: datetime | None = None) -> None:
    """Sign out: the session ends, in every tab that carries it."""
    if not token:
        return
    with store.write() as db:
        db.execute(Q.END_SESSION, [stamp(now or now_utc()), _token_hash(token)])


def _end_sessions_of(db, person_id: int, at: datetime) -> None:
    db.execute(Q.END_SESSIONS_OF, [stamp(at), person_id])


def end_all_sessions(store: Store, actor: Person, now: datetime | None = None) -> int:
    """Sign out everywhere: every session of the actor ends. Returns how many did."""
    at = now or now_utc()
    with store.write() as db:
        actor = current(db, actor)
        ended = db.execute(Q.OPEN_SESSIONS_OF, [actor.id]).fetchone()[0]
        _end_sessions_of(db, actor.id, at)
        audit.record(db, actor.id, "sign_out_everywhere", f"person:{actor.id}", at, ended=ended)
    return ended
