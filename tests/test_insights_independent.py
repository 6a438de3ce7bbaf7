"""Insights read independent judgements (issue 23): agreement, the scale use and calibration
read each seat's latest scorecard written without seeing the others' scores; a correction made
after the reveal is counted apart, with the way it moved. On a real SQLite file through the
service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scoring import debrief, insights, openings, scorecards
from scoring.insights import after_reveal
from scoring.matrix import full_scores
from world import DAY, build

CODING = 3  # the loop's coding session: Ana and Bo score it together


def pair(w, i: int, ana: int, bo: int) -> dict[str, int]:
    """Candidate `i`, their coding session scored by Ana (`ana`: overall and every criterion)
    and Bo (`bo`), the debrief opened; returns the seats by name."""
    start = DAY + timedelta(days=i + 1, hours=1)
    candidate_id = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"Pair {i}")
    session = openings.schedule_session(
        w.store, w.coordinator, candidate_id, CODING, start, [w.ana.id, w.bo.id],
        now=start - timedelta(days=1),
    )  # fmt: skip
    with w.store.read() as db:
        by_person = {
            r["interviewer_id"]: r["id"]
            for r in db.execute(
                "SELECT id, interviewer_id FROM assignments WHERE session_id = ?", [session]
            )
        }
    seats = {"ana": by_person[w.ana.id], "bo": by_person[w.bo.id]}
    for who, level in (("ana", ana), ("bo", bo)):
        scorecards.submit(
            w.store, w.person(who), seats[who], overall=level, feedback="seen",
            criteria=full_scores(w.store, seats[who], level), now=start + timedelta(hours=3),
        )  # fmt: skip
    debrief.open_debrief(w.store, w.manager, candidate_id, now=start + timedelta(hours=4))
    return seats


def correct(w, who: str, seat: int, level: int, i: int) -> None:
    """`who` corrects their scorecard after the debrief opened (they can see the other's)."""
    scorecards.revise(
        w.store, w.person(who), seat, reason="after the debrief", overall=level,
        feedback="changed my mind", criteria=full_scores(w.store, seat, level),
        now=DAY + timedelta(days=i + 1, hours=6),
    )  # fmt: skip


def alphas(w) -> dict[str, float]:
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    return dict(zip(view.reliability["criterion_id"], view.reliability["alpha"], strict=True))


@pytest.mark.parametrize("toward", [True, False], ids=["toward the other", "away"])
def test_a_correction_after_the_reveal_does_not_change_agreement(tmp_path, toward):
    w = build(tmp_path / "pairs.sqlite")
    # Four pairs, Ana and Bo apart by a point on each (alpha below 1), then Ana corrects her
    # first to Bo's score (toward) or two points further off (away), having seen Bo's.
    levels = [(2, 1), (3, 2), (4, 3), (1, 2)]
    seats = [pair(w, i, a, b) for i, (a, b) in enumerate(levels)]
    before = alphas(w)
    card = scorecards.revisions(w.store, w.ana, seats[0]["ana"])
    assert not card[-1].saw_others  # the first was written blind
    correct(w, "ana", seats[0]["ana"], 1 if toward else 4, 0)
    with w.store.read() as db:
        saw = db.execute(
            "SELECT saw_others FROM scorecards WHERE assignment_id = ? AND revision = 2",
            [seats[0]["ana"]],
        ).fetchone()[0]
    assert saw == 1
    after = alphas(w)
    # the correction is not an independent judgement
    assert after == pytest.approx(before, nan_ok=True)
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    (row,) = view.corrections.to_dict("records")
    assert (row["scorecards"], row["corrected"]) == (8, 1)
    assert (row["toward"], row["away"]) == ((1, 0) if toward else (0, 1))
    assert (row["down"], row["up"]) == ((1, 0) if toward else (0, 1))
    ana = view.calibration.set_index("interviewer")["corrections"]
    assert ana["Ana Alvarez"] == 1 and ana["Bo Berg"] == 0
    words = after_reveal.sentence(view.corrections)
    assert words.startswith("1 of 8 scorecards was corrected after its author saw the")
    assert (
        "toward the rest of the panel" if toward else "away from the rest of the panel"
    ) in words


def test_perfect_agreement_stays_perfect_when_one_corrects_away_after_the_reveal(tmp_path):
    w = build(tmp_path / "perfect.sqlite")
    seats = [pair(w, i, lv, lv) for i, lv in enumerate((1, 2, 3, 4))]
    measured = {k: v for k, v in alphas(w).items() if v == v}  # a yes/no criterion: all the same
    assert len(measured) >= 3 and set(measured.values()) == {1.0}
    correct(w, "bo", seats[2]["bo"], 1, 2)
    assert {k: v for k, v in alphas(w).items() if v == v} == measured
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    # scales and calibration read the independent scorecards too: Bo's 3 counts, not his 1
    assert view.overall_points.set_index("point")["count"].to_dict()[1] == 2
    assert (view.calibration["raw_offset"].abs() < 1e-9).all()
    # the decisions are made on the panel as it stands: the engine reads Bo's correction
    with w.store.read() as db:
        everyone = [r[0] for r in db.execute("SELECT id FROM candidates")]
        cards, _ = insights.latest_scorecards(db, everyone)
    assert 1 in set(cards[cards["assignment_id"] == seats[2]["bo"]]["overall"])


@pytest.mark.sqlite_only("forges the SQLite file behind its triggers (test_schema_pg: PostgreSQL)")
@pytest.mark.tampered
def test_a_seat_written_only_after_the_reveal_is_left_out_and_counted(tmp_path):
    from world import raw_sql

    w = build(tmp_path / "after.sqlite")
    seats = [pair(w, i, lv, lv) for i, lv in enumerate((1, 2, 3, 4))]
    # A first revision written after the others' scores were visible: the service never
    # writes one today (one's own scorecard comes first), but a history may hold one (a rule
    # that showed scores earlier); the sqlite3 shell writes it past the append-only guard.
    raw_sql(w, "DROP TRIGGER scorecards_append_only_update")
    raw_sql(w, "UPDATE scorecards SET saw_others = 1 WHERE assignment_id = ?", seats[0]["bo"])
    view = insights.opening_insights(w.store, w.manager, [w.opening_id])
    assert view.after_only == 1
    assert int(view.reliability["candidates"].max()) == 3  # candidate 0 has no pair left
    (row,) = view.corrections.to_dict("records")
    assert (row["scorecards"], row["after_only"], row["corrected"]) == (8, 1, 0)
    assert "1 more scorecard was first written after seeing" in after_reveal.sentence(
        view.corrections
    )
