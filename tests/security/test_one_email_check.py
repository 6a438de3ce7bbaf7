"""One email check (issue 24): an address is judged the same way whichever door it comes in by.
The review found three checks, so `add_candidate` kept ``@x`` that adding a person refused. Each
entry point that stores an address (the first coordinator, a person added, a candidate added by
hand, a candidates file checked and imported) is tried with the same addresses, and must give
the verdict `scoring.emails.check_email` gives. On a real SQLite file; nothing is mocked."""

from __future__ import annotations

import pytest

from scoring import candidates, candidates_csv, openings, people
from scoring.emails import check_email
from scoring.errors import InvalidInput
from scoring.store import Store
from world import build

# typed -> whether it is an email address (and the address it is kept as)
ADDRESSES = {
    "@x": None,
    "a@": None,
    "a@b": None,  # a domain without a dot
    "ana@example.com": "ana@example.com",
    "Ana@Example.COM": "Ana@example.com",  # the domain is kept in lower case
}


def test_the_one_check_says_what_the_table_says():
    for typed, kept in ADDRESSES.items():
        if kept is None:
            with pytest.raises(InvalidInput, match="is not an email address"):
                check_email("email", typed)
        else:
            assert check_email("email", typed) == kept


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    return build(tmp_path_factory.mktemp("one_email") / "debrief.db")


def _verdict(attempt) -> str | None:
    """The address kept, or None when the entry point refused it as an email address."""
    try:
        return attempt()
    except InvalidInput as refused:
        assert "is not an email address" in str(refused), str(refused)
        return None


@pytest.mark.parametrize("typed", list(ADDRESSES))
def test_the_first_coordinator(tmp_path, typed):
    store = Store(tmp_path / "first.db")
    kept = _verdict(
        lambda: people.create_first_coordinator(store, "Cora Ordinator", typed)[0].email
    )
    assert kept == ADDRESSES[typed]


@pytest.mark.parametrize("typed", list(ADDRESSES))
def test_a_person_added(tmp_path, typed):
    store = Store(tmp_path / "people.db")
    cora, _ = people.create_first_coordinator(store, "Cora Ordinator", "cora@example.com")
    kept = _verdict(
        lambda: people.add_person(store, cora, "Ana Alvarez", typed, ["interviewer"]).email
    )
    assert kept == ADDRESSES[typed]


def _stored_email(w, candidate_id: int) -> str:
    return candidates.get_candidate(w.store, w.coordinator, candidate_id).email


@pytest.mark.parametrize("typed", list(ADDRESSES))
def test_a_candidate_added_by_hand(w, typed):
    for add in (candidates.add_candidate, openings.add_candidate):
        kept = _verdict(
            lambda add=add: _stored_email(
                w, add(w.store, w.coordinator, w.opening_id, "Ada Lovelace", typed)
            )
        )
        assert kept == ADDRESSES[typed], add.__module__


@pytest.mark.parametrize("typed", list(ADDRESSES))
def test_a_candidates_file(tmp_path, typed):
    # a world of its own: the imported candidate's email must not be taken already
    w = build(tmp_path / "debrief.db")
    text = f"Name,Email\nAda Lovelace,{typed}\n"
    checked = candidates_csv.check_import(w.store, w.coordinator, w.opening_id, text, "in.csv")
    if ADDRESSES[typed] is None:
        assert checked.rows == []
        assert len(checked.problems) == 1
        assert checked.problems[0].startswith("in.csv line 2: Email: ")
        assert "is not an email address" in checked.problems[0]
        with pytest.raises(candidates_csv.ImportRefused, match="is not an email address"):
            candidates_csv.import_candidates(w.store, w.coordinator, w.opening_id, text, "in.csv")
        return
    assert checked.problems == []
    assert [row.email for row in checked.rows] == [ADDRESSES[typed]]
    (imported,) = candidates_csv.import_candidates(
        w.store, w.coordinator, w.opening_id, text, "in.csv"
    )
    assert _stored_email(w, imported) == ADDRESSES[typed]
