"""The openings modules along their seams (issue 24): each holds one job, stays under about 600
lines, imports only the ones below it, and every name callers import from `scoring.openings`
is still there."""

import ast
from pathlib import Path

import scoring.openings as openings

SCORING = Path(__file__).resolve().parent.parent / "scoring"
# lowest first: a module may import only those before it
LAYERS = ["opening_record", "candidates", "schedule", "schedule_changes", "openings"]

# Every name `scoring/openings.py` defined before the split that callers, pages and tests use
# (the private helpers the split modules once shared are public in `schedule` now, or stayed
# private to the one module that uses them).
KEPT = [
    "ALIAS_ALPHABET",
    "Candidate",
    "CandidatePage",
    "LOCATION_MAX",
    "MAX_PER_SESSION",
    "Opening",
    "RevealRule",
    "SCORED_FIELDS",
    "SessionPlan",
    "_SNAPSHOTS",
    "_ensure_active",
    "_may_on",
    "_strategy",
    "add_candidate",
    "add_interviewer",
    "cancel_session",
    "candidate_ids",
    "change_location",
    "check_location",
    "close_opening",
    "create_opening",
    "day_clashes",
    "day_times",
    "edit_opening",
    "ensure_open",
    "find_candidates",
    "get_candidate",
    "get_opening",
    "list_candidates",
    "list_openings",
    "locations",
    "may_on_opening",
    "move_clashes",
    "move_session",
    "new_alias",
    "plan_clashes",
    "plan_warnings",
    "recuse",
    "replace_interviewer",
    "rubric",
    "rubric_snapshot",
    "schedule_day",
    "schedule_session",
    "seat_candidate",
    "snapshot_rubric",
    "withdraw_candidate",
]


def _imports(module: str) -> set[str]:
    """The scoring modules `module` imports anywhere in its file, functions included."""
    tree = ast.parse((SCORING / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "scoring":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("scoring."):
                found.add(node.module.removeprefix("scoring."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("scoring.") for a in node.names}
    return found


def test_every_name_callers_import_from_openings_is_still_there():
    missing = [name for name in KEPT if not hasattr(openings, name)]
    assert missing == []


def test_the_snapshot_cache_is_one_dict_wherever_it_is_reached_from():
    """Tests clear `openings._SNAPSHOTS` to start like a fresh process: it must be the cache the
    reader uses, not a copy."""
    from scoring import opening_record

    assert openings._SNAPSHOTS is opening_record._SNAPSHOTS
    assert openings.rubric_snapshot is opening_record.rubric_snapshot


def test_the_opening_is_read_by_one_public_function():
    from scoring import opening_record

    assert not hasattr(openings, "_opening") and not hasattr(opening_record, "_opening")


def _private_imports(module: str) -> set[tuple[str, str]]:
    """(scoring module, name) for every private name `module` imports from another module."""
    tree = ast.parse((SCORING / f"{module}.py").read_text())
    return {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scoring")
        for alias in node.names
        if alias.name.startswith("_")
    }


def test_no_openings_module_reaches_into_another_modules_private_names():
    """What one module needs of another is a public, documented name of it; the one private
    name left is the snapshot cache `openings` keeps importable for the tests that clear it."""
    found = {m: _private_imports(m) for m in [*LAYERS, "bookings", "candidates_csv"]}
    assert {m: names for m, names in found.items() if names} == {
        "openings": {("scoring.opening_record", "_SNAPSHOTS")}
    }


def test_every_public_function_of_the_openings_modules_says_what_it_does():
    for module in [*LAYERS, "bookings", "candidates_csv"]:
        tree = ast.parse((SCORING / f"{module}.py").read_text())
        bare = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and not node.name.startswith("_")
            and ast.get_docstring(node) is None
        ]
        assert bare == [], module


def test_each_openings_module_imports_only_those_below_it():
    for position, module in enumerate(LAYERS):
        itself_and_higher = set(LAYERS[position:])
        assert _imports(module) & itself_and_higher == set(), module


def test_no_openings_module_passes_about_600_lines():
    sizes = {m: len((SCORING / f"{m}.py").read_text().splitlines()) for m in LAYERS}
    assert max(sizes.values()) <= 600, sizes
