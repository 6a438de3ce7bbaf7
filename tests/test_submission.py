"""A bad submission gets a clear error naming the field, and writes nothing at all."""

from datetime import timedelta
from pathlib import Path

import pytest

from scoring import openings, scorecards
from scoring.drafts import Draft
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
    (
        {"colour": {"score": 3}},
        InvalidInput,
        "criteria.colour: The rubric 'coding' has no criterion 'colour'",
    ),
    (
        {"legibility": {"score": 9}},
        InvalidInput,
        "criteria.legibility: Choose one of the points 1 to 4 for “Legible code” (got 9)",
    ),
    ({"runs_without_error": {"score": 2}}, InvalidInput, "Choose one of the points 0 to 1"),
    (
        {"legibility": KeyError},
        InvalidInput,
        "criteria.legibility: Choose a point for “Legible code”.",
    ),
    (
        {"legibility": {"score": None}},
        InvalidInput,
        "“Legible code” must be scored: it cannot be marked not assessed",
    ),
    ({"feedback": "   "}, InvalidInput, "feedback: Write your feedback: why this recommendation."),
    (
        {"overall": 6},
        InvalidInput,
        "overall: Choose an overall recommendation from 0 to 5 (got 6).",
    ),
    (
        {"overall": 2.5},
        InvalidInput,
        "overall: Choose an overall recommendation from 0 to 5 (got 2.5).",
    ),
    ({"who": "ana"}, NotAllowed, "only its interviewer can score it"),
]


@pytest.mark.parametrize("changes, error, message", BAD)
def test_bad_submission_names_the_field_and_writes_nothing(world, changes, error, message):
    before = dump(world.store)
    kwargs = {k: v for k, v in changes.items() if k in ("who", "overall", "feedback")}
    criteria = {k: v for k, v in changes.items() if k not in kwargs}
    with pytest.raises(error) as caught:
        attempt(world, **kwargs, **criteria)
    assert message in str(caught.value)
    assert dump(world.store) == before


def test_forced_choice_opening_takes_only_the_extremes(tmp_path):
    w = build(tmp_path / "forced.sqlite", forced_choice=True)
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=r"0 \(Strong no\) or 5 \(Strong yes\) only"):
        attempt(w, overall=4)
    assert dump(w.store) == before
    assert attempt(w, overall=5).overall == 5


def test_not_assessed_is_allowed_where_the_rubric_allows_it(world):
    card = attempt(world, efficiency={"score": None, "evidence": "No working solution to time"})
    assert card.criteria["efficiency"].score is None
    assert card.criteria["legibility"].score is not None


def test_recused_interviewer_cannot_submit(world):
    openings.recuse(world.store, world.cy, world.seats["cy"], "I reviewed her thesis")
    before = dump(world.store)
    with pytest.raises(NotAllowed, match="recused"):
        attempt(world)
    assert dump(world.store) == before


def test_submission_snapshot_is_the_rubric_given_not_the_file(world, tmp_path):
    card = attempt(world)
    with world.store.read() as db:
        stored = openings.rubric_snapshot(db, card.rubric_hash)
    assert stored.id == "coding" and stored.content_hash == card.rubric_hash


def test_draft_survives_and_goes_away_on_submit(world):
    wip = Draft(overall=3, feedback="wip")
    scorecards.save_draft(world.store, world.cy, world.seats["cy"], wip)
    assert scorecards.load_draft(world.store, world.cy, world.seats["cy"]) == wip
    with pytest.raises(NotAllowed, match="not your assignment"):
        scorecards.load_draft(world.store, world.ana, world.seats["cy"])
    attempt(world)
    assert scorecards.load_draft(world.store, world.cy, world.seats["cy"]) is None


def test_a_scorecard_waits_for_its_interview_to_begin(world):
    seat = world.seats["cy"]
    starts = DAY + timedelta(hours=3)  # cy's coding session

    def submit_at(moment):
        return scorecards.submit(
            world.store,
            world.cy,
            seat,
            overall=4,
            feedback="Solid.",
            criteria=full_scores(world.store, seat),
            now=moment,
        )

    before = dump(world.store)
    with pytest.raises(InvalidInput, match="can be submitted once it has begun"):
        submit_at(starts - timedelta(minutes=5))
    assert dump(world.store) == before
    notes = Draft(feedback="notes taken during the interview")
    scorecards.save_draft(world.store, world.cy, seat, notes, now=starts - timedelta(minutes=5))
    early = scorecards.sheet(world.store, world.cy, seat, now=starts - timedelta(seconds=1))
    assert (early.draft, early.may_submit) == (notes, False)
    assert scorecards.sheet(world.store, world.cy, seat, now=starts).may_submit
    assert submit_at(starts).revision == 1


def test_the_form_says_when_it_can_be_submitted(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from scoring.store import now_utc

    root = Path(__file__).resolve().parent.parent
    w = build(tmp_path / "later.sqlite")
    later = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Later Candidate")
    session = openings.schedule_session(
        w.store, w.coordinator, later, 1, now_utc() + timedelta(days=2), [w.ana.id]
    )
    with w.store.read() as db:
        seat = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session]).fetchone()
    monkeypatch.chdir(root)
    monkeypatch.setenv("DEBRIEF_DB", w.store.location)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=30)
    at.session_state["person_id"] = w.ana.id
    at.run()
    at.query_params["assignment"] = str(seat[0])
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception
    (submit,) = [b for b in at.button if b.label == "Submit scorecard…"]
    assert submit.disabled
    assert any("You can submit once the interview begins" in c.value for c in at.caption)
    assert not next(b for b in at.button if b.label == "Save draft").disabled
