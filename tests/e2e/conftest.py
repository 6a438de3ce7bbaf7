"""Fixtures for the end-to-end tests: real servers, real Chromium, real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import ROOT, streamlit_server

from scoring.demo import build_demo
from scoring.rubric import load_catalog
from scoring.store import Store
from world import copy_database

VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def new_page(browser):
    """A page in a fresh browser context (its own cookies: another person's browser)."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


_DEMO: dict = {}  # the demo this test process built once: its file and its logins


def demo_copy(tmp_path_factory, target: Path) -> list:
    """A copy of the demo database at `target` (built once a test process, through the service,
    then copied with SQLite's backup: the same people, codes and history every time, as two
    builds give anyway, without paying for a build per module); returns its logins."""
    if not _DEMO:
        built = tmp_path_factory.mktemp("demo-built") / "demo.sqlite"
        _DEMO["logins"] = build_demo(Store(built), load_catalog(ROOT / "rubrics"))
        _DEMO["file"] = built
    copy_database(_DEMO["file"], target)
    return _DEMO["logins"]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The app on a demo database; yields (url, {email: login}, store)."""
    db = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    logins = demo_copy(tmp_path_factory, db)
    store = Store(db)
    with streamlit_server(db) as url:
        yield url, {x.email: x for x in logins}, store


@pytest.fixture
def empty_app(tmp_path):
    """The app on a brand-new, empty database file; yields (url, db path)."""
    db = tmp_path / "fresh.sqlite"
    with streamlit_server(db) as url:
        yield url, db
