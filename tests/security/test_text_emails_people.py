"""Hostile email addresses and names for people (issue 22, attacks 6 and 8).

A person's email went into mail headers and calendar invitations after a check that only looked
for an @ and a space: a line break, quotes, a colon, U+2028 or a display name passed. People's
emails now go through the same `check_email` as candidates' (tests/security/test_text_emails.py
has the addresses), and their names are kept without direction overrides.
"""

from __future__ import annotations

import pytest
from test_text_emails import HOSTILE

from scoring import people
from scoring.errors import InvalidInput
from scoring.store import Store
from world import build, dump


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    # one organisation for the module: a refusal writes nothing (each test checks it)
    return build(tmp_path_factory.mktemp("people") / "people.sqlite")


@pytest.mark.parametrize("email", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_person_with_a_hostile_email_is_refused_and_nothing_is_written(world, email):
    before = dump(world.store)
    with pytest.raises(InvalidInput) as refused:
        people.add_person(world.store, world.coordinator, "Dana Data", email, ["interviewer"])
    assert str(refused.value).startswith(f"email: {email.strip()!r} is not an email address: ")
    assert dump(world.store) == before


@pytest.mark.parametrize("email", ["a\nb@example.org", "Cora <cora@example.org>", "c:d@x.org"])
def test_the_first_coordinator_too(tmp_path, email):
    store = Store(tmp_path / "first.sqlite")
    with pytest.raises(InvalidInput):
        people.create_first_coordinator(store, "Cora", email)
    assert people.nobody_yet(store)


def test_a_persons_email_is_kept_normalised_and_their_name_without_overrides(world):
    dana = people.add_person(
        world.store,
        world.coordinator,
        "Dana \u202eataD",
        " Dana.Data@Example.ORG ",
        ["interviewer"],
    )
    assert (dana.name, dana.email) == ("Dana ataD", "Dana.Data@example.org")
    renamed = people.update_person(world.store, world.coordinator, dana.id, name="\u202eDana")
    assert renamed.name == "Dana"
