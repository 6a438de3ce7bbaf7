"""The import graph of Debrief's own packages, and the circles in it.

    .venv/bin/python scripts/import_graph.py            # scoring/ and ui/
    .venv/bin/python scripts/import_graph.py scoring    # one package

Every `import` counts, wherever it stands: at the top of a module, inside a function (an import
moved into a function to dodge a circle is still a circle, it only fails later and rarely), and
under `if TYPE_CHECKING:` (a type a module needs is a dependency of its design). Only edges
between modules of the packages read here are kept; the standard library and installed packages
are left out. A circle is a strongly connected component of more than one module (or a module
that imports itself). tests/test_import_graph.py asserts there are none.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scoring", "ui")


@dataclass(frozen=True)
class Edge:
    """One import of `target` by `source`, at `line`; `where` is "module" (top level, also under
    `if`/`try`), "function" (inside a def) or "typing" (under `if TYPE_CHECKING:`)."""

    source: str
    target: str
    line: int
    where: str


def module_files(packages=PACKAGES, root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under each package (subpackages too)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module):
    """(node, where) for every Import/ImportFrom in the tree, with where it stands."""

    def walk(node, where):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, where
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(child, "function")
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), "typing")
                for stmt in child.orelse:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), where)
            else:
                yield from walk(child, where)

    yield from walk(tree, "module")


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` names, relative levels included."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def edges(packages=PACKAGES, root: Path = ROOT) -> list[Edge]:
    """Every import between modules of `packages`, one Edge per imported module per statement."""
    files = module_files(packages, root)
    found: list[Edge] = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, where in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(module, is_package, node)
                # `from scoring import audit` imports the module scoring.audit;
                # `from scoring.store import stamp` imports scoring.store.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                    for alias in node.names
                ]
            for target in dict.fromkeys(targets):
                # `import scoring.a.b` names the innermost module of ours that exists.
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if not target or (target == module and not _self_import(node, module)):
                    continue  # not ours, or a package naming its own submodules' names
                found.append(Edge(module, target, node.lineno, where))
                # Importing scoring.insights.frames first runs scoring/insights/__init__.py: from
                # outside that package, the package itself is a dependency too (a flat module
                # that imports a submodule can close a circle through the package's __init__).
                parent = target.rpartition(".")[0]
                while parent in files and parent not in PACKAGES:  # their __init__ imports none
                    if not module.startswith(parent + ".") and module != parent:
                        found.append(Edge(module, parent, node.lineno, where))
                    parent = parent.rpartition(".")[0]
    return found


def _self_import(node, module: str) -> bool:
    """A module importing itself by name (a one-module circle), not a package's submodule."""
    if isinstance(node, ast.Import):
        return any(alias.name == module for alias in node.names)
    return False


def graph(found: list[Edge]) -> dict[str, set[str]]:
    """Module -> the modules it imports (any kind of import)."""
    out: dict[str, set[str]] = {}
    for edge in found:
        out.setdefault(edge.source, set()).add(edge.target)
        out.setdefault(edge.target, set())
    return out


def circles(found: list[Edge]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a self-import), sorted.
    Tarjan's algorithm, iterative so a deep chain cannot hit the recursion limit."""
    adjacency = {node: sorted(targets) for node, targets in graph(found).items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(adjacency):
        if start in index:
            continue
        work = [(start, iter(adjacency[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(adjacency[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in adjacency[node]:
                        components.append(sorted(component))
    return sorted(components)


def circle_edges(found: list[Edge], component: list[str]) -> list[Edge]:
    """The imports that run inside one circle: the lines to change to break it."""
    members = set(component)
    return [e for e in found if e.source in members and e.target in members]


def report(packages=PACKAGES, root: Path = ROOT) -> str:
    """The graph (one line per module: what it imports, function-level and typing-only imports
    marked) followed by the circles and the import lines that form them."""
    found = edges(packages, root)
    lines = []
    by_source: dict[str, dict[str, str]] = {}
    for edge in found:
        marks = by_source.setdefault(edge.source, {})
        # a module-level import of a target outranks a function-level one
        rank = {"module": 0, "typing": 1, "function": 2}
        if edge.target not in marks or rank[edge.where] < rank[marks[edge.target]]:
            marks[edge.target] = edge.where
    suffix = {"module": "", "function": " (in a function)", "typing": " (TYPE_CHECKING)"}
    for module in module_files(packages, root):
        targets = by_source.get(module, {})
        shown = ", ".join(f"{t}{suffix[w]}" for t, w in sorted(targets.items()))
        lines.append(f"{module} -> {shown or '(nothing of ours)'}")
    components = circles(found)
    lines.append("")
    lines.append(f"{len(found)} imports between {len(module_files(packages, root))} modules")
    lines.append(f"{len(components)} circle(s)")
    for component in components:
        lines.append("  circle: " + " <-> ".join(component))
        for edge in circle_edges(found, component):
            where = "" if edge.where == "module" else f" ({edge.where})"
            lines.append(f"    {edge.source}:{edge.line} imports {edge.target}{where}")
    return "\n".join(lines)


# The rooms of the house (README, Layout), top to bottom: a room imports only rooms below it. A
# module's room is the first whose prefixes it matches.
ROOMS: list[tuple[str, tuple[str, ...]]] = [
    ("pages and widgets", ("ui",)),
    (
        "command line",
        (
            "scoring.cli",
            "scoring.__main__",
            "scoring.matrix",
            "scoring.migrate_to",
            "scoring.migrate_proof",
            "scoring.backup_pg",
        ),
    ),
    ("demo", ("scoring.demo",)),
    ("exports", ("scoring.exports",)),
    ("Insights", ("scoring.insights",)),
    ("the debrief", ("scoring.debrief", "scoring.pipeline")),
    (
        "figures",
        (
            "scoring.uncertainty",
            "scoring.adjusted",
            "scoring.analysis",
            "scoring.charts",
            "scoring.leniency",
        ),
    ),
    ("mail", ("scoring.outbox", "scoring.mail", "scoring.invites")),
    ("records", ("scoring.opening_record", "scoring.opening_of")),
    ("guards and permissions", ("scoring.guards", "scoring.permission")),
    # the records every room shares (scoring/models/): they import only the pure core
    ("models", ("scoring.models",)),
    ("queries", ("scoring.queries",)),
    (
        "storage",
        (
            "scoring.store",
            "scoring.database",
            "scoring.postgres",
            "scoring.dialect",
            "scoring.migrations",
            "scoring.audit",
            "scoring.integrity",
            "scoring.keys",
            # a candidate's data key and the privacy key that wraps it (rows are opened here)
            "scoring.personal",
            "scoring.privacy_key",
            "scoring.settings",
            "scoring.paths",
            "scoring.leases",
            "scoring.nonces",
        ),
    ),
    (
        "pure core",
        (
            "scoring.scale",
            "scoring.rubric",
            "scoring.engine",
            "scoring.case",
            "scoring.strategy",
            "scoring.decision_words",
            "scoring.text",
            "scoring.errors",
            "scoring.emails",
            "scoring.lookalikes",
            # pure too: time as the database writes it (below the records that parse it), and
            # the clash rule over bookings
            "scoring.clock",
            "scoring.clashes",
            # where the service's random draws come from (the system's, or a seeded one)
            "scoring.chance",
        ),
    ),
    # people, openings, candidates, the day, scorecards, drafts, Status: what the screens change
    ("the day's work", ("scoring",)),
]
# Modules whose names begin like another room's (scoring.demographics is not the demo).
NOT_BY_PREFIX = {"scoring.demographics": "the day's work"}
# Where "the day's work" sits in the order: below the debrief and the figures, above mail.
ORDER = [
    "pages and widgets",
    "command line",
    "demo",
    "exports",
    "Insights",
    "the debrief",
    "figures",
    "the day's work",
    "mail",
    "records",
    "guards and permissions",
    "storage",
    "models",
    "queries",
    "pure core",
]


def room(module: str) -> str:
    """The room (README, Layout) a module belongs to."""
    if module in NOT_BY_PREFIX:
        return NOT_BY_PREFIX[module]
    for name, prefixes in ROOMS:
        if any(module == p or module.startswith(p + ".") or module.startswith(p) for p in prefixes):
            return name
    return "the day's work"


def rooms(packages=PACKAGES, root: Path = ROOT) -> str:
    """The graph between rooms as a Mermaid flowchart (an edge per pair, labelled with how many
    module imports run along it), then each room's modules and its largest module's lines."""
    found = edges(packages, root)
    files = module_files(packages, root)
    pairs: dict[tuple[str, str], int] = {}
    for edge in found:
        a, b = room(edge.source), room(edge.target)
        if a != b:
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    ids = {name: f"R{i}" for i, name in enumerate(ORDER)}
    lines = ["```mermaid", "flowchart TD"]
    members: dict[str, list[str]] = {}
    for module in files:
        members.setdefault(room(module), []).append(module)
    for name in ORDER:
        if name in members:
            lines.append(f'  {ids[name]}["{name} ({len(members[name])})"]')
    for (a, b), n in sorted(pairs.items()):
        lines.append(f"  {ids[a]} -->|{n}| {ids[b]}")
    lines.append("```")
    upwards = sorted((a, b) for (a, b) in pairs if ORDER.index(a) > ORDER.index(b))
    lines.append("")
    lines.append(f"imports from a lower room to a higher one: {upwards or 'none'}")
    for name in ORDER:
        if name in members:
            sizes = sorted(
                (len(files[m].read_text(encoding="utf-8").splitlines()), m) for m in members[name]
            )
            lines.append(
                f"- {name}: {len(members[name])} modules, largest {sizes[-1][1]} "
                f"({sizes[-1][0]} lines)"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rooms"]:
        print(rooms())
    else:
        print(report(tuple(sys.argv[1:]) or PACKAGES))
