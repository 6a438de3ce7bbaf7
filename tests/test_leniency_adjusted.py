"""The debrief's second reading (issue 23, point 1): the panel with each interviewer's measured
leniency taken out, beside the raw reading and never instead of it, for whoever may see the
opening's score figures only."""

from __future__ import annotations

import pytest
from paired_history import add_paired
from test_debrief_page import make, open_page, text

from scoring import debrief, uncertainty
from scoring.adjusted import Lenience, reading
from scoring.scale import Scale
from world import submit

SCALE = Scale(0, 5)


def test_each_overall_loses_its_interviewers_leniency_in_points():
    found = {
        1: Lenience(0.2, 0.1, 0.3, 12),  # a point higher than the average interviewer on 0..5
        2: Lenience(-0.1, -0.2, 0.0, 15),
        3: Lenience(0.4, 0.2, 0.6, 4),  # too few shared candidates: counted as written
    }
    r = reading([(1, 3), (2, 2), (3, 3)], found, SCALE)
    assert r.raw_mean == pytest.approx(8 / 3)
    assert r.adjusted_mean == pytest.approx((2 + 2.5 + 3) / 3)
    assert r.raw_counts == (2, 1, 0)
    assert r.adjusted_counts == (1, 1, 1)  # 3 - 1 = 2 (no), 2 + 0.5 = 2.5 (the midpoint)
    assert (r.adjusted, r.scorecards) == (2, 3) and r.largest == pytest.approx(1.0)
    assert r.changes_side
    assert r.line == (
        "Leniency-adjusted: mean overall 2.5 of 5 (as written 2.7) · 1 yes, 1 no, 1 undecided"
        " (as written 2 yes, 1 no)"
    )
    assert "2 of 3 overall recommendations" in r.caveat and "The other one counts" in r.caveat
    assert "not the decision" in r.caveat


def test_an_adjustment_stays_on_the_scale_and_nobody_unknown_is_adjusted():
    r = reading([(1, 5), (9, 0)], {1: Lenience(-0.4, -0.5, -0.3, 30)}, SCALE)
    assert r.adjusted_mean == pytest.approx(2.5)  # 5 + 2 clipped to 5; the 0 as written
    assert r.adjusted == 1 and not r.changes_side
    none = reading([(1, 4)], {}, SCALE)
    assert none.adjusted == 0 and "nothing is adjusted" in none.caveat


def test_no_reading_without_leniency_or_scorecards():
    assert reading([(1, 3)], None, SCALE) is None
    assert reading([], {}, SCALE) is None


def lenient_world(tmp_path, monkeypatch):
    """21 past candidates on which Ana writes 4 and Bo 2 on the same sessions, then Grace's
    panel: Ana 3, Bo 3, Cy 2."""
    uncertainty._KEPT.clear()
    world = make(tmp_path, monkeypatch, strategy={"kind": "committee", "bar": 0.6, "quorum": 1})
    add_paired(world, 21, overalls=(4, 2))
    for who, overall in (("ana", 3), ("bo", 3), ("cy", 2)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    return world


def test_the_hiring_manager_reads_the_panel_without_ana_and_bos_leniency(tmp_path, monkeypatch):
    world = lenient_world(tmp_path, monkeypatch)
    view = debrief.debrief(world.store, world.manager, world.candidate_id)
    r = view.leniency_adjusted
    # Ana scores two points above Bo on the same candidates: a point above the average of the
    # two, a little less once shrunk. Cy shares no candidate: counted as written.
    assert r.adjusted == 2 and r.scorecards == 3
    assert 0.7 < r.largest <= 1.0
    # Ana's 3 reads as about 2 (a no), Bo's 3 as about 4: the panel leaned hire as written and
    # leans no hire once leniency is out; the page says it is worth raising.
    assert r.raw_counts == (2, 1, 0) and r.adjusted_counts == (1, 2, 0) and r.changes_side
    assert r.adjusted_mean == pytest.approx(r.raw_mean, abs=0.05)  # Ana down, Bo up: cancels
    # the page shows it beside the raw reading, never instead of it
    at = open_page(world)
    shown = text(at)
    assert r.line in shown and r.caveat in shown
    assert any("leans differently" in i.value for i in at.info)
    assert view.score_interval.line in shown
    assert next(m for m in at.metric if m.label == "Weighted score")
