"""Erasure that keeps the record provable (issue 28): after `erase`, the database file (with its
write-ahead log) holds none of the candidate's identifying bytes (name, email, the feedback,
evidence, rationale and notes written about them), `verify` passes, Insights still counts them,
and they are "Erased candidate #N" everywhere. Refused to whoever the table refuses, for a
candidate still in process, twice, or with a reason that names them; nothing is written then."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import candidates, debrief, drafts, erasure, personal, scorecards
from scoring.errors import InvalidInput, NotAllowed
from scoring.integrity import verify
from scoring.matrix import full_scores
from scoring.privacy_key import PrivacyKeyProblem
from tests.world import DAY, build, dump, raw_sql

FEEDBACK = "Quetzalcoatl-feedback: Grace explained the bias-variance trade-off well"
EVIDENCE = "Xylophone-evidence: derived the estimator on the whiteboard"
RATIONALE = "Marmalade-rationale: strong, but the bar for this level is higher"
NAME, EMAIL = "Grace Hopper", "grace@example.com"
SECRETS = [NAME, EMAIL, FEEDBACK, EVIDENCE, RATIONALE, "Quetzalcoatl", "Xylophone", "Marmalade"]


def file_bytes(store) -> bytes:
    """Everything SQLite keeps on disk for the database: the file, its WAL and shared memory."""
    path = Path(store.path)
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def found_in_file(store) -> list[str]:
    data = file_bytes(store)
    return [s for s in SECRETS if s.encode() in data]


def decided(tmp_path, **kw):
    """The world's candidate (Grace Hopper) scored by the panel with telling texts, and decided
    no hire with a telling rationale."""
    w = build(tmp_path / "erase.sqlite", **kw)
    for who in ("ana", "bo", "cy"):
        criteria = full_scores(w.store, w.seats[who], 3)
        first = next(iter(criteria))
        criteria[first] = {**criteria[first], "evidence": EVIDENCE}
        scorecards.submit(
            w.store,
            w.person(who),
            w.seats[who],
            overall=2,
            feedback=FEEDBACK,
            criteria=criteria,
            now=DAY + timedelta(hours=6),
        )
    debrief.open_debrief(w.store, w.manager, w.candidate_id, now=DAY + timedelta(hours=7))
    debrief.record_decision(
        w.store, w.manager, w.candidate_id, "no_hire", RATIONALE, True, now=DAY + timedelta(hours=8)
    )
    return w


@pytest.mark.sqlite_only("scans the SQLite file's bytes")
def test_the_file_never_holds_the_cleartext_and_erasure_leaves_verify_passing(tmp_path):
    w = decided(tmp_path)
    erasure.scrub(w.store)  # whatever the WAL held is in the file now
    assert found_in_file(w.store) == []  # sealed from the start: the file holds ciphertext
    # ...which the service reads opened
    (card,) = scorecards.revisions(w.store, w.ana, w.seats["ana"])
    assert card.feedback == FEEDBACK
    assert candidates.get_candidate(w.store, w.coordinator, w.candidate_id).name == NAME
    history_before = dump(w.store)
    done = erasure.erase(w.store, w.coordinator, w.candidate_id, "their request by email, 3 Dec")
    assert done.legacy_texts == 0 and done.scrubbed
    assert "Erased candidate #" in done.summary()
    assert found_in_file(w.store) == []
    report = verify(w.store)
    assert report.ok, report.problems
    # the history rows are the very rows written: nothing in them changed
    assert [r for r in dump(w.store) if r.startswith(("scorecards", "decisions", "audit_log"))][
        :1
    ] == [r for r in history_before if r.startswith(("scorecards", "decisions", "audit_log"))][:1]
    # they are "Erased candidate #N" everywhere; the numbers stay
    seen = candidates.get_candidate(w.store, w.coordinator, w.candidate_id)
    assert seen.name == f"Erased candidate #{w.candidate_id}"
    (card,) = scorecards.revisions(w.store, w.ana, w.seats["ana"])
    assert card.overall == 2 and card.feedback == personal.ERASED_TEXT
    assert all(e.evidence in ("", personal.ERASED_TEXT) for e in card.criteria.values())
    view = debrief.read_debrief(w.store, w.manager, w.candidate_id)
    assert [(d.outcome, d.rationale) for d in view.decisions] == [("no_hire", personal.ERASED_TEXT)]


def test_erasure_is_audited_and_kept_and_never_twice(tmp_path):
    w = decided(tmp_path)
    erasure.erase(w.store, w.coordinator, w.candidate_id, "their request by email, 3 Dec")
    with w.store.read() as db:
        row = db.execute("SELECT * FROM erasures").fetchone()
        entry = db.execute(
            "SELECT detail FROM audit_log WHERE action = 'erase_candidate'"
        ).fetchone()
        assert not personal.has_key(db, w.candidate_id)
    assert row["basis"] == "request" and row["erased_by"] == w.coordinator.id
    assert "their request by email" in entry["detail"]
    with pytest.raises(InvalidInput, match="already erased"):
        erasure.erase(w.store, w.coordinator, w.candidate_id, "again")
    with pytest.raises(sqlite3.DatabaseError if w.store.engine == "sqlite" else Exception):
        raw_sql(w, "DELETE FROM erasures")  # history: an erasure is never undone


@pytest.mark.parametrize(
    "who, refusal",
    [
        ("ana", "Only a coordinator erases"),
        ("manager", "Only a coordinator erases"),
        ("member", "Only a coordinator erases"),
    ],
)
def test_only_a_coordinator_erases_and_a_refusal_writes_nothing(tmp_path, who, refusal):
    w = decided(tmp_path)
    before = dump(w.store)
    with pytest.raises(NotAllowed, match=refusal):
        erasure.erase(w.store, w.person(who), w.candidate_id, "because")
    assert dump(w.store) == before


def test_a_candidate_in_process_is_withdrawn_first(tmp_path):
    w = build(tmp_path / "in-process.sqlite")
    drafts.save_draft(
        w.store, w.ana, w.seats["ana"], {"overall": 3, "feedback": FEEDBACK, "criteria": {}}
    )
    before = dump(w.store)
    with pytest.raises(InvalidInput, match="still in process: withdraw them first"):
        erasure.erase(w.store, w.coordinator, w.candidate_id, "their request")
    assert dump(w.store) == before


def test_a_reason_that_names_the_candidate_or_spans_lines_is_refused(tmp_path):
    w = decided(tmp_path)
    before = dump(w.store)
    for reason, words in [
        ("Grace Hopper asked on 3 Dec", "names the candidate"),
        ("asked by GRACE@example.com", "names the candidate"),
        ("Hopper asked by email", "names the candidate"),  # one word of their name
        ("request from grace, by phone", "names the candidate"),
        ("", "say why"),
        ("asked\nby phone", "one line"),
        ("x" * 501, "at most 500"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            erasure.erase(w.store, w.coordinator, w.candidate_id, reason)
    assert dump(w.store) == before


def test_without_the_privacy_key_nothing_personal_is_read_or_written(tmp_path, monkeypatch):
    w = decided(tmp_path)
    monkeypatch.delenv("DEBRIEF_PRIVACY_KEY")
    with pytest.raises(PrivacyKeyProblem, match="privacy key is not set"):
        candidates.get_candidate(w.store, w.coordinator, w.candidate_id)
    monkeypatch.setenv("DEBRIEF_PRIVACY_KEY", "another key, long enough to be one, but wrong")
    with pytest.raises(PrivacyKeyProblem, match="is not the one"):
        candidates.get_candidate(w.store, w.coordinator, w.candidate_id)


def test_a_token_moved_to_another_candidate_does_not_open(tmp_path):
    """Someone with the file copies Grace's sealed feedback onto another candidate's row: it is
    bound to Grace and her kind of value, so it does not open as theirs."""
    w = decided(tmp_path)
    other = candidates.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    with w.store.read() as db:
        sealed = db.execute_stored("SELECT name FROM candidates WHERE id = ?", [w.candidate_id])
        token = sealed.fetchone()[0]
    assert personal.is_token(token) and NAME not in token
    moved = token.replace(f"pd1:{w.candidate_id}:", f"pd1:{other}:")
    raw_sql(w, "UPDATE candidates SET name = ? WHERE id = ?", moved, other)
    with pytest.raises(PrivacyKeyProblem, match="does not open"):
        candidates.get_candidate(w.store, w.coordinator, other)


def test_insights_count_an_erased_candidate_as_before(tmp_path):
    """Counts, scores and decisions still feed Insights: the hiring manager's whole Insights
    document and the coordinator's funnel are the same after the erasure as before it."""
    from scoring.insights.documents import full_document
    from scoring.insights.funnel import funnel

    w = decided(tmp_path)
    before = full_document(w.store, w.manager, [w.opening_id])
    at = DAY + timedelta(days=1)
    flow = funnel(w.store, w.coordinator, w.opening_id, now=at).to_json()
    assert before["candidates"] == 1 and before["decided"] == 1
    erasure.erase(w.store, w.coordinator, w.candidate_id, "their request by email, 3 Dec")
    assert full_document(w.store, w.manager, [w.opening_id]) == before
    assert funnel(w.store, w.coordinator, w.opening_id, now=at).to_json() == flow


def test_an_erased_take_home_candidates_record_still_reads(tmp_path):
    """Their take-home events' details were sealed JSON: once erased they read as nothing, and
    the candidate's record (Candidates) and the take-home view show them without the details."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from take_home_world import SENT_AT, build_take_home

    from scoring import candidate_record, schedule_changes, take_homes

    t = build_take_home(tmp_path / "take-home.sqlite")
    take_homes.send_take_home(
        t.store,
        t.w.coordinator,
        t.candidate_id,
        "https://assignments.example.com/churn-2026",
        now=SENT_AT,
    )
    take_homes.record_submission(
        t.store, t.w.coordinator, t.candidate_id, "answer-7.zip", now=SENT_AT + timedelta(days=2)
    )
    schedule_changes.withdraw_candidate(
        t.store, t.w.coordinator, t.candidate_id, "took another offer", now=SENT_AT + timedelta(3)
    )
    erasure.erase(t.store, t.w.coordinator, t.candidate_id, "their request, 3 Dec")
    record = candidate_record.candidate_record(t.store, t.w.coordinator, t.candidate_id)
    assert record is not None
    view = take_homes.take_home(t.store, t.w.coordinator, t.candidate_id)
    assert view is not None


def test_a_coordinator_who_reviews_a_screen_exports_nothing_before_their_review(tmp_path):
    """The export holds every review of the candidate's screens: a coordinator given one to
    review (blind) is refused until theirs is in, with the funnel's words, and nothing is
    written."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from take_home_world import SENT_AT, build_take_home, review

    from scoring import people, stage_reviews, subject_access, take_homes

    t = build_take_home(tmp_path / "coordinator-reviews.sqlite")
    both = people.update_person(
        t.store, t.w.coordinator, t.w.coordinator.id, roles=["coordinator", "interviewer"]
    )
    take_homes.send_take_home(
        t.store, both, t.candidate_id, "https://assignments.example.com/churn-2026", now=SENT_AT
    )
    take_homes.record_submission(
        t.store, both, t.candidate_id, "answer-7.zip", now=SENT_AT + timedelta(days=2)
    )
    stage_reviews.assign_reviewer(t.store, both, t.candidate_id, 1, both.id)
    review(t, 3, "Ana's notes: the pipeline leaks the test set")
    before = dump(t.store)
    with pytest.raises(NotAllowed, match="Submit your own review of this candidate first"):
        subject_access.subject_access(t.store, both, t.candidate_id)
    assert dump(t.store) == before


@pytest.mark.tampered
@pytest.mark.sqlite_only("deletes a row with the sqlite3 shell's means")
def test_a_data_key_deleted_behind_debriefs_back_is_named_not_read_as_erased(tmp_path):
    w = decided(tmp_path)
    raw_sql(w, "DELETE FROM candidate_keys WHERE candidate_id = ?", w.candidate_id)
    with pytest.raises(PrivacyKeyProblem, match="never erased"):
        candidates.get_candidate(w.store, w.coordinator, w.candidate_id)
    report = verify(w.store)
    assert f"candidates id {w.candidate_id}: their data key is missing" in " ".join(report.problems)


@pytest.mark.tampered
@pytest.mark.sqlite_only("forges a row with the sqlite3 shell's means")
def test_an_erasure_no_audit_entry_wrote_is_named(tmp_path):
    w = decided(tmp_path)
    raw_sql(
        w,
        "INSERT INTO erasures (candidate_id, erased_at, erased_by, basis, reason)"
        " VALUES (?, '2026-12-01T00:00:00+00:00', NULL, 'request', 'forged')",
        w.candidate_id,
    )
    report = verify(w.store)
    assert f"erasures candidate_id {w.candidate_id}: no audit entry wrote it" in report.problems


@pytest.mark.sqlite_only("the key file beside a SQLite database")
def test_a_missing_key_file_is_never_quietly_replaced(tmp_path, monkeypatch):
    """Without $DEBRIEF_PRIVACY_KEY the first write makes the key file; once data keys are
    wrapped under it, a missing file stops every write that needs it (a new file would split the
    candidates in two), and a wrong key set is refused for new candidates too."""
    monkeypatch.delenv("DEBRIEF_PRIVACY_KEY")
    w = build(tmp_path / "own-key.sqlite")  # built afresh: its own key file
    key_file = Path(f"{w.store.path}.privacy-key")
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    key_file.rename(tmp_path / "moved-away")
    before = dump(w.store)
    with pytest.raises(PrivacyKeyProblem, match="privacy key is missing"):
        candidates.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    assert not key_file.exists() and dump(w.store) == before
    monkeypatch.setenv("DEBRIEF_PRIVACY_KEY", "a wrong key, long enough to be one, on one host")
    with pytest.raises(PrivacyKeyProblem, match="is not the one"):
        candidates.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    assert dump(w.store) == before
