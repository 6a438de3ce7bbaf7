"""The Insights package along its seams (issue 24): one job a module, each under about 560 lines,
none importing the package itself (only its siblings), no circle even counting what Python runs
when a submodule is imported (the package's `__init__` first), every name callers use still
importable from `scoring.insights`, and the two guards the package declares."""

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

import scoring.insights as insights
from scoring.errors import NotAllowed
from scoring.guards import GUARDED
from scoring.insights import outcomes
from tests.world import build

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scoring" / "insights"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")

# What callers outside the package read from `scoring.insights` (the command line, the page,
# the demo's history test, the permission matrix, the benchmarks, the widgets).
KEPT = [
    "MIN_CANDIDATES_CALIBRATION",
    "MIN_CANDIDATES_RELIABILITY",
    "MIN_DECISIONS",
    "MIN_HIRES",
    "MIN_INTERVAL_UNITS",
    "MIN_SCORES_DISTRIBUTION",
    "RELIABLE_ALPHA",
    "SCORE_TABLES",
    "TABLES",
    "Insights",
    "alpha_interval",
    "bootstrap_alpha",
    "calibration",
    "chance_range",
    "decision_process",
    "document",
    "full_document",
    "has_interval",
    "headline",
    "headlines",
    "hires_headline",
    "insight_openings",
    "interval_chart",
    "latest_scorecards",
    "may_see_own_calibration",
    "may_see_score_figures",
    "middle",
    "no_interval",
    "no_interval_note",
    "opening_insights",
    "overall_use",
    "own_calibration",
    "own_headline",
    "process_shares",
    "reliability",
    "seat_scorecards",
    "share_chart",
    "share_interval",
    "shrink",
    "sweep_chart",
    "table_rows",
]


def _graph():
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_graph", module)
    spec.loader.exec_module(module)
    return module


def test_every_name_callers_use_is_still_in_the_package():
    missing = [name for name in KEPT if not hasattr(insights, name)]
    assert missing == []
    assert set(insights.__all__) <= set(dir(insights))


@pytest.mark.parametrize("module", MODULES)
def test_a_module_of_the_package_imports_its_siblings_never_the_package(module):
    """`from scoring.insights import outcomes` names a sibling; `from scoring.insights import
    headline` would run the package's `__init__` (and the service) from below it."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "scoring.insights":
            wrong += [a.name for a in node.names if a.name not in MODULES]
        if isinstance(node, ast.Import):
            wrong += [a.name for a in node.names if a.name == "scoring.insights"]
    assert wrong == []


@pytest.mark.parametrize("module", ["__init__", *MODULES])
def test_no_module_of_the_package_passes_560_lines(module):
    lines = (PACKAGE / f"{module}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 560, f"scoring/insights/{module}.py: {lines} lines"


def test_the_package_declares_its_guards():
    assert GUARDED["scoring.insights.service.own_calibration"].action == "see_own_calibration"
    record = GUARDED["scoring.insights.outcomes._record_checked"]
    assert (record.action, record.on, record.write) == ("record_outcome", "candidate_id", True)


def test_the_guards_refuse_with_the_tables_words(tmp_path):
    w = build(tmp_path / "g.sqlite")
    with pytest.raises(NotAllowed, match="Only an interviewer has a calibration"):
        insights.own_calibration(w.store, w.coordinator)
    assert insights.own_calibration(w.store, w.ana).scope == f"person:{w.ana.id}"
    with pytest.raises(NotAllowed, match="Only the hiring manager of this opening"):
        outcomes.record_outcome(w.store, w.ana, w.candidate_id, 6, None, False)
