"""History that cannot be quietly rewritten (issue 11, defects 1 and 2; issue 22, attack 3), and
`verify`.

Each attack is plain SQL on the real file, as someone with the file and the sqlite3 shell would
try it: the database refuses it; and where the guards themselves are dropped first, `python -m
scoring verify` names the row that changed.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import timedelta

import pytest
from forgery import recompute, rewrite

from scoring import audit, cli, debrief, openings
from scoring.audit import chain_hash
from scoring.errors import HistoryBroken
from scoring.integrity import verify
from world import DAY, REFUSED, build, raw_sql, submit


@pytest.fixture
def decided(tmp_path):
    w = build(tmp_path / "history.sqlite")
    w.cards = {who: submit(w, who, overall) for who, overall in (("ana", 5), ("bo", 4), ("cy", 1))}
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong", True)
    return w


def run_verify(w) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["verify", "--db", w.store.location], out, err)
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


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.parametrize("what", sorted(REPLACES))
def test_replace_cannot_rewrite_history(decided, what):
    before = decided.store.path.read_bytes()
    with pytest.raises(REFUSED, match=r"append-only|with their scorecard|entry before"):
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
    with pytest.raises(REFUSED, match=refusal):
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


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_verify_names_a_scorecard_changed_behind_the_triggers(decided):
    raw_sql(decided, "DROP TRIGGER scorecards_append_only_update")
    raw_sql(decided, "UPDATE scorecards SET overall = 0 WHERE id = ?", decided.cards["ana"].id)
    code, said = run_verify(decided)
    assert code == 1
    assert "trigger scorecards_append_only_update is missing" in said
    assert f"scorecards id {decided.cards['ana'].id}: changed since it was written" in said


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_verify_names_a_broken_audit_chain(decided):
    raw_sql(decided, "DROP TRIGGER audit_log_append_only_delete")
    raw_sql(decided, "DELETE FROM audit_log WHERE action = 'submit' AND subject = 'scorecard:2'")
    code, said = run_verify(decided)
    assert code == 1
    assert "does not follow the entry before it" in said.splitlines()[1]  # after the trigger


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
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


# ------------------------------- 4. forged with the public algorithm (issue 22, attack 3)
# The attacker drops the triggers, turns Bo's 4 into a 0 and the hire into a no-hire, then
# recomputes every digest and the chain exactly as Debrief's source says, and puts the triggers
# back. Everything a plain hash can check is consistent again; only the audit key is missing.

FORGERIES = {
    "the whole chain recomputed": ({}, "not signed with the audit key"),
    "recomputed from the first changed entry": (
        {"from_id": "first changed"},
        "not signed, though entries before it are",
    ),
    "recomputed and dressed as signed": (
        {"from_id": "first changed", "fake_signature": True},
        "its signature does not match its content",
    ),
}


def forge(w, path, from_id=None, fake_signature=False):
    bo = w.cards["bo"].id
    rewrite(
        path,
        ("UPDATE scorecards SET overall = 0 WHERE id = ?", [bo]),
        (
            "UPDATE decisions SET outcome = 'no_hire', rationale = 'Weak' WHERE candidate_id = ?",
            [w.candidate_id],
        ),
    )
    if from_id == "first changed":
        from_id = next(e["id"] for e in entries_of(path) if e["subject"] == f"scorecard:{bo}")
    recompute(path, from_id=from_id or 1, fake_signature=fake_signature)
    # what a plain-hash check sees: every digest and link consistent again
    rows = entries_of(path)
    assert all(r["prev_hash"] == (rows[i - 1]["hash"] if i else "") for i, r in enumerate(rows))
    if not fake_signature and from_id in (None, 1):
        assert all(r["hash"] == chain_hash(r["prev_hash"], r) for r in rows)


def entries_of(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM audit_log ORDER BY id")]
    finally:
        conn.close()


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
@pytest.mark.parametrize("how", sorted(FORGERIES))
def test_a_forged_recomputation_fails_verify(decided, how):
    options, said_first = FORGERIES[how]
    forge(decided, decided.store.path, **options)
    assert not any("trigger" in p for p in verify(decided.store).problems)  # put back
    code, said = run_verify(decided)
    assert code == 1
    assert said_first in said.splitlines()[0], said


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
@pytest.mark.parametrize("how", sorted(FORGERIES))
def test_restore_refuses_a_forged_recomputation(decided, tmp_path, how):
    backup = tmp_path / "backup.sqlite"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["backup", str(backup), "--db", str(decided.store.path)], out, err) == 0
    forge(decided, backup, **FORGERIES[how][0])
    live = decided.store.path.read_bytes()
    code = cli.main(["restore", str(backup), "--db", str(decided.store.path), "--yes"], out, err)
    assert code == 1
    assert "does not verify" in err.getvalue() and FORGERIES[how][1] in err.getvalue()
    assert decided.store.path.read_bytes() == live


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_verify_and_restore_fail_under_the_wrong_key(decided, tmp_path, monkeypatch):
    backup = tmp_path / "backup.sqlite"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["backup", str(backup), "--db", str(decided.store.path)], out, err) == 0
    monkeypatch.setenv("DEBRIEF_AUDIT_KEY", "a different key, of more than thirty-two chars")
    code, said = run_verify(decided)
    assert code == 1
    assert "signed with another audit key" in said and "the wrong key is set" in said
    code = cli.main(["restore", str(backup), "--db", str(decided.store.path), "--yes"], out, err)
    assert code == 1 and "signed with another audit key" in err.getvalue()
    monkeypatch.undo()
    assert run_verify(decided)[0] == 0  # the right key: all is well


# ------------------------------------------------- 5. what a backup saw, checked later


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
def test_backup_records_the_chain_head_it_saw(decided, tmp_path):
    backup = tmp_path / "backup.sqlite"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["backup", str(backup), "--db", str(decided.store.path)], out, err) == 0
    head = entries_of(backup)[-1]
    assert f"chain head: audit_log id {head['id']}, {head['hash']}" in out.getvalue()
    with decided.store.read() as db:
        (entry,) = audit.entries(db, "backup")
    assert entry["detail"]["head_id"] == head["id"]
    assert entry["detail"]["head_hash"] == head["hash"]
    out, err = io.StringIO(), io.StringIO()
    since = ["verify", "--since", str(backup), "--db", str(decided.store.path)]
    assert cli.main(since, out, err) == 0
    assert f"unchanged since the chain head you gave: the {head['id']} entries" in err.getvalue()


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_verify_says_history_was_rewritten_since_a_backup(decided, tmp_path):
    backup = tmp_path / "backup.sqlite"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["backup", str(backup), "--db", str(decided.store.path)], out, err) == 0
    forge(decided, decided.store.path)
    code, said = run_verify(decided)
    assert code == 1 and "history was rewritten since the backup of" in said


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_verify_since_a_backup_sees_the_newest_history_cut_off(decided, tmp_path):
    """The tail cut off (the entries after the backup, and the one it saw) leaves a chain that
    is whole and signed: only the head the backup printed, or the backup file, shows it."""
    with decided.store.write() as db:
        audit.record(db, decided.manager.id, "sign_out_everywhere", "person:2", DAY, ended=1)
    backup = tmp_path / "backup.sqlite"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["backup", str(backup), "--db", str(decided.store.path)], out, err) == 0
    head = entries_of(backup)[-1]
    rewrite(decided.store.path, ("DELETE FROM audit_log WHERE id >= ?", [head["id"]]))
    assert run_verify(decided)[0] == 0  # nothing else to see
    for since in (str(backup), f"{head['id']}:{head['hash']}"):
        out, err = io.StringIO(), io.StringIO()
        command = ["verify", "--since", since, "--db", str(decided.store.path)]
        assert cli.main(command, out, err) == 1
        assert (
            f"history was rewritten since the chain head you gave: audit_log id {head['id']}"
            " is not the entry it saw (it is gone)" in err.getvalue()
        )
