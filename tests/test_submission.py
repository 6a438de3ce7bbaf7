"""A bad submission gets a clear error naming the field, and writes nothing at all."""

from datetime import timedelta

import pytest

from scoring import openings, scorecards
from scoring.errors import InvalidInput, NotAllowed
from world import DAY, build, dump, full_scores


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "submit.sqlite")


def attempt(w, who="cy", overall=4, feedback="Solid, clear code.", **changes):
    criteria = full_scores(w.store, w.seats["cy"])  # cy runs the coding session
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is KeyError:
            criteria.pop(key)
        else:
            criteria[key] = value
    return scorecards.submit(
        w.store,
        w.person(who),
        w.seats["cy"],
        overall=overall,
        feedback=feedback,
        criteria=criteria,
        now=DAY + timedelta(hours=5),
    )


BAD = [
    ({"colour": {"score": 3}}, InvalidInput, "criteria.colour: the rubric 'coding' has no such"),
    (
        {"legibility": {"score": 9}},
        InvalidInput,
        "criteria.legibility: 9 is outside the scale 1..4",
    ),
    ({"runs_without_error": {"score": 2}}, InvalidInput, "outside the scale 0..1"),
    (
        {"legibility": KeyError},
        InvalidInput,
        "criteria.legibility: 'Legible code' is required and is missing",
    ),
    ({"legibility": {"score": None}}, InvalidInput, "cannot be marked not assessed"),
    ({"feedback": "   "}, InvalidInput, "feedback: written feedback is required"),
    ({"overall": 6}, InvalidInput, "overall: 6 is outside the scale 0..5"),
    ({"overall": 2.5}, InvalidInput, "overall: 2.5 is outside the scale 0..5"),
    ({"who": "ana"}, NotAllowed, "only its interviewer can score it"),
]


@pytest.mark.parametrize("changes, error, message", BAD)
def test_bad_submission_names_the_field_and_writes_nothing(world, changes, error, message):
    before = dump(world.store.path)
    kwargs = {k: v for k, v in changes.items() if k in ("who", "overall", "feedback")}
    criteria = {k: v for k, v in changes.items() if k not in kwargs}
    with pytest.raises(error) as caught:
        attempt(world, **kwargs, **criteria)
    assert message in str(caught.value)
    assert dump(world.store.path) == before


def test_forced_choice_opening_takes_only_the_extremes(tmp_path):
    w = build(tmp_path / "forced.sqlite", forced_choice=True)
    before = dump(w.store.path)
    with pytest.raises(InvalidInput, match=r"0 \(Strong no\) or 5 \(Strong yes\) only"):
        attempt(w, overall=4)
    assert dump(w.store.path) == before
    assert attempt(w, overall=5).overall == 5


def test_not_assessed_is_allowed_where_the_rubric_allows_it(world):
    card = attempt(world, efficiency={"score": None, "evidence": "No working solution to time"})
    assert card.criteria["efficiency"].score is None
    assert card.criteria["legibility"].score is not None


def test_recused_interviewer_cannot_submit(world):
    openings.recuse(world.store, world.cy, world.seats["cy"], "I reviewed her thesis")
    before = dump(world.store.path)
    with pytest.raises(NotAllowed, match="recused"):
        attempt(world)
    assert dump(world.store.path) == before


def test_submission_snapshot_is_the_rubric_given_not_the_file(world, tmp_path):
    card = attempt(world)
    with world.store.read() as db:
        stored = openings.rubric_snapshot(db, card.rubric_hash)
    assert stored.id == "coding" and stored.content_hash == card.rubric_hash


def test_draft_survives_and_goes_away_on_submit(world):
    scorecards.save_draft(world.store, world.cy, world.seats["cy"], {"overall": 3, "note": "wip"})
    assert scorecards.load_draft(world.store, world.cy, world.seats["cy"])["note"] == "wip"
    with pytest.raises(NotAllowed):
        scorecards.load_draft(world.store, world.ana, world.seats["cy"])
    attempt(world)
    assert scorecards.load_draft(world.store, world.cy, world.seats["cy"]) is None
