"""Record types live in one place: every dataclass or pydantic model that two or more modules of
scoring/ import is defined in `scoring/models/` (issue 24, "a models and queries layer").

An AST scan, no imports of the service: for each record class defined in scoring/ outside the
models package, count the other scoring modules that import it, by name (`from scoring.x import
C`, following re-exports back to the definition, so `from scoring.scorecards import SeatStatus`
counts for `scoring.status`'s class) or through a module (`from scoring import x` then `x.C`).
The pure core's own types (`Rubric`, `Scale`, `Decision`, ...) sit below the models, which build
on them, and are left out by room (scripts/import_graph.py). A type built for one renderer is a
view, not a record: `VIEWS` lists those that may stay where they are, each with why.
"""

import ast
import dataclasses
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_graph():
    spec = importlib.util.spec_from_file_location(
        "import_graph", ROOT / "scripts" / "import_graph.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_graph", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


graph = _load_graph()

# Types several modules import that are not records of stored rows, and where they live.
VIEWS = {
    ("scoring.guards", "Granted"): "the guard's grant to a body: an open connection, not a record",
    ("scoring.debrief_view", "Debrief"): "the open debrief as the page and the exports draw it",
    ("scoring.debrief_view", "PanelCard"): "one scorecard of the debrief as every rendering shows",
    ("scoring.debrief_view", "DebriefStatus"): "the debrief page's frame before it opens",
    ("scoring.debrief_view", "Preview"): "the debrief page's what-if of each strategy",
    ("scoring.insights.records", "Insights"): "what the Insights screen and documents draw",
    ("scoring.insights.process", "Panel"): "one panel in the Insights decision-process figures",
    ("scoring.exports.summary", "Summary"): "the decision summary the templates render",
    ("scoring.demo_words", "DemoTeam"): "the demo's plan from demo.toml, inside the demo room",
    ("scoring.keys", "AuditKey"): "the history's signing key, read from its file, not a row",
}


def _is_dataclass_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return (isinstance(target, ast.Name) and target.id == "dataclass") or (
        isinstance(target, ast.Attribute) and target.attr == "dataclass"
    )


def _record_classes(tree: ast.Module) -> set[str]:
    """Top-level dataclasses and pydantic models (a BaseModel subclass, directly or through a
    base class of the same module)."""
    found: set[str] = set()
    models: set[str] = {"BaseModel"}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
        if bases & models:
            models.add(node.name)
            found.add(node.name)
        elif any(_is_dataclass_decorator(d) for d in node.decorator_list):
            found.add(node.name)
    return found


def record_importers(root: Path = ROOT) -> dict[tuple[str, str], set[str]]:
    """(defining module, class) -> the other scoring modules importing it, for every record
    class of scoring/."""
    files = graph.module_files(("scoring",), root)
    trees = {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in files.items()}
    defined = {m: _record_classes(t) for m, t in trees.items()}
    # module -> {name bound at its top level by `from X import name [as alias]`: (X, name)}
    reexports: dict[str, dict[str, tuple[str, str]]] = {}
    for m, tree in trees.items():
        is_package = files[m].name == "__init__.py"
        bound = reexports.setdefault(m, {})
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                base = graph._resolve(m, is_package, node)
                for alias in node.names:
                    bound[alias.asname or alias.name] = (base, alias.name)

    def definition(module: str, name: str, seen=()) -> str | None:
        if module in defined and name in defined[module]:
            return module
        if module in reexports and name in reexports[module] and module not in seen:
            return definition(*reexports[module][name], seen=(*seen, module))
        return None

    importers: dict[tuple[str, str], set[str]] = {
        (m, c): set() for m, names in defined.items() for c in names
    }
    for m, tree in trees.items():
        is_package = files[m].name == "__init__.py"
        modules: dict[str, str] = {}  # a local name bound to one of our modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = graph._resolve(m, is_package, node)
                for alias in node.names:
                    if f"{base}.{alias.name}" in files:
                        modules[alias.asname or alias.name] = f"{base}.{alias.name}"
                        continue
                    home = definition(base, alias.name)
                    if home and home != m:
                        importers[(home, alias.name)].add(m)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and alias.name in files:
                        modules[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
            ):
                home = definition(modules[node.value.id], node.attr)
                if home and home != m:
                    importers[(home, node.attr)].add(m)
    return importers


def test_shared_records_are_defined_in_scoring_models():
    """A record two modules import lives in scoring/models/ (the old module re-exports it)."""
    stray = {
        f"{module}.{name}": sorted(users)
        for (module, name), users in record_importers().items()
        if len(users) >= 2
        and not module.startswith("scoring.models")
        and graph.room(module) != "pure core"
        and (module, name) not in VIEWS
    }
    assert stray == {}, "records defined outside scoring/models/ and imported by:\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(stray.items())
    )


def test_the_views_listed_are_still_views_where_they_say():
    """Every entry of VIEWS names a class that exists where it says (a stale entry would let a
    record moved back out of models pass unnoticed)."""
    importers = record_importers()
    assert [k for k in VIEWS if k not in importers] == []


def test_the_scan_sees_a_record_imported_twice(tmp_path):
    """A made-up scoring/: a dataclass imported by two modules (once by name through a
    re-export, once through its module) is found; one imported once is not shared."""
    pkg = tmp_path / "scoring"
    (pkg / "models").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "models/__init__.py": "",
        "models/people.py": (
            "from dataclasses import dataclass\n@dataclass\nclass Ok:\n    a: int\n"
        ),
        "rows.py": (
            "import dataclasses\nfrom pydantic import BaseModel\n"
            "@dataclasses.dataclass(frozen=True)\nclass Row:\n    a: int\n"
            "class Base(BaseModel):\n    pass\nclass Typed(Base):\n    b: int\n"
            "class Plain:\n    pass\n"
        ),
        "again.py": "from scoring.rows import Row, Typed, Plain\n",
        "user.py": "from scoring import again, rows\nx = again.Row\ny = rows.Plain\n",
        "third.py": "from scoring.models.people import Ok\nfrom .again import Row\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    found = record_importers(tmp_path)
    assert found[("scoring.rows", "Row")] == {"scoring.again", "scoring.user", "scoring.third"}
    assert found[("scoring.rows", "Typed")] == {"scoring.again"}
    assert ("scoring.rows", "Plain") not in found  # not a record
    assert found[("scoring.models.people", "Ok")] == {"scoring.third"}


def test_models_read_no_storage():
    """scoring/models/ imports only the pure core and itself: no store, no queries, no service,
    so a record is the same wherever it is built (a `from_row` reads a row it is handed)."""
    rooms = {
        graph.room(e.target)
        for e in graph.edges(("scoring",))
        if e.source.startswith("scoring.models")
    }
    assert rooms <= {"models", "pure core"}, rooms
    for path in (ROOT / "scoring" / "models").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "execute(" not in text and "SELECT " not in text, path.name


def test_old_import_paths_give_the_same_class():
    """`from scoring.scorecards import Scorecard` and the other old paths still work, and give
    the one class (an isinstance check across old and new paths holds)."""
    from scoring import (
        candidates,
        debrief_view,
        drafts,
        opening_record,
        openings,
        permission_facts,
        permissions,
        schedule,
        scorecards,
        status,
        submission,
    )
    from scoring.models import decisions, facts, people
    from scoring.models import openings as m_openings
    from scoring.models import scorecards as m_cards
    from scoring.models import status as m_status

    pairs = [
        (permissions.Person, people.Person),
        (permission_facts.Person, people.Person),
        (permissions.CandidateFacts, facts.CandidateFacts),
        (opening_record.Opening, m_openings.Opening),
        (openings.Opening, m_openings.Opening),
        (candidates.Candidate, m_openings.Candidate),
        (schedule.SessionPlan, m_openings.SessionPlan),
        (scorecards.Scorecard, m_cards.Scorecard),
        (submission.CriterionEntry, m_cards.CriterionEntry),
        (drafts.Draft, m_cards.Draft),
        (scorecards.Draft, m_cards.Draft),
        (drafts.DraftCriterion, m_cards.DraftCriterion),
        (status.SeatStatus, m_status.SeatStatus),
        (scorecards.SeatStatus, m_status.SeatStatus),
        (status.CandidateStatus, m_status.CandidateStatus),
        (status.StatusCounts, m_status.StatusCounts),
        (debrief_view.DecisionRecord, decisions.DecisionRecord),
        (debrief_view.VoteRecord, decisions.VoteRecord),
    ]
    assert [(a, b) for a, b in pairs if a is not b] == []
    assert all(dataclasses.is_dataclass(b) for _, b in pairs)
