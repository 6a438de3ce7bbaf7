"""Every text field has a bound, and so does loading a rubric (issue 11, defect 11).

There were no length limits anywhere: a 1 MB feedback rendered a PDF in 18 s, and a 447-byte
rubric file of nested YAML aliases produced 226 MB of error text. Now every field has a limit with
a message naming it, the largest scorecard the service accepts renders quickly, and a rubric file
is loaded within bounds whatever it holds (one short error naming the file; the others load).
"""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

import pytest

from scoring import candidates_csv, debrief, exports, openings, scorecards
from scoring.errors import InvalidInput
from scoring.matrix import full_scores
from scoring.rubric import load_catalog
from scoring.text import (
    EVIDENCE_MAX,
    FEEDBACK_MAX,
    NAME_MAX,
    TITLE_MAX,
    check_length,
)
from world import CATALOG, DAY, ROOT, build

# 447 bytes: eight levels of nine aliases, 43 million "lol"s once expanded.
LAUGHS = """\
id: laughs-a-lot
title: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
version: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
assesses: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
source: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
instructions: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
duration_minutes: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
level: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
criteria: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
"""


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "limits.sqlite")


def submit(world, who="ana", feedback="Fine.", evidence=""):
    criteria = full_scores(world.store, world.seats[who], 3)
    for entry in criteria.values():
        entry["evidence"] = evidence
    return scorecards.submit(
        world.store,
        world.person(who),
        world.seats[who],
        overall=4,
        feedback=feedback,
        criteria=criteria,
        now=DAY + timedelta(hours=6),
    )


def test_the_limit_message_names_the_field_and_both_lengths():
    with pytest.raises(InvalidInput) as refused:
        check_length("feedback", "x" * 25_113, FEEDBACK_MAX)
    assert str(refused.value) == "feedback: 25,113 characters; at most 20,000"
    assert check_length("feedback", "x" * FEEDBACK_MAX, FEEDBACK_MAX) == "x" * FEEDBACK_MAX


def test_a_feedback_of_a_megabyte_is_refused_and_nothing_is_written(world):
    with pytest.raises(InvalidInput, match=r"^feedback: 1,000,000 characters; at most 20,000$"):
        submit(world, feedback="x" * 1_000_000)
    with pytest.raises(InvalidInput, match=r"^feedback: 20,001 characters; at most 20,000$"):
        submit(world, feedback="x" * (FEEDBACK_MAX + 1))
    with world.store.read() as db:
        assert db.execute("SELECT count(*) FROM scorecards").fetchone()[0] == 0
    assert submit(world, feedback="x" * FEEDBACK_MAX).feedback == "x" * FEEDBACK_MAX


def test_evidence_has_a_limit_too(world):
    with pytest.raises(InvalidInput, match=r"^criteria\.[a-z-]+\.evidence: 5,001 characters"):
        submit(world, evidence="y" * (EVIDENCE_MAX + 1))
    card = submit(world, evidence="y" * EVIDENCE_MAX)
    assert {e.evidence for e in card.criteria.values()} == {"y" * EVIDENCE_MAX}


def test_names_and_titles_are_at_most_200_characters(world):
    with pytest.raises(InvalidInput, match=r"^name: 201 characters; at most 200$"):
        openings.add_candidate(world.store, world.coordinator, world.opening_id, "n" * 201)
    openings.add_candidate(world.store, world.coordinator, world.opening_id, "n" * NAME_MAX)
    text = f"name,email\nAda,ada@example.org\n{'n' * 201},\n"
    with pytest.raises(candidates_csv.ImportRefused) as refused:
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, text, "in.csv"
        )
    assert refused.value.problems == ["in.csv line 3: name: 201 characters; at most 200"]
    with pytest.raises(InvalidInput, match=r"^title: 201 characters; at most 200$"):
        openings.create_opening(
            world.store,
            world.coordinator,
            title="t" * (TITLE_MAX + 1),
            role="Data scientist",
            loop=CATALOG.loops["ds-generalist-onsite"],
            catalog=CATALOG,
            hiring_manager_id=world.manager.id,
            strategy={"kind": "manager"},
        )


def test_a_candidates_file_is_bounded_too():
    text = "name,email\n" + "Ada Lovelace,\n" * 100_000
    read = candidates_csv.read_candidates(text, "huge.csv")
    rows, problems = read.rows, read.problems
    assert rows == [] and problems == [
        "huge.csv: 1,400,011 characters; at most 1,000,000 (split the file)"
    ]


@pytest.mark.slow  # a timing of the largest PDF, charts and all
def test_the_largest_scorecards_render_a_pdf_in_seconds(world):
    """Three interviewers each write the longest feedback and evidence the service takes."""
    prose = "The candidate explained the trade-offs of the model and tested it. "
    for who in ("ana", "bo", "cy"):
        submit(
            world,
            who,
            feedback=(prose * 400)[:FEEDBACK_MAX],
            evidence=(prose * 100)[:EVIDENCE_MAX],
        )
    debrief.open_debrief(world.store, world.manager, world.candidate_id)
    summary = exports.summary(world.store, world.manager, world.candidate_id)
    started = time.perf_counter()
    pdf = exports.render(summary, "pdf")
    took = time.perf_counter() - started
    assert pdf.startswith(b"%PDF") and took < 15, f"{took:.1f} s"


def test_a_billion_laughs_rubric_is_one_short_error_and_the_others_load(tmp_path):
    folder = tmp_path / "rubrics"
    shutil.copytree(ROOT / "rubrics", folder)
    (folder / "laughs.yaml").write_text(LAUGHS)
    assert len(LAUGHS.encode()) == 447
    started = time.perf_counter()
    catalog = load_catalog(folder)
    took = time.perf_counter() - started
    assert took < 5, f"{took:.1f} s"
    (problem,) = catalog.problems
    assert problem.file.endswith("laughs.yaml") and len(str(problem)) < 300
    assert "too many YAML aliases" in str(problem) and "limit" in str(problem)
    assert set(catalog.rubrics) == set(CATALOG.rubrics) and set(catalog.loops) == set(CATALOG.loops)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("id: loop\nx: &x [1, *x]\n", "a YAML alias refers to the value it is part of"),
        ("id: deep\nx: " + "[" * 5000 + "]" * 5000 + "\n", "is nested too deeply"),
        (
            "id: big\nx: &s '" + "s" * 50_000 + "'\ny: [" + ", ".join(["*s"] * 100) + "]\n",
            "characters (limit 2,000,000)",
        ),
    ],
)
def test_other_unbounded_rubric_files_are_refused_quickly(tmp_path, text, expected):
    (tmp_path / "bad.yaml").write_text(text)
    started = time.perf_counter()
    (problem,) = load_catalog(tmp_path).problems
    assert time.perf_counter() - started < 5
    assert expected in str(problem) and len(str(problem)) < 300


def test_a_rubric_with_thousands_of_mistakes_reports_a_bounded_list(tmp_path):
    key, value = "k" * 1_000, "v" * 10_000  # YAML keys are at most 1024 characters
    lines = ["id: many", "criteria:"] + [f"  - {{{key}{i}: {value}}}" for i in range(50)]
    (tmp_path / "many.yaml").write_text("\n".join(lines) + "\n")
    problems = load_catalog(tmp_path).problems
    assert len(problems) == 21  # the first 20, then how many more
    last = problems[-1].message
    assert last.startswith("and ") and last.endswith("more problems")
    assert sum(len(str(p)) for p in problems) < 20_000
