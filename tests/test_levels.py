"""Levels (issue 27, L1385, L2019-2023): an opening's level selects its loop (a loop made for
some levels refuses another), its thresholds (a stage's or a rubric's bar per level) and the
anchors its scorers read (a criterion's per-level anchors over the general ones). Rubrics
without any of this keep their stored hash."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scoring import openings, stages
from scoring.errors import InvalidInput
from scoring.rubric import Catalog, Rubric, content_hash
from tests.funnel_world import funnel_loop
from tests.world import CATALOG, build


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "levels.sqlite")


def _rubric(**changes) -> Rubric:
    data = CATALOG.rubrics["resume-screen"].model_dump(mode="json")
    return Rubric.model_validate({**data, **changes})


def _create(w, loop, catalog=CATALOG, level=""):
    return openings.create_opening(
        w.store,
        w.coordinator,
        title="Levelled",
        role="Data scientist",
        loop=loop,
        catalog=catalog,
        hiring_manager_id=w.manager.id,
        strategy={"kind": "manager"},
        level=level,
        stage_reviewers={1: [w.ana.id]},
    )


def test_a_loop_made_for_some_levels_refuses_another(w):
    loop = funnel_loop().model_copy(update={"levels": ["Senior", "Staff"]})
    with pytest.raises(InvalidInput, match=r"level: the loop .* is for Senior, Staff"):
        _create(w, loop, level="Junior")
    assert _create(w, loop, level="senior").level == "senior"  # case aside


def test_a_rubrics_bar_per_level_is_the_screens_threshold(w):
    rubric = _rubric(bars={"default": 0.4, "Senior": 0.7})
    catalog = Catalog(rubrics={**CATALOG.rubrics, "resume-screen": rubric}, loops=CATALOG.loops)
    stages_without_bar = [{"kind": "screen", "rubric": "resume-screen"}, {"kind": "loop"}]
    loop = funnel_loop(stages_without_bar)
    senior = _create(w, loop, catalog, level="Senior")
    other = _create(w, loop, catalog, level="Mid")
    with w.store.read() as db:
        assert stages.process(db, senior.id)[0].bar == 0.7
        assert stages.process(db, other.id)[0].bar == 0.4
    # a stage's own bar wins over the rubric's
    own = _create(w, funnel_loop([{**stages_without_bar[0], "bar": 0.55}, {"kind": "loop"}]))
    with w.store.read() as db:
        assert stages.process(db, own.id)[0].bar == 0.55


def test_per_level_anchors_replace_the_points_they_name():
    rubric = _rubric(
        criteria=[
            {
                **CATALOG.rubrics["resume-screen"].criteria[0].model_dump(mode="json"),
                "level_anchors": {"Senior": {3: "Led the work, with the method and the result."}},
            },
            *[c.model_dump(mode="json") for c in CATALOG.rubrics["resume-screen"].criteria[1:]],
        ]
    )
    criterion = rubric.criteria[0]
    general = CATALOG.rubrics["resume-screen"].criteria[0].anchors
    assert criterion.anchors_for("senior")[3].startswith("Led the work")
    assert criterion.anchors_for("senior")[2] == general[2]
    assert criterion.anchors_for("Junior") == general


def test_a_level_anchor_off_the_scale_or_a_bar_above_1_is_refused():
    criterion = CATALOG.rubrics["resume-screen"].criteria[0].model_dump(mode="json")
    with pytest.raises(ValidationError, match=r"level_anchors\.Senior: no point 9"):
        _rubric(criteria=[{**criterion, "level_anchors": {"Senior": {9: "off the scale"}}}])
    with pytest.raises(ValidationError, match="between 0 and 1"):
        _rubric(bars={"Senior": 1.5})


def test_rubrics_without_levels_hash_as_before():
    for rubric in CATALOG.rubrics.values():
        dumped = rubric.model_dump(mode="json")
        assert "bars" not in dumped and "level_anchors" not in str(dumped)
        assert content_hash(Rubric.model_validate(dumped)) == rubric.content_hash
