"""The Rubrics screen shows every rubric as an interviewer sees it, and any broken file."""

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from scoring import people
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent


def test_rubrics_page_renders_anchors_and_names_broken_files(tmp_path, monkeypatch):
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    (folder / "coding.yaml").write_text(
        (folder / "coding.yaml").read_text().replace("weight: 2", "weight: 0", 1)
    )
    monkeypatch.setenv("DEBRIEF_RUBRICS", str(folder))
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "r.sqlite"))
    monkeypatch.chdir(ROOT)
    coordinator, _ = people.create_first_coordinator(Store(), "Cora", "cora@example.com")
    at = AppTest.from_file(str(ROOT / "pages" / "rubrics.py"), default_timeout=30)
    at.session_state["person_id"] = coordinator.id
    at.run()
    assert not at.exception
    assert "problem(s) in the rubric files" in at.error[0].value
    assert any(
        "coding.yaml: criteria[" in c.value and "weight must be > 0" in c.value for c in at.code
    )
    assert any("not available: rubric 'coding' has errors" in w.value for w in at.warning)
    titles = [e.label for e in at.expander]
    assert any("Candidate presentation" in t for t in titles)
    assert not any("Coding session" in t for t in titles)
    # anchors are on the page, point by point, not in a tooltip
    anchors = [t for t in at.table]
    assert len(anchors) > 20
