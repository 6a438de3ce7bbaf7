"""What a rerun of the debrief page costs: the charts' data goes to Arrow once per content (and
the browser gets byte for byte what Streamlit would have made of it), the spread between
interviewers is worked out without a pandas groupby, and the sessions without a mask each."""

import copy
import json
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.elements.vega_charts import _marshall_chart_data
from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart
from streamlit.testing.v1 import AppTest

from scoring import analysis, charts, debrief, scorecards
from scoring.matrix import full_scores
from scoring.schedule import add_interviewer
from ui import charts as ui_charts
from world import DAY, build, session_of, submit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def paired(tmp_path_factory):
    """Ana alone, Cy alone, Bo and Oz as a pair far apart on statistics; the debrief open."""
    w = build(tmp_path_factory.mktemp("rerun") / "rerun.sqlite")
    submit(w, "ana", 4, level=3)
    submit(w, "cy", 3, level=2)
    low = full_scores(w.store, w.seats["bo"], 0)
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
    return w, debrief.debrief(w.store, w.manager, w.candidate_id)


def page_specs(view) -> list[dict]:
    """Every spec the page draws for this view."""
    scale = view.opening.scale.scale
    frame = view.criteria
    named = charts.session_grids(frame) + charts.differ_charts(frame, analysis.gaps(frame))
    overall = charts.overall_of(view.result.positions, scale, view.opening.scale.labels)
    return [overall, *(spec for _, spec in named)]


def marshalled(spec: dict) -> tuple[bytes, dict]:
    proto = VegaLiteChart()
    _marshall_chart_data(proto, spec)
    return proto.SerializeToString(), spec


def test_the_browser_gets_the_same_chart_with_the_arrow_made_once(paired):
    _, view = paired
    specs = page_specs(view)
    assert len(specs) == 1 + 3 + 1
    for spec in specs:
        as_streamlit_makes_it = marshalled(copy.deepcopy(spec))
        assert marshalled(ui_charts.arrow_datasets(copy.deepcopy(spec))) == as_streamlit_makes_it
        assert all(
            isinstance(v, bytes) for v in ui_charts.arrow_datasets(spec)["datasets"].values()
        )


def test_rows_that_differ_in_anything_get_their_own_arrow():
    one = {"datasets": {"d": [{"who": "Ana", "points": 1}]}}
    other = {"datasets": {"d": [{"who": "Ana", "points": 1.0}]}}  # same hash name, other type
    assert (
        ui_charts.arrow_datasets(one)["datasets"]["d"]
        != ui_charts.arrow_datasets(other)["datasets"]["d"]
    )
    odd = {"datasets": {"d": [{"when": pd.Timestamp("2026-01-01")}]}}  # not plain JSON: no memo
    assert ui_charts.arrow_datasets(odd)["datasets"]["d"] == [{"when": pd.Timestamp("2026-01-01")}]


def reference_spread(frame: pd.DataFrame) -> pd.DataFrame:
    """The pandas groupby the page ran on every rerun before (10-20 ms), kept as the truth."""
    assessed = frame[frame["assessed"]]
    keys = ["session", "criterion_id", "criterion", "kind", "min", "max"]
    table = (
        assessed.groupby(keys, sort=False)
        .agg(raters=("interviewer", "nunique"), lowest=("raw", "min"), highest=("raw", "max"))
        .reset_index()
    )
    table = table[table["raters"] >= 2].copy()
    table["gap"] = (table["highest"] - table["lowest"]).astype("Int64")
    table["gap_share"] = (table["gap"] / (table["max"] - table["min"])).astype("float64")
    table["discuss"] = table["gap_share"] >= analysis.DISCUSS_SHARE
    return table.reset_index(drop=True)


def test_gaps_are_the_groupby_they_replace(paired):
    _, view = paired
    frame = view.criteria
    truth = reference_spread(frame)
    got = analysis.spread(frame)
    assert len(truth) == 4  # the criteria the pair both rated (one was left out by Bo)
    pd.testing.assert_frame_equal(got[truth.columns], truth)
    gaps = analysis.gaps(frame)
    assert [g.criterion_id for g in gaps] == list(truth["criterion_id"])
    statistics = next(g for g in gaps if g.criterion_id == "statistics-probability")
    assert (statistics.lowest, statistics.highest, statistics.discuss) == (1, 4, True)


def open_page(w) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["person_id"] = w.manager.id
    at.run()
    at.query_params["candidate"] = str(w.candidate_id)
    at.switch_page("pages/debrief.py").run()
    assert not at.exception, at.exception
    return at


def test_a_rerun_converts_no_chart_data_and_runs_no_groupby(paired, monkeypatch):
    w, _ = paired
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    at = open_page(w)
    drawn = [(c.proto.spec, list(c.proto.datasets)) for c in at.get("vega_lite_chart")]
    assert len(drawn) == 5
    converted, grouped = [], []
    convert = dataframe_util.convert_anything_to_arrow_bytes
    groupby = pd.DataFrame.groupby
    monkeypatch.setattr(
        dataframe_util,
        "convert_anything_to_arrow_bytes",
        lambda *a, **k: converted.append(1) or convert(*a, **k),
    )
    monkeypatch.setattr(
        pd.DataFrame, "groupby", lambda *a, **k: grouped.append(1) or groupby(*a, **k)
    )
    at.run()  # the same debrief again, as after a toggle or a vote
    assert not at.exception, at.exception
    assert converted == [] and grouped == []
    assert [(c.proto.spec, list(c.proto.datasets)) for c in at.get("vega_lite_chart")] == drawn
    differ = json.loads(at.get("vega_lite_chart")[-1].proto.spec)
    assert differ["title"]["text"] == "General data science technical questions"
