"""History that cannot be quietly rewritten (issue 11, defects 1 and 2), and `verify`.

Each attack is plain SQL on the real file, as someone with the file and the sqlite3 shell would
try it: the database refuses it; and where the guards themselves are dropped first, `python -m
scoring verify` names the row that changed.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import timedelta

import pytest

from scoring import cli, debrief, openings
from scoring.errors import HistoryBroken
from scoring.integrity import verify
from world import DAY, build, raw_sql, submit


@pytest.fixture
def decided(tmp_path):
    w = build(tmp_path / "history.sqlite")
    w.cards = {who: submit(w, who, overall) for who, overall in (("ana", 5), ("bo", 4), ("cy", 1))}
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong", True)
    return w


def run_verify(w) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["verify", "--db", str(w.store.path)], out, err)
    return code, out.getvalue() + err.getvalue()


# ------------------------------------------------------------------- 1. REPLACE over history

REPLACES = {
    "scorecard": "REPLACE INTO scorecards (id, assignment_id, revision, overall, feedback,"
    " rubric_hash, submitted_at, saw_others) SELECT id, assignment_id, revision, 0, 'rewritten',"
    " rubric_hash, submitted_at, saw_others FROM scorecards WHERE id = 1",
    "scorecard by its revision": "INSERT OR REPLACE INTO scorecards (assignment_id, revision,"
    " overall, feedback, rubric_hash, submitted_at, saw_others) SELECT assignment_id, 1, 0, 'x',"
    " rubric_hash, submitted_at, 0 FROM scorecards WHERE id = 1",
    "criterion score": "REPLACE INTO criterion_scores (scorecard_id, criterion_id, score,"
    " evidence) SELECT scorecard_id, criterion_id, 1, 'rewritten' FROM criterion_scores LIMIT 1",
    "decision": "REPLACE INTO decisions SELECT id, candidate_id, 'no_hire', decided_by,"
    " decided_at, rationale, accepts_responsibility, strategy, engine_result FROM decisions",
    "audit entry": "REPLACE INTO audit_log (id, at, actor_id, action, subject, detail, prev_hash,"
    " hash) SELECT id, at, actor_id, 'nothing', subject, detail, prev_hash, hash FROM audit_log"
    " WHERE action = 'decide'",
    "debrief": "REPLACE INTO debriefs SELECT candidate_id, opened_at, opened_by, 'rewritten',"
    " frozen_result FROM debriefs",
    "rubric snapshot": "REPLACE INTO rubric_snapshots SELECT hash, rubric_id, version,"
    " replace(content, 'Legible', 'Pretty') FROM rubric_snapshots",
}


@pytest.mark.parametrize("what", sorted(REPLACES))
def test_replace_cannot_rewrite_history(decided, what):
    before = decided.store.path.read_bytes()
    with pytest.raises(
        sqlite3.IntegrityError, match=r"append-only|with their scorecard|entry before"
    ):
        raw_sql(decided, REPLACES[what])
    assert run_verify(decided)[0] == 0
    assert decided.store.path.read_bytes() == before


# ------------------------------------------------------ 2. what the history depends on


AROUND = {
    "recuse a scored seat": (
        "UPDATE assignments SET recused_at = '2026-11-21', recusal_reason = 'x' WHERE id = 1",
        "cannot be recused",
    ),
    "change a scorecard's author": (
        "UPDATE assignments SET interviewer_id = 7 WHERE id = 1",
        "keeps its session and interviewer",
    ),
    "move a scored session": (
        "UPDATE interview_sessions SET ends_at = '2026-11-01T00:00:00+00:00',"
        " starts_at = '2026-10-31T23:00:00+00:00' WHERE id = 1",
        "keeps its times",
    ),
    "change a rubric snapshot": (
        "UPDATE rubric_snapshots SET content = replace(content, 'Legible', 'Pretty')",
        "never change",
    ),
    "change a scored opening's scale": (
        "UPDATE openings SET scale_max = 9, overdue_hours = 1000",
        "keeps its settings",
    ),
    "move a candidate to another opening": (
        "UPDATE candidates SET opening_id = 2",
        "keeps their opening",
    ),
    "delete a scored seat": ("DELETE FROM assignments WHERE id = 1", "is kept"),
}


@pytest.mark.parametrize("what", sorted(AROUND))
def test_what_history_means_cannot_change(decided, what):
    statement, refusal = AROUND[what]
    with pytest.raises(sqlite3.IntegrityError, match=refusal):
        raw_sql(decided, statement)
    assert run_verify(decided)[0] == 0


def test_the_service_still_recuses_and_reschedules_before_scoring(tmp_path):
    w = build(tmp_path / "before.sqlite")
    openings.recuse(w.store, w.cy, w.seats["cy"], "Former colleague")  # no scorecard yet: fine
    raw_sql(
        w,
        "UPDATE interview_sessions SET starts_at = ?, ends_at = ? WHERE id = 2",
        (DAY + timedelta(hours=9)).isoformat(),
        (DAY + timedelta(hours=10)).isoformat(),
    )
    assert run_verify(w)[0] == 0


# ----------------------------------------------------------- with the guards dropped: verify


@pytest.mark.tampered
def test_verify_names_a_scorecard_changed_behind_the_triggers(decided):
    raw_sql(decided, "DROP TRIGGER scorecards_append_only_update")
    raw_sql(decided, "UPDATE scorecards SET overall = 0 WHERE id = ?", decided.cards["ana"].id)
    code, said = run_verify(decided)
    assert code == 1
    assert "trigger scorecards_append_only_update is missing" in said
    assert f"scorecards id {decided.cards['ana'].id}: changed since it was written" in said


@pytest.mark.tampered
def test_verify_names_a_broken_audit_chain(decided):
    raw_sql(decided, "DROP TRIGGER audit_log_append_only_delete")
    raw_sql(decided, "DELETE FROM audit_log WHERE action = 'submit' AND subject = 'scorecard:2'")
    code, said = run_verify(decided)
    assert code == 1
    assert "does not follow the entry before it" in said.splitlines()[1]  # after the trigger


@pytest.mark.tampered
def test_a_changed_snapshot_is_refused_when_read(tmp_path):
    w = build(tmp_path / "snapshot.sqlite")
    raw_sql(w, "DROP TRIGGER rubric_snapshots_frozen_update")
    raw_sql(w, "UPDATE rubric_snapshots SET content = replace(content, 'Legible', 'Pretty')")
    openings._SNAPSHOTS.clear()  # a freshly started process
    with w.store.read() as db:
        changed = db.execute(
            "SELECT hash FROM rubric_snapshots WHERE content LIKE '%Pretty%'"
        ).fetchone()[0]
        with pytest.raises(HistoryBroken, match="no longer matches its hash"):
            openings.rubric_snapshot(db, changed)
    assert any("rubric_snapshots" in p for p in verify(w.store).problems)


def test_verify_is_clean_on_a_real_day(decided):
    code, said = run_verify(decided)
    assert code == 0 and "history intact" in said and "3 scorecards" in said
