"""Hostile candidates files: a header of 10,000 columns, a line break inside a cell, a file of a
megabyte, odd header names. Each is answered in one line or a few, quickly, and nothing is
half written."""

import time

import pytest

from scoring import candidates_csv
from world import build, dump


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "hostile.sqlite")


def test_a_header_of_ten_thousand_columns_is_one_problem(world):
    header = ",".join(f"Column {n}" for n in range(10_000))
    text = f"Name,{header}\nAda,{',' * 9_999}\n"
    before = dump(world.store)
    started = time.perf_counter()
    read = candidates_csv.read_candidates(text, "wide.csv")
    assert time.perf_counter() - started < 1
    assert read.problems == ["wide.csv line 1: 10,001 columns; at most 500"]
    with pytest.raises(candidates_csv.ImportRefused):
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, text, "wide.csv"
        )
    assert dump(world.store) == before


def test_many_ignored_columns_make_one_short_line():
    header = ",".join(f"Extra {n}" for n in range(499))
    read = candidates_csv.read_candidates(f"Name,{header}\nAda{',' * 499}\n")
    assert read.problems == [] and len(read.ignored) == 499
    line = read.ignored_line
    assert line.startswith("Ignored columns: Extra 0, Extra 1,")
    assert line.endswith("Extra 19 and 479 more") and len(line) < 400


def test_a_hostile_header_name_is_shown_on_one_line_and_cut():
    name = '"**bold**\n<script>alert(1)</script>' + "x" * 5_000 + '"'
    read = candidates_csv.read_candidates(f"Name,{name}\nAda,1\n")
    assert read.problems == []
    (shown,) = read.ignored
    assert "\n" not in shown and len(shown) <= 40 and shown.startswith("**bold** <script>")


@pytest.mark.parametrize("column", ["Name", "Phone", "Source", "Email"])
@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\u2028"])
def test_a_line_break_inside_a_cell_is_refused_naming_line_and_column(world, column, brk):
    cells = {"Name": "Ada Lovelace", "Phone": "123", "Source": "Fair", "Email": "ada@example.org"}
    cells[column] = f"{cells[column][:2]}{brk}=1+1"
    text = (
        "Name,Email,Phone,Source\nAlan,,,\n"
        + ",".join(f'"{cells[c]}"' for c in ("Name", "Email", "Phone", "Source"))
        + "\n"
    )
    before = dump(world.store)
    with pytest.raises(candidates_csv.ImportRefused) as refused:
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, text, "in.csv"
        )
    assert refused.value.problems == [
        f"in.csv line 3: {column}: must be one line (no line breaks or control characters)"
    ]
    assert dump(world.store) == before


def test_a_file_over_a_megabyte_is_refused_in_one_line(world):
    text = "First Name,Last Name,Email\n" + "Ada,Lovelace,\n" * 80_000
    started = time.perf_counter()
    read = candidates_csv.read_candidates(text, "huge.csv")
    assert time.perf_counter() - started < 1
    assert read.rows == [] and read.problems == [
        "huge.csv: 1,120,027 characters; at most 1,000,000 (split the file)"
    ]


@pytest.mark.slow  # a megabyte through the import, timed
def test_a_file_of_almost_a_megabyte_imports_whole_in_seconds(world):
    row = "Ada{n},Lovelace,ada{n}@example.org,+44 20 7946 0958,Careers page\n"
    text = "First Name,Last Name,Email,Phone,Source\n"
    n = 0
    while len(text) < 990_000:
        text += row.format(n=n)
        n += 1
    assert len(text.encode()) > 990_000
    started = time.perf_counter()
    ids = candidates_csv.import_candidates(
        world.store, world.coordinator, world.opening_id, text, "big.csv"
    )
    assert len(ids) == n > 10_000
    assert time.perf_counter() - started < 30
    with world.store.read() as db:
        assert (
            db.execute("SELECT COUNT(*) FROM candidates WHERE source = 'applied'").fetchone()[0]
            == n
        )
