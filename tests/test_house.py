"""The house's promises (README, Layout): every SQL statement in the queries layer (or the store
and the migrations), and no module of scoring/ much over 600 lines. Counted by the scripts the
README names (their code, not a copy), and each check is shown to catch what it is for."""

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES_MAX = 600
STDLIB = ("", "__future__", "collections.abc", "typing", "dataclasses")


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


sql_outside = _load("sql_outside")


def test_no_sql_outside_the_queries_layer_the_store_and_the_migrations():
    found = sql_outside.places()
    assert found == [], "SQL outside scoring/queries/:\n" + "\n".join(
        f"{f}:{line}: {words}" for f, line, words in found
    )


def test_the_count_sees_statements_fragments_and_f_strings(tmp_path):
    """The scan must see what a service module could write, or the test above proves nothing."""
    module = tmp_path / "probe.py"
    module.write_text(
        'A = "SELECT 1 FROM people"\n'
        'B = f"UPDATE people SET name = ? WHERE id IN ({0})"\n'
        'C = " WHERE a.id = ?"\n'
        'D = "Select the rubric"  # a sentence, not SQL\n'
    )
    found = sql_outside.places([module])
    assert [line for _, line, _ in found] == [1, 2, 3]


def test_no_module_in_scoring_is_much_over_600_lines():
    big = {
        path.relative_to(ROOT).as_posix(): n
        for path in sorted((ROOT / "scoring").rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > LINES_MAX
    }
    assert big == {}


def test_every_query_module_holds_only_statements_and_small_builders():
    """A queries module names statements; it does not run them (no connection, no service)."""
    for path in sorted((ROOT / "scoring" / "queries").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                # other statements' parts, or typing: never the service, the store or a page
                assert module.startswith("scoring.queries") or module in STDLIB, (path, module)
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("execute", "executemany", "executescript"), path
