"""The sign-in throttle: who a client is, how long a client that has failed must wait, and a
bounded tally of failures instead of one audit entry each.

A client is its network address: the peer's, or, only when the peer is a trusted proxy, the
right-most hop of the header that proxy writes that is not itself a trusted proxy (the hops to
its left are whatever the browser sent, so anyone could write them).

Only failures slow anyone down, and only the client that failed:
- per (typed email, client): three free, then 1 s doubling, at most 15 minutes; a right code
  clears it;
- per client, whatever the email: ten free, then doubling (one client trying many emails);
- per typed email, from all clients together: ten free, then doubling, applied to a client only
  once it has used its own three free failures on that email (many clients against one person).
A client that has made no failed attempt is never refused, so nobody can lock anyone else out.
Every wait is decided before the slow hash, so a throttled client costs no hashing. A count is
forgotten a day after its last failure.

Failures are counted, not logged: one row per hour and kind (`sign_in_failures`), 30 days kept.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from scoring.queries import throttle as Q
from scoring.store import parse_stamp, stamp

FREE_FAILURES = 3  # wrong codes from one client for one email before delays start
CLIENT_FREE_FAILURES = 10  # wrong codes from one client, any email (an office shares an address)
EMAIL_FREE_FAILURES = 10  # wrong codes for one email, all clients together
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)  # a count ends a day after its last failure
TALLY_KEPT = timedelta(days=30)  # hourly failure counts kept this long: at most 720 hours
ANY = "*"  # the `who` of a client's own count, the `client` of an email's count
CLIENT_MAX = 64  # characters of an address kept


def client_address(
    peer: str | None,
    forwarded: str | None = None,
    trusted_proxies: Iterable[str] = (),
) -> str:
    """The client's address for the throttle. `forwarded` (the value of the configured client
    header, e.g. X-Forwarded-For) counts only when `peer` is one of `trusted_proxies`
    (addresses or networks such as ``10.0.0.0/8``); then it is the right-most hop that is not a
    trusted proxy itself. Otherwise the peer's address."""
    peer = (peer or "").strip() or "unknown"
    networks = _networks(trusted_proxies)
    if not forwarded or not _trusted(peer, networks):
        return peer[:CLIENT_MAX]
    hops = [_bare(hop) for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop[:CLIENT_MAX]
    return (hops[0] if hops else peer)[:CLIENT_MAX]  # every hop a proxy of ours


def is_trusted_proxy(address: str | None, trusted_proxies: Iterable[str]) -> bool:
    """True when `address` is one of `trusted_proxies` (addresses or networks)."""
    return bool(address) and _trusted(address.strip(), _networks(trusted_proxies))


def _networks(trusted: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    found = []
    for entry in trusted:
        try:
            found.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue  # not an address: trusts nothing (a name would be spoofable)
    return found


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _bare(hop: str) -> str:
    """An address from a forwarded hop: without quotes, brackets and port."""
    hop = hop.strip().strip('"')
    if hop.startswith("["):  # [2001:db8::1]:443
        return hop[1 : hop.find("]")] if "]" in hop else hop
    if hop.count(":") == 1:  # 203.0.113.9:51234
        return hop.split(":")[0]
    return hop


def delay(failures: int, free: int = FREE_FAILURES) -> timedelta:
    """How long to wait after `failures` wrong codes: nothing for the first `free`, then one
    second, doubling, at most 15 minutes."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 20)), MAX_DELAY)


def _count(db, who: str, client: str, at: datetime) -> tuple[int, datetime | None]:
    row = db.execute(Q.COUNT, [who, client]).fetchone()
    last = parse_stamp(row["last_failure_at"]) if row else None
    if last is None or at - last > FORGET_AFTER:
        return 0, None
    return row["failures"], last


def wait(db, who: str, client: str, at: datetime) -> timedelta:
    """How long this client must still wait before trying this (hashed) email: nothing for a
    client that has made no failed attempt. The same for any email, known or not."""
    pair, pair_last = _count(db, who, client, at)
    own, own_last = _count(db, ANY, client, at)
    if not pair and not own:
        return timedelta(0)
    counts = [(pair, pair_last, FREE_FAILURES), (own, own_last, CLIENT_FREE_FAILURES)]
    if pair >= FREE_FAILURES:
        counts.append((*_count(db, who, ANY, at), EMAIL_FREE_FAILURES))
    waits = [timedelta(0)]
    for failures, last, free in counts:
        if last and delay(failures, free):  # a free failure makes nobody wait
            waits.append(last + delay(failures, free) - at)
    return max(waits)


def _bump(db, who: str, client: str, at: datetime, free: int) -> int:
    failures = _count(db, who, client, at)[0] + 1
    db.execute(
        Q.BUMP,
        [who, client, failures, stamp(at + delay(failures, free)), stamp(at)],
    )
    return failures


def count_failure(db, who: str, client: str, at: datetime, kind: str) -> int:
    """A wrong code: the pair's, the client's and the email's counts grow, the hour's tally of
    `kind` too, and counts older than a day are forgotten. Returns the email's count (all
    clients), so that a real person's failures can be logged sparsely."""
    _bump(db, who, client, at, FREE_FAILURES)
    _bump(db, ANY, client, at, CLIENT_FREE_FAILURES)
    everyone = _bump(db, who, ANY, at, EMAIL_FREE_FAILURES)
    db.execute(Q.FORGET, [stamp(at - FORGET_AFTER)])
    tally(db, kind, at)
    return everyone


def count_email_failure(db, who: str, at: datetime, kind: str) -> int:
    """A refusal without a code (a company account that is not an active person): the email's
    count and the hour's tally grow. Returns the email's count."""
    everyone = _bump(db, who, ANY, at, EMAIL_FREE_FAILURES)
    tally(db, kind, at)
    return everyone


def clear(db, who: str, client: str) -> None:
    """A right code: this client's count for this email starts again. The client's and the
    email's counts stay: signing into one's own account must not wipe a guesser's record."""
    db.execute(Q.CLEAR, [who, client])


def tally(db, kind: str, at: datetime) -> None:
    """Count one failure of `kind` in its hour; hours older than 30 days are removed. The table
    holds at most 720 hours times the few kinds, however many attempts are made."""
    at = at.astimezone(UTC)
    hour = f"{at:%Y-%m-%dT%H}"
    db.execute(Q.TALLY, [hour, kind])
    db.execute(Q.FORGET_HOURS, [f"{at - TALLY_KEPT:%Y-%m-%dT%H}"])


def failures_by_hour(db, since: datetime) -> list[dict]:
    """The tally from `since` on: one dict per hour and kind (hour in UTC, kind, failures)."""
    rows = db.execute(Q.BY_HOUR, [f"{since.astimezone(UTC):%Y-%m-%dT%H}"]).fetchall()
    return [dict(r) for r in rows]


def is_power_of_two(n: int) -> bool:
    """1, 2, 4, 8, …: the counts at which a real person's failures are logged (a log of them
    grows with the logarithm of the attempts, not with the attempts)."""
    return n > 0 and n & (n - 1) == 0
