"""Rubric and loop files: the shipped content, the loader's errors, the content hash."""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from scoring.rubric import Rubric, load_catalog

ROOT = Path(__file__).resolve().parent.parent
BOOK_CITATION = re.compile(r"L\d{2,4}")


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(ROOT / "rubrics")


def test_shipped_rubrics_and_loops_all_load(shipped):
    assert shipped.problems == []
    assert shipped.held_back == {}
    for rubric_id in (
        "hm-phone-screen",
        "presentation",
        "ds-technical",
        "coding",
        "stakeholders",
        "take-home-review",
        "resume-screen",
    ):
        assert rubric_id in shipped.rubrics
    assert {"ds-generalist-onsite", "ml-engineer-onsite", "data-analyst-onsite"} <= set(
        shipped.loops
    )


def test_every_shipped_file_cites_the_book(shipped):
    for item in [*shipped.rubrics.values(), *shipped.loops.values()]:
        assert any(BOOK_CITATION.match(c) for c in item.sources), f"{item.id} cites no line"


def test_every_scale_point_has_a_distinct_anchor(shipped):
    for rubric in shipped.rubrics.values():
        for criterion in rubric.criteria:
            points = list(criterion.scale.points)
            assert sorted(criterion.anchors) == points, (rubric.id, criterion.id)
            texts = [criterion.anchors[p].strip() for p in points]
            assert len(set(texts)) == len(texts), f"{rubric.id}/{criterion.id}: repeated anchor"


def test_generalist_loop_is_the_books_on_site_day(shipped):
    # L2958-2964: presentation 30, DS technical questions 30, coding 60, stakeholders 30
    loop = shipped.loops["ds-generalist-onsite"]
    assert [(s.rubric, s.minutes) for s in loop.sessions] == [
        ("presentation", 30),
        ("ds-technical", 30),
        ("coding", 60),
        ("stakeholders", 30),
    ]
    assert loop.overall_scale.labels[0] == "Strong no"
    assert loop.overall_scale.labels[5] == "Strong yes"


def _break(folder: Path):
    """A weight of 0, a missing anchor and invalid YAML, each in a different file."""
    coding = yaml.safe_load((folder / "coding.yaml").read_text())
    coding["criteria"][1]["weight"] = 0
    (folder / "coding.yaml").write_text(yaml.safe_dump(coding))
    presentation = yaml.safe_load((folder / "presentation.yaml").read_text())
    del presentation["criteria"][0]["anchors"][3]
    (folder / "presentation.yaml").write_text(yaml.safe_dump(presentation))
    (folder / "ds-technical.yaml").write_text("id: ds-technical\ntitle: [unclosed\nversion: 1\n")


def test_broken_copy_gets_three_precise_messages(tmp_path, cli):
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    _break(folder)
    result = cli("validate", folder)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    by_file = {Path(line.split(":")[0]).name: line for line in lines}
    assert by_file["coding.yaml"].endswith("criteria[1].weight must be > 0 (got 0)")
    assert "criteria[0].anchors missing anchor for point 3" in by_file["presentation.yaml"]
    assert "is not valid YAML at line 3" in by_file["ds-technical.yaml"]
    # the good files still load; loops that need a broken rubric say so without a 4th problem
    assert "6 rubrics" in result.stdout
    assert "not loaded: rubric 'coding' has errors" in result.stdout


def test_loader_keeps_the_good_files(tmp_path):
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    _break(folder)
    catalog = load_catalog(folder)
    assert not catalog.ok
    assert {"coding", "presentation", "ds-technical"}.isdisjoint(catalog.rubrics)
    assert {"stakeholders", "resume-screen", "hm-phone-screen"} <= set(catalog.rubrics)


def _rubric(**overrides):
    document = {
        "id": "tiny",
        "title": "Tiny",
        "version": 1,
        "duration_minutes": 10,
        "assesses": "Whether the loader works.",
        "instructions": "Score it.",
        "criteria": [
            {
                "id": "c",
                "name": "C",
                "description": "A criterion.",
                "weight": 1,
                "kind": "scale",
                "min": 1,
                "max": 2,
                "anchors": {1: "low", 2: "high"},
            }
        ],
    }
    document.update(overrides)
    return document


@pytest.mark.parametrize(
    "change, message",
    [
        ({"id": "other"}, "id must equal the file name 'tiny' (got 'other')"),
        ({"version": 0}, "version must be >= 1 (got 0)"),
        ({"colour": "red"}, "colour is not a known field"),
        ({"criteria": []}, "criteria must not be empty"),
        (
            {"criteria": [{**_rubric()["criteria"][0], "kind": "binary"}]},
            "criteria[0] a binary criterion has no min or max (it is always 0 = no, 1 = yes)",
        ),
        (
            {"criteria": [{**_rubric()["criteria"][0], "min": 3}]},
            "criteria[0] max must be greater than min (got 3..2)",
        ),
        (
            {"criteria": [{**_rubric()["criteria"][0], "anchors": {1: "a", 2: "b", 5: "c"}}]},
            "criteria[0].anchors anchor for point 5 is outside the scale 1..2",
        ),
        (
            {"criteria": [_rubric()["criteria"][0]] * 2},
            "criteria criterion id 'c' is used twice",
        ),
    ],
)
def test_rubric_problems_name_file_field_and_what_is_wrong(tmp_path, change, message):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_rubric(**change)))
    catalog = load_catalog(tmp_path)
    assert [str(p).split(": ", 1)[1] for p in catalog.problems] == [message]
    assert str(catalog.problems[0]).startswith(str(tmp_path / "tiny.yaml"))


def test_binary_criterion_is_zero_to_one(tmp_path):
    binary = {**_rubric()["criteria"][0], "kind": "binary", "anchors": {0: "no", 1: "yes"}}
    del binary["min"], binary["max"]
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_rubric(criteria=[binary])))
    rubric = load_catalog(tmp_path).rubrics["tiny"]
    assert (rubric.criteria[0].scale.min, rubric.criteria[0].scale.max) == (0, 1)


def test_loop_naming_an_unknown_rubric_is_a_problem(tmp_path):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_rubric()))
    (tmp_path / "loops").mkdir()
    loop = {
        "id": "day",
        "title": "Day",
        "role": "Analyst",
        "overall_scale": {"min": 0, "max": 1, "labels": {0: "No", 1: "Yes"}},
        "sessions": [{"rubric": "tiny", "minutes": 10}, {"rubric": "ghost", "minutes": 5}],
    }
    (tmp_path / "loops" / "day.yaml").write_text(yaml.safe_dump(loop))
    catalog = load_catalog(tmp_path)
    assert [str(p).split(": ", 1)[1] for p in catalog.problems] == [
        "sessions[1].rubric names rubric 'ghost', which does not exist"
    ]
    assert "day" not in catalog.loops


def test_content_hash_follows_meaning_not_formatting(tmp_path):
    document = _rubric()
    plain = tmp_path / "a" / "tiny.yaml"
    plain.parent.mkdir()
    plain.write_text(yaml.safe_dump(document))
    commented = tmp_path / "b" / "tiny.yaml"
    commented.parent.mkdir()
    commented.write_text("# a comment\n" + yaml.safe_dump(document, sort_keys=False, indent=4))
    first = load_catalog(plain.parent).rubrics["tiny"].content_hash
    assert load_catalog(commented.parent).rubrics["tiny"].content_hash == first
    document["criteria"][0]["anchors"][2] = "very high"
    plain.write_text(yaml.safe_dump(document))
    assert load_catalog(plain.parent).rubrics["tiny"].content_hash != first


def test_schema_command_prints_the_rubric_json_schema(cli):
    result = cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Debrief rubric"
    assert {"id", "version", "criteria", "instructions", "sources"} <= set(schema["properties"])
    assert "source" not in schema["properties"]  # retired; only old snapshots still carry it
    assert "hiring-book.txt" in schema["properties"]["sources"]["description"]
    assert "Criterion" in schema["$defs"]
    assert "sources" in schema["$defs"]["Criterion"]["properties"]


def test_validate_passes_on_the_shipped_rubrics(cli):
    result = cli("validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "0 problems" in result.stdout


def test_rubric_model_is_the_schema():
    # a shipped file validates with the model directly: no second parser behind the loader
    document = yaml.safe_load((ROOT / "rubrics" / "coding.yaml").read_text())
    assert Rubric.model_validate(document).duration_minutes == 60
