"""No import circles in scoring/ and ui/: two modules that import each other are missing a lower
module both can use. Counted as scripts/import_graph.py counts them (its code, not a copy):
every import, at the top of a module, inside a function, or under `if TYPE_CHECKING:`."""

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


def test_scoring_and_ui_have_no_import_circles():
    found = list(graph.edges())
    circles = graph.circles(found)
    lines = [
        f"{e.source}:{e.line} imports {e.target} ({e.where})"
        for component in circles
        for e in graph.circle_edges(found, component)
    ]
    assert circles == [], "import circles:\n" + "\n".join(lines)


def test_the_graph_sees_imports_inside_functions():
    """A function-level import is what hid one side of insights <-> outcomes: the graph must
    see them in the real tree, or the test above could pass on a graph with edges missing."""
    found = graph.edges()
    assert len(found) > 200
    assert any(
        e.source == "scoring.migrations" and e.target == "scoring.audit" and e.where == "function"
        for e in found
    )
    assert any(e.source.startswith("ui.") and e.target.startswith("scoring.") for e in found)


def test_every_kind_of_import_closes_a_circle(tmp_path):
    """A made-up package: each circle below is closed by a different kind of import, and the
    graph finds each; a chain without a way back is no circle."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        # module level <-> function level
        "a.py": "from pkg import b\n",
        "b.py": "def late():\n    from pkg.a import thing\n",
        # module level <-> TYPE_CHECKING, and a relative import
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import D\n",
        "d.py": "import pkg.c\n",
        # a three-module ring through a subpackage, with `from pkg import module`
        "e.py": "from pkg.sub import f\n",
        "sub/__init__.py": "",
        "sub/f.py": "from .. import g\n",
        "g.py": "class G:\n    def m(self):\n        import pkg.e\n",
        # no way back: no circle
        "h.py": "from pkg import a\nimport json\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    found = graph.edges(("pkg",), tmp_path)
    assert graph.circles(found) == [
        ["pkg.a", "pkg.b"],
        ["pkg.c", "pkg.d"],
        ["pkg.e", "pkg.g", "pkg.sub.f"],
    ]
    kinds = {(e.source, e.target): e.where for e in found}
    assert kinds[("pkg.b", "pkg.a")] == "function"
    assert kinds[("pkg.c", "pkg.d")] == "typing"
    assert kinds[("pkg.h", "pkg.a")] == "module"
    assert not any(e.target == "json" for e in found)  # only our own modules


def test_a_circle_through_a_package_init_is_seen(tmp_path):
    """A flat module importing `scoring.pkg.sub` runs scoring/pkg/__init__.py first: when that
    __init__ imports the flat module back, it is a circle even though no module names the other
    directly (how scoring.outcomes and the insights package once met)."""
    pkg = tmp_path / "scoring" / "pkg"
    pkg.mkdir(parents=True)
    (tmp_path / "scoring" / "__init__.py").write_text("")
    (tmp_path / "scoring" / "flat.py").write_text("from scoring.pkg.sub import x\n")
    (pkg / "__init__.py").write_text("from scoring.pkg.service import y\n")
    (pkg / "service.py").write_text("from scoring import flat\n")
    (pkg / "sub.py").write_text("x = 1\n")
    found = graph.edges(("scoring",), tmp_path)
    assert graph.circles(found) == [["scoring.flat", "scoring.pkg", "scoring.pkg.service"]]


def test_rooms_import_only_rooms_below_them():
    """The README's Layout draws the house as rooms stacked top to bottom (pages, command line,
    demo, exports, Insights, the debrief, figures, the day's work, mail, records, guards,
    storage, models, queries, pure core): an import from a lower room up to a higher one is
    the start of a circle, even before one closes."""
    assert "lower room to a higher one: none" in graph.rooms()


def test_every_module_has_a_room_it_was_put_in_on_purpose():
    """A new module of scoring/ that matches no room's prefix lands in "the day's work" only if
    it is one of the screens' service modules; the others must be named in ROOMS."""
    fallen = sorted(
        m
        for m in graph.module_files(("scoring",))
        if graph.room(m) == "the day's work"
        and m.rpartition(".")[2]
        not in {
            "people",
            "openings",
            "candidates",
            "candidates_csv",
            "schedule",
            "schedule_changes",
            "bookings",
            "clashes",
            "scorecards",
            "drafts",
            "sender",
            "submission",
            "status",
            "my_interviews",
            "throttle",
            "stages",
            "stage_reviews",
            "questions",
            "take_homes",
            "candidate_feedback",
            "candidate_mail",
            "candidate_record",
            # privacy (issue 28)
            "erasure",
            "subject_access",
            "retention",
            "retention_settings",
            "retention_notice",
            "legal_holds",
            "demographics",
            "scoring",
        }
    )
    assert fallen == []
