"""A recruiter's words on the coordinator's and the manager's screens (AppTest on a real SQLite
file): no `quorum`, no `hiring_manager`, no lower-case `hire`, no UTC where the viewer has a zone;
the phone and source an import kept are where the coordinator sees the candidate."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from scoring import candidates_csv, debrief, people
from scoring.store import Store
from world import ROOT, build, submit

INTERNAL = re.compile(r"quorum|hiring_manager|committee_member|no_hire|awaiting_|\bv\d\b")


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "words.sqlite")


def screen(w, who, path, monkeypatch, zone=None) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if zone:
        at.context["timezone"] = zone
    at.session_state["person_id"] = w.person(who).id
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def words(at: AppTest) -> str:
    """Every text the page shows: labels, captions, tables, messages, options."""
    parts = [
        e.value
        for kind in ("title", "header", "markdown", "caption", "info")
        for e in getattr(at, kind)
    ]
    parts += [
        w.label
        for kind in ("number_input", "radio", "selectbox", "checkbox", "slider")
        for w in getattr(at, kind)
    ]
    parts += [str(o) for r in at.radio for o in r.options]
    parts += [str(o) for s in at.selectbox for o in s.options]
    parts += [t.value.to_csv() for t in at.table] + [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def test_the_openings_screen_says_what_scorecards_needed_means(world, monkeypatch):
    at = screen(world, "coordinator", "pages/openings.py", monkeypatch)
    strategy = next(r for r in at.radio if r.label == "Decision strategy")
    assert [n.label for n in at.number_input if "needed" in n.label] == [
        "Scorecards needed to decide (0: no minimum)"
    ]
    shown = {"manager": words(at)}
    for kind in ("vote", "committee"):
        strategy.set_value(kind).run()
        assert not at.exception
        shown[kind] = words(at)
    assert "Committee votes needed to decide" in shown["committee"]
    needed = next(n for n in at.number_input if n.label == "Committee votes needed to decide")
    assert needed.min == 1  # a committee decides on one vote at least, whatever is set
    for kind, text in shown.items():
        assert not INTERNAL.search(text), (kind, INTERNAL.search(text))
        assert "Hiring manager decides" in text  # the table of openings, in words
    assert "Simple majority" in shown["vote"]


def test_the_candidates_screen_shows_the_phone_and_source_an_import_kept(world, monkeypatch):
    candidates_csv.import_candidates(
        world.store,
        world.coordinator,
        world.opening_id,
        "First Name,Last Name,Email,Phone,Source\nAda,Lovelace,ada@example.org,+44 1,Agency\n",
    )
    at = screen(world, "coordinator", "pages/candidates.py", monkeypatch)
    listing = at.dataframe[0].value.set_index("name")
    # the source as one of four words (scoring.demographics.source_category)
    assert (listing.loc["Ada Lovelace", "phone"], listing.loc["Ada Lovelace", "source"]) == (
        "+44 1",
        "agency",
    )
    assert listing.loc["Grace Hopper", "phone"] == ""


def test_decisions_are_capitalised_and_in_the_viewers_time(world, monkeypatch):
    for who in ("ana", "bo", "cy"):
        submit(world, who, 4)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    debrief.record_decision(
        world.store, world.manager, world.candidate_id, "no_hire", "Not this time", True
    )
    at = screen(world, "manager", "pages/decisions.py", monkeypatch, zone="America/New_York")
    (row,) = at.dataframe[0].value.to_dict("records")
    assert row["decision"] == "No hire"
    assert re.fullmatch(r"\w{3} \d\d \w{3} \d\d:\d\d E[SD]T", row["when"]), row["when"]


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
def test_the_first_run_lists_roles_in_words(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "first.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    next(b for b in at.button if b.label == "Load the demo").click().run()
    assert not at.exception, at.exception
    roles = list(at.dataframe[0].value["roles"])
    assert "Hiring manager, Interviewer" not in roles  # the usual order: Interviewer first
    assert "Interviewer, Hiring manager" in roles and "Committee member" in roles
    assert not any("_" in r for r in roles), roles


def test_roles_in_words_keep_the_usual_order():
    assert people.roles_in_words(["committee_member", "hiring_manager"]) == (
        "Hiring manager, Committee member"
    )


def test_the_rubrics_screen_says_the_version_in_words(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "r.sqlite"))
    coordinator, _ = people.create_first_coordinator(Store(), "Cora", "cora@example.com")
    at = AppTest.from_file(str(ROOT / "pages" / "rubrics.py"), default_timeout=30)
    at.session_state["person_id"] = coordinator.id
    at.run()
    captions = [c.value for c in at.caption]
    assert "Version 2 · file coding.yaml" in captions
    assert not any("hash" in c or "`" in c for c in captions)
