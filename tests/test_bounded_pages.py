"""Every bounded page runs the same number of SQL statements per rerun however much history the
database holds: the cost follows what the page shows, not the opening's past.

Two real SQLite files built by the benchmark's generator (the same number of candidates a day,
one with three times the history), each page opened through app.py as its person, one rerun
counted by `scoring.store.count_statements`."""

import sys
from pathlib import Path

import pytest

from scoring.rubric import load_catalog
from scoring.store import count_statements

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from page_bench import PER_DAY, world_of  # noqa: E402
from store_bench import build, six_session_catalog  # noqa: E402

# 40 fills every page's bounded list (the smallest size at which each page runs what it runs at
# any size); three times that is enough for a loop over the history to show (80 more candidates)
# and costs half of five times (the generator's debriefs read the history: 14 s of CPU at 120,
# 26 s at 200).
SIZES = (40, 120)
# Built by the benchmark's generator like the benchmarks' own tests: in the full suite, not the fast
# loop (`-m "not slow and not e2e"`).
pytestmark = pytest.mark.slow
PAGES = {
    "my interviews": ("pages/my_interviews.py", "busiest_id"),
    "status": ("pages/status.py", "coordinator_id"),
    "decisions": ("pages/decisions.py", "manager_id"),
    "candidates": ("pages/candidates.py", "coordinator_id"),
    "interview day": ("pages/interview_day.py", "coordinator_id"),
    "people": ("pages/people.py", "coordinator_id"),
}
# What each page may run per rerun at most (sign-in check, guard, openings and its sections):
# a constant, so a loop over the history's candidates would show at once.
AT_MOST = {
    "my interviews": 30,
    "status": 150,  # 147 at 40 and at 120: names sealed, so each section reads its keys once
    "decisions": 70,
    "candidates": 70,  # with the phone and source of the page's 25: 60 at 40 and at 120 candidates
    # its clash check and the day: 118 at 40 and at 120 candidates (names sealed: each unit
    # of work reads its candidates' data keys once, `scoring.personal.Opened`)
    "interview day": 120,
    "people": 30,
}


# Status lists the latest 20 messages of its Email section, and `outbox.messages` checks each
# decision message's facts on its own: bounded by those 20, not by history, but not constant.
SAME_BOUND_ONLY = {"status"}


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    catalog = six_session_catalog(load_catalog(ROOT / "rubrics"))
    folder = tmp_path_factory.mktemp("bounded")
    made = {}
    for size in SIZES:
        path = folder / f"pages-{size}.sqlite"
        store, team, decided = build(path, size, catalog, days=size / PER_DAY)
        made[size] = (path, world_of(store, team, decided))
    return made


def statements_per_rerun(path: Path, person_id: int, page: str, monkeypatch) -> int:
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["person_id"] = person_id
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    with count_statements() as seen:
        at.run()
    assert not at.exception, at.exception
    return len(seen)


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_runs_as_many_statements_with_three_times_the_history(name, worlds, monkeypatch):
    page, who = PAGES[name]
    counts = {
        size: statements_per_rerun(path, getattr(world, who), page, monkeypatch)
        for size, (path, world) in worlds.items()
    }
    small, large = (counts[s] for s in SIZES)
    if name not in SAME_BOUND_ONLY:
        assert small == large, counts
    assert max(small, large) <= AT_MOST[name], counts


def test_the_counter_hears_every_statement_of_a_unit_of_work(tmp_path):
    from scoring.store import Store

    store = Store(tmp_path / "count.sqlite")
    with count_statements() as seen, store.read() as db:
        db.execute("SELECT COUNT(*) FROM people").fetchone()
    assert "SELECT COUNT(*) FROM people" in seen.statements
    assert seen.connections == 1
    with store.read() as db:  # nobody listening: nothing more is counted
        db.execute("SELECT 1").fetchone()
    assert "SELECT 1" not in seen.statements


def test_interviewing_on_an_opening_only_ever_grants():
    """`openings._may_on` asks with the opening's own facts first and looks up whether the actor
    interviews on it only when refused: the same answer as asking with it, since that fact
    never takes a power away."""
    from dataclasses import replace
    from itertools import chain, combinations

    from scoring.permissions import ACTIONS, ROLES, OpeningFacts, Person, may

    actions = [a.name for a in ACTIONS.values() if a.resource is OpeningFacts]
    assert "see_opening" in actions
    for roles in chain.from_iterable(combinations(ROLES, n) for n in range(len(ROLES) + 1)):
        actor = Person(7, "Ana", "ana@example.com", frozenset(roles))
        for manager, committee in ((7, frozenset()), (8, frozenset({7})), (8, frozenset())):
            facts = OpeningFacts(1, manager, committee, "vote")
            interviews = replace(facts, actor_interviews=True)
            for action in actions:
                assert not may(actor, action, facts) or may(actor, action, interviews), (
                    action,
                    roles,
                )
