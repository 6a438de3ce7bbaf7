"""The tables behind the debrief's charts: criterion scores and where interviewers differ, in
points of each criterion's scale, on the points they wrote (never on forced ones)."""

from datetime import timedelta

from scoring import analysis, openings, scorecards
from scoring.scale import Scale
from world import DAY, build, full_scores


def paired(tmp_path):
    """Ana and Bo both interview Grace in the coding session (a pair)."""
    w = build(tmp_path / "pair.sqlite")
    second = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan Turing")
    session = openings.schedule_session(
        w.store, w.coordinator, second, 3, DAY + timedelta(days=1), [w.ana.id, w.bo.id]
    )
    with w.store.read() as db:
        seats = dict(
            db.execute(
                "SELECT interviewer_id, id FROM assignments WHERE session_id = ?", [session]
            ).fetchall()
        )
    return w, second, seats


def test_spread_calls_out_a_gap_of_half_the_scale(tmp_path):
    w, candidate, seats = paired(tmp_path)
    for person, level in ((w.ana, 4), (w.bo, 1)):
        criteria = full_scores(w.store, seats[person.id], level)
        criteria["efficiency"] = {"score": None}  # not assessed: left out, not a low score
        criteria["runs-without-error"] = {"score": 1 if level == 4 else 0}
        scorecards.submit(
            w.store,
            person,
            seats[person.id],
            overall=3,
            feedback="ok",
            criteria=criteria,
            now=DAY + timedelta(days=1, hours=3),
        )
    cards = scorecards.panel(w.store, w.ana, candidate)
    rubrics = {c.rubric_hash: openings.rubric(w.store, c.rubric_hash) for c in cards}
    frame = analysis.criterion_frame(cards, rubrics, [c.interviewer_name for c in cards])
    assert frame["normalised"].isna().sum() == 2  # efficiency, twice
    table = analysis.spread(frame)
    assert "efficiency" not in set(table["criterion_id"])
    legible = table[table["criterion_id"] == "legibility"].iloc[0]
    assert (legible["lowest"], legible["highest"], legible["gap"]) == (1, 4, 3)
    assert legible["discuss"] and legible["apart"] == "3 points apart on a 1–4 scale"
    binary = table[table["criterion_id"] == "runs-without-error"].iloc[0]
    assert binary["gap"] == 1 and binary["discuss"]  # no vs yes is the whole scale
    assert binary["apart"] == "no and yes"
    assert list(table["criterion_id"]) == [  # rubric order: rows line up with the grid
        c for c in frame["criterion_id"].drop_duplicates() if c in set(table["criterion_id"])
    ]


def test_differences_are_on_the_points_written_even_when_forcing(tmp_path):
    """2 vs 3 on 1..4 is one point apart, whatever forcing does to them: by the book's default a
    weak no (2) goes to 1 and a weak yes (3) stays; the every-extreme preset makes it 1 vs 4."""
    w, candidate, seats = paired(tmp_path)
    for person, level in ((w.ana, 2), (w.bo, 3)):
        scorecards.submit(
            w.store,
            person,
            seats[person.id],
            overall=3,
            feedback="ok",
            criteria=full_scores(w.store, seats[person.id], level),
            now=DAY + timedelta(days=1, hours=3),
        )
    cards = scorecards.panel(w.store, w.ana, candidate)
    rubrics = {c.rubric_hash: openings.rubric(w.store, c.rubric_hash) for c in cards}
    forced = analysis.criterion_frame(cards, rubrics, ["Ana", "Bo"], forced=True)
    assert set(forced.loc[forced["kind"] == "scale", "effective"].dropna()) == {1, 3}
    opening = openings.get_opening(w.store, w.coordinator, w.opening_id)
    overall = Scale(opening.scale.min, opening.scale.max)
    extremes = analysis.criterion_frame(
        cards,
        rubrics,
        ["Ana", "Bo"],
        forced=True,
        overall=overall,
        force_map=overall.preset_map("all_extremes"),
    )
    assert set(extremes.loc[extremes["kind"] == "scale", "effective"].dropna()) == {1, 4}
    legible = analysis.spread(forced).set_index("criterion_id").loc["legibility"]
    assert (legible["lowest"], legible["highest"], legible["gap"]) == (2, 3, 1)
    assert legible["apart"] == "1 point apart on a 1–4 scale" and not legible["discuss"]


def test_the_same_points_are_no_difference(tmp_path):
    w, candidate, seats = paired(tmp_path)
    for person in (w.ana, w.bo):
        scorecards.submit(
            w.store,
            person,
            seats[person.id],
            overall=4,
            feedback="ok",
            criteria=full_scores(w.store, seats[person.id], 3),
            now=DAY + timedelta(days=1, hours=3),
        )
    cards = scorecards.panel(w.store, w.ana, candidate)
    rubrics = {c.rubric_hash: openings.rubric(w.store, c.rubric_hash) for c in cards}
    table = analysis.spread(analysis.criterion_frame(cards, rubrics, ["Ana", "Bo"]))
    assert not table["discuss"].any() and set(table["gap"]) == {0}
    assert set(table["apart"]) <= {"all at the same point", "all the same"}


def test_no_spread_when_every_criterion_has_one_rater(tmp_path):
    w = build(tmp_path / "solo.sqlite")
    card = scorecards.submit(
        w.store,
        w.cy,
        w.seats["cy"],
        overall=4,
        feedback="ok",
        criteria=full_scores(w.store, w.seats["cy"]),
        now=DAY + timedelta(hours=5),
    )
    rubrics = {card.rubric_hash: openings.rubric(w.store, card.rubric_hash)}
    table = analysis.spread(analysis.criterion_frame([card], rubrics, ["Cy"]))
    assert table.empty
