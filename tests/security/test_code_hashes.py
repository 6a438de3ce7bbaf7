"""What is stored of an access code (issue 25: the sign-in's scrypt was a third of a rush's
server time). A code is 16 random symbols of 31, about 79 bits, so a salted HMAC-SHA256 stands
up to a stolen table; codes stored before that format (bare scrypt) still sign in, are stored
again in the current format on their first sign-in, and while any is left every check does the
same scrypt work, so timing still does not tell which emails exist."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets

import pytest

from scoring import people
from scoring.errors import SignInFailed
from world import build

HOME, STRANGER = "198.51.100.1", "203.0.113.66"


@pytest.fixture
def org(tmp_path):
    return build(tmp_path / "codes.sqlite")


def stored(org, person_id: int) -> tuple[bytes, bytes]:
    with org.store.read() as db:
        row = db.execute(
            "SELECT code_hash, salt FROM access_codes WHERE person_id = ?", [person_id]
        ).fetchone()
    return bytes(row["code_hash"]), bytes(row["salt"])


def store_as_scrypt(org, person_id: int, code: str) -> None:
    """What the database held for a code issued before the tagged format."""
    salt = secrets.token_bytes(16)
    made = hashlib.scrypt(code.replace("-", "").encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    with org.store.write() as db:
        db.execute(
            "UPDATE access_codes SET code_hash = ?, salt = ? WHERE person_id = ?",
            [made, salt, person_id],
        )


def test_a_code_is_stored_salted_and_tagged_never_as_itself(org):
    same = "ABCD-EFGH-JKMN-PQRS"
    people.issue_code(org.store, org.coordinator, org.ana.id, code=same)
    people.issue_code(org.store, org.coordinator, org.bo.id, code=same)
    (ana, ana_salt), (bo, _) = stored(org, org.ana.id), stored(org, org.bo.id)
    assert ana.startswith(b"h1:") and len(ana) == 3 + 32
    assert ana != bo  # one code, two people: two salts, two hashes
    plain = same.replace("-", "").encode()
    assert plain not in ana and hashlib.sha256(plain).digest() not in ana
    assert ana[3:] == hmac.new(ana_salt, plain, "sha256").digest()
    signed = people.sign_in(org.store, "ana@example.com", "abcd efgh jkmn pqrs", client=HOME)
    assert signed.id == org.ana.id  # typed in lower case with spaces: the same code
    with pytest.raises(SignInFailed):
        people.sign_in(org.store, "ana@example.com", "ABCD-EFGH-JKMN-PQRT", client=HOME)


def test_a_code_stored_as_scrypt_signs_in_once_then_is_stored_anew(org):
    code = people.issue_code(org.store, org.coordinator, org.ana.id)
    store_as_scrypt(org, org.ana.id, code)
    legacy, _ = stored(org, org.ana.id)
    with pytest.raises(SignInFailed):  # a wrong code changes nothing
        people.sign_in(org.store, "ana@example.com", "WRONG-CODE", client=STRANGER)
    assert stored(org, org.ana.id)[0] == legacy
    assert people.sign_in(org.store, "ana@example.com", code, client=HOME).id == org.ana.id
    now, _ = stored(org, org.ana.id)
    assert now.startswith(b"h1:") and now != legacy
    assert people.sign_in(org.store, "ana@example.com", code, client=HOME).id == org.ana.id


def test_a_stale_rehash_does_not_undo_a_new_code(org):
    """A coordinator issues a new code while the old one is signing in: the sign-in's rehash of
    the old code must not bring the old code back."""
    old = people.issue_code(org.store, org.coordinator, org.ana.id)
    store_as_scrypt(org, org.ana.id, old)
    with org.store.read() as db:
        before = db.execute(
            "SELECT * FROM access_codes WHERE person_id = ?", [org.ana.id]
        ).fetchone()
        person = db.execute("SELECT * FROM people WHERE id = ?", [org.ana.id]).fetchone()
    new = people.issue_code(org.store, org.coordinator, org.ana.id)
    people._remember(org.store, people.now_utc(), "who", HOME, person, True, before, old)
    with pytest.raises(SignInFailed):
        people.sign_in(org.store, "ana@example.com", old, client=HOME)
    assert people.sign_in(org.store, "ana@example.com", new, client="192.0.2.9").id == org.ana.id


def test_while_scrypt_codes_are_left_every_check_does_the_same_work(org, monkeypatch):
    """Ana's code is still scrypt; Bo's is current; nobody@ does not exist. Each check, right or
    wrong, known or not, runs one scrypt while Ana's is left, and none after she signs in."""
    ana = people.issue_code(org.store, org.coordinator, org.ana.id)
    bo = people.issue_code(org.store, org.coordinator, org.bo.id)
    store_as_scrypt(org, org.ana.id, ana)
    slow = []
    real = people._legacy_hash
    monkeypatch.setattr(people, "_legacy_hash", lambda c, s: slow.append(1) or real(c, s))

    def work(email, code, client):
        slow.clear()
        with contextlib.suppress(SignInFailed):
            people.sign_in(org.store, email, code, client=client)
        return len(slow)

    attempts = [
        ("bo@example.com", bo, HOME),
        ("bo@example.com", "WRONG", "192.0.2.1"),
        ("nobody@example.com", "WRONG", "192.0.2.2"),
        ("ana@example.com", "WRONG", "192.0.2.3"),
    ]
    assert [work(*a) for a in attempts] == [1, 1, 1, 1]
    assert work("ana@example.com", ana, HOME) == 1  # and now it is stored anew
    assert [work(*a) for a in attempts] == [0, 0, 0, 0]
