"""The one scale module: positions, strong scores, forcing and normalisation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.scale import Position, Scale, ScaleError


@st.composite
def scale_and_score(draw):
    lo = draw(st.integers(-20, 20))
    hi = draw(st.integers(lo + 1, lo + 30))
    return Scale(lo, hi), draw(st.integers(lo, hi))


@given(scale_and_score())
def test_forcing_lands_on_an_extreme(case):
    scale, score = case
    assert scale.force(score) in (scale.min, scale.max)


@given(scale_and_score())
def test_forcing_is_idempotent(case):
    scale, score = case
    assert scale.force(scale.force(score)) == scale.force(score)


@given(scale_and_score())
def test_forcing_never_turns_yes_into_no(case):
    scale, score = case
    before, after = scale.position(score), scale.position(scale.force(score))
    if before is Position.YES:
        assert after is Position.YES
    if before is Position.NO:
        assert after is Position.NO
    if before is Position.UNDECIDED:  # "if this is a weak no, then I'm a zero"
        assert scale.force(score) == scale.min


@given(scale_and_score())
def test_normalisation_stays_in_unit_interval(case):
    scale, score = case
    assert 0.0 <= scale.normalise(score) <= 1.0
    assert scale.normalise(scale.min) == 0.0
    assert scale.normalise(scale.max) == 1.0


@given(scale_and_score(), st.data())
def test_normalisation_is_monotone(case, data):
    scale, score = case
    other = data.draw(st.integers(scale.min, scale.max))
    if score < other:
        assert scale.normalise(score) < scale.normalise(other)


@given(scale_and_score())
def test_position_matches_midpoint(case):
    scale, score = case
    expected = (
        Position.YES
        if score > scale.midpoint
        else Position.NO
        if score < scale.midpoint
        else Position.UNDECIDED
    )
    assert scale.position(score) == expected
    assert scale.is_strong(score) == (score in (scale.min, scale.max))


def test_default_overall_scale_has_no_undecided_point():
    scale = Scale(0, 5)
    assert [scale.position(s).value for s in scale.points] == [
        "no",
        "no",
        "no",
        "yes",
        "yes",
        "yes",
    ]
    assert [scale.force(s) for s in scale.points] == [0, 0, 0, 5, 5, 5]


def test_odd_scale_middle_is_undecided_and_forces_to_min():
    scale = Scale(1, 5)
    assert scale.position(3) is Position.UNDECIDED
    assert scale.force(3) == 1
    assert scale.effective(3, forced=False) == 3


@pytest.mark.parametrize("lo, hi", [(3, 3), (5, 0), (0.5, 4), (True, 4)])
def test_impossible_scales_are_refused(lo, hi):
    with pytest.raises(ScaleError):
        Scale(lo, hi)


@pytest.mark.parametrize("score", [-1, 6, 2.5, True])
def test_scores_off_the_scale_are_refused(score):
    with pytest.raises(ScaleError, match=r"outside the scale 0\.\.5"):
        Scale(0, 5).position(score)
