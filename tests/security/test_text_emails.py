"""Hostile email addresses (issue 22, attack 6).

The email check accepted an address holding a line break, quotes, a colon or U+2028, and a
display name around an address: each can become a second header line, a second recipient or a
forged name wherever the address is written (mail headers, calendar invitations, CSV rows,
screens). Every address is now checked by `email-validator` (no DNS: the app may be offline)
and kept normalised, for candidates added one by one and imported from a file. People's emails
go through the same `check_email` (tests/security/test_text_emails_people.py).
"""

from __future__ import annotations

import pytest

from scoring import candidates_csv, openings
from scoring.emails import check_email
from scoring.errors import InvalidInput
from world import build, dump

HOSTILE = {
    "line feed": "a\nb@example.org",
    "header injection": "ana@example.org\r\nBcc: eve@evil.example",
    "carriage return": "ana\r@example.org",
    "line separator U+2028": "ana\u2028bcc@example.org",
    "paragraph separator U+2029": "ana@exam\u2029ple.org",
    "quoted local part": '"ana"@example.org',
    "quoted with a space": '"ana lee"@example.org',
    "quote inside": 'an"a@example.org',
    "colon": "ana:bcc@example.org",
    "colon after the domain": "ana@example.org:25",
    "display name": '"Ana"<ana@example.org>',
    "display name with a space": "Ana Alvarez <ana@example.org>",
    "angle brackets": "<ana@example.org>",
    "two addresses": "ana@example.org,eve@evil.example",
    "two at signs": "ana@eve@example.org",
    "right-to-left override": "ana\u202e@example.org",
    "zero-width space": "an\u200ba@example.org",
    "IP address": "ana@[127.0.0.1]",
    "no dot in the domain": "ana@localhost",
    "a reserved domain": "ana@example.test",
    "nothing after the at": "ana@",
    "nothing before the at": "@example.org",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    # one organisation for the module: a refusal writes nothing (each test checks it)
    return build(tmp_path_factory.mktemp("emails") / "emails.sqlite")


@pytest.mark.parametrize("email", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_check_refuses_each_hostile_address_in_one_line_naming_the_field(email):
    with pytest.raises(InvalidInput) as refused:
        check_email("email", email)
    said = str(refused.value)
    assert said.startswith(f"email: {email.strip()!r} is not an email address: "), said
    # one line, whatever was typed: its invisible characters are written out, not shown
    assert said.isprintable(), said


@pytest.mark.parametrize("email", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_candidate_with_a_hostile_email_is_refused_and_nothing_is_written(world, email):
    before = dump(world.store)
    with pytest.raises(InvalidInput) as refused:
        openings.add_candidate(world.store, world.coordinator, world.opening_id, "Ana Lee", email)
    assert str(refused.value).startswith("email: ")
    assert dump(world.store) == before


@pytest.mark.parametrize("email", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_candidates_file_with_a_hostile_email_is_refused_naming_line_and_column(world, email):
    quoted = email.replace('"', '""')
    text = f'Name,E-mail\nAda Lovelace,ada@example.org\nAna Lee,"{quoted}"\n'
    read = candidates_csv.read_candidates(text, "in.csv")
    assert len(read.problems) == 1 and read.rows == [], read.problems
    assert read.problems[0].startswith("in.csv line 3: E-mail: "), read.problems
    before = dump(world.store)
    with pytest.raises(candidates_csv.ImportRefused):
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, text, "in.csv"
        )
    assert dump(world.store) == before


def test_the_message_says_what_is_wrong():
    with pytest.raises(InvalidInput) as refused:
        check_email("email", "a\nb@example.org")
    assert str(refused.value) == (
        r"email: 'a\nb@example.org' is not an email address:"
        " it contains invalid characters before the @-sign: U+000A"
    )


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("ana@example.com", "ana@example.com"),
        ("  Grace.Hopper+jobs@Example.ORG ", "Grace.Hopper+jobs@example.org"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("élise@bücher.de", "élise@bücher.de"),
        ("ana@ｅｘａｍｐｌｅ.org", "ana@example.org"),  # full-width domain folded
    ],
)
def test_real_addresses_are_kept_normalised(world, typed, kept):
    assert check_email("email", typed) == kept
    candidate_id = openings.add_candidate(
        world.store, world.coordinator, world.opening_id, "Ana Lee", typed
    )
    assert openings.get_candidate(world.store, world.coordinator, candidate_id).email == kept


def test_a_candidate_may_still_come_without_an_email(world):
    candidate_id = openings.add_candidate(
        world.store, world.coordinator, world.opening_id, "Ana Lee", "  "
    )
    assert openings.get_candidate(world.store, world.coordinator, candidate_id).email == ""
