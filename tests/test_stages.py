"""The funnel's stages (issue 27): an opening's process frozen at creation, candidates entering
its first stage, screens reviewed blind and decided by their rule, a provisional bar's
rejections spot-checked, the hiring manager's hand, the loop gated behind the screens, the
offer's answer, and history that stays."""

from __future__ import annotations

import pytest

from scoring import debrief, openings, people, stage_reviews, stages
from scoring.errors import InvalidInput, NotAllowed
from scoring.models.stages import LOOP_ONLY
from scoring.permission_funnel import REVIEW_FIRST
from scoring.rubric import Loop
from tests.funnel_world import (
    FUNNEL_STAGES,
    criteria_at,
    funnel_loop,
    funnel_opening,
    review,
    seats_of,
)
from tests.world import CATALOG, DAY, REFUSED, build, raw_sql


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "stages.sqlite")


def _progress(w, candidate_id):
    with w.store.read() as db:
        return stages.progress_of(db, candidate_id)


def _add(w, opening_id, name="Ada Lovelace"):
    email = name.split()[0].lower() + "@example.org"
    return openings.add_candidate(w.store, w.coordinator, opening_id, name, email)


def test_an_opening_without_stages_is_the_loop_alone_and_ends_in_its_decision(w):
    with w.store.read() as db:
        assert stages.process(db, w.opening_id) == LOOP_ONLY
    assert _progress(w, w.candidate_id).state == "in_process"
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="early for the test")
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "strong", True)
    where = _progress(w, w.candidate_id)
    assert (where.state, where.step(1).state) == ("hired", "advanced")


def test_the_process_is_frozen_with_the_opening_and_its_bar_follows_the_level(w):
    levelled = [dict(FUNNEL_STAGES[0], bar={"default": 0.5, "senior": 0.7}), *FUNNEL_STAGES[1:]]
    opening_id = funnel_opening(w, levelled, level="senior")
    with w.store.read() as db:
        process = stages.process(db, opening_id)
    assert [s.kind for s in process] == ["screen", "screen", "loop", "offer"]
    assert process[0].title == "Resume screen" and process[0].bar == 0.7
    assert process[0].reviewer_ids == (w.ana.id, w.bo.id)
    assert process[1].reviewer_ids == (w.manager.id,)  # the hiring manager by default
    with pytest.raises(REFUSED):
        raw_sql(w, "UPDATE opening_stages SET bar = 0.1 WHERE opening_id = ?", opening_id)


def test_a_loop_template_with_two_loops_or_an_offer_in_the_middle_is_refused():
    data = CATALOG.loops["ds-generalist-onsite"].model_dump(mode="json")
    for bad in ([{"kind": "loop"}, {"kind": "loop"}], [{"kind": "offer"}, {"kind": "loop"}]):
        with pytest.raises(ValueError, match="stages"):
            Loop.model_validate({**data, "stages": bad})
    with pytest.raises(ValueError, match="needs a rubric"):
        Loop.model_validate({**data, "stages": [{"kind": "screen"}, {"kind": "loop"}]})


def test_a_candidate_enters_the_first_screen_with_the_least_loaded_reviewer(w):
    opening_id = funnel_opening(w)
    first = _add(w, opening_id)
    second = _add(w, opening_id, "Alan Turing")
    assert [s["reviewer_id"] for s in seats_of(w, first)] == [w.ana.id]
    assert [s["reviewer_id"] for s in seats_of(w, second)] == [w.bo.id]  # Ana has one open
    assert _progress(w, first).stage == 1


def test_a_screen_passed_above_the_bar_moves_on_and_the_loop_waits_for_the_screens(w):
    opening_id = funnel_opening(w)
    candidate = _add(w, opening_id)
    with pytest.raises(InvalidInput, match="still at stage 1"):
        openings.schedule_session(w.store, w.coordinator, candidate, 1, DAY, [w.cy.id])
    seat = seats_of(w, candidate, 1)[0]["id"]
    review(w, w.ana, seat, level=4, overall=4)
    where = _progress(w, candidate)
    assert (where.stage, where.step(1).state, where.step(1).provisional) == (2, "advanced", True)
    assert [s["reviewer_id"] for s in seats_of(w, candidate, 2)] == [w.manager.id]
    phone = seats_of(w, candidate, 2)[0]["id"]
    review(w, w.manager, phone, level=3, overall=4)  # the single reviewer says yes
    assert _progress(w, candidate).stage == 3
    openings.schedule_session(w.store, w.coordinator, candidate, 1, DAY, [w.cy.id])  # now it may


def test_a_provisional_rejection_goes_to_a_second_reviewer_who_reviews_blind(w):
    opening_id = funnel_opening(w, reviewers={1: [w.ana.id, w.bo.id], 2: [w.cy.id]})
    candidate = _add(w, opening_id)
    first = seats_of(w, candidate, 1)[0]["id"]
    review(w, w.ana, first, level=1, overall=1)
    assert _progress(w, candidate).state == "rejected"
    check = seats_of(w, candidate, 1)[1]
    assert (check["reviewer_id"], check["purpose"]) == (w.bo.id, "spot_check")
    with pytest.raises(NotAllowed, match=REVIEW_FIRST):
        stage_reviews.reviews(w.store, w.bo, candidate)
    sheet = stage_reviews.sheet(w.store, w.bo, check["id"])
    assert sheet.seat.candidate.startswith("Candidate ")  # a blind stage: the alias
    review(w, w.bo, check["id"], level=4, overall=4, hours=2)  # the check disagrees
    seen = stage_reviews.reviews(w.store, w.bo, candidate)
    assert [r.purpose for r in seen] == ["review", "spot_check"]
    with w.store.read() as db:
        (checks,) = stage_reviews.spot_checks(db, opening_id, stages.process(db, opening_id), None)
    assert (checks.checked, checks.agreed) == (1, 0)
    # the hiring manager overturns the rejection the check disputes
    stage_reviews.decide(w.store, w.manager, candidate, 1, "advance", "spot check disagreed")
    where = _progress(w, candidate)
    assert (where.state, where.stage) == ("in_process", 2)
    with pytest.raises(InvalidInput, match="moved on"):
        stage_reviews.decide(w.store, w.manager, candidate, 1, "reject", "changed my mind")


def test_only_the_seats_reviewer_writes_it_and_a_bad_review_writes_nothing(w):
    opening_id = funnel_opening(w)
    candidate = _add(w, opening_id)
    seat = seats_of(w, candidate, 1)[0]["id"]
    with pytest.raises(NotAllowed, match="not yours"):
        review(w, w.bo, seat, level=4, overall=4)
    criteria = criteria_at(w, seat, 4)
    criteria.pop("topic-knowledge")
    with pytest.raises(InvalidInput, match=r"criteria\.topic-knowledge"):
        stage_reviews.review(w.store, w.ana, seat, criteria, 4, "notes")
    with pytest.raises(InvalidInput, match="feedback"):
        stage_reviews.review(w.store, w.ana, seat, criteria_at(w, seat, 4), 4, "  ")
    with w.store.read() as db:
        assert db.execute("SELECT count(*) FROM stage_reviews").fetchone()[0] == 0
    review(w, w.ana, seat, level=4, overall=4)
    with pytest.raises(NotAllowed, match="written once"):
        review(w, w.ana, seat, level=4, overall=4)


def test_the_hiring_manager_sees_reviews_an_interviewer_outside_the_stage_does_not(w):
    opening_id = funnel_opening(w, reviewers={1: [w.ana.id, w.bo.id], 2: [w.cy.id]})
    candidate = _add(w, opening_id)
    review(w, w.ana, seats_of(w, candidate, 1)[0]["id"], level=4, overall=4)
    (seen,) = stage_reviews.reviews(w.store, w.manager, candidate)
    assert seen.reviewer == "Ana Alvarez" and seen.weighted == 1.0
    with pytest.raises(NotAllowed, match=REVIEW_FIRST):  # Cy's phone screen is still to do
        stage_reviews.reviews(w.store, w.cy, candidate)
    with pytest.raises(NotAllowed):
        stage_reviews.reviews(w.store, w.outsider, candidate)
    with pytest.raises(NotAllowed):
        stage_reviews.reviews(w.store, w.coordinator, candidate)  # scores: not the coordinator's


def test_a_hiring_manager_with_a_screen_to_do_sees_no_review_before_theirs(w):
    opening_id = funnel_opening(w)  # the phone screen is the hiring manager's
    candidate = _add(w, opening_id)
    review(w, w.ana, seats_of(w, candidate, 1)[0]["id"], level=4, overall=4)
    with pytest.raises(NotAllowed, match=REVIEW_FIRST):
        stage_reviews.reviews(w.store, w.manager, candidate)
    review(w, w.manager, seats_of(w, candidate, 2)[0]["id"], level=3, overall=4, hours=2)
    assert len(stage_reviews.reviews(w.store, w.manager, candidate)) == 2


def test_a_tied_vote_waits_for_the_hiring_manager(w):
    voted = [{"kind": "screen", "rubric": "resume-screen", "rule": "vote", "reviewers": 2}]
    opening_id = funnel_opening(w, [*voted, {"kind": "loop"}])
    candidate = _add(w, opening_id)
    one, two = (s["id"] for s in seats_of(w, candidate, 1))
    review(w, w.ana, one, level=4, overall=4)
    review(w, w.bo, two, level=1, overall=1)
    assert _progress(w, candidate).step(1).state == "pending"
    with pytest.raises(NotAllowed):
        stage_reviews.decide(w.store, w.ana, candidate, 1, "advance", "I liked them")
    stage_reviews.decide(w.store, w.manager, candidate, 1, "advance", "the resume is strong")
    assert _progress(w, candidate).stage == 2


def test_a_recusal_passes_the_review_to_the_other_reviewer(w):
    opening_id = funnel_opening(w)
    candidate = _add(w, opening_id)
    seat = seats_of(w, candidate, 1)[0]["id"]
    stage_reviews.recuse_review(w.store, w.ana, seat, "I know them")
    assert [s["reviewer_id"] for s in seats_of(w, candidate, 1)] == [w.ana.id, w.bo.id]
    with pytest.raises(NotAllowed, match="recused"):
        review(w, w.ana, seat, level=4, overall=4)


def test_the_offer_is_the_last_stage_accepted_hires_declined_withdraws(w):
    opening_id = funnel_opening(w, [{"kind": "loop"}, {"kind": "offer"}], reviewers={})
    accepts, declines = _add(w, opening_id), _add(w, opening_id, "Alan Turing")
    with pytest.raises(InvalidInput, match="no offer waiting"):
        stage_reviews.record_offer(w.store, w.coordinator, accepts, True)
    for candidate in (accepts, declines):
        debrief.open_debrief(w.store, w.manager, candidate, reason="early for the test")
        debrief.record_decision(w.store, w.manager, candidate, "hire", "strong", True)
        assert _progress(w, candidate).stage == 2
    with pytest.raises(NotAllowed):
        stage_reviews.record_offer(w.store, w.manager, accepts, True)
    stage_reviews.record_offer(w.store, w.coordinator, accepts, True)
    stage_reviews.record_offer(w.store, w.coordinator, declines, False, "took another offer")
    assert _progress(w, accepts).state == "hired"
    where = _progress(w, declines)
    assert (where.state, where.step(2).state) == ("withdrawn", "withdrawn")
    assert "took another offer" in where.step(2).reason


def test_a_withdrawal_ends_the_way_in_the_stage_the_candidate_is_in(w):
    opening_id = funnel_opening(w)
    candidate = _add(w, opening_id)
    review(w, w.ana, seats_of(w, candidate, 1)[0]["id"], level=4, overall=4)
    openings.withdraw_candidate(w.store, w.coordinator, candidate, "found another job")
    where = _progress(w, candidate)
    assert [s.state for s in where.steps] == ["advanced", "withdrawn"]
    with pytest.raises(NotAllowed, match="candidate withdrew"):  # the seat closed with it
        review(w, w.manager, seats_of(w, candidate, 2)[0]["id"], level=4, overall=4)


def test_stage_history_is_append_only(w):
    opening_id = funnel_opening(w)
    candidate = _add(w, opening_id)
    review(w, w.ana, seats_of(w, candidate, 1)[0]["id"], level=4, overall=4)
    for statement in (
        "UPDATE stage_outcomes SET outcome = 'reject'",
        "DELETE FROM stage_outcomes",
        "UPDATE stage_reviews SET overall = 0",
        "DELETE FROM stage_seats",
        "UPDATE stage_seats SET reviewer_id = reviewer_id + 1",
    ):
        with pytest.raises(REFUSED):
            raw_sql(w, statement)


def test_unknown_stage_reviewers_are_refused_naming_the_stage(w):
    with pytest.raises(InvalidInput, match=r"stage_reviewers\.1: no active person"):
        funnel_opening(w, reviewers={1: [99999]})
    with pytest.raises(InvalidInput, match=r"stage_reviewers\.3: a loop stage has no reviewers"):
        funnel_opening(w, reviewers={3: [w.ana.id]})
    assert funnel_loop().process()[2].kind == "loop"


# ------------------------------------------------- what a review found, each kept from coming back


def test_a_recusal_after_the_stage_is_decided_changes_nothing(w):
    voted = [{"kind": "screen", "rubric": "resume-screen", "rule": "vote", "reviewers": 2}]
    opening_id = funnel_opening(w, [*voted, {"kind": "loop"}])
    candidate = _add(w, opening_id)
    one, two = (s["id"] for s in seats_of(w, candidate, 1))
    review(w, w.ana, one, level=1, overall=1)
    with pytest.raises(InvalidInput, match="still to come"):
        stage_reviews.decide(w.store, w.manager, candidate, 1, "advance", "strong resume")
    stage_reviews.recuse_review(w.store, w.bo, two, "I know them")  # settles on Ana's alone
    assert _progress(w, candidate).state == "rejected"
    stage_reviews.decide(w.store, w.manager, candidate, 1, "advance", "strong resume")
    assert _progress(w, candidate).stage == 2
    with w.store.read() as db:
        outcomes = db.execute("SELECT count(*) FROM stage_outcomes").fetchone()[0]
        seats = db.execute("SELECT count(*) FROM stage_seats").fetchone()[0]
    assert (outcomes, seats) == (2, 2)  # no third outcome, no new seat on a decided stage


def test_a_candidate_rejected_at_a_screen_has_no_on_site_day(w):
    opening_id = funnel_opening(w, reviewers={1: [w.ana.id], 2: [w.cy.id]})
    candidate = _add(w, opening_id)
    review(w, w.ana, seats_of(w, candidate, 1)[0]["id"], level=1, overall=1)
    with pytest.raises(InvalidInput, match="rejected at stage 1"):
        openings.schedule_session(w.store, w.coordinator, candidate, 1, DAY, [w.cy.id])


def test_a_reviewer_who_lost_the_role_no_longer_holds_the_stage_up(w):
    opening_id = funnel_opening(w, [FUNNEL_STAGES[0] | {"spot_check": 0}, {"kind": "loop"}])
    candidate = _add(w, opening_id)
    people.update_person(w.store, w.coordinator, w.ana.id, roles=["committee_member"])
    extra = stage_reviews.assign_reviewer(w.store, w.coordinator, candidate, 1, w.bo.id)
    review(w, w.bo, extra, level=4, overall=4)
    assert _progress(w, candidate).stage == 2
    with pytest.raises(InvalidInput, match="neither an interviewer nor a hiring manager"):
        stage_reviews.assign_reviewer(w.store, w.coordinator, _add(w, opening_id), 1, w.ana.id)


def test_a_stage_with_every_reviewer_recused_waits_for_the_hiring_manager(w):
    opening_id = funnel_opening(w, reviewers={1: [w.ana.id], 2: [w.cy.id]})
    candidate = _add(w, opening_id)
    stage_reviews.recuse_review(w.store, w.ana, seats_of(w, candidate, 1)[0]["id"], "my cousin")
    (waiting,) = stage_reviews.awaiting_manager(w.store, w.manager)
    assert waiting.candidate_id == candidate and "No reviewer is left" in waiting.why


def test_a_withdrawal_closes_the_open_reviews(w):
    opening_id = funnel_opening(w)
    candidate = _add(w, opening_id)
    openings.withdraw_candidate(w.store, w.coordinator, candidate, "took another job")
    mine = stage_reviews.my_reviews(w.store, w.ana)
    assert [s.closed for s in mine] == [True]
    with pytest.raises(NotAllowed, match="closed"):
        stage_reviews.sheet(w.store, w.ana, mine[0].seat_id)


def test_a_bar_decides_even_under_a_manager_rule(w):
    ruled = [{"kind": "screen", "rubric": "resume-screen", "rule": "manager", "bar": 0.5}]
    opening_id = funnel_opening(w, [*ruled, {"kind": "loop"}])
    candidate = _add(w, opening_id)
    review(w, w.ana, seats_of(w, candidate, 1)[0]["id"], level=1, overall=4)
    assert _progress(w, candidate).state == "rejected"


def test_an_accepted_offers_note_is_one_line_and_a_screen_after_the_loop_is_refused(w):
    opening_id = funnel_opening(w, [{"kind": "loop"}, {"kind": "offer"}], reviewers={})
    candidate = _add(w, opening_id)
    debrief.open_debrief(w.store, w.manager, candidate, reason="early for the test")
    debrief.record_decision(w.store, w.manager, candidate, "hire", "strong", True)
    with pytest.raises(InvalidInput, match="reason"):
        stage_reviews.record_offer(w.store, w.coordinator, candidate, True, "a\nb" + "x" * 10)
    data = CATALOG.loops["ds-generalist-onsite"].model_dump(mode="json")
    after = [{"kind": "loop"}, {"kind": "screen", "rubric": "resume-screen"}]
    with pytest.raises(ValueError, match="before the loop"):
        Loop.model_validate({**data, "stages": after})


def test_the_candidates_list_says_where_each_candidate_stands(w):
    opening_id = funnel_opening(w, reviewers={1: [w.ana.id], 2: [w.cy.id]})
    rejected, waiting = _add(w, opening_id), _add(w, opening_id, "Alan Turing")
    review(w, w.ana, seats_of(w, rejected, 1)[0]["id"], level=1, overall=1)
    shown = {c.id: c.standing for c in openings.list_candidates(w.store, w.coordinator, opening_id)}
    assert shown == {rejected: "Rejected · Resume screen", waiting: "In process · Resume screen"}
