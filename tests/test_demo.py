"""The demo organisation: what someone trying Debrief signs in to and expects to find."""

from __future__ import annotations

import json
import random
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from scoring import (
    candidate_feedback,
    debrief,
    demo,
    openings,
    people,
    scorecards,
    stage_reviews,
    stages,
    take_homes,
)
from scoring.errors import InvalidInput
from scoring.store import Store, parse_stamp
from world import CATALOG

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
# The thirty candidates of the on-site day and those before it (or stopped before it).
PRESENT = len(demo.DEMO_PLAN) + len(demo.FUNNEL_PLAN)
CODE = re.compile(
    r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}){3}$"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo's present without its year of history (`past=False`): the thirty candidates
    these tests count and read one by one. The history has tests of its own
    (tests/test_demo_history.py)."""
    store = Store(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    logins = demo.build_demo(store, CATALOG, today=DAY, past=False)
    return store, logins


@pytest.fixture(scope="module")
def coordinator(built):
    store, logins = built
    login = next(x for x in logins if "coordinator" in x.roles)
    return people.sign_in(store, login.email, login.code, now=DAY)


@pytest.fixture(scope="module")
def candidates(built, coordinator):
    """(opening, candidate id) for every demo candidate."""
    store, _ = built
    return [
        (opening, candidate.id)
        for opening in openings.list_openings(store, coordinator)
        for candidate in openings.list_candidates(store, coordinator, opening.id)
    ]


@pytest.fixture(scope="module")
def views(built, candidates):
    """The debrief page of every candidate whose debrief is open, as its hiring manager sees it."""
    store, _ = built
    found = []
    for opening, candidate_id in candidates:
        if is_open(store, candidate_id):
            manager = people.get_person(store, opening.hiring_manager_id)
            found.append(debrief.debrief(store, manager, candidate_id))
    return found


def query(store: Store, sql: str, *params) -> list[sqlite3.Row]:
    with store.read() as db:
        return db.execute(sql, params).fetchall()


def is_open(store: Store, candidate_id: int) -> bool:
    """A fact for the test to sort candidates by (the app reads it from the debrief's status)."""
    return bool(query(store, "SELECT 1 FROM debriefs WHERE candidate_id = ?", candidate_id))


def test_builds_on_an_empty_database_only(tmp_path):
    store = Store(tmp_path / "taken.sqlite")
    people.create_first_coordinator(store, "Someone Else", "someone@example.com", now=DAY)
    with pytest.raises(InvalidInput, match="already has people"):
        demo.build_demo(store, CATALOG, today=DAY)
    assert query(store, "SELECT COUNT(*) FROM people")[0][0] == 1
    assert query(store, "SELECT COUNT(*) FROM openings")[0][0] == 0


def test_a_second_build_on_the_same_database_is_refused(built):
    store, _ = built
    with pytest.raises(InvalidInput):
        demo.build_demo(store, CATALOG, today=DAY, past=False)
    assert query(store, "SELECT COUNT(*) FROM candidates")[0][0] == PRESENT


@pytest.mark.parametrize(
    "now, day",
    [
        ("2026-11-26T05:10:00+00:00", "2026-11-25T09:00:00+00:00"),  # a European morning
        ("2026-11-26T13:59:59+00:00", "2026-11-25T09:00:00+00:00"),
        ("2026-11-26T14:00:00+00:00", "2026-11-26T09:00:00+00:00"),
        ("2026-11-26T23:30:00+00:00", "2026-11-26T09:00:00+00:00"),
        ("2027-01-01T00:05:00+00:00", "2026-12-31T09:00:00+00:00"),  # across a year
    ],
)
def test_the_default_day_is_the_latest_whose_demo_morning_is_over(now, day):
    assert demo._default_today(datetime.fromisoformat(now)) == datetime.fromisoformat(day)


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
def test_a_demo_built_now_has_nothing_in_the_future(tmp_path):
    """Whatever the hour the demo is built at, every write it stamps is already past (a demo
    built at 07:00 UTC once showed scorecards submitted at 13:00), and the "today" candidates
    were interviewed on the demo's day at 09:00 UTC."""
    store = Store(tmp_path / "today.sqlite")
    demo.build_demo(store, CATALOG)
    now = datetime.now(UTC)
    latest = parse_stamp(query(store, "SELECT MAX(at) FROM audit_log")[0][0])
    assert latest <= now
    assert now - latest < timedelta(days=1, hours=5)  # the day is the latest one possible
    day = demo._default_today(now)
    assert day + demo.TODAY_SPAN - latest < timedelta(hours=1)  # the span is not padded much
    starts = {parse_stamp(r[0]) for r in query(store, "SELECT starts_at FROM interview_sessions")}
    assert day in starts or demo._default_today() in starts  # the build may straddle 14:00


def test_people_roles_and_codes(built):
    _, logins = built
    assert len(logins) == 13
    roles = Counter(role for login in logins for role in login.roles)
    assert roles == {"coordinator": 1, "hiring_manager": 3, "interviewer": 9, "committee_member": 3}
    assert all("interviewer" in login.roles for login in logins if "hiring_manager" in login.roles)
    assert all(login.email.endswith("@example.com") for login in logins)
    assert len({login.email for login in logins}) == 13
    assert all(CODE.match(login.code) for login in logins)
    assert len({login.code for login in logins}) == 13


def test_every_code_signs_in(built):
    store, logins = built
    for login in logins:
        person = people.sign_in(store, login.email, login.code, now=DAY)
        assert (person.name, person.email) == (login.name, login.email)
        assert person.roles == frozenset(login.roles)


def test_three_openings_one_per_strategy(built, coordinator, candidates):
    store, logins = built
    by_kind = {o.strategy.kind: o for o in openings.list_openings(store, coordinator)}
    assert set(by_kind) == {"manager", "vote", "committee"}
    ds, mle, da = by_kind["manager"], by_kind["vote"], by_kind["committee"]
    assert (ds.title, ds.loop_id, ds.reveal_rule) == (
        "Data scientist",
        "ds-generalist-onsite",
        "after_own",
    )
    assert (mle.title, mle.loop_id, mle.reveal_rule) == (
        "Machine learning engineer",
        "ml-engineer-onsite",
        "all_in",
    )
    vote = mle.strategy
    assert (vote.rule, vote.veto, vote.greenlight, vote.quorum) == ("majority", True, True, 3)
    assert (da.title, da.loop_id, da.anonymise) == ("Data analyst", "data-analyst-onsite", True)
    committee = da.strategy
    assert (committee.rule, committee.quorum, committee.bar) == ("majority", 2, 0.5)
    members = {x.email for x in logins if "committee_member" in x.roles}
    assert {people.get_person(store, i).email for i in da.committee_ids} == members
    managers = {o.hiring_manager_id for o in by_kind.values()}
    assert len(managers) == 3
    assert not any(o.forced_choice for o in by_kind.values())
    per_opening = Counter(opening.title for opening, _ in candidates)
    planned = Counter(key for key, *_ in (*demo.DEMO_PLAN, *demo.FUNNEL_PLAN))
    titles = {"ds": ds.title, "mle": mle.title, "da": da.title}
    assert per_opening == {titles[key]: n for key, n in planned.items()}
    assert Counter(key for key, *_ in demo.DEMO_PLAN) == {"ds": 10, "mle": 10, "da": 10}


def test_candidates_at_every_stage(built, coordinator, candidates):
    store, _ = built
    stages = Counter()
    for _, candidate_id in candidates:
        seats = scorecards.status_board(store, coordinator, candidate_id, now=DAY)
        if not seats:  # before the on-site day: tests/test_demo.py's funnel tests
            continue
        states = Counter(seat.state for seat in seats)
        submitted = states["submitted"] + states["late"]
        if states["upcoming"] == len(seats) - states["recused"]:
            stages["scheduled"] += 1
            assert all(seat.starts_at > DAY for seat in seats)
        elif states["overdue"] and not is_open(store, candidate_id):
            stages["overdue"] += 1
        elif submitted and states["upcoming"] + states["to_do"]:
            stages["today"] += 1
            assert all(seat.starts_at.date() == DAY.date() for seat in seats)
        elif not is_open(store, candidate_id):
            stages["all_in"] += 1
        elif query(store, "SELECT 1 FROM decisions WHERE candidate_id = ?", candidate_id):
            stages["decided"] += 1
        else:
            stages["open"] += 1
    assert set(stages) == {"scheduled", "today", "overdue", "all_in", "open", "decided"}
    assert stages["decided"] >= 9


def test_the_debriefs_show_every_kind_of_panel(built, views):
    def overalls(view):
        return [card.overall for card in view.scorecards]

    assert any("lukewarm" in v.result.flags and set(overalls(v)) <= {2, 3} for v in views)
    assert any("split" in v.result.flags for v in views)
    assert any(
        "veto" in v.result.flags and v.opening.strategy.kind == "vote" and 0 in overalls(v)
        for v in views
    )
    assert any(min(overalls(v)) >= 4 for v in views)
    assert any("below_bar" in v.result.flags for v in views)
    early = [v for v in views if v.early_reason]
    assert early
    store, _ = built
    for view in early:  # a scorecard missing: fewer than the seats (a paired session has two)
        seats = query(
            store,
            """SELECT COUNT(*) FROM assignments a JOIN interview_sessions i ON i.id = a.session_id
               WHERE i.candidate_id = ? AND a.recused_at IS NULL""",
            view.candidate_id,
        )[0][0]
        assert len(view.opening.sessions) <= seats and len(view.scorecards) < seats


def test_decisions_under_each_strategy(views):
    decided = {v.opening.strategy.kind for v in views if v.decisions}
    assert decided == {"manager", "vote", "committee"}
    for view in views:
        for decision in view.decisions:
            if view.opening.strategy.kind == "manager":
                assert decision.accepts_responsibility and decision.rationale
            elif decision.engine_result["outcome"] in ("hire", "no_hire"):
                assert decision.outcome == decision.engine_result["outcome"]
            else:
                assert decision.engine_result["outcome"] == "needs_discussion"
                assert decision.rationale
    committee = [v for v in views if v.opening.strategy.kind == "committee" and v.decisions]
    assert all(len(v.votes) >= 2 for v in committee)
    twice = [v for v in views if len(v.decisions) >= 2]
    assert twice
    assert all(v.final == v.decisions[-1] for v in twice)
    assert all(v.decisions[0].decided_at < v.decisions[-1].decided_at for v in twice)


def test_late_revised_and_recused_scorecards(built, views):
    store, _ = built
    assert any(card.late and card.hours_after_session > 24 for v in views for card in v.scorecards)
    revised = query(
        store,
        "SELECT * FROM scorecards WHERE revision > 1 AND saw_others = 1"
        " AND revision_reason IS NOT NULL",
    )
    assert revised
    replaced = query(
        store,
        """SELECT r.recusal_reason FROM assignments r JOIN assignments a
           ON a.session_id = r.session_id AND a.recused_at IS NULL
           JOIN scorecards s ON s.assignment_id = a.id
           WHERE r.recused_at IS NOT NULL""",
    )
    assert replaced and all(row[0] for row in replaced)


def test_criterion_scores_follow_the_rubric_and_the_overall(built):
    store, _ = built
    cards = query(store, "SELECT * FROM scorecards")
    normalised: dict[str, list[float]] = {"high": [], "low": []}
    not_assessed = 0
    with store.read() as db:
        for card in cards:
            rubric = openings.rubric_snapshot(db, card["rubric_hash"])
            rows = {
                r["criterion_id"]: r
                for r in db.execute(
                    "SELECT * FROM criterion_scores WHERE scorecard_id = ?", [card["id"]]
                )
            }
            assert set(rows) == {c.id for c in rubric.criteria}
            assert 1 <= len(re.findall(r"[.!?](?:\s|$)", card["feedback"])) <= 3
            for criterion in rubric.criteria:
                row = rows[criterion.id]
                if row["score"] is None:
                    assert not criterion.required
                    not_assessed += 1
                    continue
                assert len(row["evidence"]) > 20
                band = "high" if card["overall"] >= 4 else "low" if card["overall"] <= 1 else None
                if band:
                    normalised[band].append(criterion.scale.normalise(row["score"]))
    assert not_assessed > 0
    assert sum(normalised["high"]) / len(normalised["high"]) > 0.7
    assert sum(normalised["low"]) / len(normalised["low"]) < 0.35


def test_events_happen_in_the_demo_past(built):
    store, _ = built
    for table, column in (
        ("debriefs", "opened_at"),
        ("decisions", "decided_at"),
        ("committee_votes", "cast_at"),
    ):
        stamps = [parse_stamp(r[0]) for r in query(store, f"SELECT {column} FROM {table}")]
        assert stamps and max(stamps) < DAY
    bad = query(
        store,
        """SELECT s.id FROM scorecards s JOIN assignments a ON a.id = s.assignment_id
           JOIN interview_sessions i ON i.id = a.session_id WHERE s.submitted_at < i.ends_at""",
    )
    assert not bad


def test_two_builds_give_the_same_codes_and_scores(built, tmp_path):
    store, logins = built
    again = Store(tmp_path / "again.sqlite")
    assert demo.build_demo(again, CATALOG, today=DAY, past=False) == logins
    for sql in (
        "SELECT assignment_id, revision, overall, feedback, submitted_at FROM scorecards",
        "SELECT candidate_id, position, reviewer_id, purpose, assigned_at FROM stage_seats",
        "SELECT seat_id, scores, weighted, overall, notes, submitted_at FROM stage_reviews",
        "SELECT candidate_id, position, outcome, decided_by, decided_at, reason, provisional"
        " FROM stage_outcomes",
        "SELECT candidate_id, position, event, at, detail FROM take_home_events",
        "SELECT candidate_id, step, at, logistical, performance FROM candidate_feedback",
        "SELECT id, created_at, withdrawn_at, withdrawal_reason FROM candidates",
    ):
        assert [tuple(r) for r in query(again, sql + " ORDER BY id")] == [
            tuple(r) for r in query(store, sql + " ORDER BY id")
        ], sql


@pytest.mark.slow  # the benchmark generator, like the benchmarks' own tests
def test_the_benchmark_can_add_candidates_in_every_combination(tmp_path):
    store = Store(tmp_path / "bench.sqlite")
    rng = random.Random(7)
    with store.batch():
        team = demo.create_demo_team(store, CATALOG, rng, DAY)
        added = []
        for opening in team.openings.values():
            for stage in demo.STAGES:
                for pattern in demo.PATTERNS:
                    twists = demo.fitting_twists(stage)
                    chosen = rng.sample(twists, rng.randint(0, len(twists)))
                    day = DAY - timedelta(days=rng.randint(0, 90))
                    candidate_id = demo.add_demo_candidate(
                        store, team, opening, stage, pattern, rng, day, twists=chosen
                    )
                    added.append((stage, candidate_id))
        with pytest.raises(InvalidInput, match="does not fit"):
            demo.add_demo_candidate(
                store, team, team.openings["ds"], "today", "split", rng, DAY, twists=["late"]
            )
    assert len(added) == 3 * len(demo.STAGES) * len(demo.PATTERNS)
    assert query(store, "SELECT COUNT(*) FROM candidates")[0][0] == len(added)
    decided = {r[0] for r in query(store, "SELECT candidate_id FROM decisions")}
    assert decided == {candidate_id for stage, candidate_id in added if stage == "decided"}


@pytest.fixture(scope="module")
def pairs(built):
    """Every interview session run by a pair: (candidate id, opening id, session id, rubric hash,
    the two assignments)."""
    store, _ = built
    sessions = query(
        store,
        """SELECT i.id, i.candidate_id, c.opening_id, i.rubric_hash FROM interview_sessions i
           JOIN candidates c ON c.id = i.candidate_id
           WHERE (SELECT COUNT(*) FROM assignments a
                  WHERE a.session_id = i.id AND a.recused_at IS NULL) = 2
           ORDER BY i.id""",
    )
    return [
        (
            s["candidate_id"],
            s["opening_id"],
            s["id"],
            s["rubric_hash"],
            query(
                store,
                "SELECT * FROM assignments WHERE session_id = ? AND recused_at IS NULL ORDER BY id",
                s["id"],
            ),
        )
        for s in sessions
    ]


def latest_scores(store: Store, assignment_id: int) -> tuple[int, dict[str, int | None]] | None:
    """The overall and criterion scores of an assignment's latest scorecard, if submitted."""
    card = query(
        store,
        "SELECT * FROM scorecards WHERE assignment_id = ? ORDER BY revision DESC LIMIT 1",
        assignment_id,
    )
    if not card:
        return None
    rows = query(store, "SELECT * FROM criterion_scores WHERE scorecard_id = ?", card[0]["id"])
    return card[0]["overall"], {r["criterion_id"]: r["score"] for r in rows}


def test_some_sessions_are_run_by_a_pair(built, pairs):
    store, _ = built
    assert len(pairs) >= 4
    assert len({opening_id for _, opening_id, *_ in pairs}) == 3
    stages = set()
    for candidate_id, opening_id, _, _, (one, two) in pairs:
        assert one["interviewer_id"] != two["interviewer_id"]
        assert one["assigned_at"] == two["assigned_at"]  # scheduled together
        if not is_open(store, candidate_id):
            continue
        manager_id = query(store, "SELECT hiring_manager_id FROM openings WHERE id = ?", opening_id)
        manager = people.get_person(store, manager_id[0][0])
        opening = openings.get_opening(store, manager, opening_id)
        view = debrief.debrief(store, manager, candidate_id)
        assert len(view.scorecards) == len(opening.sessions) + 1
        names = [position.interviewer for position in view.result.positions]
        assert len(set(names)) == len(names) and not any("(" in name for name in names)
        stages.add("decided" if view.decisions else "open")
    assert stages == {"decided", "open"}


def test_a_pair_agrees_within_a_point_but_one_is_far_apart_on_a_criterion(built, pairs):
    store, _ = built
    far_apart = []
    with store.read() as db:
        for candidate_id, _, _, rubric_hash, (one, two) in pairs:
            first, second = latest_scores(store, one["id"]), latest_scores(store, two["id"])
            if first is None or second is None:
                continue
            assert abs(first[0] - second[0]) <= 1
            rubric = openings.rubric_snapshot(db, rubric_hash)
            apart = []
            for criterion in rubric.criteria:
                a, b = first[1][criterion.id], second[1][criterion.id]
                if a is None or b is None or abs(a - b) <= 1:
                    continue
                apart.append(criterion.id)
                if abs(a - b) * 2 >= criterion.scale.max - criterion.scale.min:
                    far_apart.append((candidate_id, criterion.id, criterion.kind))
            assert len(apart) <= 1  # within a point on every other criterion
    assert any(kind == "scale" for _, _, kind in far_apart)
    open_undecided = [
        candidate_id
        for candidate_id, _, _ in far_apart
        if is_open(store, candidate_id)
        and not query(store, "SELECT 1 FROM decisions WHERE candidate_id = ?", candidate_id)
    ]
    assert open_undecided


# ------------------------------------------------------------------------------- the funnel
# Every demo opening's process has stages around its on-site day (issue 27); the candidates
# before that day are in every state a stage has.

TITLES = {
    "resume": "Resume screen",
    "phone": "Phone screen",
    "take_home": "Take-home",
}
# What each place before the day leaves the candidate as, in their stage.
STATE_OF = {
    "waiting": "pending",
    "split": "pending",
    "sent": "pending",
    "submitted": "pending",
    "reviewed": "pending",
    "rejected": "rejected",
    "disputed": "rejected",
    "withdrawn": "withdrawn",
}


@pytest.fixture(scope="module")
def progress(built):
    """Every demo candidate's process and where they stand in it, by name."""
    store, _ = built
    with store.read() as db:
        rows = db.execute("SELECT id, name, opening_id FROM candidates").fetchall()
        where = stages.progress(db, [r["id"] for r in rows])
        plans = stages.processes(db, {r["opening_id"] for r in rows})
    return {r["name"]: (r["id"], plans[r["opening_id"]], where[r["id"]]) for r in rows}


def test_every_opening_has_its_stages_around_the_loop(built, coordinator):
    store, _ = built
    found = {}
    for opening in openings.list_openings(store, coordinator):
        with store.read() as db:
            found[opening.title] = stages.process(db, opening.id)
    kinds = {title: [s.kind for s in process] for title, process in found.items()}
    assert kinds == {
        "Data scientist": ["screen", "screen", "take_home", "loop", "offer"],
        "Machine learning engineer": ["screen", "screen", "loop", "offer"],
        "Data analyst": ["screen", "screen", "take_home", "loop", "offer"],
    }
    resume, phone, take_home = found["Data scientist"][:3]
    assert (resume.title, resume.blind, resume.provisional) == (TITLES["resume"], True, True)
    assert (resume.bar, resume.spot_check_share, len(resume.reviewer_ids)) == (0.6, 1.0, 2)
    assert phone.title == TITLES["phone"] and len(phone.reviewer_ids) == 1  # the manager's
    assert (take_home.hours_asked, take_home.deadline_days) == (4, 7)
    assert (take_home.rule, take_home.reviewers, take_home.blind) == ("vote", 2, True)
    assert found["Machine learning engineer"][0].rule == "vote"
    assert found["Data analyst"][2].rule == "manager"


def test_candidates_in_every_state_of_every_kind_of_stage(progress):
    seen = {
        (process[step.position - 1].kind, step.state)
        for _, process, where in progress.values()
        for step in where.steps
    }
    wanted = {
        "screen": {"pending", "advanced", "rejected"},
        "take_home": {"pending", "advanced", "rejected", "withdrawn"},
        "loop": {"pending", "advanced", "rejected"},
        "offer": {"pending", "advanced", "withdrawn"},
    }
    assert {(kind, state) for kind, states in wanted.items() for state in states} <= seen


def test_each_candidate_before_the_day_is_where_the_plan_says(progress):
    assert {where for _, where, _ in demo.FUNNEL_PLAN} >= {
        f"{stage}_{what}"
        for stage, whats in (
            ("resume", ("waiting", "rejected", "disputed", "split")),
            ("phone", ("waiting", "rejected")),
            ("take_home", ("sent", "submitted", "withdrawn", "reviewed", "rejected")),
        )
        for what in whats
    }
    for _, where, name in demo.FUNNEL_PLAN:
        _, process, at = progress[name]
        stage, what = where.rsplit("_", 1)
        step = at.steps[-1]
        assert process[step.position - 1].title == TITLES[stage], name
        assert step.state == STATE_OF[what], name
        assert all(s.state == "advanced" for s in at.steps[:-1]), name
        assert step.entered_at < DAY and (step.left_at is None or step.left_at < DAY), name


def test_the_on_site_candidates_passed_every_stage_before_their_day(built, progress):
    store, _ = built
    for *_, name in demo.DEMO_PLAN:
        candidate_id, process, at = progress[name]
        loop = next(s.position for s in process if s.kind == "loop")
        assert [s.state for s in at.steps[: loop - 1]] == ["advanced"] * (loop - 1), name
        reached = at.step(loop).entered_at
        planned = query(
            store,
            "SELECT MIN(assigned_at) FROM assignments a JOIN interview_sessions i"
            " ON i.id = a.session_id WHERE i.candidate_id = ?",
            candidate_id,
        )[0][0]
        assert reached < parse_stamp(planned), name


def test_a_provisional_rejection_is_spot_checked_and_one_check_disagrees(
    built, coordinator, progress
):
    store, _ = built
    ds = next(o for o in openings.list_openings(store, coordinator) if o.title == "Data scientist")
    manager = people.get_person(store, ds.hiring_manager_id)
    with store.read() as db:
        (checks,) = stage_reviews.spot_checks(db, ds.id, stages.process(db, ds.id), None)
    assert (checks.position, checks.checked, checks.agreed) == (1, 2, 1)
    for name in ("Tariq Aziz", "Clara Weiss"):
        step = progress[name][2].step(1)
        assert (step.state, step.provisional) == ("rejected", True)
    waiting = {w.candidate: w.why for w in stage_reviews.awaiting_manager(store, manager)}
    assert "spot check disagrees" in waiting["Clara Weiss"]
    assert "Tariq Aziz" not in waiting
    assert "rule leaves the decision to you" in waiting["Jonah Levy"]  # a tied take-home


def test_take_homes_run_from_sent_to_reviewed(built, coordinator, progress):
    store, _ = built

    def take_home(name):
        (found,) = take_homes.take_home(store, coordinator, progress[name][0])
        return found

    sent = take_home("Sunita Rao")
    assert sent.sent_at and sent.deadline - sent.sent_at == timedelta(days=7)
    assert sent.submitted_at is None and sent.deadline > DAY  # still time to answer
    answered = take_home("Patrick Byrne")
    assert answered.submitted_at and not answered.late
    seats = query(
        store,
        "SELECT s.id, r.id AS review FROM stage_seats s LEFT JOIN stage_reviews r"
        " ON r.seat_id = s.id WHERE s.candidate_id = ?",
        progress["Patrick Byrne"][0],
    )
    assert len([s for s in seats if s["review"] is None]) == 2  # two blind reviews to write
    assert take_home("Aylin Kaya").submitted_at is None  # withdrew before answering
    rejected = take_home("Bruno Silva")
    assert rejected.submitted_at < rejected.feedback_at < DAY  # answered with feedback
    for *_, name in demo.DEMO_PLAN:  # and every on-site candidate of a take-home opening
        _, process, _ = progress[name]
        if any(s.kind == "take_home" for s in process):
            passed = take_home(name)
            assert passed.sent_at < passed.submitted_at <= passed.deadline, name
    for r in query(store, "SELECT detail FROM take_home_events WHERE event = 'submitted'"):
        assert not any(part in r[0] for *_, name in demo.FUNNEL_PLAN for part in name.split())


def test_offers_accepted_declined_and_still_open(progress):
    answers = {name: answer for name, answer, _ in demo.OFFERS}
    assert set(answers.values()) == {"accepted", "declined"}
    for name, answer in answers.items():
        _, process, at = progress[name]
        assert process[at.stage - 1].kind == "offer"
        assert at.state == ("hired" if answer == "accepted" else "withdrawn"), name
    declined = next(n for n, a in answers.items() if a == "declined")
    assert "declined the offer" in progress[declined][2].steps[-1].reason
    waiting = [
        name
        for name, (_, process, at) in progress.items()
        if process[at.stage - 1].kind == "offer" and at.state == "in_process"
    ]
    assert waiting and not set(waiting) & set(answers)


def test_a_declined_candidate_asked_for_feedback_and_got_it_once(built, coordinator, progress):
    store, _ = built
    name = demo.FEEDBACK["name"]
    assert progress[name][2].state == "rejected"
    given = candidate_feedback.feedback(store, coordinator, progress[name][0])
    assert [s.step for s in given.steps] == ["requested", "drafted", "approved", "sent"]
    assert all(s.at < DAY for s in given.steps)
    assert given.steps[1].by != given.steps[2].by  # approved by someone other than its writer
    assert not re.search(r"\d", demo.FEEDBACK["performance"] + demo.FEEDBACK["logistical"])
    asked = query(store, "SELECT COUNT(*) FROM candidate_feedback WHERE step = 'sent'")[0][0]
    assert asked == 1


def test_the_funnel_command_adds_up_for_every_opening(built, coordinator, cli, monkeypatch):
    store, logins = built
    by_email = {login.email: login for login in logins}
    for opening in openings.list_openings(store, coordinator):
        manager = people.get_person(store, opening.hiring_manager_id)
        monkeypatch.setenv("DEBRIEF_CODE", by_email[manager.email].code)
        result = cli(
            "funnel", "--db", store.location, "--as", manager.email,
            "--opening", opening.id, "--format", "json",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert document["consistent"] is True
        listed = openings.list_candidates(store, coordinator, opening.id)
        assert document["candidates"] == len(listed)
        first, *later = document["stages"]
        assert first["entered"] == document["candidates"]
        before = first
        for stage in document["stages"]:
            parts = [stage[k] for k in ("advanced", "rejected", "withdrawn", "pending")]
            assert stage["entered"] == sum(parts), (opening.title, stage["title"])
        for stage in later:
            assert stage["entered"] == before["advanced"], (opening.title, stage["title"])
            before = stage
