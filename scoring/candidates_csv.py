"""Importing candidates from a CSV file, as an applicant tracking system exports it.

The columns are found by their header, whatever its case and spacing: ``Name`` (or ``Full name``,
``Candidate name``), else ``First Name`` and ``Last Name`` joined; ``Email`` (``E-mail``,
``Email address``); ``Phone`` (``Phone number``, ``Mobile``); ``Source``. Any other column is left
out and said so in one line ("Ignored columns: LinkedIn, Notes"), as information: an ATS export
always has more columns than a candidate list needs. A file is imported whole or not at all, and
every problem names the file, the line and the column as the file names it. What a cell holds is
kept as text (a cell that looks like a formula is a name like any other: the CSV exports make it
inert, the screens show it as typed). An email is checked as everywhere else
(`scoring.emails.check_email`) and kept normalised; a name is kept without direction overrides
(`scoring.text.neutral_bidi`). A name or email mixing look-alike alphabets ("Аna", with a
Cyrillic А) is imported, and named in the file's warnings for the coordinator to check.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from scoring import audit, stages
from scoring.candidates import new_alias, seal_contact
from scoring.demographics import source_category
from scoring.emails import check_email
from scoring.errors import InvalidInput
from scoring.guards import Granted, guarded
from scoring.lookalikes import lookalike_warnings
from scoring.opening_record import ensure_open
from scoring.permissions import candidates_facts, may
from scoring.queries import candidates as Q
from scoring.store import now_utc, stamp
from scoring.text import EMAIL_MAX, NAME_MAX, TITLE_MAX, check_length, check_one_line, neutral_bidi

CSV_MAX = 1_000_000  # characters in a candidates file: some ten thousand candidates
COLUMNS_MAX = 500  # an ATS export has dozens of columns; thousands is not a candidate list
PHONE_MAX = 50
SOURCE_MAX = TITLE_MAX
IGNORED_SHOWN = 20  # column names listed in the "Ignored columns" line, then "and N more"

# What each of our fields is called in the exports people bring, compared on letters and digits
# only (case, spaces, underscores, hyphens and dots left out): "E-mail address" is "emailaddress".
HEADERS = {
    "name": ("name", "fullname", "candidatename", "candidate"),
    "first_name": ("firstname", "givenname", "forename"),
    "last_name": ("lastname", "surname", "familyname"),
    "email": ("email", "emailaddress", "candidateemail", "mail"),
    "phone": ("phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "telephone"),
    "source": ("source", "candidatesource"),
}
_FIELD_OF = {spelling: field for field, spellings in HEADERS.items() for spelling in spellings}
EXPECTED = "Name (or First Name and Last Name), Email, Phone, Source"


def _key(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.casefold())


def _shown(header: str) -> str:
    """A header as the file writes it, safe in one line of a message: control characters and
    line breaks become spaces, a long one is cut."""
    flat = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in header)
    flat = " ".join(flat.split())
    return (flat if len(flat) <= 40 else flat[:39] + "…") or "(a column without a name)"


@dataclass(frozen=True)
class CandidateRow:
    """One candidate of the file, as it will be stored."""

    line: int
    name: str
    email: str
    phone: str
    source: str


@dataclass(frozen=True)
class CandidatesFile:
    """A candidates file as read: the rows to import, or every problem (then nothing is
    imported), the columns it leaves out, and what the coordinator should check (look-alike
    names: imported all the same)."""

    rows: list[CandidateRow]
    problems: list[str]
    ignored: list[str]  # the headers of the columns left out, as the file writes them
    warnings: list[str] = field(default_factory=list)  # "in.csv line 4: This name mixes ..."

    @property
    def ignored_line(self) -> str:
        """``Ignored columns: LinkedIn, Notes`` (the first few, then how many more), or ""."""
        if not self.ignored:
            return ""
        shown = ", ".join(self.ignored[:IGNORED_SHOWN])
        more = len(self.ignored) - IGNORED_SHOWN
        return f"Ignored columns: {shown}" + (f" and {more:,} more" if more > 0 else "")


def _columns(
    header: list[str], where: str
) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    """Which column holds each field, each field's column as the file names it, the ignored
    columns, and the header's problems."""
    found: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[str] = []
    for index, cell in enumerate(header):
        field = _FIELD_OF.get(_key(cell))
        if field is None:
            if cell.strip():
                ignored.append(_shown(cell))
            continue
        if field in found:
            problems.append(
                f"{where}: two columns for the {field.replace('_', ' ')}:"
                f" '{names[field]}' and '{_shown(cell)}' (keep one)"
            )
            continue
        found[field], names[field] = index, _shown(cell)
    if "name" in found:
        # a full name wins; first and last name columns are then left out, and said so
        for part in ("first_name", "last_name"):
            if part in found:
                ignored.append(names.pop(part))
                del found[part]
    elif "first_name" in found or "last_name" in found:
        names["name"] = " + ".join(names[p] for p in ("first_name", "last_name") if p in names)
    else:
        problems.append(
            f"{where}: no column for the candidate's name: call one 'Name' (or 'Full name'),"
            " or two 'First Name' and 'Last Name'"
        )
    return found, names, ignored, problems


def read_candidates(
    text: str, filename: str = "candidates.csv", taken_emails: Iterable[str] = ()
) -> CandidatesFile:
    """Read a candidates file (see the module's docstring for the columns). Returns the rows, or
    every problem, each naming the file, the line and the column; and the ignored columns.
    ``taken_emails``: the emails the opening already has (a candidate is not imported twice)."""
    text = text.removeprefix("\ufeff")
    if len(text) > CSV_MAX:
        return CandidatesFile(
            [], [f"{filename}: {len(text):,} characters; at most {CSV_MAX:,} (split the file)"], []
        )
    # strict: a quote left open or followed by text is named, not read as something else
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as problem:
        return CandidatesFile([], [f"{filename} line 1: {_csv_words(problem)}"], [])
    if header is None or not any(cell.strip() for cell in header):
        return CandidatesFile(
            [], [f"{filename}: the file is empty (expected a header line: {EXPECTED})"], []
        )
    if len(header) > COLUMNS_MAX:
        return CandidatesFile(
            [],
            [f"{filename} line 1: {len(header):,} columns; at most {COLUMNS_MAX:,}"],
            [],
        )
    found, names, ignored, problems = _columns(header, f"{filename} line 1")
    if problems:
        return CandidatesFile([], problems, ignored)
    taken = {e.lower() for e in taken_emails if e}
    rows: list[CandidateRow] = []
    first_line_of: dict[str, int] = {}
    try:
        while True:
            line = reader.line_num + 1  # where the row starts: a quoted cell may span lines
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue
            where = f"{filename} line {line}"
            if len(cells) != len(header):
                problems.append(f"{where}: {len(cells)} values for {len(header)} columns")
                continue
            row, row_problems = _row(cells, line, found, names, where)
            problems += row_problems
            if row_problems:
                continue
            if row.email:
                email = row.email.lower()
                if email in first_line_of:
                    problems.append(
                        f"{where}: {names['email']}: {row.email} is already on line"
                        f" {first_line_of[email]}"
                    )
                elif email in taken:
                    problems.append(
                        f"{where}: {names['email']}: {row.email} is already a candidate of"
                        " this opening"
                    )
                first_line_of.setdefault(email, line)
            rows.append(row)
    except csv.Error as problem:  # a stray quote, a NUL, a cell longer than csv allows
        problems.append(f"{filename} line {reader.line_num}: {_csv_words(problem)}")
    if not rows and not problems:
        problems.append(f"{filename}: no candidates in the file (only a header)")
    warnings = [
        f"{filename} line {row.line}: {warning}"
        for row in rows
        for warning in lookalike_warnings(row.name, row.email)
    ]
    return CandidatesFile([] if problems else rows, problems, ignored, warnings)


def _csv_words(problem: csv.Error) -> str:
    """What Python's csv module could not read, in a spreadsheet user's words."""
    said = str(problem)
    if "unexpected end of data" in said:
        return 'a quoted value is never closed (a " is missing)'
    if "expected after" in said:
        return 'text after a closing quote (write "" for a quote inside a quoted value)'
    if "field limit" in said:
        return f"a value longer than {csv.field_size_limit():,} characters"
    return f"cannot be read as CSV ({said})"


def _row(
    cells: list[str], line: int, found: dict[str, int], names: dict[str, str], where: str
) -> tuple[CandidateRow, list[str]]:
    """One line's candidate, and what is wrong with it (each problem names its column)."""

    def cell(field: str) -> str:
        return cells[found[field]].strip() if field in found else ""

    if "name" in found:
        name = cell("name")
    else:
        name = " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
    # the source kept as one of four words, never the ATS's text ("Referral: Grace Hopper"
    # names someone else): what the adverse-impact figures read (`scoring.demographics`)
    source = source_category(cell("source"))
    row = CandidateRow(line, neutral_bidi(name).strip(), "", cell("phone"), source)
    problems = []
    if not row.name:
        problems.append(f"{where}: {names['name']}: empty (every candidate needs a name)")
    for field_name, value, limit in (
        ("name", name, NAME_MAX),
        ("email", cell("email"), EMAIL_MAX),
        ("phone", row.phone, PHONE_MAX),
        ("source", cell("source"), SOURCE_MAX),
    ):
        column = names.get(field_name, field_name)
        try:
            check_one_line(column, check_length(column, value, limit))
            if field_name == "email" and value:
                row = replace(row, email=check_email(column, value))
        except InvalidInput as problem:
            problems.append(f"{where}: {problem}")
    return row, problems


class ImportRefused(InvalidInput):
    """A candidates file with problems: nothing was imported. `problems` lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _taken_emails(db, opening_id: int) -> list[str]:
    return [r[0] for r in db.execute(Q.TAKEN_EMAILS, [opening_id])]


@guarded("manage_opening", on="opening_id")
def check_import(
    g: Granted, opening_id: int, text: str, filename: str = "candidates.csv"
) -> CandidatesFile:
    """`read_candidates` against the emails the opening already has: what `import_candidates`
    would import (and leave out), or every problem. Reads only; for whoever manages the
    opening."""
    return read_candidates(text, filename, _taken_emails(g.db, opening_id))


@guarded("manage_opening", on="opening_id", write=True)
def import_candidates(
    g: Granted,
    opening_id: int,
    text: str,
    filename: str = "candidates.csv",
    now: datetime | None = None,
) -> list[int]:
    """Import a whole candidates file into an opening, with each candidate's phone and source,
    or nothing at all (ImportRefused, listing every problem). Returns the new candidates' ids."""
    at = now or now_utc()
    db = g.db
    ensure_open(db, opening_id)
    read = read_candidates(text, filename, _taken_emails(db, opening_id))
    if read.problems:
        raise ImportRefused(read.problems)
    ids = []
    for row in read.rows:
        alias = new_alias(db, opening_id)
        candidate_id = db.execute(
            Q.ADD_CANDIDATE, [opening_id, alias, "", "", row.source, alias, stamp(at)]
        ).lastrowid
        seal_contact(db, candidate_id, row.name, row.email, row.phone)
        ids.append(candidate_id)
    audit.record(db, g.actor.id, "import_candidates", f"opening:{opening_id}", at, count=len(ids))
    if stages.process(db, opening_id)[0].kind == "screen":  # the first stage's reviewers
        for candidate_id in ids:
            stages.enter(db, candidate_id, 1, at)
    return ids


@dataclass(frozen=True)
class Contact:
    """How to reach a candidate and where they came from, as the import kept them."""

    phone: str
    source: str


@guarded("manage_opening", on="opening_id")
def contacts(g: Granted, opening_id: int, ids: list[int]) -> dict[int, Contact]:
    """The phone and source of these candidates of the opening, for whoever manages it: only
    for the candidates whose name they may see (phone, like email, says who someone is)."""
    if not ids:
        return {}
    facts = candidates_facts(g.db, ids)
    rows = g.db.execute(Q.contacts(len(ids)), [opening_id, *ids]).fetchall()
    return {
        r["id"]: Contact(r["phone"], r["source"])
        for r in rows
        if may(g.actor, "see_name", facts[r["id"]])
    }
