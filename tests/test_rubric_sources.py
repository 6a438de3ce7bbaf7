"""Book citations live in `sources`: never in what an interviewer reads, always on the Rubrics
page, checked by the loader like every other field, and old rubric snapshots still load."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from scoring import openings, people, scorecards
from scoring.integrity import verify
from scoring.rubric import Rubric, load_catalog, sources_line
from scoring.store import Store
from world import build

ROOT = Path(__file__).resolve().parent.parent
LINE_NUMBER = re.compile(r"\bL\d{3,4}\b")


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(ROOT / "rubrics")


def interviewer_texts(rubric: Rubric):
    """(where, text) for everything the scorecard form shows of a rubric."""
    yield "title", rubric.title
    yield "assesses", rubric.assesses
    yield "instructions", rubric.instructions
    for criterion in rubric.criteria:
        yield f"{criterion.id}.name", criterion.name
        yield f"{criterion.id}.description", criterion.description
        for point, anchor in criterion.anchors.items():
            yield f"{criterion.id}.anchors[{point}]", anchor


def test_no_line_numbers_in_what_interviewers_read(shipped):
    cited = [
        f"{rubric.id}.{where}: {LINE_NUMBER.search(text)[0]}"
        for rubric in shipped.rubrics.values()
        for where, text in interviewer_texts(rubric)
        if LINE_NUMBER.search(text)
    ]
    for loop in shipped.loops.values():
        texts = [loop.title, loop.role, loop.description, *(s.title for s in loop.sessions)]
        cited += [f"{loop.id}: {LINE_NUMBER.search(t)[0]}" for t in texts if LINE_NUMBER.search(t)]
    assert cited == []


def test_every_shipped_rubric_and_loop_has_sources(shipped):
    assert len(shipped.rubrics) == 9
    for item in [*shipped.rubrics.values(), *shipped.loops.values()]:
        assert item.sources, f"{item.id} has no sources"
        assert all(LINE_NUMBER.match(citation) for citation in item.sources), item.id


def _tiny(**overrides):
    criterion = {
        "id": "c",
        "name": "C",
        "description": "A criterion.",
        "weight": 1,
        "kind": "scale",
        "min": 1,
        "max": 2,
        "anchors": {1: "low", 2: "high"},
    }
    document = {
        "id": "tiny",
        "title": "Tiny",
        "version": 1,
        "sources": ["L2962", "L2081-2089"],
        "duration_minutes": 10,
        "assesses": "Whether the loader works.",
        "instructions": "Score it.",
        "criteria": [criterion],
    }
    document.update(overrides)
    return document


def test_sources_load_on_rubric_and_criterion(tmp_path):
    criterion = {**_tiny()["criteria"][0], "sources": ["L2087: overall impression"]}
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_tiny(criteria=[criterion])))
    rubric = load_catalog(tmp_path).rubrics["tiny"]
    assert rubric.sources == ["L2962", "L2081-2089"]
    assert rubric.criteria[0].sources == ["L2087: overall impression"]
    assert sources_line(rubric.sources) == "Sources (hiring-book.txt): L2962, L2081-2089"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"sources": ["L2962", "L2081-2089", "p. 12"]},
            "sources[2] must look like L123 or L123-130 (got 'p. 12')",
        ),
        (
            {"sources": ["L2081-89"]},
            "sources[0] must be a range that ends after it starts, like L123-130 (got 'L2081-89')",
        ),
        (
            {"sources": [{"L2962": "coding session"}]},
            'sources[0] must be quoted when it has a note, as in "L2962: coding session"'
            " (got a mapping)",
        ),
        ({"sources": "L2962, L2081"}, "sources must be a list (got 'L2962, L2081')"),
        (
            {"criteria": [{**_tiny()["criteria"][0], "sources": ["L12", "line 40"]}]},
            "criteria[0].sources[1] must look like L123 or L123-130 (got 'line 40')",
        ),
        (
            {"source": "L2962"},
            "source is replaced by sources, a list of citations like L123 or L123-130"
            " (see rubrics/FORMAT.md)",
        ),
    ],
)
def test_a_malformed_citation_names_file_and_field(tmp_path, change, message):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_tiny(**change)))
    catalog = load_catalog(tmp_path)
    assert [str(p) for p in catalog.problems] == [f"{tmp_path / 'tiny.yaml'}: {message}"]
    assert "tiny" not in catalog.rubrics


def test_a_loop_citation_is_checked_too(tmp_path):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_tiny()))
    (tmp_path / "loops").mkdir()
    loop = {
        "id": "day",
        "title": "Day",
        "role": "Analyst",
        "sources": ["L2957-2964", "chapter 9"],
        "overall_scale": {"min": 0, "max": 1, "labels": {0: "No", 1: "Yes"}},
        "sessions": [{"rubric": "tiny", "minutes": 10}],
    }
    (tmp_path / "loops" / "day.yaml").write_text(yaml.safe_dump(loop))
    assert [str(p).split(": ", 1)[1] for p in load_catalog(tmp_path).problems] == [
        "sources[1] must look like L123 or L123-130 (got 'chapter 9')"
    ]


# A rubric as it was frozen into an opening before `sources` existed: the old model's JSON,
# every field written out, the citations in one `source` string.
OLD_SNAPSHOT = {
    "id": "tiny",
    "title": "Tiny",
    "version": 1,
    "source": "L2083-2087, L2144",
    "duration_minutes": 10,
    "assesses": "Whether the code runs (L2083).",
    "instructions": "Score it.",
    "criteria": [
        {
            "id": "c",
            "name": "C",
            "description": "A criterion.",
            "weight": 1.0,
            "kind": "scale",
            "min": 1,
            "max": 2,
            "anchors": {"1": "low", "2": "high"},
            "required": True,
        }
    ],
}


def test_a_snapshot_frozen_before_sources_still_loads_with_its_hash(tmp_path):
    content = json.dumps(OLD_SNAPSHOT)
    old_hash = hashlib.sha256(
        json.dumps(OLD_SNAPSHOT, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    rubric = Rubric.model_validate_json(content)
    assert rubric.content_hash == old_hash
    assert json.loads(rubric.model_dump_json()) == OLD_SNAPSHOT
    # and through the store, as the scorecard and debrief pages read it; verify agrees
    store = Store(tmp_path / "old.sqlite")
    with store.write() as db:
        db.execute(
            "INSERT INTO rubric_snapshots (hash, rubric_id, version, content) VALUES (?, ?, ?, ?)",
            [old_hash, "tiny", 1, content],
        )
    assert openings.rubric(store, old_hash).assesses == "Whether the code runs (L2083)."
    assert verify(store).ok


def test_rubrics_page_shows_the_sources(tmp_path, monkeypatch, shipped):
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    monkeypatch.setenv("DEBRIEF_RUBRICS", str(folder))
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "r.sqlite"))
    monkeypatch.chdir(ROOT)
    coordinator, _ = people.create_first_coordinator(Store(), "Cora", "cora@example.com")
    at = AppTest.from_file(str(ROOT / "pages" / "rubrics.py"), default_timeout=30)
    at.session_state["person_id"] = coordinator.id
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    coding = shipped.rubrics["coding"]
    assert "Sources (hiring-book.txt): L502, L1417, L1427," in " ".join(captions)
    for item in [*shipped.rubrics.values(), *shipped.loops.values()]:
        assert sources_line(item.sources) in captions, item.id
    for criterion in coding.criteria:
        assert sources_line(criterion.sources) in captions, criterion.id


def _everything_on(at: AppTest) -> str:
    """The text of every element the page drew (protos as text: labels, captions, options)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def test_scorecard_form_shows_no_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    world = build(tmp_path / "form.sqlite")
    monkeypatch.setenv("DEBRIEF_DB", world.store.location)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["person_id"] = world.person("cy").id
    at.run()
    at.query_params["assignment"] = str(world.seats["cy"])
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, at.exception
    shown = _everything_on(at)
    rubric = scorecards.sheet(world.store, world.cy, world.seats["cy"]).rubric
    assert rubric.sources and rubric.criteria[0].name in shown  # the form is there
    assert "Sources (" not in shown
    assert LINE_NUMBER.findall(shown) == []
