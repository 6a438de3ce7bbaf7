"""Importing candidates from an applicant tracking system's export: its columns found by their
header, first and last names joined, phone kept and source kept as referral/agency/applied/other
(never the ATS's text, which may name someone else), other columns named in one line;
all or nothing, every problem naming the file, the line and the column. Through the service, on
a real SQLite file."""

import pytest

from scoring import candidates_csv, exports, openings
from scoring.errors import InvalidInput, NotAllowed
from world import build, dump

ATS = (
    "First Name,Last Name,Email,Phone,Source\n"
    "Ada,Lovelace,ada@example.org,+44 20 7946 0958,LinkedIn\n"
    "Alan,Turing,alan@example.org,,Referral: Grace Hopper\n"
    "Katherine,Johnson,,555-0100,\n"
)


@pytest.fixture
def world(tmp_path):
    return build(tmp_path / "import.sqlite")


def stored(world, name):
    """The candidate stored under `name` (names are sealed: read opened, matched here)."""
    with world.store.read() as db:
        rows = db.execute("SELECT name, email, phone, source FROM candidates").fetchall()
    (row,) = [dict(r) for r in rows if r["name"] == name]
    return row


def test_an_ats_export_imports_with_phone_and_source(world):
    read = candidates_csv.check_import(
        world.store, world.coordinator, world.opening_id, ATS, "ats.csv"
    )
    assert read.problems == [] and read.ignored == [] and read.ignored_line == ""
    assert [r.name for r in read.rows] == ["Ada Lovelace", "Alan Turing", "Katherine Johnson"]
    ids = candidates_csv.import_candidates(
        world.store, world.coordinator, world.opening_id, ATS, "ats.csv"
    )
    assert len(ids) == 3
    assert stored(world, "Ada Lovelace") == {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "phone": "+44 20 7946 0958",
        "source": "applied",
    }
    assert stored(world, "Katherine Johnson")["phone"] == "555-0100"
    reach = candidates_csv.contacts(world.store, world.coordinator, world.opening_id, ids)
    assert reach[ids[1]] == candidates_csv.Contact("", "referral")
    listed = openings.list_candidates(world.store, world.coordinator, world.opening_id)
    assert len({c.alias for c in listed}) == len(listed) == 4  # Grace was there already


def test_ignored_columns_are_reported_in_one_line_not_as_problems(world):
    text = (
        "Candidate ID,First Name,Last Name,Email,LinkedIn,Phone,Source,Notes,\n"
        "17,Ada,Lovelace,ada@example.org,https://linkedin.example/ada,,Careers page,Met at PyCon,\n"
    )
    read = candidates_csv.check_import(world.store, world.coordinator, world.opening_id, text)
    assert read.problems == []
    assert read.ignored_line == "Ignored columns: Candidate ID, LinkedIn, Notes"
    candidates_csv.import_candidates(world.store, world.coordinator, world.opening_id, text)
    assert stored(world, "Ada Lovelace")["source"] == "applied"


@pytest.mark.parametrize(
    "header",
    [
        "name,email,phone,source",
        "Full Name,E-mail,Phone Number,Source",
        "  CANDIDATE NAME ,Email Address,Mobile,source",
        "candidate_name,e-mail address,mobile number,Candidate Source",
        "Full  name,EMAIL,Telephone,SOURCE",
    ],
)
def test_common_header_names_in_any_case_and_spacing(header):
    read = candidates_csv.read_candidates(f"{header}\nAda Lovelace,ada@example.org,123,Agency\n")
    assert read.problems == [] and read.ignored == []
    assert read.rows == [
        candidates_csv.CandidateRow(2, "Ada Lovelace", "ada@example.org", "123", "agency")
    ]


def test_a_full_name_column_wins_over_first_and_last(world):
    read = candidates_csv.read_candidates("First Name,Name,Last Name\nA,Ada Lovelace,L\n")
    assert [r.name for r in read.rows] == ["Ada Lovelace"]
    assert read.ignored_line == "Ignored columns: First Name, Last Name"


def test_only_a_first_or_a_last_name_is_a_name_too():
    read = candidates_csv.read_candidates("Last Name,First Name\nLovelace,\n,Alan\n")
    assert [r.name for r in read.rows] == ["Lovelace", "Alan"]


def test_bad_rows_are_each_named_by_file_line_and_column_and_nothing_is_imported(world):
    before = dump(world.store)
    text = (
        "First Name,Last Name,E-mail,Phone,Source\n"
        "Ada,Lovelace,ada@example.org,,\n"
        ",,someone@example.org,,\n"
        "Alan,Turing,alan(at)example.org,,\n"
        "\n"
        "Katherine,Johnson,ADA@example.org,,\n"
        "Grace,Again,grace@example.com,,\n"  # already a candidate of this opening
        "Too,many,values,a,b,c\n"
        f"Long,Phone,,{'1' * 51},\n"
    )
    with pytest.raises(candidates_csv.ImportRefused) as refused:
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, text, "in.csv"
        )
    assert refused.value.problems == [
        "in.csv line 3: First Name + Last Name: empty (every candidate needs a name)",
        "in.csv line 4: E-mail: 'alan(at)example.org' is not an email address: an email address"
        " must have an @-sign",
        "in.csv line 6: E-mail: ADA@example.org is already on line 2",
        "in.csv line 7: E-mail: grace@example.com is already a candidate of this opening",
        "in.csv line 8: 6 values for 5 columns",
        "in.csv line 9: Phone: 51 characters; at most 50",
    ]
    assert dump(world.store) == before


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "in.csv: the file is empty"),
        ("First Name,Last Name\n", "in.csv: no candidates in the file"),
        ("Email,Phone\na@b.org,1\n", "in.csv line 1: no column for the candidate's name"),
        ("Email,Name,E-mail\n", "in.csv line 1: two columns for the email: 'Email' and 'E-mail'"),
        ('name\n"Ada\n', 'in.csv line 2: a quoted value is never closed (a " is missing)'),
        ('name\n"Ada"Lovelace\n', "in.csv line 2: text after a closing quote"),
    ],
)
def test_shape_problems(text, problem):
    read = candidates_csv.read_candidates(text, "in.csv")
    assert read.rows == [] and read.problems[0].startswith(problem), read.problems


def test_formula_looking_cells_stay_text(world):
    """A name or a source that a spreadsheet would run is a name like any other: stored as
    written, and inert in the CSV export."""
    text = 'Name,Phone,Source\n"=HYPERLINK(""http://evil.example"",""x"")",+1 555 0100,@ads\n'
    candidates_csv.import_candidates(world.store, world.coordinator, world.opening_id, text)
    row = stored(world, '=HYPERLINK("http://evil.example","x")')
    assert (row["phone"], row["source"]) == ("+1 555 0100", "other")
    decisions = exports.to_csv(exports.decision_rows(world.store, world.manager, world.opening_id))
    assert '\'=HYPERLINK(""http://evil.example"",""x"")' in decisions


def test_only_whoever_manages_the_opening_imports_and_only_into_an_open_one(world):
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        candidates_csv.import_candidates(world.store, world.ana, world.opening_id, "name\nAda\n")
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        candidates_csv.check_import(world.store, world.ana, world.opening_id, "name\nAda\n")
    with pytest.raises(NotAllowed, match="Only a coordinator"):
        candidates_csv.contacts(world.store, world.ana, world.opening_id, [world.candidate_id])
    openings.close_opening(world.store, world.coordinator, world.opening_id)
    with pytest.raises(InvalidInput, match="This opening is closed"):
        candidates_csv.import_candidates(
            world.store, world.coordinator, world.opening_id, "name\nAda\n"
        )
