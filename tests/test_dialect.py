"""The statements written for SQLite, as PostgreSQL reads them (scoring/dialect.py): each rule
the README's "Two engines" names, and what must never change (text inside quotes)."""

import pytest

from scoring.dialect import to_postgres
from scoring.queries import database as DB
from scoring.queries.postgres import OVERRIDES


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT * FROM people WHERE id = ?", "SELECT * FROM people WHERE id = %s"),
        (
            "INSERT INTO drafts (assignment_id, content) VALUES (:a, :b)",
            "INSERT INTO drafts (assignment_id, content) VALUES (%(a)s, %(b)s)",
        ),
        (
            "SELECT * FROM people WHERE email = ? COLLATE NOCASE",
            "SELECT * FROM people WHERE lower(email) = lower(%s)",
        ),
        (
            "SELECT * FROM people ORDER BY name COLLATE NOCASE",
            "SELECT * FROM people ORDER BY lower(name)",
        ),
        (
            "SELECT i.id FROM interview_sessions i INDEXED BY sessions_by_start WHERE i.id = ?",
            "SELECT i.id FROM interview_sessions i WHERE i.id = %s",
        ),
        ("SELECT 1 FROM t WHERE a IS NOT ?", "SELECT 1 FROM t WHERE a IS DISTINCT FROM %s"),
        ("SELECT 1 FROM t WHERE a IS ?", "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM %s"),
        ("SELECT 1 FROM t WHERE a IS NOT NULL AND b IS NULL", None),
        (
            "SELECT 1 FROM t WHERE subject LIKE 'candidate:%' AND id = ?",
            "SELECT 1 FROM t WHERE subject ILIKE 'candidate:%%' AND id = %s",
        ),
        (
            "SELECT c.id FROM candidates c WHERE c.id IN (SELECT value FROM json_each(?))",
            "SELECT c.id FROM candidates c WHERE c.id IN"
            " (SELECT value::bigint FROM json_array_elements_text(%s::json))",
        ),
        (
            "SELECT json_extract(d.frozen_result, '$.outcome') FROM debriefs d WHERE d.id = ?",
            "SELECT (d.frozen_result::json ->> 'outcome') FROM debriefs d WHERE d.id = %s",
        ),
        (
            "SELECT group_concat(cs.criterion_id) FROM criterion_scores cs WHERE cs.id = ?",
            "SELECT string_agg(cs.criterion_id::text, ',') FROM criterion_scores cs"
            " WHERE cs.id = %s",
        ),
    ],
)
def test_each_rule(sqlite, postgres):
    assert to_postgres(sqlite)[0] == (sqlite if postgres is None else postgres)


def test_text_in_quotes_is_never_rewritten():
    # a ? or :name or the word LIKE inside a string is text, not a placeholder or an operator
    text, _ = to_postgres("SELECT 'is it? :name LIKE x IS NOT y' WHERE a = ?")
    assert text == "SELECT 'is it? :name LIKE x IS NOT y' WHERE a = %s"
    # a doubled quote stays inside its string
    text, _ = to_postgres("SELECT 'it''s ? here' WHERE a = ?")
    assert text == "SELECT 'it''s ? here' WHERE a = %s"


def test_percent_is_doubled_only_when_psycopg_reads_it():
    assert to_postgres("SELECT '50%'", with_parameters=False)[0] == "SELECT '50%'"
    assert to_postgres("SELECT '50%' WHERE a = ?")[0] == "SELECT '50%%' WHERE a = %s"
    # a comment goes (psycopg would read a % in it as a placeholder)
    assert to_postgres("SELECT 1 -- 50% of ? here\nWHERE a = ?")[0] == "SELECT 1  \nWHERE a = %s"


def test_an_insert_with_an_id_returns_it_as_sqlite_gives_lastrowid():
    text, returns_id = to_postgres("INSERT INTO people (name) VALUES (?)")
    assert (text, returns_id) == ("INSERT INTO people (name) VALUES (%s) RETURNING id", True)
    # a table without an id, or a statement returning already, is left alone
    assert to_postgres("INSERT INTO drafts (assignment_id) VALUES (?)")[1] is False
    assert to_postgres("INSERT INTO people (name) VALUES (?) RETURNING id")[1] is False
    # casts made by the rewriting are not read as named placeholders
    assert "%(json)s" not in to_postgres("SELECT value FROM json_each(?)")[0]


def test_whole_statements_that_differ_are_replaced_by_their_own_text():
    text, _ = to_postgres(DB.MIGRATIONS_TABLE_EXISTS, with_parameters=False)
    assert text == OVERRIDES[DB.MIGRATIONS_TABLE_EXISTS]
    assert "sqlite_master" not in text
    text, _ = to_postgres(DB.APPLIED_MIGRATIONS)
    assert "rowid" not in text and "%s" in text


def test_named_and_lower_case_forms_are_translated_too():
    text, _ = to_postgres("SELECT 1 FROM people WHERE email = :email COLLATE NOCASE")
    assert text == "SELECT 1 FROM people WHERE lower(email) = lower(%(email)s)"
    # SQLite's like ignores case whatever case it is written in
    assert to_postgres("SELECT 1 FROM people WHERE name like ?")[0].endswith("name ILIKE %s")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT name FROM people ORDER BY coalesce(name, email) COLLATE NOCASE",
        "SELECT 1 /* a ? in a comment */ FROM people WHERE id = ?",
    ],
)
def test_what_no_rule_translates_is_refused_not_run_half_translated(sql):
    with pytest.raises(ValueError, match="OVERRIDES"):
        to_postgres(sql)


def test_a_password_is_never_shown_wherever_the_url_carries_it():
    from scoring.postgres import shown

    for url, seen in [
        ("postgresql://u:pw@h1:5432,h2:5433/db", "postgresql://u@h1:5432,h2:5433/db"),
        ("postgresql://u@h/db?password=pw&sslmode=require", "postgresql://u@h/db"),
        ("postgresql://u:pw@/db?host=/run/postgresql", "postgresql://u@/db"),
    ]:
        assert shown(url) == seen
