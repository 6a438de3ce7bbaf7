"""The Screens to review page (AppTest through app.py): a reviewer sees their open screens with
the alias on a blind stage, reviews one from the rubric's form (a missing point is named and
nothing is written), and the hiring manager decides a tied vote from the same page."""

from __future__ import annotations

import pytest

from scoring import openings, stages
from tests.funnel_world import funnel_opening, review, seats_of
from tests.world import build, page_as


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "reviews-page.sqlite")


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(i.value for i in at.info)


def test_a_reviewer_reviews_a_blind_screen_from_the_form(w, monkeypatch):
    opening_id = funnel_opening(w)
    candidate = openings.add_candidate(w.store, w.coordinator, opening_id, "Ada Lovelace")
    seat = seats_of(w, candidate, 1)[0]["id"]
    at = page_as(w, "ana", "pages/reviews.py", monkeypatch)
    listed = _texts(at)
    assert "Resume screen" in listed and "Ada Lovelace" not in listed  # the alias
    at = page_as(w, "ana", "pages/reviews.py", monkeypatch, seat=seat)
    radios = [r for r in at.radio if r.key and r.key.startswith(f"r-{seat}-")]
    for radio in radios[1:]:  # the first criterion left unchosen
        radio.set_value(4)
    at.radio(key=f"o-{seat}").set_value(4)
    at.text_area(key=f"n-{seat}").input("Two projects with evaluated models.")
    at.button[0].click().run()
    assert any("criteria.topic-knowledge" in e.value for e in at.error), [e.value for e in at.error]
    with w.store.read() as db:
        assert db.execute("SELECT count(*) FROM stage_reviews").fetchone()[0] == 0
    at.radio(key=radios[0].key).set_value(4)  # the rest is still as entered
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    with w.store.read() as db:
        assert stages.progress_of(db, candidate).stage == 2


def test_the_hiring_manager_decides_a_tied_vote_on_the_page(w, monkeypatch):
    voted = [{"kind": "screen", "rubric": "resume-screen", "rule": "vote", "reviewers": 2}]
    opening_id = funnel_opening(w, [*voted, {"kind": "loop"}])
    candidate = openings.add_candidate(w.store, w.coordinator, opening_id, "Ada Lovelace")
    one, two = (s["id"] for s in seats_of(w, candidate, 1))
    review(w, w.ana, one, level=4, overall=4)
    review(w, w.bo, two, level=1, overall=1)
    at = page_as(w, "manager", "pages/reviews.py", monkeypatch)
    assert "the rule leaves the decision to you" in _texts(at)
    assert "Ana Alvarez" in _texts(at) and "Bo Berg" in _texts(at)
    at.text_input(key=f"d-why-{candidate}-1").input("The projects outweigh the gaps.")
    at.button(key=f"d-advance-{candidate}-1").click().run()
    assert not at.error, [e.value for e in at.error]
    with w.store.read() as db:
        assert stages.progress_of(db, candidate).stage == 2
