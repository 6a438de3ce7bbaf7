"""The demo organisation: what someone trying Debrief signs in to and expects to find."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from scoring import debrief, demo, openings, people, scorecards
from scoring.errors import InvalidInput
from scoring.store import Store, parse_stamp
from world import CATALOG

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
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
    assert query(store, "SELECT COUNT(*) FROM candidates")[0][0] == 30


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
    per_opening = Counter(opening.id for opening, _ in candidates)
    assert sorted(per_opening.values()) == [10, 10, 10]


def test_candidates_at_every_stage(built, coordinator, candidates):
    store, _ = built
    stages = Counter()
    for _, candidate_id in candidates:
        seats = scorecards.status_board(store, coordinator, candidate_id, now=DAY)
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
    sql = "SELECT assignment_id, revision, overall, feedback, submitted_at FROM scorecards"
    assert [tuple(r) for r in query(again, sql + " ORDER BY id")] == [
        tuple(r) for r in query(store, sql + " ORDER BY id")
    ]


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
