"""The debrief page keeps its charts' Arrow data and specs between reruns (`ui.charts`,
`scoring.charts`), keyed on the rows they show. Nothing kept may outlive a permission: a hiring
manager whose role was just removed, with every memo warm from their last view, is refused on
their very next rerun and is drawn no chart, score or name of the panel."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import charts, debrief, people
from ui import charts as ui_charts
from world import build, submit

ROOT = Path(__file__).resolve().parent.parent.parent


def shown(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "metric")
    return " ".join(str(getattr(e, "value", "")) for k in kinds for e in getattr(at, k))


@pytest.mark.parametrize("roles", [["interviewer"], []])
def test_a_role_just_removed_gets_nothing_kept_on_the_next_rerun(tmp_path, monkeypatch, roles):
    monkeypatch.chdir(ROOT)
    w = build(tmp_path / "w.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    for who, overall in (("ana", 5), ("bo", 1), ("cy", 4)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["person_id"] = w.manager.id
    at.run()
    at.query_params["candidate"] = str(w.candidate_id)
    at.switch_page("pages/debrief.py").run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) >= 4 and "Weighted score" in shown(at)
    at.run()  # every memo warm: the specs and their Arrow data are all kept
    assert ui_charts._arrow_of.cache_info().currsize and charts._overall.cache_info().hits

    people.update_person(w.store, w.coordinator, w.manager.id, roles=roles)
    at.run()  # the next click

    assert not at.exception, at.exception
    assert at.get("vega_lite_chart") == []
    text = shown(at)
    assert "Weighted score" not in text and "Ana" not in text and not at.metric
    assert "This page is for" in text  # the guard's own words, run on this rerun
