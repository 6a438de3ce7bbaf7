"""The funnel's actions (issue 27), each probed through its service as someone the table allows
and as people it refuses: a person with two roles, one whose role was just removed, a stranger
who knows the candidate's id. A refusal is the table's own reason, word for word, and writes
nothing; an allowed call really happens. tests/security/test_permission_matrix.py counts these
actions as covered because FUNNEL_PROBES names each one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from scoring import (
    candidate_feedback,
    candidate_record,
    openings,
    people,
    questions,
    stage_reviews,
    stages,
)
from scoring.errors import NotAllowed
from scoring.insights import funnel
from scoring.insights.questions import question_figures
from scoring.permissions import (
    candidate_facts,
    current,
    opening_facts,
    organisation,
    seat_facts,
    stage_facts,
    why_not,
)
from tests.funnel_world import FUNNEL_STAGES, funnel_opening, review, seats_of
from tests.world import CATALOG, build


@dataclass
class Scene:
    w: object
    opening_id: int
    candidate: int  # at the resume screen, Ana's review to write
    reviewed: int  # resume screen reviewed by Ana (advanced), phone screen the manager's
    seat: int  # Ana's open seat on `candidate`
    declined: int  # rejected at the resume screen; asked for feedback
    declined_quiet: int  # rejected at the resume screen; has not asked


def _scene(tmp_path) -> Scene:
    w = build(tmp_path / "funnel-permissions.sqlite")
    unchecked = [{**FUNNEL_STAGES[0], "spot_check": 0}, *FUNNEL_STAGES[1:]]
    opening_id = funnel_opening(w, unchecked, reviewers={1: [w.ana.id], 2: [w.manager.id]})
    candidate = openings.add_candidate(w.store, w.coordinator, opening_id, "Ada Lovelace")
    reviewed = openings.add_candidate(w.store, w.coordinator, opening_id, "Alan Turing")
    review(w, w.ana, seats_of(w, reviewed, 1)[0]["id"], level=4, overall=4)
    declined = []
    for name in ("Grace Brewster", "Edsger Dijkstra"):
        email = name.split()[0].lower() + "@example.org"
        rejected = openings.add_candidate(w.store, w.coordinator, opening_id, name, email)
        review(w, w.ana, seats_of(w, rejected, 1)[0]["id"], level=1, overall=1)
        declined.append(rejected)
    candidate_feedback.record_request(w.store, w.coordinator, declined[0], "asked by email")
    seat = seats_of(w, candidate, 1)[0]["id"]
    return Scene(w, opening_id, candidate, reviewed, seat, declined[0], declined[1])


Probe = Callable[[Scene, object], object]
# action -> (the probe, who may, who may not): names of the world's people.
FUNNEL_PROBES: dict[str, tuple[Probe, tuple[str, ...], tuple[str, ...]]] = {
    "review_stage": (
        lambda s, who: stage_reviews.sheet(s.w.store, who, s.seat),
        ("ana",),
        ("bo", "manager", "coordinator", "outsider"),
    ),
    "recuse_stage": (
        lambda s, who: stage_reviews.recuse_review(s.w.store, who, s.seat, "I know them"),
        ("ana",),
        ("bo", "manager", "coordinator"),
    ),
    "see_stage_reviews": (
        lambda s, who: stage_reviews.reviews(s.w.store, who, s.reviewed),
        ("ana",),  # after her own review; the manager's phone screen is still to do
        ("manager", "coordinator", "bo", "member", "outsider"),
    ),
    "decide_stage": (
        lambda s, who: stage_reviews.decide(
            s.w.store, who, s.declined_quiet, 1, "advance", "the resume deserves a call"
        ),
        ("manager",),
        ("ana", "coordinator", "member"),
    ),
    "see_funnel": (
        lambda s, who: funnel.funnel(s.w.store, who, s.opening_id),
        ("manager", "coordinator"),
        ("ana", "member", "outsider"),
    ),
    "retire_question": (
        lambda s, who: questions.retire_question(
            s.w.store, who, "coding", "coding-sessions", "leaked", catalog=CATALOG
        ),
        ("coordinator",),
        ("ana", "member"),
    ),
    "flag_cheating": (
        lambda s, who: questions.flag_cheating(s.w.store, who, s.w.seats["ana"], "read aloud"),
        ("ana",),
        ("bo", "manager", "coordinator"),
    ),
    "see_question_figures": (
        lambda s, who: question_figures(s.w.store, who, s.opening_id),
        ("manager",),
        ("coordinator", "ana", "member"),
    ),
    "record_feedback_request": (
        lambda s, who: candidate_feedback.record_request(s.w.store, who, s.declined_quiet, "call"),
        ("coordinator",),
        ("ana", "member", "outsider"),
    ),
    "write_feedback": (
        lambda s, who: candidate_feedback.draft(
            s.w.store, who, s.declined, "We filled the role.", "The examples were thin."
        ),
        ("manager",),
        ("coordinator", "ana", "member"),
    ),
    "review_feedback": (
        lambda s, who: candidate_feedback.approve_and_send(s.w.store, who, s.declined),
        (),  # nothing is written yet: allowed, but refused as input (its own test)
        ("manager", "ana", "member"),
    ),
    "see_candidate_messages": (
        lambda s, who: candidate_record.candidate_record(s.w.store, who, s.declined),
        ("coordinator", "manager"),
        ("ana", "member", "outsider"),
    ),
    "consent_to_quote": (
        lambda s, who: candidate_feedback.consent_to_quote(s.w.store, who, s.w.seats["ana"]),
        (),  # Ana's scorecard is not in: the table refuses her too (own test below)
        ("ana", "bo", "manager", "coordinator"),
    ),
    "manage_stage": (
        lambda s, who: stage_reviews.assign_reviewer(s.w.store, who, s.candidate, 1, s.w.bo.id),
        ("coordinator",),
        ("manager", "ana", "member"),
    ),
}


@pytest.fixture
def scene(tmp_path):
    return _scene(tmp_path)


def _refusal(scene: Scene, who, action: str) -> str | None:
    """What the table says of `who` doing `action` on the probe's resource now."""
    with scene.w.store.read() as db:
        actor = current(db, who)
        if action in ("review_stage", "recuse_stage"):
            from scoring.permissions import stage_seat_facts

            return why_not(actor, action, stage_seat_facts(db, scene.seat))
        if action == "retire_question":
            return why_not(actor, action, organisation(db))
        if action == "flag_cheating" or action == "consent_to_quote":
            return why_not(actor, action, seat_facts(db, scene.w.seats["ana"], actor))
        if action in ("record_feedback_request", "write_feedback", "review_feedback"):
            target = scene.declined_quiet if action == "record_feedback_request" else scene.declined
            return why_not(actor, action, candidate_facts(db, target))
        if action == "see_candidate_messages":
            return why_not(actor, action, candidate_facts(db, scene.declined))
        if action in ("see_funnel", "see_question_figures"):
            return why_not(actor, action, opening_facts(db, scene.opening_id))
        target = {"see_stage_reviews": scene.reviewed, "decide_stage": scene.declined_quiet}.get(
            action, scene.candidate
        )
        return why_not(actor, action, stage_facts(db, target))


def _audit_size(scene: Scene) -> int:
    with scene.w.store.read() as db:
        return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


@pytest.mark.parametrize("action", sorted(FUNNEL_PROBES))
def test_each_funnel_action_does_what_the_table_says(scene, action):
    probe, allowed, refused = FUNNEL_PROBES[action]
    for name in refused:
        who = scene.w.person(name)
        reason = _refusal(scene, who, action)
        assert reason is not None, (action, name)
        before = _audit_size(scene)
        with pytest.raises(NotAllowed) as raised:
            probe(scene, who)
        assert str(raised.value) == reason
        assert _audit_size(scene) == before  # a refusal writes nothing
    for name in allowed:
        who = scene.w.person(name)
        assert _refusal(scene, who, action) is None
        before = _audit_size(scene)
        result = probe(scene, who)
        # a read returns what it read; a write really happened (its audit entry is there)
        assert result or _audit_size(scene) > before, (action, name, result)


def test_a_reviewer_whose_role_is_removed_can_no_longer_review(scene):
    w = scene.w
    people.update_person(w.store, w.coordinator, w.ana.id, roles=["committee_member"])
    with pytest.raises(NotAllowed, match="Only an interviewer or a hiring manager"):
        review(w, w.ana, scene.seat, level=4, overall=4)


def test_a_hiring_manager_who_also_reviews_reads_nothing_before_their_review(scene):
    """Two roles: the manager of the opening is also the phone screen's reviewer of the
    candidate Ana advanced; until that review is in, Ana's review is not shown to them."""
    w = scene.w
    with pytest.raises(NotAllowed, match="Submit your own review"):
        stage_reviews.reviews(w.store, w.manager, scene.reviewed)
    review(w, w.manager, seats_of(w, scene.reviewed, 2)[0]["id"], level=3, overall=4)
    assert len(stage_reviews.reviews(w.store, w.manager, scene.reviewed)) == 2


def test_a_stranger_who_knows_a_seat_id_learns_nothing_of_the_candidate(scene):
    w = scene.w
    for probe in (
        lambda: stage_reviews.sheet(w.store, w.outsider, scene.seat),
        lambda: stage_reviews.reviews(w.store, w.outsider, scene.candidate),
    ):
        with pytest.raises(NotAllowed) as raised:
            probe()
        assert "Ada" not in str(raised.value) and "Lovelace" not in str(raised.value)
    with w.store.read() as db:
        assert stages.progress_of(db, scene.candidate).stage == 1


def test_feedback_is_sent_by_a_coordinator_other_than_its_writer_and_consent_is_the_authors(
    scene,
):
    """The review_feedback and consent_to_quote actions where the table allows them: a
    coordinator sends the manager's draft once; an interviewer agrees to be quoted only from
    their own submitted scorecard."""
    w = scene.w
    candidate_feedback.draft(w.store, w.manager, scene.declined, "We filled the role.", "")
    assert candidate_feedback.approve_and_send(w.store, w.coordinator, scene.declined)
    with w.store.read() as db:
        sent = db.execute(
            "SELECT count(*) FROM outbox WHERE candidate_id = ? AND recipient_id IS NULL",
            [scene.declined],
        ).fetchone()[0]
    assert sent == 1
    from tests.world import submit

    submit(w, "ana", 4)
    assert candidate_feedback.consent_to_quote(w.store, w.ana, w.seats["ana"]) is not None
    with pytest.raises(NotAllowed):
        candidate_feedback.consent_to_quote(w.store, w.bo, w.seats["ana"])


def test_a_coordinator_who_still_has_to_score_reads_nothing_of_the_candidates_messages(tmp_path):
    """Two roles: a coordinator who also interviews the candidate, scorecard not in, reads no
    message, feedback or record of them, and cannot record or send their feedback, until their
    own scorecard is in (what a candidate is told follows from the others' judgement)."""
    w = build(tmp_path / "two-roles.sqlite")
    people.update_person(
        w.store, w.coordinator, w.coordinator.id, roles=["coordinator", "interviewer"]
    )
    seat = openings.add_interviewer(w.store, w.coordinator, _session_of_ana(w), w.coordinator.id)
    for probe in (
        lambda: candidate_record.candidate_record(w.store, w.coordinator, w.candidate_id),
        lambda: candidate_feedback.record_request(w.store, w.coordinator, w.candidate_id, "x"),
        lambda: candidate_feedback.approve_and_send(w.store, w.coordinator, w.candidate_id),
    ):
        with pytest.raises(NotAllowed, match="Submit your own scorecard"):
            probe()
    assert seat


def _session_of_ana(w) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats["ana"]]
        ).fetchone()[0]
