"""The debrief's charts as plain Vega-Lite specs: each one valid against the Vega-Lite schema
(checked here, once, since nothing validates them when the page draws them), showing what the
room relies on (each interviewer once at their effective point beside the midpoint, one cell per
criterion and interviewer with "not assessed" dashed and labelled, criteria half the scale or
more apart in red), carrying any name as data, never as markup or expression; and built once per
debrief, so a rerun of the page (a toggle, a vote) builds nothing."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import jsonschema
import pytest
from altair.vegalite.v6.schema import SCHEMA_URL, load_schema
from streamlit.testing.v1 import AppTest

from scoring import analysis, charts, debrief, scorecards
from scoring.matrix import full_scores
from scoring.schedule import add_interviewer
from world import DAY, ROOT, build, session_of, submit

HOSTILE = (
    "**Bold** _claim_ [link](http://example.com)",
    "<b>bold</b><script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "line one\nline two",
    "n" * 10_000,
    "\u202eevil\u202c and \u2067rtl\u2069",
)
RED, GREY = charts.DIFFER_COLOURS["range"]


def memos() -> tuple:
    """The builders' memos, to count what a build built."""
    return charts._overall, charts._session_grid, charts._sessions_grid, charts._differ


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    """Ana alone on the presentation, Cy alone on coding, Bo and Oz as a pair on the technical
    questions: statistics 1 vs 4 (the whole scale apart), data handling 1 vs 2 (a third),
    machine learning 1 vs 1, and Bo left the optional role-specific skill not assessed. The
    debrief is open; returns (world, the debrief under forcing)."""
    w = build(tmp_path_factory.mktemp("charts") / "charts.sqlite")
    submit(w, "ana", 4, level=3)
    submit(w, "cy", 3, level=2)
    low = full_scores(w.store, w.seats["bo"], 0)  # every criterion at its lowest point
    low["role-specific-skill"] = {"score": None}
    scorecards.submit(
        w.store,
        w.bo,
        w.seats["bo"],
        overall=1,
        feedback="bo",
        criteria=low,
        now=DAY + timedelta(hours=6),
    )
    oz = add_interviewer(
        w.store, w.coordinator, session_of(w, "bo"), w.outsider.id, now=DAY - timedelta(days=1)
    )
    theirs = full_scores(w.store, oz, 0)
    theirs["statistics-probability"]["score"] = 4
    theirs["data-handling"]["score"] = 2
    scorecards.submit(
        w.store,
        w.outsider,
        oz,
        overall=5,
        feedback="oz",
        criteria=theirs,
        now=DAY + timedelta(hours=6),
    )
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    return w, debrief.debrief(w.store, w.manager, w.candidate_id, force=True)


def calls(view, positions=None) -> dict[str, tuple]:
    """Every chart the debrief draws, on the page (its widths) and in the exports (theirs), as
    (builder, arguments): the frames they read made beforehand, as the page makes them."""
    frame, opening = view.criteria, view.opening
    scale = opening.scale.scale
    overall = analysis.overall_frame(positions or view.raw.positions, scale, opening.scale.labels)
    wide = {"width": charts.WIDE}
    found = {
        "overall": (charts.overall_chart, overall, scale.min, scale.max),
        "overall, wide": (charts.overall_chart, overall, scale.min, scale.max, wide),
        "sessions": (charts.sessions_grid, frame),
    }
    for session, part in frame.groupby("session", sort=False):
        found[f"grid {session}"] = (charts.session_grid, part, str(session))
    for session, part in analysis.spread(frame).groupby("session", sort=False):
        mine = frame[frame["session"] == session]
        found[f"differ {session}"] = (charts.differ_chart, mine, part, str(session))
        found[f"differ {session}, wide"] = (charts.differ_chart, mine, part, str(session), wide)
    return found


def built(found: dict[str, tuple]) -> dict[str, dict]:
    """The specs of `calls`."""
    specs = {}
    for name, (builder, *arguments) in found.items():
        options = arguments.pop() if isinstance(arguments[-1], dict) else {}
        specs[name] = builder(*arguments, **options)
    return specs


def drawn(view, positions=None) -> dict[str, dict]:
    return built(calls(view, positions))


def values(spec: dict) -> list[dict]:
    """Every data record of a spec, whichever dataset holds it."""
    return [row for rows in spec["datasets"].values() for row in rows]


def data_of(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][(layer.get("data") or spec["data"])["name"]]


def plain_json(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_json(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_every_spec_the_debrief_draws_is_valid_vega_lite_and_plain_json(panel):
    _, view = panel
    validator = jsonschema.Draft7Validator(load_schema())
    specs = drawn(view, view.forced.positions)
    assert len(specs) == 3 + 3 + 2  # overall twice, the small multiples, 3 grids, 1 differ twice
    for name, spec in specs.items():
        assert plain_json(spec), name
        assert spec["$schema"] == SCHEMA_URL, name
        errors = [e.message for e in validator.iter_errors(spec)]
        assert not errors, (name, errors[:3])


def test_the_overall_chart_shows_each_interviewer_once_at_their_effective_point(panel):
    _, view = panel
    positions = view.forced.positions
    assert any(p.raw != p.effective for p in positions)  # forcing moved someone: a real test
    scale = view.opening.scale.scale
    spec = drawn(view, positions)["overall"]
    rule, dots, labels = spec["layer"]
    # the midpoint: a dashed rule at the scale's middle
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"]
    assert data_of(spec, rule) == [{"midpoint": scale.midpoint}]
    assert rule["encoding"]["x"]["field"] == "midpoint"
    # the dots: each interviewer once, at the point the rules used, on the whole scale
    assert dots["encoding"]["x"]["field"] == "effective"
    assert dots["encoding"]["x"]["scale"]["domain"] == [scale.min, scale.max]
    shown = {row["interviewer"]: row["effective"] for row in data_of(spec, dots)}
    assert len(data_of(spec, dots)) == len(positions)
    assert shown == {p.interviewer: p.effective for p in positions}
    assert labels["encoding"]["text"]["field"] == "label"
    assert "width" not in spec  # the page's: as wide as its column
    assert drawn(view, positions)["overall, wide"]["width"] == charts.WIDE


def test_the_grid_has_one_cell_per_criterion_and_interviewer_and_marks_not_assessed(panel):
    _, view = panel
    frame = view.criteria
    for session, part in frame.groupby("session", sort=False):
        spec = charts.session_grid(part, str(session))
        assert spec["title"]["text"] == session and spec["width"] == "container"
        cells = data_of(spec, spec["layer"][0])
        pairs = [(c["criterion"], c["interviewer"]) for c in cells]
        assert sorted(pairs) == sorted(zip(part["criterion"], part["interviewer"], strict=True))
        assert len(set(pairs)) == len(pairs)
    technical = frame[frame["interviewer"].isin(["Bo Berg", "Oz Outsider"])]
    spec = charts.session_grid(technical, "Technical")
    cells = data_of(spec, spec["layer"][0])
    assert len(cells) == 2 * 5  # two interviewers, five criteria
    blank = [c for c in cells if not c["assessed"]]
    names = dict(zip(frame["criterion_id"], frame["criterion"], strict=False))
    assert [(c["criterion"], c["interviewer"], c["points"]) for c in blank] == [
        (names["role-specific-skill"], "Bo Berg", "not\nassessed")
    ]
    assert blank[0]["normalised"] is None  # no colour: not a low score
    # drawn as a dashed blank with its words, the coloured cell and its points only where assessed
    filters = [layer["transform"][0]["filter"] for layer in spec["layer"]]
    marks = [layer["mark"] for layer in spec["layer"]]
    assert filters == ["datum.assessed", "!datum.assessed", "datum.assessed", "!datum.assessed"]
    assert marks[1]["type"] == "rect" and marks[1]["strokeDash"] and marks[1]["fill"] == "white"
    assert marks[3]["type"] == "text" and spec["layer"][3]["encoding"]["text"]["field"] == "points"


def test_the_differ_chart_marks_red_the_criteria_half_the_scale_or_more_apart(panel):
    _, view = panel
    frame = view.criteria
    (session, part), *others = list(analysis.spread(frame).groupby("session", sort=False))
    assert not others  # only the technical questions had two interviewers
    spec = charts.differ_chart(frame[frame["session"] == session], part, str(session))
    gap, dots, ticks, labels = spec["layer"]
    colour = dots["encoding"]["color"]
    red = dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    by_criterion: dict[str, set] = {}
    for dot in data_of(spec, dots):
        by_criterion.setdefault(dot["criterion"], set()).add(red[dot["words"]])
    shown = {c: colours.pop() for c, colours in by_criterion.items() if len(colours) == 1}
    assert len(shown) == len(by_criterion)  # one colour a criterion
    names = dict(zip(frame["criterion_id"], frame["criterion"], strict=False))
    assert shown[names["statistics-probability"]] == RED  # 1 vs 4: the whole scale
    assert shown[names["data-handling"]] == GREY  # 1 vs 2: a third of it
    assert shown[names["ml-methods"]] == GREY  # 1 vs 1
    assert names["role-specific-skill"] not in shown  # one rater: nothing to compare
    assert {
        red[g["words"]] for g in data_of(spec, gap) if g["row"] == "statistics-probability"
    } == {RED}
    # every criterion's row in rubric order, its scale's points written under its line
    assert dots["encoding"]["y"]["sort"] == list(part["criterion_id"])
    assert {t["name"] for t in data_of(spec, ticks) if t["row"] == "ml-methods"} == set("1234")
    assert labels["encoding"]["text"]["field"] == "label"


def test_hostile_names_come_through_as_data_unchanged(panel):
    """Markdown, HTML, a spreadsheet formula, a line break, 10,000 characters, direction
    overrides: each interviewer, criterion and session name reaches the spec's data and title
    as it was written, and nothing of it lands in a field name, an expression or a label
    expression that Vega would interpret."""
    _, view = panel
    frame = view.criteria.copy()
    people = {n: HOSTILE[k % len(HOSTILE)] for k, n in enumerate(frame["interviewer"].unique())}
    named = {n: HOSTILE[(k + 2) % len(HOSTILE)] for k, n in enumerate(frame["criterion"].unique())}
    frame["interviewer"] = frame["interviewer"].map(people)
    frame["criterion"] = frame["criterion"].map(named)
    scale = view.opening.scale.scale
    overall = analysis.overall_frame(view.raw.positions, scale, view.opening.scale.labels)
    overall["interviewer"] = [HOSTILE[-1 - k] for k in range(len(overall))]
    specs = [charts.overall_chart(overall, scale.min, scale.max), charts.sessions_grid(frame)]
    for k, (_, part) in enumerate(frame.groupby("session", sort=False)):
        specs.append(charts.session_grid(part, HOSTILE[k]))
    for k, (session, part) in enumerate(analysis.spread(frame).groupby("session", sort=False)):
        specs.append(charts.differ_chart(frame[frame["session"] == session], part, HOSTILE[k]))
    written = set(people.values()) | set(named.values()) | set(overall["interviewer"])
    carried: set[str] = set()
    for spec in specs:
        for row in values(spec):
            carried |= {row[k] for k in ("interviewer", "criterion") if k in row}
        views = [spec, *spec.get("concat", [])]
        carried |= {view["title"]["text"] for view in views if "title" in view}
        # the chart's own grammar: all but its data and its titles
        grammar = {k: v for k, v in spec.items() if k not in ("datasets", "title", "concat")}
        grammar["concat"] = [{k: v for k, v in view.items() if k != "title"} for view in views[1:]]
        for name in HOSTILE:
            assert json.dumps(name)[1:-1] not in json.dumps(grammar), name[:40]
    assert written <= carried and set(HOSTILE) <= carried
    # and the 10,000 characters are all there, in the tooltip's field
    assert any(row.get("interviewer") == "n" * 10_000 for s in specs for row in values(s))


def test_a_second_build_of_the_same_debrief_is_a_memo_hit_and_takes_under_5_ms(panel):
    """Every chart of one debrief, the page's and the exports' (other widths), from frames made
    beforehand: built once; asked again, nothing is built, and the page's charts (what a rerun
    asks for) cost under 5 ms."""
    _, view = panel
    found = calls(view, view.forced.positions)
    built(found)
    before = [m.cache_info() for m in memos()]
    built(found)
    after = [m.cache_info() for m in memos()]
    assert [a.misses for a in after] == [b.misses for b in before]  # nothing built again
    assert sum(a.hits for a in after) - sum(b.hits for b in before) == len(found)
    page = {k: v for k, v in found.items() if "wide" not in k and k != "sessions"}
    best = min(_timed(lambda: built(page)) for _ in range(5))
    assert best < 0.005, best


def _timed(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def test_a_caller_changing_a_spec_does_not_change_the_next_one(panel):
    _, view = panel
    first = drawn(view)
    kept = json.dumps(first, sort_keys=True)
    for spec in first.values():  # what a careless caller might do to what it got
        spec["config"]["axis"]["labelColor"] = "red"
        for rows in spec["datasets"].values():
            rows[0]["interviewer"] = "someone else"
            rows.append({"injected": True})
        spec.pop("$schema")
    assert json.dumps(drawn(view), sort_keys=True) == kept


def test_two_people_share_a_spec_only_when_their_charts_are_the_same(panel):
    """The memo is keyed on what a chart shows: a panel seen with one interviewer left out (a
    narrower view) is a chart of its own, and a frame with the same rows is the same chart."""
    _, view = panel
    frame = view.criteria
    whole = charts.sessions_grid(frame)
    fewer = charts.sessions_grid(frame[frame["interviewer"] != "Oz Outsider"])
    assert "Oz Outsider" in json.dumps(whole) and "Oz Outsider" not in json.dumps(fewer)
    assert charts.sessions_grid(frame.copy()) == whole


def test_the_page_draws_the_specs_and_a_rerun_builds_none(panel, monkeypatch):
    w, _ = panel
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["person_id"] = w.manager.id
    at.run()
    at.query_params["candidate"] = str(w.candidate_id)
    at.switch_page("pages/debrief.py").run()
    assert not at.exception, at.exception
    shown = at.get("vega_lite_chart")
    assert len(shown) == 1 + 3 + 1  # the overall dots, a grid per session, the pair's differ
    for chart in shown:
        spec = json.loads(chart.proto.spec)
        assert spec["$schema"] == SCHEMA_URL and spec["config"]["mark"] == {"aria": False}
        assert chart.proto.datasets  # the data went to Streamlit's Arrow tables
    before = [m.cache_info().misses for m in memos()]
    at.run()  # a rerun of the same debrief, as after a vote or a closed expander
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == len(shown)
    assert [m.cache_info().misses for m in memos()] == before
