"""The demo built on PostgreSQL is the demo built on SQLite: the same organisation, from the same
seed and the same day, the JSON export of every opened debrief equal, apart from the moment each
file was generated, and every opening's funnel equal; and `verify` passes on both."""

import json
from datetime import UTC, datetime

import pytest

from scoring import debrief, exports, openings, people
from scoring.demo import build_demo
from scoring.errors import NotAllowed
from scoring.insights.funnel import funnel
from scoring.integrity import verify
from scoring.store import Store
from world import CATALOG

TODAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
GENERATED = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def every_debrief(store: Store, logins) -> dict[tuple[str, int], dict]:
    """Each opened debrief's JSON export as its opening's hiring manager reads it, by (manager's
    email, candidate id)."""
    found = {}
    for login in logins:
        person = people.sign_in(store, login.email, login.code)
        if not person.has("hiring_manager"):
            continue
        for opening in openings.list_openings(store, person):
            if opening.hiring_manager_id != person.id:
                continue
            for candidate in openings.list_candidates(store, person, opening.id):
                try:
                    view = debrief.debrief(store, person, candidate.id)
                except NotAllowed:
                    continue
                summary = exports.summary_of(view, GENERATED, charts=False)
                found[(login.email, candidate.id)] = json.loads(exports.render(summary, "json"))
    return found


def every_funnel(store: Store, logins) -> dict[str, dict]:
    """Each opening's funnel as its hiring manager reads it, by opening title."""
    found = {}
    for login in logins:
        person = people.sign_in(store, login.email, login.code)
        for opening in openings.list_openings(store, person):
            if opening.hiring_manager_id == person.id:
                found[opening.title] = funnel(store, person, opening.id, now=GENERATED).to_json()
    return found


@pytest.mark.slow  # the demo twice (about 30 s)
def test_the_demo_on_postgresql_exports_every_debrief_as_on_sqlite(tmp_path, pg_url):
    built, funnels = {}, {}
    for name, target in (("sqlite", tmp_path / "demo.sqlite"), ("postgresql", pg_url)):
        store = Store(target)
        logins = build_demo(store, CATALOG, today=TODAY)
        report = verify(store)
        assert report.ok, (name, report.problems[:3])
        built[name] = every_debrief(store, logins)
        funnels[name] = every_funnel(store, logins)
    assert len(built["sqlite"]) > 100  # every opened debrief of the demo, not an empty walk
    assert built["postgresql"].keys() == built["sqlite"].keys()
    for key, document in built["sqlite"].items():
        assert built["postgresql"][key] == document, key
    # the funnel of every opening: the same counts, rates and times, adding up on both
    assert len(funnels["sqlite"]) == 3
    assert funnels["postgresql"] == funnels["sqlite"]
    assert all(document["consistent"] for document in funnels["sqlite"].values())
