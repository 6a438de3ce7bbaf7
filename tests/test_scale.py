"""The one scale module: positions, strong scores, forcing and normalisation."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.scale import (
    FORCE_PRESETS,
    ForceMapError,
    Position,
    Scale,
    ScaleError,
    criterion_force_map,
)


@st.composite
def scale_and_score(draw):
    lo = draw(st.integers(-20, 20))
    hi = draw(st.integers(lo + 1, lo + 30))
    return Scale(lo, hi), draw(st.integers(lo, hi))


PRESETS = st.sampled_from(FORCE_PRESETS)


@given(scale_and_score())
def test_every_extreme_preset_lands_on_an_extreme(case):
    scale, score = case
    assert scale.force(score, scale.preset_map("all_extremes")) in (scale.min, scale.max)
    assert scale.force(score, scale.preset_map("only_top_is_yes")) in (scale.min, scale.max)


@given(scale_and_score())
def test_the_default_sends_a_weak_no_to_the_bottom_and_leaves_a_yes_as_written(case):
    """The book (L907-911): "if this is a weak no, then I'm a zero"; nothing about a weak yes."""
    scale, score = case
    if scale.position(score) is Position.YES:
        assert scale.force(score) == score
    else:  # a no, or undecided (which counts as no)
        assert scale.force(score) == scale.min
    assert scale.force(score) == scale.force(score, scale.preset_map())


@given(scale_and_score(), PRESETS)
def test_forcing_is_idempotent(case, preset):
    scale, score = case
    force_map = scale.preset_map(preset)
    once = scale.force(score, force_map)
    assert scale.force(once, force_map) == once


@given(scale_and_score(), PRESETS)
def test_forcing_never_turns_a_no_or_undecided_into_a_yes(case, preset):
    scale, score = case
    after = scale.position(scale.force(score, scale.preset_map(preset)))
    if scale.position(score) is not Position.YES:
        assert after is not Position.YES
    assert scale.check_force_map(scale.preset_map(preset)) == scale.preset_map(preset)


@given(scale_and_score(), PRESETS)
def test_forcing_keeps_the_extremes_and_names_its_preset(case, preset):
    scale, _ = case
    force_map = scale.preset_map(preset)
    assert (force_map[scale.min], force_map[scale.max]) == (scale.min, scale.max)
    named = scale.preset_of(force_map)
    assert scale.preset_map(named) == force_map  # presets that coincide on a tiny scale


def test_presets_on_the_default_scale():
    scale = Scale(0, 5)
    assert [scale.force(p) for p in scale.points] == [0, 0, 0, 3, 4, 5]
    assert list(scale.preset_map("all_extremes").values()) == [0, 0, 0, 5, 5, 5]
    assert list(scale.preset_map("only_top_is_yes").values()) == [0, 0, 0, 0, 0, 5]
    assert scale.preset_of(None) == "weak_no_to_min"
    assert scale.preset_of({3: 5, 4: 5, 1: 0, 2: 0}) == "all_extremes"
    assert scale.preset_of({1: 0}) == "custom"  # 2 is left as written
    assert scale.resolve_map({4: 5}) == {0: 0, 1: 1, 2: 2, 3: 3, 4: 5, 5: 5}


@pytest.mark.parametrize(
    "force_map, point, words",
    [
        ({7: 5}, 7, "7 is not a point of the scale 0..5"),
        ({4: 9}, 4, "not a point of the scale"),
        ({2: 4}, 2, "2 is a no and may not be forced to a yes (4)"),
        ({0: 1}, 0, "the lowest score stays 0"),
        ({5: 4}, 5, "the highest score stays 5"),
    ],
)
def test_a_force_map_that_breaks_a_rule_names_its_point(force_map, point, words):
    with pytest.raises(ForceMapError, match=re.escape(words)) as raised:
        Scale(0, 5).check_force_map(force_map)
    assert raised.value.point == point


def test_an_undecided_score_may_not_be_forced_to_a_yes():
    with pytest.raises(ForceMapError, match="3 is undecided and may not be forced to a yes"):
        Scale(1, 5).check_force_map({3: 4})


def test_an_unknown_preset_is_refused():
    with pytest.raises(ScaleError, match="unknown forcing preset"):
        Scale(0, 5).preset_map("always_hire")


def test_criteria_are_forced_by_the_same_preset_on_their_own_scale():
    overall, criterion = Scale(0, 5), Scale(1, 4)
    assert criterion_force_map(overall, None, criterion) == {1: 1, 2: 1, 3: 3, 4: 4}
    every = overall.preset_map("all_extremes")
    assert criterion_force_map(overall, every, criterion) == {1: 1, 2: 1, 3: 4, 4: 4}
    # a custom map names overall points only: the same scale takes it, another the default
    assert criterion_force_map(overall, {4: 5}, Scale(0, 5))[4] == 5
    assert criterion_force_map(overall, {4: 5}, criterion) == {1: 1, 2: 1, 3: 3, 4: 4}


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
    assert [scale.force(s) for s in scale.points] == [0, 0, 0, 3, 4, 5]


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
