"""Nobody can stop a person from signing in (issue 22, attack 2): no limit refuses a client that
has made no failed attempt; throttling is per client and per email, with growing delays decided
before the slow hash; behind a trusted proxy each browser is its own client."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from scoring import people, throttle
from scoring.errors import SignInFailed
from scoring.store import now_utc
from world import build

HOME = "192.168.1.20"


@pytest.fixture
def org(tmp_path):
    w = build(tmp_path / "lockout.sqlite")
    w.code = people.issue_code(w.store, w.coordinator, w.ana.id)
    return w


def junk(org, at, client, email=None):
    with contextlib.suppress(SignInFailed):
        people.sign_in(org.store, email or f"junk{at.microsecond}@example.com", "X", at, client)


def test_a_flood_of_junk_sign_ins_from_anywhere_refuses_nobody_who_made_no_mistake(org):
    """130 junk sign-ins in one minute, each from another address: Ana, with the right code,
    signs in within that same minute (a global cap refused her)."""
    start = now_utc().replace(second=0)
    for n in range(130):
        junk(org, start + timedelta(milliseconds=n * 300), f"198.51.100.{n}", f"junk{n}@x.org")
    ana = people.sign_in(
        org.store, "ana@example.com", org.code, now=start + timedelta(seconds=40), client=HOME
    )
    assert ana.id == org.ana.id


def test_guessing_an_email_from_many_addresses_does_not_lock_out_its_owner(org):
    """Forty addresses each guess Ana's code four times: every one of them is slowed, Ana at
    her own address is not."""
    start = now_utc()
    for n in range(40):
        for attempt in range(4):
            junk(
                org,
                start + timedelta(seconds=n, milliseconds=attempt),
                f"203.0.113.{n}",
                "ana@example.com",
            )
    with pytest.raises(SignInFailed, match="wait"):
        people.sign_in(
            org.store,
            "ana@example.com",
            org.code,
            now=start + timedelta(seconds=41),
            client="203.0.113.7",
        )
    ana = people.sign_in(
        org.store, "ana@example.com", org.code, now=start + timedelta(seconds=41), client=HOME
    )
    assert ana.id == org.ana.id


def test_the_email_s_own_count_slows_a_guesser_that_used_its_free_tries(org):
    """Many clients against one email: once the email has had its free failures, a client that
    has used its own three free ones waits the email's (growing) delay too."""
    start = now_utc()
    for n in range(12):  # 12 clients, one failure each: the email has 12
        junk(org, start + timedelta(milliseconds=n), f"203.0.113.{n}", "ana@example.com")
    later = start + timedelta(minutes=1)
    for attempt in range(3):  # a 13th client uses its three free failures, a second apart
        junk(org, later + timedelta(seconds=attempt * 2), "203.0.113.99", "ana@example.com")
    with store_read(org) as db:
        waits = throttle.wait(
            db, people._who("ana@example.com"), "203.0.113.99", later + timedelta(seconds=5)
        )
    assert waits > timedelta(seconds=1)  # the email's delay (2**(15-10) s), not the pair's 1 s


def test_one_client_trying_many_emails_costs_bounded_hashing(org, monkeypatch):
    """A client spraying 60 different emails is refused before the hash after its free
    failures: the slow hash runs a dozen times, not 60."""
    hashed = []
    real = people._hash
    monkeypatch.setattr(people, "_hash", lambda code, salt: hashed.append(1) or real(code, salt))
    start = now_utc()
    for n in range(60):
        junk(org, start + timedelta(milliseconds=n * 100), "203.0.113.5", f"guess{n}@example.com")
    assert len(hashed) <= 13  # ten free, then a second, two, four apart: refused
    hashed.clear()
    assert (
        people.sign_in(
            org.store, "ana@example.com", org.code, now=start + timedelta(seconds=7), client=HOME
        ).id
        == org.ana.id
    )


def test_behind_a_trusted_proxy_each_browser_is_its_own_client():
    """The client header counts only from a trusted proxy, and then its right-most hop that is
    not a proxy of ours (the hops to its left are whatever the browser sent)."""
    proxies = ["10.0.0.2", "10.1.0.0/16"]
    forwarded = "6.6.6.6, 198.51.100.7, 10.1.2.3"  # spoofed, the browser, a second proxy
    assert throttle.client_address("10.0.0.2", forwarded, proxies) == "198.51.100.7"
    assert throttle.client_address("10.0.0.2", "[2001:db8::1]:443", proxies) == "2001:db8::1"
    assert throttle.client_address("10.0.0.2", "198.51.100.7:5123", proxies) == "198.51.100.7"
    # not from a trusted proxy: the header is ignored, whatever it says
    assert throttle.client_address("203.0.113.9", forwarded, proxies) == "203.0.113.9"
    assert throttle.client_address("10.0.0.2", forwarded, []) == "10.0.0.2"
    assert throttle.client_address("10.0.0.2", "", proxies) == "10.0.0.2"
    assert throttle.client_address(None, forwarded, proxies) == "unknown"


@contextlib.contextmanager
def store_read(org):
    with org.store.read() as db:
        yield db
