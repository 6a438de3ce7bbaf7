"""Every shipped rubric is used by some demo opening's process, and every shipped loop by some
demo opening (issue 27): read from what a built demo stored (each opening's frozen stages and
loop sessions), not from the demo's data file, so a rubric nobody can use shows here."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scoring import demo
from scoring.opening_record import rubric_snapshot
from scoring.store import Store
from world import CATALOG

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    built = Store(tmp_path_factory.mktemp("every_rubric") / "demo.sqlite")
    demo.build_demo(built, CATALOG, today=DAY, past=False)
    return built


def used(store: Store, sql: str) -> dict[str, set[str]]:
    """Rubric id -> the titles of the openings whose stored process uses it."""
    found: dict[str, set[str]] = {}
    with store.read() as db:
        for title, rubric_hash in db.execute(sql).fetchall():
            found.setdefault(rubric_snapshot(db, rubric_hash).id, set()).add(title)
    return found


def test_every_rubric_file_is_used_by_some_opening_process(store):
    shipped = {path.stem for path in (ROOT / "rubrics").glob("*.yaml")}
    assert {"resume-screen", "hm-phone-screen", "take-home-review"} <= shipped
    stages = used(
        store,
        "SELECT o.title, s.rubric_hash FROM opening_stages s"
        " JOIN openings o ON o.id = s.opening_id WHERE s.rubric_hash IS NOT NULL",
    )
    sessions = used(
        store,
        "SELECT o.title, s.rubric_hash FROM opening_sessions s"
        " JOIN openings o ON o.id = s.opening_id",
    )
    assert set(stages) | set(sessions) == shipped
    # the screens are stages of their own, before the loop, in every opening
    assert (
        stages["resume-screen"]
        == stages["hm-phone-screen"]
        == {
            "Data scientist",
            "Machine learning engineer",
            "Data analyst",
        }
    )
    assert stages["take-home-review"] == {"Data scientist", "Data analyst"}


def test_a_take_home_stage_is_reviewed_against_the_take_home_rubric(store):
    with store.read() as db:
        rows = db.execute(
            "SELECT rubric_hash, hours_asked, deadline_days FROM opening_stages"
            " WHERE kind = 'take_home'"
        ).fetchall()
        assert rows
        for rubric_hash, hours, days in rows:
            assert rubric_snapshot(db, rubric_hash).id == "take-home-review"
            assert hours > 0 and days > 0


def test_every_loop_file_is_used_by_some_opening(store):
    shipped = {path.stem for path in (ROOT / "rubrics" / "loops").glob("*.yaml")}
    with store.read() as db:
        loops = {r[0] for r in db.execute("SELECT loop_id FROM openings").fetchall()}
    assert loops == shipped
