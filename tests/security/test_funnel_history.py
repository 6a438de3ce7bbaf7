"""The funnel's history proves itself like the day's (issue 27): a stage outcome or a stage
review written behind the service has no audit entry, and one changed behind the triggers no
longer matches the digest its entry signed; `verify` names the row either way and is clean on a
funnel worked through the service."""

from __future__ import annotations

import io

import pytest

from scoring import cli, openings
from tests.funnel_world import funnel_opening, review, seats_of
from tests.world import build, raw_sql


@pytest.fixture
def screened(tmp_path):
    w = build(tmp_path / "funnel-history.sqlite")
    opening_id = funnel_opening(w, reviewers={1: [w.ana.id, w.bo.id], 2: [w.cy.id]})
    w.candidates = [
        openings.add_candidate(w.store, w.coordinator, opening_id, name)
        for name in ("Ada Lovelace", "Alan Turing")
    ]
    review(w, w.ana, seats_of(w, w.candidates[0], 1)[0]["id"], level=4, overall=4)
    review(w, w.bo, seats_of(w, w.candidates[1], 1)[0]["id"], level=1, overall=1)
    return w


def run_verify(w) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["verify", "--db", w.store.location], out, err)
    return code, out.getvalue() + err.getvalue()


def test_verify_is_clean_on_a_funnel_worked_through_the_service(screened):
    code, said = run_verify(screened)
    assert code == 0, said


@pytest.mark.tampered
def test_a_stage_outcome_written_behind_the_service_is_named(screened):
    rejected = screened.candidates[1]
    raw_sql(
        screened,
        "INSERT INTO stage_outcomes (candidate_id, position, outcome, decided_by, decided_at,"
        " reason, provisional) VALUES (?, 1, 'advance', NULL, '2026-11-01T09:00:00Z', 'x', 0)",
        rejected,
    )
    code, said = run_verify(screened)
    assert code == 1
    assert "stage_outcomes id 3: no audit entry wrote it" in said


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_a_stage_review_changed_behind_the_triggers_is_named(screened):
    raw_sql(screened, "DROP TRIGGER stage_reviews_append_only_update")
    raw_sql(screened, "UPDATE stage_reviews SET overall = 5, weighted = 1.0 WHERE id = 2")
    code, said = run_verify(screened)
    assert code == 1
    assert "stage_reviews id 2: changed since it was written" in said
