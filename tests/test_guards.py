"""Declared guards (scoring.guards): every guarded service function with the action it must
check. Change a function's action, or guard a new one without listing it here, and this fails."""

import importlib
import inspect
import pkgutil
import sys

import pytest

import scoring
from scoring.errors import NotAllowed
from scoring.guards import GUARDED, Granted, guarded
from scoring.permissions import ACTIONS
from tests.world import build

# module.function -> the action that guards it (read each against the README's table before
# changing one: this list is the product's promise of who may call what).
EXPECTED = {
    # the funnel's stages (issue 27)
    "scoring.stages.opening_process": "see_opening",
    "scoring.stage_reviews.review": "review_stage",
    "scoring.stage_reviews.sheet": "review_stage",
    "scoring.stage_reviews.recuse_review": "recuse_stage",
    "scoring.stage_reviews.reviews": "see_stage_reviews",
    "scoring.stage_reviews.decide": "decide_stage",
    "scoring.stage_reviews.assign_reviewer": "manage_stage",
    "scoring.stage_reviews.record_offer": "manage_stage",
    # take-homes, candidates' messages and feedback (issue 27)
    "scoring.take_homes.send_take_home": "manage_stage",
    "scoring.take_homes.record_submission": "manage_stage",
    "scoring.take_homes.send_take_home_feedback": "write_feedback",
    "scoring.take_homes.take_home": "see_candidate_messages",
    "scoring.take_homes.submission": "review_stage",
    "scoring.candidate_mail.send_schedule": "manage_opening",
    "scoring.candidate_mail.messages_to": "see_candidate_messages",
    "scoring.candidate_feedback.record_request": "record_feedback_request",
    "scoring.candidate_feedback.draft": "write_feedback",
    "scoring.candidate_feedback.approve_and_send": "review_feedback",
    "scoring.candidate_feedback.consent_to_quote": "consent_to_quote",
    "scoring.candidate_feedback.feedback": "see_candidate_messages",
    "scoring.erasure._erase": "erase_candidate",
    "scoring.subject_access.subject_access": "subject_access",
    "scoring.legal_holds.place_hold": "hold_candidate",
    "scoring.legal_holds.lift_hold": "hold_candidate",
    "scoring.retention.due": "run_retention",
    "scoring.demographics.record": "record_demographics",
    "scoring.demographics.set_source": "manage_opening",
    "scoring.candidate_record.candidate_record": "see_candidate_messages",
    # question pools (issue 27)
    "scoring.questions.seat_questions": "see_own",
    "scoring.questions.retire_question": "retire_question",
    "scoring.questions.flag_cheating": "flag_cheating",
    "scoring.insights.questions.question_figures": "see_question_figures",
    "scoring.insights.funnel.funnel": "see_funnel",
    "scoring.candidates_csv.check_import": "manage_opening",
    "scoring.candidates_csv.import_candidates": "manage_opening",
    "scoring.candidates_csv.contacts": "manage_opening",
    # the organisation and its people
    "scoring.people._start_organisation": "start_organisation",
    "scoring.people.add_person": "manage_people",
    "scoring.people.update_person": "manage_people",
    "scoring.people.set_active": "manage_people",
    "scoring.people.issue_code": "manage_people",
    "scoring.people.list_people": "see_people",
    "scoring.people.find_people": "see_people",
    # openings and their candidates
    "scoring.openings.create_opening": "create_opening",
    "scoring.openings.get_opening": "see_opening",
    "scoring.openings.edit_opening": "manage_opening",
    "scoring.openings.close_opening": "manage_opening",
    "scoring.candidates.add_candidate": "manage_opening",
    "scoring.candidates.get_candidate": "see_candidate",
    "scoring.candidates.list_candidates": "see_candidates",
    "scoring.candidates.find_candidates": "manage_opening",
    "scoring.bookings.interviewers_day": "manage_opening",
    "scoring.schedule.recuse": "recuse",
    "scoring.schedule.schedule_session": "manage_opening",
    "scoring.schedule.schedule_day": "manage_opening",
    "scoring.schedule.add_interviewer": "manage_opening",
    "scoring.schedule.plan_warnings": "manage_opening",
    "scoring.schedule.plan_clashes": "manage_opening",
    "scoring.schedule_changes.move_session": "manage_opening",
    "scoring.schedule_changes.change_location": "manage_opening",
    "scoring.schedule_changes.locations": "manage_opening",
    "scoring.schedule_changes.move_clashes": "manage_opening",
    "scoring.schedule_changes.day_clashes": "manage_opening",
    "scoring.schedule_changes.cancel_session": "manage_opening",
    "scoring.schedule_changes.replace_interviewer": "manage_opening",
    "scoring.schedule_changes.withdraw_candidate": "manage_opening",
    # scorecards, drafts, Status, the pipeline
    "scoring.scorecards.submit": "score",
    "scoring.scorecards.revise": "score",
    "scoring.scorecards.own_scorecard": "see_own",
    "scoring.scorecards.sheet": "see_own",
    "scoring.scorecards.panel": "see_scores",
    "scoring.scorecards.scorecard": "read_scorecard",
    "scoring.scorecards.revisions": "read_scorecard",
    "scoring.drafts.save_draft": "score",
    "scoring.drafts.load_draft": "see_own",
    "scoring.drafts.draft_standing": "see_own",
    "scoring.status.status_board": "see_status",
    "scoring.status.opening_status": "see_opening_status",
    "scoring.status.status_page": "see_opening_status",
    "scoring.pipeline.pipeline": "see_debriefs",
    # the debrief, its day and the exports
    "scoring.debrief.status": "see_debrief",
    "scoring.debrief.open_debrief": "open_debrief",
    "scoring.debrief.read_debrief": "see_packet",
    "scoring.debrief.reading": "see_packet",
    "scoring.debrief.cast_vote": "vote",
    "scoring.debrief.record_decision": "decide",
    "scoring.debrief_day.interview_days": "see_debriefs",
    "scoring.debrief_day.day_view": "see_debriefs",
    "scoring.exports.bulk.decision_rows": "export_decisions",
    "scoring.exports.bulk.decision_page": "export_decisions",
    "scoring.exports.bulk.scorecard_rows": "export_scores",
    # mail
    "scoring.outbox.messages": "manage_opening",
    "scoring.outbox_reminders.remind_overdue": "see_opening_status",
    "scoring.outbox_reminders.remind": "see_opening_status",
    # Insights
    "scoring.insights.service.own_calibration": "see_own_calibration",
    "scoring.insights.outcomes._record_checked": "record_outcome",
}

# Service functions that take (store, actor) and declare no guard of their own, each with why.
# A new one fails the test below until it is guarded or listed here with its reason.
UNGUARDED = {
    # they call a guarded function and add nothing the actor may not see
    "scoring.debrief.debrief": "reads through read_debrief (see_packet), keyed by the store",
    "scoring.exports.summary.summary": "renders debrief.debrief (see_packet)",
    "scoring.scorecards.others": "filters panel (see_scores)",
    "scoring.insights.outcomes.record_outcome": "checks its input, then _record_checked",
    "scoring.erasure.erase": "erases through _erase (erase_candidate), then scrubs the WAL",
    "scoring.subject_access.privacy_actions": "a question (may), refuses nothing",
    "scoring.retention.may_see_due": "a question (may), refuses nothing",
    "scoring.insights.adverse_impact.adverse_impact": "ensure(see_adverse_impact) on every"
    " opening asked",
    "scoring.demographics_csv.import_answers": "ensure(record_demographics) on every candidate"
    " in the file (manage_opening for a source)",
    "scoring.insights.documents.full_document": "draws opening_insights and outcome_rows",
    "scoring.insights.service.headlines": "draws opening_insights",
    "scoring.insights.service.own_headline": "draws own_calibration",
    # many openings or candidates: `ensure` on each asked-for one, or `may` as a filter
    "scoring.insights.service.opening_insights": "ensure(see_insights) on every opening asked",
    "scoring.insights.outcomes.outcome_rows": "ensure(see_insights) on every opening asked",
    "scoring.insights.outcomes.hires": "may(count_in_insights) filters the hires",
    "scoring.insights.service.insight_openings": "may(see_insights) filters the openings",
    "scoring.insights.service.may_see_own_calibration": "a question (may), refuses nothing",
    "scoring.insights.service.may_see_score_figures": "a question (may), refuses nothing",
    "scoring.debrief_day.debrief_openings": "may(see_debriefs) filters the openings",
    "scoring.exports.bulk.export_openings": "may(export_decisions) filters the openings",
    "scoring.openings.list_openings": "may(action) filters the openings",
    "scoring.openings.may_on_opening": "a question (may), refuses nothing",
    # one's own: the person re-read (current) is the whole rule
    "scoring.my_interviews.my_assignments": "the actor's own seats only",
    "scoring.my_interviews.my_interviews": "the actor's own seats only",
    "scoring.stage_reviews.my_reviews": "the actor's own stage seats only",
    "scoring.stage_reviews.awaiting_manager": "the openings the actor runs, read by their id",
    "scoring.people.start_session": "the actor's own sign-in",
    "scoring.people.end_all_sessions": "the actor's own sign-ins",
    # not the service
    "scoring.matrix.submit": "the matrix generator's helper, calls scorecards.submit",
}


def _import_all():
    for info in pkgutil.walk_packages(scoring.__path__, "scoring."):
        if info.name not in ("scoring.__main__",):
            importlib.import_module(info.name)


def test_every_guarded_function_checks_the_action_listed_here():
    _import_all()
    declared = {name: guard.action for name, guard in GUARDED.items()}
    assert declared == EXPECTED


def test_every_service_function_is_guarded_or_says_why_not():
    """Every public function of scoring/ that takes (store, actor, ...) either declares its
    guard or is listed in UNGUARDED with the reason: a new service function cannot quietly skip
    the permission table."""
    _import_all()
    found = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("scoring"):
            continue
        for function in vars(module).values():
            if not inspect.isfunction(function) or function.__module__ != name:
                continue
            if function.__name__.startswith("_") or hasattr(function, "guard"):
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:2] == ["store", "actor"]:
                found.add(f"{name}.{function.__qualname__}")
    assert found == set(UNGUARDED)


def test_every_declared_action_is_in_the_permission_table():
    _import_all()
    assert {g.action for g in GUARDED.values()} <= set(ACTIONS)


def test_the_guard_refuses_before_the_body_runs_and_reads_one_snapshot(tmp_path):
    """The body never runs for someone the rule refuses; for someone it allows, the body gets the
    person re-read and the opening's facts on the connection that checked them."""
    ran = []

    @guarded("manage_opening", on="opening_id")
    def probe(g: Granted, opening_id: int) -> int:
        ran.append((g.actor.id, g.facts.opening_id))
        return g.db.execute("SELECT count(*) FROM openings WHERE id = ?", [opening_id]).fetchone()[
            0
        ]

    GUARDED.pop(f"{probe.__module__}.{probe.__qualname__}")
    w = build(tmp_path / "g.sqlite")
    with pytest.raises(NotAllowed, match=r"(?i)coordinator"):
        probe(w.store, w.ana, w.opening_id)
    assert ran == []
    assert probe(w.store, w.coordinator, opening_id=w.opening_id) == 1
    assert ran == [(w.coordinator.id, w.opening_id)]


def test_a_misspelt_action_or_a_missing_resource_fails_at_import_time():
    with pytest.raises(KeyError):
        guarded("manage_openings", on="opening_id")
    with pytest.raises(TypeError, match="opening_id"):

        @guarded("manage_opening", on="opening_id")
        def no_such_parameter(g: Granted, candidate_id: int) -> None: ...
