"""Importing self-identified answers from a CSV file, as an equal-opportunity survey tool
exports them (`python -m scoring demographics import`, issue 28 item 5): one row per candidate,
a ``candidate`` column with their id, one column per configured category
(`scoring.demographics.categories`) and optionally ``source``. An empty cell leaves what was
recorded as it is. A file is imported whole or not at all: every row is checked (its columns,
its answers against the configuration, its candidate, the importer's right to record about
them) before anything is written, in one unit of work, and every problem names the line and the
column. Nothing in a problem quotes what a cell holds (an answer is personal data), and nothing
is returned but counts of what the file submitted: every answer in it is recorded again, as it
was or not, so the summary cannot tell anyone which stored answers the file matched."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from scoring import demographics
from scoring.errors import InvalidInput, NotFound
from scoring.permissions import Person, candidate_facts, current, ensure
from scoring.store import Store, now_utc

CSV_MAX = 2_000_000  # characters: some twenty thousand rows
ROWS_MAX = 20_000
CANDIDATE_HEADERS = ("candidate", "candidateid", "id")


@dataclass(frozen=True)
class Imported:
    """What an import did, in counts of what the file submitted (never of what changed)."""

    rows: int
    candidates_answered: int
    sources_set: int

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"{self.rows} rows read: answers recorded for {self.candidates_answered} candidates,"
            f" {self.sources_set} sources set."
        )


def _key(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.casefold())


def parse(text: str, offered: dict[str, list[str]]) -> list[tuple[int, int, dict, str]]:
    """The file's rows as (line, candidate id, checked answers, source category or ""); rows
    with nothing in them left out. InvalidInput "line N: ..." for the first problem."""
    if not isinstance(text, str) or len(text) > CSV_MAX:
        raise InvalidInput(f"file: at most {CSV_MAX:,} characters")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("file: empty: the first line names the columns") from None
    except csv.Error:
        raise InvalidInput("line 1: not CSV") from None
    columns: list[str | None] = []
    by_key = {_key(name): name for name in offered}
    for number, name in enumerate(header, start=1):
        key = _key(name)
        if key in CANDIDATE_HEADERS:
            columns.append("candidate")
        elif key == demographics.SOURCE:
            columns.append(demographics.SOURCE)
        elif key in by_key:
            columns.append(by_key[key])
        else:
            raise InvalidInput(
                f"line 1: column {number} is neither candidate, source nor a configured category"
                f" ({', '.join(offered)})"
            )
    if "candidate" not in columns:
        raise InvalidInput("line 1: no candidate column (the candidate's id)")
    if len(set(columns)) != len(columns):
        raise InvalidInput("line 1: a column is there twice")
    found: list[tuple[int, int, dict, str]] = []
    seen: dict[int, int] = {}
    try:
        for line, cells in enumerate(reader, start=2):
            if line > ROWS_MAX + 1:
                raise InvalidInput(f"file: at most {ROWS_MAX:,} rows")
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise InvalidInput(
                    f"line {line}: {len(cells)} cells; the header has {len(columns)}"
                )
            row = dict(zip(columns, cells, strict=True))
            cell = row.pop("candidate").strip()
            if not cell.isascii() or not cell.isdigit() or len(cell) > 18:
                raise InvalidInput(f"line {line}: candidate: a candidate's id (a whole number)")
            candidate_id = int(cell)
            if candidate_id in seen:
                raise InvalidInput(
                    f"line {line}: candidate {candidate_id} is on line {seen[candidate_id]} too"
                )
            seen[candidate_id] = line
            source = demographics.source_category(row.pop(demographics.SOURCE, "")[:200])
            answers = {c: v for c, v in row.items() if v.strip()}
            checked = {}
            if answers:
                try:
                    checked = demographics.checked_answers(answers, offered)
                except InvalidInput as problem:
                    raise InvalidInput(f"line {line}: {problem}") from None
            if checked or source:
                found.append((line, candidate_id, checked, source))
    except csv.Error:
        raise InvalidInput(f"line {reader.line_num}: not CSV") from None
    return found


def import_answers(store: Store, actor: Person, text: str, now: datetime | None = None) -> Imported:
    """Import a file of answers (see the module's docstring): whole or not at all; each
    candidate's answers under `record_demographics`, a source under `manage_opening` of their
    opening, both asked of every row before anything is written."""
    at = now or now_utc()
    rows = parse(text, demographics.categories())
    with store.write() as db:
        person = current(db, actor)
        for line, candidate_id, checked, source in rows:
            try:
                facts = candidate_facts(db, candidate_id)
            except NotFound:
                raise InvalidInput(f"line {line}: no candidate with id {candidate_id}") from None
            if checked:
                ensure(person, "record_demographics", facts)
            if source:
                ensure(person, "manage_opening", facts.opening)
        answered = sources = 0
        for _, candidate_id, checked, source in rows:
            if checked:
                demographics.record_in(db, person.id, candidate_id, checked, at)
                answered += 1
            if source:
                demographics.set_source_in(db, person.id, candidate_id, source, at)
                sources += 1
    return Imported(len(rows), answered, sources)
