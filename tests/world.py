"""A small organisation on a real temporary SQLite file, built through the service.

`build` makes each shape of organisation once per test process, through the service, and gives
every caller its own copy of that file (SQLite's backup: a few milliseconds, where building costs
a tenth of a second and a slow hash): tests stay independent, and hundreds of them skip the same
twenty writes.

With ``DEBRIEF_TEST_ENGINE=postgresql`` (scripts/test --engine postgresql) the organisation is on
a real PostgreSQL instead (tests/pg_server.py): built once per shape into a database of its own,
and each caller gets a copy of it (CREATE DATABASE ... TEMPLATE), dropped after the test
(`drop_test_databases`, from tests/conftest.py). The `path` given is then not used."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scoring import openings, people, scorecards
from scoring.matrix import full_scores
from scoring.permissions import Person
from scoring.rubric import load_catalog
from scoring.store import Store

ROOT = Path(__file__).resolve().parent.parent
# What a refusing trigger raises, on either engine (PostgreSQL's: SQLSTATE 23001, an
# IntegrityError too; scoring/queries/schema_pg.py).
REFUSED: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
try:
    import psycopg

    REFUSED += (psycopg.IntegrityError,)
except ImportError:  # pragma: no cover - psycopg is in requirements.txt
    pass
ENGINE = os.environ.get("DEBRIEF_TEST_ENGINE", "sqlite")
if ENGINE not in ("sqlite", "postgresql"):
    raise SystemExit(f"DEBRIEF_TEST_ENGINE={ENGINE!r}: sqlite or postgresql")
CATALOG = load_catalog(ROOT / "rubrics")
DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass
class World:
    store: Store
    coordinator: Person
    manager: Person
    ana: Person
    bo: Person
    cy: Person
    member: Person
    outsider: Person
    opening_id: int
    candidate_id: int
    seats: dict[str, int]  # interviewer first name -> assignment id

    def person(self, name: str) -> Person:
        return getattr(self, name)


def submit(w: World, who: str, overall: int, level: int = 3, now=None):
    return scorecards.submit(
        w.store,
        w.person(who),
        w.seats[who],
        overall=overall,
        feedback=f"{who} thinks {overall}",
        criteria=full_scores(w.store, w.seats[who], level),
        now=now or DAY + timedelta(hours=6),
    )


# What a build depends on besides its arguments: the audit key that signs its log, and the
# settings its mail is written with (links, time zone). Another value builds afresh.
_SETTINGS = (
    "DEBRIEF_AUDIT_KEY",
    "DEBRIEF_PRIVACY_KEY",
    "DEBRIEF_SECRETS",
    "DEBRIEF_URL",
    "DEBRIEF_TZ",
)
_BUILT: dict[str, World] = {}  # shape -> the organisation built once, in a folder of this process
_FOLDER: list[Path] = []


def build(
    path: Path,
    *,
    strategy: dict | None = None,
    reveal_rule: str = "after_own",
    anonymise: bool = False,
    forced_choice: bool = False,
    manager_interviews: bool = False,
) -> World:
    """The organisation on `path`: a copy of the one this process built through the service for
    the same arguments and settings (built now if it is the first). Without a shared audit key
    (a test of the key itself), each database gets its own key file: built afresh."""
    shape = dict(
        strategy=strategy,
        reveal_rule=reveal_rule,
        anonymise=anonymise,
        forced_choice=forced_choice,
        manager_interviews=manager_interviews,
    )
    if ENGINE == "postgresql":
        return _on_postgres(shape)
    if not (os.environ.get("DEBRIEF_AUDIT_KEY") and os.environ.get("DEBRIEF_PRIVACY_KEY")):
        return _build(Path(path), **shape)
    key = json.dumps([shape, [os.environ.get(name) for name in _SETTINGS]], sort_keys=True)
    if key not in _BUILT:
        if not _FOLDER:
            _FOLDER.append(Path(tempfile.mkdtemp(prefix="debrief-worlds-")))
            atexit.register(shutil.rmtree, _FOLDER[0], True)
        _BUILT[key] = _build(_FOLDER[0] / f"world-{len(_BUILT)}.sqlite", **shape)
    made = _BUILT[key]
    copy_database(made.store.path, Path(path))
    return replace(made, store=Store(path))


_TEMPLATES: dict[str, tuple[str, World]] = {}  # shape -> (its database's URL, what was built)
_MADE: list[str] = []  # the databases given to tests, dropped after each


def _on_postgres(shape: dict) -> World:
    from tests.pg_server import cluster

    key = json.dumps([shape, [os.environ.get(name) for name in _SETTINGS]], sort_keys=True)
    if key not in _TEMPLATES:
        url = cluster().new_database("world")
        made = _build(url, **shape)
        made.store.close()  # a template must have no connection open
        _TEMPLATES[key] = (url, made)
    url, made = _TEMPLATES[key]
    copy = cluster().new_database("t", template=url)
    _MADE.append(copy)
    return replace(made, store=Store(copy))


def new_store(path: Path) -> Store:
    """A store for a test: the SQLite file `path`, or a new empty PostgreSQL database."""
    if ENGINE != "postgresql":
        return Store(path)
    from tests.pg_server import cluster

    url = cluster().new_database("t")
    _MADE.append(url)
    return Store(url)


def drop_test_databases(keep: int = 0) -> None:
    """Drop the PostgreSQL databases given out since the first `keep` (the test that just
    ended's: a module's world, made before, stays till the server stops)."""
    if len(_MADE) <= keep:
        return
    from tests.pg_server import cluster

    while len(_MADE) > keep:
        cluster().drop_database(_MADE.pop())


def copy_database(source: Path, target: Path) -> None:
    """`source` copied whole to `target` through SQLite's backup (whatever its WAL still holds)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def _build(
    path: Path | str,
    *,
    strategy: dict | None,
    reveal_rule: str,
    anonymise: bool,
    forced_choice: bool,
    manager_interviews: bool,
) -> World:
    store = Store(path)
    coordinator, _ = people.create_first_coordinator(store, "Cora Ordinator", "cora@example.com")
    add = lambda name, roles: people.add_person(  # noqa: E731
        store, coordinator, name, f"{name.split()[0].lower()}@example.com", roles
    )
    manager = add("Maria Manager", ["hiring_manager", "interviewer"])
    ana, bo, cy = (add(n, ["interviewer"]) for n in ("Ana Alvarez", "Bo Berg", "Cy Chen"))
    member = add("Mo Member", ["committee_member"])
    outsider = add("Oz Outsider", ["interviewer"])
    opening = openings.create_opening(
        store,
        coordinator,
        title="Data scientist",
        role="Data scientist (generalist)",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=manager.id,
        strategy=strategy or {"kind": "manager"},
        reveal_rule=reveal_rule,
        anonymise=anonymise,
        forced_choice=forced_choice,
        committee_ids=[member.id],
    )
    candidate_id = openings.add_candidate(
        store, coordinator, opening.id, "Grace Hopper", "grace@example.com"
    )
    panel = [("ana", ana), ("bo", bo), ("cy", cy)]
    if manager_interviews:
        panel.append(("manager", manager))
    seats = {}
    for position, (key, person) in enumerate(panel, start=1):
        session_id = openings.schedule_session(
            store,
            coordinator,
            candidate_id,
            min(position, 4),
            DAY + timedelta(hours=position),
            [person.id],
        )
        with store.read() as db:
            seats[key] = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session_id]
            ).fetchone()[0]
    return World(
        store, coordinator, manager, ana, bo, cy, member, outsider, opening.id, candidate_id, seats
    )


def raw_sql(w: World, statement: str, *params) -> None:
    """One statement on the database behind the service's back, as someone with the sqlite3
    shell (or psql) would run it (the schema's triggers are what stops it). Written in SQLite's
    dialect, with ? placeholders; on PostgreSQL translated as the service's statements are."""
    if w.store.engine == "postgresql":
        import psycopg

        from scoring.dialect import to_postgres

        text, _ = to_postgres(statement, bool(params))
        with psycopg.connect(w.store.url, autocommit=True) as conn:
            conn.execute(text, params or None)
        return
    conn = sqlite3.connect(w.store.path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def dump(where) -> list[str]:
    """The whole database as text (a store, or a SQLite file's path): equal dumps mean not one
    byte of data changed. On PostgreSQL every row of every table, in order."""
    if getattr(where, "engine", "sqlite") == "postgresql":
        import psycopg

        lines = []
        with psycopg.connect(where.url) as conn:
            tables = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                " current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
            for (table,) in tables:
                for row in conn.execute(f'SELECT * FROM "{table}" AS r ORDER BY r::text'):
                    lines.append(f"{table}: {row!r}")
        return lines
    path = getattr(where, "path", where)
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def page_as(w: World, who: str, path: str, monkeypatch, **params):
    """A page as the person sees it in a running session: AppTest through app.py, on the
    world's database, with `params` as query parameters."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = w.person(who).id
    at.run()
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def session_of(w: World, who: str) -> int:
    """The session of `who`'s seat."""
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats[who]]
        ).fetchone()[0]


def add_committee_members(w: World, *names: str) -> None:
    """More members on the opening's committee, each as `w.<first three letters>` ("Nia Member"
    is `w.nia`)."""
    for name in names:
        person = people.add_person(
            w.store, w.coordinator, name, f"{name[:3].lower()}@example.com", ["committee_member"]
        )
        setattr(w, name[:3].lower(), person)
        with w.store.write() as db:
            db.execute(
                "INSERT INTO opening_committee (opening_id, person_id) VALUES (?, ?)",
                [w.opening_id, person.id],
            )


# One module under both names it is imported by (tests import `world`, tests/conftest.py
# `tests.world`): one list of the databases given out, one set of templates.
sys.modules.setdefault("world", sys.modules[__name__])
sys.modules.setdefault("tests.world", sys.modules[__name__])
