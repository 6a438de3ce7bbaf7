"""Personal access codes: shown once, stored only as a salted slow hash, lockout that lifts."""

import sqlite3
from datetime import timedelta

import pytest

from scoring import audit, people
from scoring.errors import NotAllowed, SignInFailed
from scoring.store import Store, now_utc


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "codes.sqlite")


@pytest.fixture
def first(store):
    return people.create_first_coordinator(store, "Cora", "cora@example.com")


@pytest.fixture
def coordinator(first):
    return first[0]


@pytest.fixture
def code(first):
    return first[1]


def test_first_coordinator_only_while_nobody_exists(store, coordinator):
    assert coordinator.roles == {"coordinator"}
    with pytest.raises(NotAllowed, match="already has people"):
        people.create_first_coordinator(store, "Eve", "eve@example.com")


def test_right_code_signs_in_case_and_dashes_aside(store, coordinator, code):
    assert people.sign_in(store, "CORA@example.com", code).id == coordinator.id
    sloppy = code.replace("-", "").lower()
    assert people.sign_in(store, "cora@example.com", sloppy).id == coordinator.id


def test_wrong_code_or_unknown_email_fails_the_same_way(store, coordinator, code):
    with pytest.raises(SignInFailed, match="do not match") as wrong:
        people.sign_in(store, "cora@example.com", "AAAA-AAAA-AAAA-AAAA")
    with pytest.raises(SignInFailed) as unknown:
        people.sign_in(store, "nobody@example.com", code)
    assert str(wrong.value) == str(unknown.value)


def test_stored_value_is_a_salted_hash_not_the_code(store, coordinator, code):
    conn = sqlite3.connect(store.path)
    row = conn.execute("SELECT code_hash, salt FROM access_codes").fetchone()
    everything = "\n".join(conn.iterdump())
    conn.close()
    assert row[0].startswith(b"h1:") and len(row[0]) == 3 + 32 and len(row[1]) == 16
    plain = code.replace("-", "")
    assert code not in everything and plain not in everything
    for file in (store.path, store.path.with_name(store.path.name + "-wal")):
        if file.exists():
            assert plain.encode() not in file.read_bytes()


def test_same_code_twice_hashes_differently(store, coordinator, code):
    bo = people.add_person(store, coordinator, "Bo", "bo@example.com", ["interviewer"])
    people.issue_code(store, coordinator, bo.id, code="ABCD-EFGH-JKMN-PQRS")
    people.issue_code(store, coordinator, coordinator.id, code="ABCD-EFGH-JKMN-PQRS")
    conn = sqlite3.connect(store.path)
    hashes = {r[0] for r in conn.execute("SELECT code_hash FROM access_codes")}
    conn.close()
    assert len(hashes) == 2


def test_wrong_codes_slow_down_only_the_one_who_types_them(store, coordinator, code):
    start = now_utc()

    def attempt(typed, seconds, client="10.0.0.66"):
        when = start + timedelta(seconds=seconds)
        return people.sign_in(store, "cora@example.com", typed, now=when, client=client)

    for second in range(3):  # the first few are free
        with pytest.raises(SignInFailed, match="do not match"):
            attempt("WRONG", second)
    with pytest.raises(SignInFailed, match="do not match"):
        attempt("WRONG", 3)  # one second after the third: allowed, and now it doubles
    with pytest.raises(SignInFailed, match="wait 2 seconds"):
        attempt(code, 3)  # even the right code waits, from that browser
    # Cora, from her own browser, is not locked out by whoever is guessing
    assert attempt(code, 3, client="192.168.1.20").id == coordinator.id
    assert attempt(code, 6).id == coordinator.id  # after the wait, the right code works
    with pytest.raises(SignInFailed, match="do not match"):
        attempt("WRONG", 6)  # and the count started again
    with store.read() as db:
        # her 1st, 2nd and 4th failure (of 5): a real person's are logged sparsely
        assert len(audit.entries(db, "sign_in_failed")) == 3
        assert len(audit.entries(db, "sign_in")) == 2


def test_reset_code_replaces_the_old_one(store, coordinator, code):
    new = people.issue_code(store, coordinator, coordinator.id)
    assert new != code
    with pytest.raises(SignInFailed):
        people.sign_in(store, "cora@example.com", code)
    assert people.sign_in(store, "cora@example.com", new).id == coordinator.id


def test_deactivated_person_cannot_sign_in(store, coordinator, code):
    bo = people.add_person(store, coordinator, "Bo", "bo@example.com", ["interviewer"])
    code = people.issue_code(store, coordinator, bo.id)
    people.set_active(store, coordinator, bo.id, False)
    with pytest.raises(SignInFailed):
        people.sign_in(store, "bo@example.com", code)
    with pytest.raises(SignInFailed, match="not a Debrief user"):
        people.sign_in_verified(store, "bo@example.com")


def test_verified_email_maps_to_a_person(store, coordinator):
    assert people.sign_in_verified(store, "Cora@Example.com").id == coordinator.id
    with pytest.raises(SignInFailed, match=r"stranger@example\.com is not a Debrief user"):
        people.sign_in_verified(store, "stranger@example.com")


def test_only_a_coordinator_issues_codes_or_adds_people(store, coordinator, code):
    bo = people.add_person(store, coordinator, "Bo", "bo@example.com", ["interviewer"])
    with pytest.raises(NotAllowed, match="coordinator"):
        people.issue_code(store, bo, coordinator.id)
    with pytest.raises(NotAllowed, match=r"^Only a coordinator can do this\.$"):
        people.add_person(store, bo, "Eve", "eve@example.com", ["coordinator"])
