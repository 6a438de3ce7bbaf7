"""Status's Retention section (issue 28): a coordinator sees who is past their date, who is due
within the notice and who is held, by alias and id, never by name; a hold's reason as text; at
most 50 rows of each with the full counts; the whole command that places a hold; while
retention is not configured, that it is not, instead of due dates (and still the holds); a
hiring manager sees no such section."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from scoring import openings, retention, schedule_changes
from scoring.retention_settings import NOT_CONFIGURED, RetentionSettings
from scoring.store import now_utc
from scoring.text import plain_markdown
from tests.world import build, page_as

HOSTILE = '**Litigation** <b>hold</b> =HYPERLINK("https://evil.example") [x](https://evil.example)'


@pytest.fixture(scope="module")
def retention_on(tmp_path_factory):
    """A secrets file with an empty [retention] table, the same for every test of the module
    (worlds are built once per settings: tests/world.py)."""
    path = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    path.write_text("[retention]\n")
    return path


@pytest.fixture(autouse=True)
def default_settings(retention_on, monkeypatch):
    """The default [retention] settings (180 days, a week's notice), whatever the machine has."""
    monkeypatch.setenv("DEBRIEF_SECRETS", str(retention_on))
    for variable in [v for v in os.environ if v.startswith("DEBRIEF_RETENTION_")]:
        monkeypatch.delenv(variable)


def withdrawn(w, name: str, days_ago: float) -> int:
    """A candidate added and withdrawn `days_ago` (real time: the page asks about now)."""
    at = now_utc() - timedelta(days=days_ago)
    candidate = openings.add_candidate(
        w.store,
        w.coordinator,
        w.opening_id,
        name,
        f"{name.split()[0].lower()}@example.org",
        now=at - timedelta(days=1),
    )
    schedule_changes.withdraw_candidate(w.store, w.coordinator, candidate, "took another", now=at)
    return candidate


@pytest.fixture
def world(tmp_path):
    w = build(tmp_path / "status.sqlite")
    w.past = withdrawn(w, "Paula Past", 200)  # 20 days past the default 180
    w.soon = withdrawn(w, "Sonny Soon", 176)  # due in 4 days
    w.held = withdrawn(w, "Hedda Held", 300)
    retention.place_hold(w.store, w.coordinator, w.held, HOSTILE)
    return w


def tables(at) -> list[list[dict]]:
    return [frame.value.to_dict("records") for frame in at.dataframe]


def test_a_coordinator_sees_who_is_due_by_alias_and_who_is_held_with_the_reason_as_text(
    world, monkeypatch
):
    at = page_as(world, "coordinator", "pages/status.py", monkeypatch)
    assert "Retention" in [h.value for h in at.header]
    found = {row["id"]: row for table in tables(at) for row in table if "id" in row}
    assert set(found) == {world.past, world.soon, world.held}
    assert found[world.held]["hold"] == HOSTILE  # as typed: a cell renders no Markdown
    assert found[world.past]["why"].startswith("withdrew ")
    assert found[world.past]["erased from"] == "after a notice to coordinators"
    shown = repr(tables(at)) + " ".join(m.value for m in at.markdown)
    for name in ("Paula", "Sonny", "Hedda", "example.org"):
        assert name not in shown
    counts = [m.value for m in at.markdown if "past their date" in m.value]
    assert counts == ["**1** past their date · **1** due within 7 days · **1** under a legal hold"]
    assert [c.value for c in at.code] == [
        f'python -m scoring hold --as {world.coordinator.email} --candidate ID --reason "..."'
    ]


def test_while_retention_is_not_configured_it_says_so_instead_of_due_dates_and_lists_holds(
    world, monkeypatch, tmp_path
):
    none = tmp_path / "none.toml"
    none.write_text('[app]\nurl = "https://debrief.example"\n')
    monkeypatch.setenv("DEBRIEF_SECRETS", str(none))  # the world is built: now without it
    at = page_as(world, "coordinator", "pages/status.py", monkeypatch)
    assert not at.exception
    assert plain_markdown(NOT_CONFIGURED) in [i.value for i in at.info]
    found = {row["id"]: row for table in tables(at) for row in table if "id" in row}
    assert set(found) == {world.held}  # no due dates: only the hold
    assert found[world.held]["hold"] == HOSTILE and found[world.held]["due"] == "not due"
    assert not [m.value for m in at.markdown if "past their date" in m.value]
    assert [s.value for s in at.subheader] == ["Under a legal hold"]
    view = retention.due(world.store, world.coordinator)
    assert view.settings is None and view.overdue_count == view.soon_count == 0


def test_a_hiring_manager_sees_no_retention_section(world, monkeypatch):
    at = page_as(world, "manager", "pages/status.py", monkeypatch)
    assert "Retention" not in [h.value for h in at.header]
    assert not retention.may_see_due(world.store, world.manager)
    assert retention.may_see_due(world.store, world.coordinator)


def test_at_most_50_rows_of_each_with_the_full_count(tmp_path):
    w = build(tmp_path / "many.sqlite")
    start = now_utc() - timedelta(days=100)
    ids = []
    for n in range(55):
        ids.append(withdrawn(w, f"Person {n}", 100 - n / 10))
    settings = RetentionSettings(withdrawn_days=30, notice_days=7)
    view = retention.due(w.store, w.coordinator, settings=settings)
    assert view.overdue_count == 55 and len(view.overdue) == retention.ROWS == 50
    assert [d.candidate_id for d in view.overdue] == ids[:50]  # the earliest date first
    assert all(d.due_at >= start for d in view.overdue)
