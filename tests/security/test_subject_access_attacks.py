"""Attacks on the subject-access export (issue 28): everyone who is not a coordinator, a
coordinator who still has a scorecard to write on the candidate, one whose role was just taken
away (in the service, at the download button's click and on the command line), someone
deactivated, an id that names no one; each refused with the permission table's words and nothing
written, not even an audit entry. Texts typed with Markdown, HTML, a formula or a line break come
out as the same JSON strings, and nothing about another candidate comes out with them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from test_subject_access import (
    ANA_FEEDBACK,
    EVIDENCE,
    FLAG,
    HOSTILE,
    NOTES,
    PERFORMANCE,
    RATIONALE,
    through,
)

from scoring import openings, people, schedule_changes
from scoring.errors import NotAllowed, NotFound
from scoring.permission_facts import INACTIVE, OWN_FIRST
from scoring.subject_access import subject_access
from ui.candidate_privacy import export_json
from world import DAY, build, dump, submit

ONLY_COORDINATORS = "Only a coordinator exports a candidate's data."


def audit_entries(store) -> int:
    with store.read() as db:
        return db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def refused(w, person, candidate_id, words: str, *, error=NotAllowed) -> None:
    """`person` is refused with exactly `words`, and not one byte is written."""
    before = dump(w.store)
    with pytest.raises(error) as caught:
        subject_access(w.store, person, candidate_id)
    assert str(caught.value) == words
    assert dump(w.store) == before


def test_nobody_but_a_coordinator_exports(tmp_path):
    w = build(tmp_path / "w.sqlite")
    submit(w, "ana", 3)
    for who in ("ana", "manager", "member", "outsider"):
        refused(w, w.person(who), w.candidate_id, ONLY_COORDINATORS)
    # Bo has his scorecard to write: the table says that first (it asks it of everyone), and
    # after it, that he is no coordinator
    before = dump(w.store)
    with pytest.raises(NotAllowed) as caught:
        subject_access(w.store, w.bo, w.candidate_id)
    assert str(caught.value) in (OWN_FIRST, ONLY_COORDINATORS)
    assert dump(w.store) == before
    # the hiring manager of the opening, even once the debrief is theirs to run
    submit(w, "bo", 3)
    submit(w, "cy", 3)
    refused(w, w.manager, w.candidate_id, ONLY_COORDINATORS)
    count = audit_entries(w.store)
    assert subject_access(w.store, w.coordinator, w.candidate_id)["candidate"]["name"] == (
        "Grace Hopper"
    )
    assert audit_entries(w.store) == count + 1


def test_a_coordinator_with_a_scorecard_to_write_takes_nothing_out_first(tmp_path):
    w = build(tmp_path / "w.sqlite")
    submit(w, "ana", 4)  # the export would show Ana's scores to Cy before Cy scores
    people.update_person(w.store, w.coordinator, w.cy.id, roles=["interviewer", "coordinator"])
    refused(w, w.cy, w.candidate_id, OWN_FIRST)
    submit(w, "cy", 2)
    document = subject_access(w.store, w.cy, w.candidate_id)
    assert [c["interviewer"] for c in document["scorecards"]] == ["Ana Alvarez", "Cy Chen"]


def test_a_coordinator_whose_role_was_just_removed_is_refused_everywhere(
    tmp_path, cli, monkeypatch
):
    w = build(tmp_path / "w.sqlite")
    dee = people.add_person(
        w.store, w.coordinator, "Dee Deputy", "dee@example.com", ["coordinator"]
    )
    code = people.issue_code(w.store, w.coordinator, dee.id)
    assert json.loads(export_json(w.store, dee, w.candidate_id))["candidate"]["id"] == (
        w.candidate_id
    )
    people.update_person(w.store, w.coordinator, dee.id, roles=["interviewer"])
    # `dee` still says coordinator: the page that drew her button was drawn before
    assert dee.has("coordinator")
    refused(w, dee, w.candidate_id, ONLY_COORDINATORS)
    before = dump(w.store)
    with pytest.raises(NotAllowed, match=r"^Only a coordinator exports"):
        export_json(w.store, dee, w.candidate_id)  # the button's file, made at the click
    assert dump(w.store) == before
    monkeypatch.setenv("DEBRIEF_CODE", code)
    result = cli(
        "subject-access",
        "--db",
        w.store.location,
        "--as",
        "dee@example.com",
        "--candidate",
        w.candidate_id,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.strip() == f"subject-access: {ONLY_COORDINATORS}"
    # deactivated: refused as such
    people.set_active(w.store, w.coordinator, dee.id, False)
    refused(w, dee, w.candidate_id, INACTIVE)


def test_an_id_that_names_no_candidate_is_not_found_and_nothing_is_written(tmp_path):
    w = build(tmp_path / "w.sqlite")
    refused(w, w.coordinator, 999, "No candidate with id 999.", error=NotFound)
    refused(w, w.ana, 999, "No candidate with id 999.", error=NotFound)


HOSTILE_NAME = '=HYPERLINK("http://evil.example") **Eve** <img src=x onerror=alert(1)>'
WITHDRAWN = "<script>alert(1)</script> | =1+2 [x](javascript:alert(1)) # not a heading"


def test_hostile_texts_come_out_as_the_same_json_strings(tmp_path, cli, monkeypatch):
    x = through(tmp_path)
    document = json.loads(export_json(x.store, x.w.coordinator, x.candidate_id))
    ana = document["scorecards"][0]
    assert ana["feedback"] == ANA_FEEDBACK and ana["feedback"].endswith(HOSTILE)
    assert EVIDENCE in [e["evidence"] for e in ana["criteria"]]
    assert document["stage_reviews"][0]["notes"] == NOTES
    assert document["cheating_flags"][0]["evidence"] == FLAG
    assert document["decisions"][0]["rationale"] == RATIONALE
    assert document["candidate_feedback"][1]["performance"] == PERFORMANCE
    # a candidate named and withdrawn with markup, a formula and a line break
    eve = openings.add_candidate(
        x.store, x.w.coordinator, x.t.opening_id, HOSTILE_NAME, "eve@example.com"
    )
    schedule_changes.withdraw_candidate(
        x.store, x.w.coordinator, eve, WITHDRAWN, now=DAY + timedelta(days=1)
    )
    code = people.issue_code(x.store, x.w.coordinator, x.w.coordinator.id)
    monkeypatch.setenv("DEBRIEF_CODE", code)
    result = cli(
        "subject-access",
        "--db",
        x.store.location,
        "--as",
        "cora@example.com",
        "--candidate",
        eve,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    c = document["candidate"]
    assert (c["name"], c["withdrawn"], c["withdrawal_reason"]) == (HOSTILE_NAME, True, WITHDRAWN)
    # raw text never breaks out of its string: every line of the file is JSON's own
    assert "\n<script>" not in result.stdout and "\nsecond line" not in result.stdout


def test_nothing_about_another_candidate_comes_out(tmp_path):
    x = through(tmp_path)  # Lin shares her interviewers and Ana's day with Grace
    for who in ("ana", "bo", "cy"):
        submit(x.w, who, 4)  # Grace's scorecards, by the same people
    text = json.dumps(subject_access(x.store, x.w.coordinator, x.candidate_id))
    for grace in ("Grace Hopper", "grace@example.com", "ana thinks 4", "bo thinks 4"):
        assert grace not in text
    assert f'"candidate:{x.w.candidate_id}"' not in text
