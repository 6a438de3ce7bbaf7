"""The debrief's charts as the room sees them, in Chromium at 1280 (the laptop on the projector)
and 390 (a phone): a paired panel, a five-session panel and a twelve-interviewer panel. Every
chart stays inside its column (bounding boxes), and the screenshots are kept to be looked at
(DEBRIEF_SHOTS, default /tmp/debrief-shots)."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from harness import ROOT, settle, sign_in, streamlit_server, visit, whole_page_shot

from scoring import debrief, openings, people, scorecards
from scoring.matrix import full_scores
from scoring.rubric import LoopSession, load_catalog
from scoring.store import Store

CATALOG = load_catalog(ROOT / "rubrics")
DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SHOTS = Path(os.environ.get("DEBRIEF_SHOTS", "/tmp/debrief-shots"))
NAMES = (
    "Aisha Bello",
    "Tomás Herrera",
    "Hannah Schmidt",
    "Kenji Watanabe",
    "Olivia Brooks",
    "Rahul Mehta",
    "Zainab Okonkwo-Harrington",
    "Lars Nilsson",
    "Fatima Haddad",
    "Grace Adeyemi",
    "Mateo Gutiérrez Fernández",
    "Yuki Tanaka",
)


def _panel(store, coordinator, manager, people_by_name, loop, sessions, name, rng, day=DAY):
    """An opening on `loop` with one candidate, `sessions` = [(position, [interviewer names])],
    every scorecard in (varied scores, some criteria not assessed), the debrief open. Each panel
    has a `day` of its own: an interviewer is not in two sessions at once."""
    opening = openings.create_opening(
        store,
        coordinator,
        title=f"{name} opening",
        role="Data scientist",
        loop=loop,
        catalog=CATALOG,
        hiring_manager_id=manager.id,
        strategy={"kind": "manager"},
    )
    candidate = openings.add_candidate(store, coordinator, opening.id, name)
    for position, names in sessions:
        session = openings.schedule_session(
            store,
            coordinator,
            candidate,
            position,
            day + timedelta(hours=position),
            [people_by_name[n].id for n in names],
        )
        with store.read() as db:
            seats = db.execute(
                "SELECT a.id, p.name FROM assignments a JOIN people p ON p.id = a.interviewer_id"
                " WHERE a.session_id = ?",
                [session],
            ).fetchall()
        for seat, person in seats:
            criteria = full_scores(store, seat)
            rubric = openings.rubric(store, _rubric_hash(store, seat))
            for criterion in rubric.criteria:
                low, high = criterion.scale.min, criterion.scale.max
                criteria[criterion.id]["score"] = rng.randint(low, high)
                if not criterion.required and rng.random() < 0.5:
                    criteria[criterion.id] = {"score": None}
            scorecards.submit(
                store,
                people_by_name[person],
                seat,
                overall=rng.randint(0, 5),
                feedback="Seen in the session.",
                criteria=criteria,
                now=day + timedelta(hours=position + 1),
            )
    debrief.open_debrief(store, manager, candidate, now=day + timedelta(hours=12))
    return candidate


def _rubric_hash(store, seat):
    with store.read() as db:
        return db.execute(
            "SELECT i.rubric_hash FROM assignments a JOIN interview_sessions i"
            " ON i.id = a.session_id WHERE a.id = ?",
            [seat],
        ).fetchone()[0]


@pytest.fixture(scope="module")
def panels(tmp_path_factory):
    """The app on a database with three open debriefs; yields (url, login, {panel: id})."""
    db = tmp_path_factory.mktemp("charts") / "charts.sqlite"
    store = Store(db)
    coordinator, _ = people.create_first_coordinator(store, "Cora Ordinator", "cora@example.com")
    manager = people.add_person(
        store, coordinator, "Mei-Lin Chen", "mei@example.com", ["hiring_manager"]
    )
    code = people.issue_code(store, coordinator, manager.id)
    by_name = {
        n: people.add_person(
            store, coordinator, n, f"{n.split()[0].lower()}@example.com", ["interviewer"]
        )
        for n in NAMES
    }
    rng = random.Random(13)
    ds = CATALOG.loops["ds-generalist-onsite"]
    rubrics = [
        "presentation",
        "ds-technical",
        "coding",
        "stakeholders",
        "ml-engineering",
        "analytics-sql",
    ]
    six = ds.model_copy(
        update={
            "id": "six-pairs",
            "sessions": [LoopSession(rubric=r, minutes=30) for r in rubrics],
        }
    )
    ids = {
        "paired": _panel(
            store,
            coordinator,
            manager,
            by_name,
            ds,
            [(1, NAMES[0:1]), (2, NAMES[1:2]), (3, NAMES[2:4]), (4, NAMES[4:5])],
            "Isabella Rossi",
            rng,
        ),
        "five-sessions": _panel(
            store,
            coordinator,
            manager,
            by_name,
            CATALOG.loops["ml-engineer-onsite"],
            [(p, NAMES[p - 1 : p]) for p in range(1, 6)],
            "Zara Ahmed",
            rng,
            day=DAY + timedelta(days=1),
        ),
        "twelve": _panel(
            store,
            coordinator,
            manager,
            by_name,
            six,
            [(p, NAMES[2 * p - 2 : 2 * p]) for p in range(1, 7)],
            "Alan Turing",
            rng,
            day=DAY + timedelta(days=2),
        ),
    }
    with streamlit_server(db) as url:
        yield url, ("mei@example.com", code), ids


# Every chart's drawing (canvas or svg) against the column that holds it and the main area.
BOXES = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(chart => {
  const drawn = chart.querySelector('canvas, svg.marks') || chart;
  const holder = chart.closest('[data-testid=stColumn]')
    || chart.closest('[data-testid=stMainBlockContainer]');
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return {chart: box(drawn), holder: box(holder), main: box(main),
          title: chart.innerText.slice(0, 40)};
})"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("panel", ["paired", "five-sessions", "twelve"])
def test_no_debrief_chart_overflows_its_column(panels, browser, panel, width):
    url, (email, code), ids = panels
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = visit(context.new_page(), url)
        sign_in(page, email, code)
        visit(page, f"{url}/debrief?candidate={ids[panel]}")
        page.get_by_text("Scores by session").wait_for()
        sessions = {"paired": 4, "five-sessions": 5, "twelve": 6}[panel]
        pairs = {"paired": 1, "five-sessions": 0, "twelve": 6}[panel]
        expected = 1 + sessions + pairs  # the overall dots, a grid per session, a differ per pair
        page.wait_for_function(
            "n => document.querySelectorAll("
            "'[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg.marks'"
            ").length >= n",
            arg=expected,
        )
        settle(page)
        boxes = page.evaluate(BOXES)
        assert len(boxes) == expected
        for box in boxes:
            chart, holder, main = box["chart"], box["holder"], box["main"]
            assert chart["height"] > 60 and chart["width"] > 150, box  # drawn, not squeezed
            assert chart["left"] >= holder["left"] - 1 and chart["right"] <= holder["right"] + 1, (
                box
            )
            assert chart["right"] <= main["right"] + 1 and chart["right"] <= width, box
        whole_page_shot(page, SHOTS / f"debrief-{panel}-{width}.png")
    finally:
        context.close()
