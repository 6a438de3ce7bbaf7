"""The draft is a typed record stored as plain data: a point, "not assessed" (chosen, no point)
and no choice yet come back as they were; nothing of the form (its words, its widget keys) is in
the database; a draft stored the old way, as the form's state, still loads."""

import json
from datetime import timedelta

import pytest

from scoring import drafts, scorecards
from scoring.drafts import Draft, DraftCriterion
from scoring.errors import InvalidInput, NotAllowed
from world import DAY, build, raw_sql, submit

NOT_ASSESSED_WORDS = "not assessed"  # what the form once stored for a criterion not assessed


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "drafts.sqlite")


def stored(w, seat) -> str:
    with w.store.read() as db:
        return db.execute("SELECT content FROM drafts WHERE assignment_id = ?", [seat]).fetchone()[
            0
        ]


def criteria_of(w, who="cy"):
    return scorecards.sheet(w.store, w.person(who), w.seats[who]).rubric.criteria


def test_a_draft_comes_back_as_it_was_saved_and_is_stored_as_data(world):
    seat = world.seats["cy"]
    first, optional, untouched = (
        criteria_of(world)[0],
        next(c for c in criteria_of(world) if not c.required),
        criteria_of(world)[1],
    )
    draft = Draft(
        overall=3,
        feedback="Strong on tests",
        criteria={
            first.id: DraftCriterion(chosen=True, level=max(first.anchors), evidence="TDD"),
            optional.id: DraftCriterion(chosen=True, level=None),  # not assessed
            untouched.id: DraftCriterion(evidence="notes before choosing"),  # no choice yet
        },
    )
    drafts.save_draft(world.store, world.cy, seat, draft)
    back = drafts.load_draft(world.store, world.cy, seat)
    assert back == draft
    assert back.criteria[optional.id].not_assessed
    assert not back.criteria[untouched.id].chosen
    assert scorecards.sheet(world.store, world.cy, seat).draft == draft
    data = json.loads(stored(world, seat))
    assert data["format"] == drafts.FORMAT
    assert data["criteria"][optional.id] == {"chosen": True, "level": None, "evidence": ""}
    text = stored(world, seat)
    assert NOT_ASSESSED_WORDS not in text and f"score_{seat}" not in text


def test_an_old_draft_of_the_forms_state_still_loads(world):
    seat = world.seats["cy"]
    first, optional, untouched = (
        criteria_of(world)[0],
        next(c for c in criteria_of(world) if not c.required),
        criteria_of(world)[1],
    )
    old = {
        "overall": 2,
        "feedback": "written before the record",
        "criteria": {
            first.id: {"score": min(first.anchors), "evidence": "kept"},
            optional.id: {"score": NOT_ASSESSED_WORDS, "evidence": ""},
            untouched.id: {"score": None, "evidence": "typed, nothing chosen"},
        },
    }
    raw_sql(
        world,
        "INSERT INTO drafts (assignment_id, content, saved_at) VALUES (?, ?, ?)",
        seat,
        json.dumps(old),
        "2026-11-20T10:00:00Z",
    )
    expected = Draft(
        overall=2,
        feedback="written before the record",
        criteria={
            first.id: DraftCriterion(chosen=True, level=min(first.anchors), evidence="kept"),
            optional.id: DraftCriterion(chosen=True, level=None),
            untouched.id: DraftCriterion(chosen=False, evidence="typed, nothing chosen"),
        },
    )
    assert drafts.load_draft(world.store, world.cy, seat) == expected
    assert scorecards.sheet(world.store, world.cy, seat).draft == expected
    # saved again, it is stored as the record
    drafts.save_draft(world.store, world.cy, seat, expected)
    assert json.loads(stored(world, seat))["format"] == drafts.FORMAT


def test_an_old_partial_draft_loads_with_what_it_holds(world):
    seat = world.seats["cy"]
    raw_sql(
        world,
        "INSERT INTO drafts (assignment_id, content, saved_at) VALUES (?, ?, ?)",
        seat,
        json.dumps({"feedback": "my private notes", "note": "a key nobody reads"}),
        "2026-11-20T10:00:00Z",
    )
    assert drafts.load_draft(world.store, world.cy, seat) == Draft(feedback="my private notes")


def test_the_form_opens_an_old_draft_as_it_was(world, tmp_path, monkeypatch):
    from world import page_as

    seat = world.seats["cy"]
    optional = next(c for c in criteria_of(world) if not c.required)
    first = criteria_of(world)[0]
    old = {
        "overall": None,
        "feedback": "from the old form",
        "criteria": {
            first.id: {"score": max(first.anchors), "evidence": ""},
            optional.id: {"score": NOT_ASSESSED_WORDS, "evidence": "ran out of time"},
        },
    }
    raw_sql(
        world,
        "INSERT INTO drafts (assignment_id, content, saved_at) VALUES (?, ?, ?)",
        seat,
        json.dumps(old),
        "2026-11-20T10:00:00Z",
    )
    at = page_as(world, "cy", "pages/scorecard.py", monkeypatch, assignment=seat)
    radios = {r.key: r.value for r in at.radio if r.key}
    assert radios[f"score_{seat}_{first.id}"] == max(first.anchors)
    assert radios[f"score_{seat}_{optional.id}"] == NOT_ASSESSED_WORDS  # the form's word
    assert at.text_area(key=f"score_{seat}_{optional.id}_evidence").value == "ran out of time"
    assert at.text_area(key=f"score_{seat}_feedback").value == "from the old form"


def test_a_draft_is_only_its_interviewers_and_only_before_submitting(world):
    seat = world.seats["cy"]
    with pytest.raises(NotAllowed, match="not your assignment"):
        drafts.save_draft(world.store, world.ana, seat, Draft(feedback="not mine"))
    with pytest.raises(NotAllowed, match="not your assignment"):
        drafts.load_draft(world.store, world.ana, seat)
    with pytest.raises(InvalidInput, match="at most"):
        drafts.save_draft(world.store, world.cy, seat, Draft(feedback="x" * drafts.DRAFT_MAX))
    submit(world, "cy", 4, now=DAY + timedelta(hours=6))
    with pytest.raises(InvalidInput, match="already submitted"):
        drafts.save_draft(world.store, world.cy, seat, Draft(feedback="too late"))
