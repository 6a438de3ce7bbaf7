"""The landing page lists the loops and rubrics from rubrics/ (AppTest, no browser)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def test_landing_page_lists_loops_and_rubrics(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py")).run(timeout=30)
    assert not at.exception
    assert not at.error
    assert "On-site loop, generalist data scientist" in [s.value for s in at.subheader]
    titles = [e.label for e in at.expander]
    assert any(t.startswith("Coding session") for t in titles)
    assert len(titles) >= 7
