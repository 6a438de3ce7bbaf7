"""Look-alike names (issue 22, attack 8).

"Аna Alvarez" with a Cyrillic А was added and shown like "Ana Alvarez", unmarked: another person
to the database, the search and the mail, the same person to every reader. The coordinator who
adds such a name (or email) is now told, in words, right after adding it, on the People and
Candidates pages and before a candidates file is imported. Nothing is refused: a name may be
written in any script, and a few mixes are how names are written (Japanese, Korean, a Latin
name next to a Chinese one).
"""

from __future__ import annotations

import pytest

from scoring import candidates_csv
from scoring.lookalikes import lookalike_warnings, scripts
from world import build, page_as

CYRILLIC_A = "\u0410"  # А
LOOKALIKE = f"{CYRILLIC_A}na Alvarez"


@pytest.mark.parametrize(
    "name, found",
    [
        ("Ana Alvarez", ["Latin"]),
        (LOOKALIKE, ["Cyrillic", "Latin"]),
        ("Ελένη", ["Greek"]),
        ("山田 たろう", ["Han", "Hiragana"]),
        ("ＡＮＡ 𝐀na", ["Latin"]),  # full-width and mathematical letters are Latin ones
        ("O'Brien-Smith 3rd", ["Latin"]),  # apostrophes, hyphens and digits have no script
    ],
)
def test_the_scripts_of_a_name_are_those_of_its_letters(name, found):
    assert scripts(name) == found


@pytest.mark.parametrize(
    "name, warning",
    [
        (LOOKALIKE, "This name mixes Cyrillic and Latin letters: check it is who you meant"),
        ("Bo Βerg", "This name mixes Latin and Greek letters: check it is who you meant"),
        ("Ιωάννης Иван", "This name mixes Greek and Cyrillic letters: check it is who you meant"),
        ("Ｇrace", "This name has letters in an unusual form (Ｇ for G): check it is who"),
    ],
)
def test_a_lookalike_name_is_marked(name, warning):
    (said,) = lookalike_warnings(name)
    assert said.startswith(warning), said


@pytest.mark.parametrize(
    "name",
    [
        "Ana Alvarez",
        "José Ñúñez",
        "Łukasz Żółć",
        "Nguyễn Văn An",
        "Ελένη Παπαδοπούλου",
        "Сергей Иванов",
        "山田 たろう",
        "김민준 Kim",
        "Zhang Wei 张伟",
        "Omar عمر",
        "שרה לוי",
    ],
)
def test_a_name_written_in_one_script_or_a_usual_mix_is_not_marked(name):
    assert lookalike_warnings(name) == []


def test_the_email_is_looked_at_too():
    (said,) = lookalike_warnings("Ana Alvarez", f"{CYRILLIC_A.lower()}na@example.org")
    assert said.startswith("This email address mixes Cyrillic and Latin letters")


def test_a_candidates_file_names_its_lookalikes_and_imports_them_all_the_same(tmp_path):
    w = build(tmp_path / "file.sqlite")
    text = f"Name,Email\nAda Lovelace,ada@example.org\n{LOOKALIKE},ana@example.org\n"
    read = candidates_csv.check_import(w.store, w.coordinator, w.opening_id, text, "in.csv")
    assert read.problems == [] and len(read.rows) == 2
    (warning,) = read.warnings
    assert warning.startswith("in.csv line 3: This name mixes Cyrillic and Latin letters")
    ids = candidates_csv.import_candidates(w.store, w.coordinator, w.opening_id, text, "in.csv")
    assert len(ids) == 2


def add_on(at, button: str, **typed: str):
    for label, value in typed.items():
        next(t for t in at.text_input if t.label == label).input(value)
    next(b for b in at.button if b.label == button).click().run()
    assert not at.exception, at.exception
    return at


def test_the_candidates_page_warns_after_adding_a_lookalike(tmp_path, monkeypatch):
    w = build(tmp_path / "cand.sqlite")
    at = page_as(w, "coordinator", "pages/candidates.py", monkeypatch)
    add_on(at, "Add candidate", Name=LOOKALIKE, **{"Email (optional)": "ana@example.org"})
    (added,) = at.success
    assert added.value.startswith(f"{LOOKALIKE} added to Data scientist")
    assert [w.value for w in at.warning] == [
        "This name mixes Cyrillic and Latin letters: check it is who you meant (letters of"
        " different alphabets can look the same)."
    ]
    add_on(at, "Add candidate", Name="Ada Lovelace")  # an ordinary name: no warning
    assert at.success and not at.warning


def test_the_people_page_warns_after_adding_a_lookalike(tmp_path, monkeypatch):
    w = build(tmp_path / "people.sqlite")
    at = page_as(w, "coordinator", "pages/people.py", monkeypatch)
    add_on(at, "Add person", Name=LOOKALIKE, Email="ana.alvarez@example.org")
    assert [s.value for s in at.success] == [f"{LOOKALIKE} added."]
    (warning,) = at.warning
    assert warning.value.startswith("This name mixes Cyrillic and Latin letters")
