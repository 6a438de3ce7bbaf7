"""Fixtures for the end-to-end tests: real servers, real Chromium, real SQLite files."""

from __future__ import annotations

import pytest
from harness import ROOT, streamlit_server

from scoring.demo import build_demo
from scoring.rubric import load_catalog
from scoring.store import Store

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


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The app on a demo database; yields (url, {email: login}, store)."""
    db = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    store = Store(db)
    logins = build_demo(store, load_catalog(ROOT / "rubrics"))
    with streamlit_server(db) as url:
        yield url, {x.email: x for x in logins}, store


@pytest.fixture
def empty_app(tmp_path):
    """The app on a brand-new, empty database file; yields (url, db path)."""
    db = tmp_path / "fresh.sqlite"
    with streamlit_server(db) as url:
        yield url, db
