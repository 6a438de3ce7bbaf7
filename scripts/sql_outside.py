"""SQL written outside the queries layer: every string in `scoring/` that starts like a statement
(SELECT, INSERT, UPDATE, DELETE, WITH, CREATE, ...), outside `scoring/queries/`, the store and
the migrations.

    .venv/bin/python scripts/sql_outside.py            # every place, then the count
    .venv/bin/python scripts/sql_outside.py scoring/debrief.py

tests/test_queries_layer.py asserts there is none.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = ("scoring/queries/", "scoring/store.py", "scoring/migrations.py")
_STATEMENT = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|"
    r"ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ANALYZE|ATTACH)\b"
)  # upper case, as every statement here is written; a sentence starting "Create" is not SQL
# Also SQL glued on to another statement: " WHERE ...", " AND ...", " ORDER BY ...".
_FRAGMENT = re.compile(r"^\s*(WHERE|AND|OR|ORDER BY|GROUP BY|JOIN|LEFT JOIN|FROM|LIMIT)\s")


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def places(paths: list[Path] | None = None) -> list[tuple[str, int, str]]:
    """(file, line, first words) for every SQL string outside the allowed modules."""
    found = []
    for path in paths or sorted((ROOT / "scoring").rglob("*.py")):
        full = path.resolve()
        rel = full.relative_to(ROOT).as_posix() if full.is_relative_to(ROOT) else str(full)
        if rel.startswith(ALLOWED):
            continue
        tree = ast.parse(path.read_text(), str(path))
        inner: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inner.update(id(v) for v in node.values)
        for node in ast.walk(tree):
            if id(node) in inner:
                continue
            text = _text(node)
            if text and (_STATEMENT.match(text) or _FRAGMENT.match(text)):
                # A docstring that starts with an upper-case word like SELECT is not a query.
                if _is_docstring(tree, node):
                    continue
                found.append((rel, node.lineno, " ".join(text.split())[:60]))
    return found


def _is_docstring(tree: ast.Module, node: ast.AST) -> bool:
    for parent in ast.walk(tree):
        body = getattr(parent, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and first.value is node:
            return True
    return False


if __name__ == "__main__":
    chosen = [Path(a) for a in sys.argv[1:]] or None
    rows = places(chosen)
    for rel, line, words in rows:
        print(f"{rel}:{line}: {words}")
    print(f"{len(rows)} SQL string(s) outside the queries layer")
