"""The permission matrix, both ways: for every persona (the role combinations that occur) at every
stage of a candidate's day, each action of the permission table is asked of the *service*, and

- what the table refuses raises NotAllowed (and leaves no trace of the data anywhere else);
- what the table allows returns the real data (a write really happens, on a copy of the scene).

A leak check reads every surface a person could use (each read function, the debrief view, the
day view, every export) and asserts that others' scores, the decision's rationale and the
committee's votes appear in it exactly when the table allows them. The README's matrix is this
table's own output (`python -m scoring permissions`); a test keeps the two equal.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import (
    debrief,
    exports,
    insights,
    matrix,
    openings,
    outbox,
    people,
    pipeline,
    scorecards,
)
from scoring.errors import DebriefError, NotAllowed
from scoring.insights import outcomes
from scoring.matrix import PERSONAS, STAGES, Scene
from scoring.permissions import ACTIONS
from scoring.rubric import load_catalog
from scoring.store import Store, now_utc
from tests.security.test_funnel_permissions import FUNNEL_PROBES
from tests.security.test_retention_attacks import RETENTION_PROBES

ROOT = Path(__file__).resolve().parents[2]
SCORES = "Ana Alvarez says 4"  # the feedback on another interviewer's scorecard
RATIONALE = "Ana gave 4, Bo 3"  # the recorded decision's rationale (it quotes scores)
VOTE_NOTE = "strong coder"  # the other committee member's note on their vote
CASES = [(p.key, s.key) for p in PERSONAS for s in STAGES if matrix.possible(p, s)]


# The matrix builds a scene per persona and stage (about 7 s of CPU per process) and probes each:
# about 30 test-seconds, so its scene tests run in the whole suite (`slow`), not the fast loop;
# the fast loop keeps every guarded function's action (tests/test_guards.py) and its refusals
# (tests/test_guards_behaviour.py).
MATRIX = pytest.mark.slow


@pytest.fixture(scope="module")
def built():
    with matrix.scenes() as scenes:
        yield scenes


def copy_of(scene: Scene, tmp_path: Path, name: str) -> Store:
    """The scene's database, copied with SQLite's online backup: a write probe changes only it."""
    target = tmp_path / f"{name}.sqlite"
    source, copy = sqlite3.connect(scene.store.path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return Store(target)


def outcome(call):
    """('ok', value) or ('refused', message); another service error is ('error', message)."""
    try:
        return "ok", call()
    except NotAllowed as refusal:
        return "refused", str(refusal)
    except DebriefError as problem:
        return "error", str(problem)


# ------------------------------------------------------------------------ one probe an action
# Each takes (scene, store, actor) and returns what the service gave; each write goes to a copy.


def _seat_is_submitted(store, seat_id) -> bool:
    with store.read() as db:
        return db.execute("SELECT 1 FROM scorecards WHERE assignment_id = ?", [seat_id]).fetchone()


def _score(scene, store, actor):
    criteria = matrix.full_scores(store, scene.seat_id)
    if _seat_is_submitted(store, scene.seat_id):
        return scorecards.revise(
            store,
            actor,
            scene.seat_id,
            reason="probe",
            overall=5,
            feedback="probe",
            criteria=criteria,
        )
    return scorecards.submit(
        store, actor, scene.seat_id, overall=5, feedback="probe", criteria=criteria
    )


PROBES = {
    "manage_people": lambda s, st, a: people.add_person(
        st, a, "New Person", "new@example.com", ["interviewer"]
    ),
    "see_people": lambda s, st, a: people.list_people(st, a),
    "create_opening": lambda s, st, a: openings.create_opening(
        st,
        a,
        title="Probe",
        role="Probe",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=a.id,
        strategy={"kind": "manager"},
    ),
    "see_opening": lambda s, st, a: openings.get_opening(st, a, s.opening_id),
    "manage_opening": lambda s, st, a: openings.add_candidate(st, a, s.opening_id, "Probe"),
    "see_candidates": lambda s, st, a: openings.list_candidates(st, a, s.opening_id),
    "see_opening_status": lambda s, st, a: scorecards.opening_status(st, a, s.opening_id),
    "see_debriefs": lambda s, st, a: debrief.day_view(st, a, s.opening_id, matrix.DAY.date()),
    "export_decisions": lambda s, st, a: exports.decision_rows(st, a, s.opening_id),
    "export_scores": lambda s, st, a: exports.scorecard_rows(st, a, s.opening_id),
    "see_candidate": lambda s, st, a: openings.get_candidate(st, a, s.candidate_id),
    "see_status": lambda s, st, a: scorecards.status_board(st, a, s.candidate_id),
    "see_debrief": lambda s, st, a: debrief.status(st, a, s.candidate_id),
    "open_debrief": lambda s, st, a: debrief.open_debrief(st, a, s.candidate_id, reason="probe"),
    "see_scores": lambda s, st, a: scorecards.panel(st, a, s.candidate_id),
    "vote": lambda s, st, a: debrief.cast_vote(st, a, s.candidate_id, "hire", "probe vote"),
    "decide": lambda s, st, a: debrief.record_decision(
        st, a, s.candidate_id, "hire", "probe decision", True
    ),
    "record_outcome": lambda s, st, a: outcomes.record_outcome(
        st, a, s.candidate_id, 6, 4, True, "probe outcome", now=now_utc() + timedelta(days=400)
    ),
    # as the Markdown download makes it: without the charts, which that format does not show
    "see_packet": lambda s, st, a: exports.render(
        exports.summary(st, a, s.candidate_id, charts=False), "md"
    ),
    "score": _score,
    "recuse": lambda s, st, a: openings.recuse(st, a, s.seat_id, "probe conflict"),
    "see_own": lambda s, st, a: scorecards.sheet(st, a, s.seat_id),
    "read_scorecard": lambda s, st, a: scorecards.revisions(st, a, s.seat_id),
    "see_insights": lambda s, st, a: insights.opening_insights(st, a, [s.opening_id]),
    "see_own_calibration": lambda s, st, a: insights.own_calibration(st, a),
}
# Actions that only shape what a surface shows (no function of their own): checked by the leak
# check below, across every surface.
SHAPES = {
    "see_name",
    "see_decision",
    "see_votes",
    "count_in_insights",
    "see_score_figures",
    "count_in_score_figures",
}
# Actions that decide who is sent word of something (no refusal of their own: the message is
# withheld): checked against the outbox's answer below.
MAIL = {"hear_of_decision": "decision", "hear_debrief_ready": "ready"}
WRITES = {
    "manage_people",
    "create_opening",
    "manage_opening",
    "open_debrief",
    "vote",
    "decide",
    "record_outcome",
    "score",
    "recuse",
}
CATALOG = load_catalog(ROOT / "rubrics")


def real(action, scene, value, store) -> None:
    """What an allowed call returned is the real thing (or the write really happened)."""
    text = repr(value)
    if action == "manage_people":
        assert value.name == "New Person"
    elif action == "see_people":
        assert "Ana Alvarez" in text and "Pat Persona" in text
    elif action in ("see_opening", "create_opening"):
        assert value.title in ("Data scientist", "Probe")
    elif action == "manage_opening":
        assert isinstance(value, int)
    elif action in ("see_candidates", "see_opening_status"):
        assert [c.candidate_id if hasattr(c, "candidate_id") else c.id for c in value] == [
            scene.candidate_id
        ]
    elif action == "see_debriefs":
        assert [r.candidate_id for r in value] == [scene.candidate_id]
    elif action == "export_decisions":
        assert [r["candidate_id"] for r in value] == [scene.candidate_id]
    elif action == "export_scores":  # rows only for candidates whose panel the person may see
        assert bool(value) == (scene.refusal("see_scores") is None)
        assert not value or SCORES in text
    elif action == "see_candidate":
        assert value.id == scene.candidate_id and value.display
    elif action == "see_status":
        assert "Ana Alvarez" in text and "overall" not in text
    elif action == "see_debrief":
        assert value.candidate_id == scene.candidate_id
    elif action == "open_debrief":
        with store.read() as db:
            assert db.execute("SELECT early_reason FROM debriefs").fetchone()
    elif action == "see_scores":
        assert SCORES in text
    elif action == "vote":
        with store.read() as db:
            # (notes are sealed under the candidate's key: read opened, compared here)
            notes = [r[0] for r in db.execute("SELECT note FROM committee_votes").fetchall()]
            assert "probe vote" in notes
    elif action == "decide":
        assert value.rationale == "probe decision"
    elif action == "record_outcome":
        assert value.note == "probe outcome"
        with store.read() as db:
            assert [r[0] for r in db.execute("SELECT rating FROM hire_outcomes")] == [4]
    elif action == "see_packet":
        assert SCORES.encode() in value
    elif action == "score":
        assert value.feedback == "probe"
    elif action == "recuse":
        with store.read() as db:
            row = db.execute(
                "SELECT recused_at FROM assignments WHERE id = ?", [scene.seat_id]
            ).fetchone()
            assert row["recused_at"]
    elif action == "see_own":
        assert value.assignment_id == scene.seat_id
    elif action == "read_scorecard":
        assert all(card.assignment_id == scene.seat_id for card in value)
        with store.read() as db:
            written = db.execute(
                "SELECT count(*) FROM scorecards WHERE assignment_id = ?", [scene.seat_id]
            ).fetchone()[0]
        assert len(value) == written
    elif action == "see_insights":  # the candidate counts only where the table says
        counts = scene.refusal("count_in_insights") is None
        assert (scene.candidate_id in value.counted_ids) == counts
        # score figures only with see_score_figures, over the candidates whose scores count
        assert value.score_figures == (scene.refusal("see_score_figures") is None)
        scored = scene.refusal("count_in_score_figures") is None
        assert (scene.candidate_id in value.score_ids) == scored
        if not value.score_figures:
            assert value.reliability.empty and value.calibration.empty and value.what_if.empty
    elif action == "see_own_calibration":
        assert set(value.calibration["interviewer_id"]) <= {scene.actor.id}
        if scene.candidate_id in value.counted_ids:
            assert scene.refusal("see_scores") is None
    else:  # pragma: no cover - a new action needs a check here
        raise AssertionError(f"no check for {action}")


# The funnel's actions (issue 27) are probed in a funnel of their own, with stage seats, reviews
# and outcomes the day's scenes do not have: tests/security/test_funnel_permissions.py.
FUNNEL = {name for name in ACTIONS if name in FUNNEL_PROBES}
# The privacy actions (issue 28) are probed as every role, with their own worlds (a decided or
# withdrawn candidate, answers recorded, holds), in the files named here; each calls the
# service that the action guards and expects the table's words for each refused role.
PRIVACY = {
    "subject_access": ("test_subject_access_attacks.py", "subject_access("),
    "erase_candidate": ("test_erasure.py", "erasure.erase("),
    "record_demographics": ("../test_demographics.py", "demographics.record("),
    "see_adverse_impact": ("../test_adverse_impact.py", "adverse_impact("),
    **{name: ("test_retention_attacks.py", "RETENTION_PROBES") for name in RETENTION_PROBES},
}


def test_every_action_has_a_probe_or_a_surface():
    covered = set(PROBES) | SHAPES | set(MAIL) | FUNNEL | {"start_organisation", "use_screen"}
    assert covered | set(PRIVACY) == set(ACTIONS)


def test_each_privacy_action_is_probed_where_it_says():
    for action, (file, call) in PRIVACY.items():
        text = (Path(__file__).parent / file).read_text(encoding="utf-8")
        assert call in text and "NotAllowed" in text, (action, file)


@MATRIX
@pytest.mark.parametrize("persona, stage", CASES)
def test_the_service_does_what_the_table_says(built, tmp_path, persona, stage):
    scene = built[persona, stage]
    for action, probe in PROBES.items():
        store = copy_of(scene, tmp_path, action) if action in WRITES else scene.store
        refusal = scene.refusal(action)
        kind, value = outcome(lambda probe=probe, store=store: probe(scene, store, scene.actor))
        if refusal is not None:
            assert kind == "refused", f"{action}: the table refuses ({refusal}) but got {kind}"
            assert value == refusal or action in ("see_packet",), (action, value, refusal)
        elif kind == "error":  # allowed, but the request itself does not fit the state
            assert action == "recuse" and "already submitted" in value, (action, value)
        else:
            assert kind == "ok", f"{action}: the table allows it but the service said {value}"
            real(action, scene, value, store)


@MATRIX
@pytest.mark.parametrize("persona, stage", CASES)
def test_composed_rules_are_their_parts(built, persona, stage):
    """A composed action answers as the hand-written combination it names did: reading a seat's
    scorecard is `see_own` on the seat, else `see_scores` on its candidate (word for word); word
    of the decision goes to whoever `see_debrief`s or may `score` a seat on the panel."""
    scene = built[persona, stage]
    own = scene.refusal("see_own") is None
    assert scene.refusal("read_scorecard") == (None if own else scene.refusal("see_scores"))
    # the scene's seat is the persona's own when they have one (else another interviewer's)
    hears = scene.refusal("see_debrief") is None or scene.refusal("score") is None
    assert (scene.refusal("hear_of_decision") is None) == hears


@MATRIX
@pytest.mark.parametrize("persona, stage", CASES)
def test_word_goes_where_the_table_says(built, persona, stage):
    """The outbox withholds a decision's word and the debrief's 'ready' exactly from those the
    table refuses `hear_of_decision` and `hear_debrief_ready`."""
    scene = built[persona, stage]
    with scene.store.read() as db:
        row = db.execute("SELECT * FROM people WHERE id = ?", [scene.actor.id]).fetchone()
        for action, kind in MAIL.items():
            withheld = outbox.withheld(db, kind, row, candidate_id=scene.candidate_id)
            assert (withheld is None) == (scene.refusal(action) is None), (action, withheld)


def surfaces(scene: Scene) -> str:
    """Everything the persona can read about the candidate, through every read function."""
    store, actor, c = scene.store, scene.actor, scene.candidate_id
    reads = [
        lambda: scorecards.panel(store, actor, c),
        lambda: scorecards.others(store, actor, c),
        lambda: scorecards.scorecard(store, actor, scene.other_card),
        lambda: scorecards.revisions(store, actor, scene.other_seat),
        lambda: scorecards.sheet(store, actor, scene.seat_id),
        lambda: debrief.status(store, actor, c),
        lambda: debrief.debrief(store, actor, c),
        lambda: debrief.day_view(store, actor, scene.opening_id, matrix.DAY.date()),
        lambda: pipeline.pipeline(store, actor, scene.opening_id).rows,
        lambda: exports.decision_rows(store, actor, scene.opening_id),
        lambda: exports.scorecard_rows(store, actor, scene.opening_id),
        # the Markdown and JSON files carry no charts (exports.DRAWN): made as the app makes them
        lambda: exports.render(exports.summary(store, actor, c, charts=False), "md").decode(),
        lambda: exports.render(exports.summary(store, actor, c, charts=False), "json").decode(),
    ]
    return "\n".join(repr(outcome(read)[1]) for read in reads)


@MATRIX
@pytest.mark.parametrize("persona, stage", CASES)
def test_nothing_leaks_beyond_the_table(built, persona, stage):
    scene = built[persona, stage]
    seen = surfaces(scene)
    stage_ = next(s for s in STAGES if s.key == stage)
    may = {a: scene.refusal(a) is None for a in ("see_scores", "see_decision", "see_votes")}
    assert (SCORES in seen) == may["see_scores"]
    assert (RATIONALE in seen) == (may["see_decision"] and stage_.decided)
    assert (VOTE_NOTE in seen) == (may["see_votes"] and stage_.opened)
    # the outcome is derived from scores: a day-view row shows one only with see_scores
    rows = outcome(
        lambda: debrief.day_view(scene.store, scene.actor, scene.opening_id, matrix.DAY.date())
    )
    if rows[0] == "ok":
        assert (rows[1][0].outcome is not None) == may["see_scores"]
        if not may["see_decision"]:
            assert rows[1][0].decision is None and rows[1][0].decided_by is None
    # the pipeline is the day view over every day: the same rules, row by row
    view = outcome(lambda: pipeline.pipeline(scene.store, scene.actor, scene.opening_id))
    assert (view[0] == "ok") == (scene.refusal("see_debriefs") is None), view
    if view[0] == "ok":
        (row,) = view[1].rows
        assert (row.outcome is not None) == may["see_scores"]
        assert (row.tally is not None) == may["see_scores"]
        if not may["see_decision"]:
            assert row.decision is None and row.decided_by is None
        else:
            assert (row.decision is not None) == stage_.decided


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
@MATRIX
def test_the_readme_shows_the_matrix_the_code_gives(built):
    generated = matrix.actions_markdown() + "\n" + matrix.markdown(built)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- permissions:start -->\n(.*?)<!-- permissions:end -->", readme, re.S)
    assert found, "README.md has no permissions block"
    assert found.group(1).strip() == generated.strip(), (
        "README's matrix is stale: paste `python -m scoring permissions` between the markers"
    )
