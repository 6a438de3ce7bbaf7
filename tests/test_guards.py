"""Declared guards (scoring.guards): every guarded service function with the action it must
check. Change a function's action, or guard a new one without listing it here, and this fails."""

import importlib
import pkgutil

import pytest

import scoring
from scoring.errors import NotAllowed
from scoring.guards import GUARDED, Granted, guarded
from scoring.permissions import ACTIONS
from tests.world import build

# module.function -> the action that guards it (read each against the README's table before
# changing one: this list is the product's promise of who may call what).
EXPECTED = {
    "scoring.candidates_csv.check_import": "manage_opening",
    "scoring.candidates_csv.import_candidates": "manage_opening",
    "scoring.candidates_csv.contacts": "manage_opening",
}


def _import_all():
    for info in pkgutil.walk_packages(scoring.__path__, "scoring."):
        if info.name not in ("scoring.__main__",):
            importlib.import_module(info.name)


def test_every_guarded_function_checks_the_action_listed_here():
    _import_all()
    declared = {name: guard.action for name, guard in GUARDED.items()}
    assert declared == EXPECTED


def test_every_declared_action_is_in_the_permission_table():
    _import_all()
    assert {g.action for g in GUARDED.values()} <= set(ACTIONS)


def test_the_guard_refuses_before_the_body_runs_and_reads_one_snapshot(tmp_path):
    """The body never runs for someone the rule refuses; for someone it allows, the body gets the
    person re-read and the opening's facts on the connection that checked them."""
    ran = []

    @guarded("manage_opening", on="opening_id")
    def probe(g: Granted, opening_id: int) -> int:
        ran.append((g.actor.id, g.facts.opening_id))
        return g.db.execute("SELECT count(*) FROM openings WHERE id = ?", [opening_id]).fetchone()[
            0
        ]

    GUARDED.pop(f"{probe.__module__}.{probe.__qualname__}")
    w = build(tmp_path / "g.sqlite")
    with pytest.raises(NotAllowed, match=r"(?i)coordinator"):
        probe(w.store, w.ana, w.opening_id)
    assert ran == []
    assert probe(w.store, w.coordinator, opening_id=w.opening_id) == 1
    assert ran == [(w.coordinator.id, w.opening_id)]


def test_a_misspelt_action_or_a_missing_resource_fails_at_import_time():
    with pytest.raises(KeyError):
        guarded("manage_openings", on="opening_id")
    with pytest.raises(TypeError, match="opening_id"):

        @guarded("manage_opening", on="opening_id")
        def no_such_parameter(g: Granted, candidate_id: int) -> None: ...
