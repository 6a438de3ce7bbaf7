"""Where SQLite's SQL and PostgreSQL's differ: the one place that says so.

Debrief's statements (`scoring.queries`) are written once, in SQLite's dialect, and run as they
are on SQLite. On PostgreSQL each statement is translated once (and kept) by `to_postgres`:

- placeholders: ``?`` becomes ``%s`` and ``:name`` becomes ``%(name)s``; a literal ``%`` is
  doubled (psycopg reads ``%`` as the start of a placeholder);
- ``INDEXED BY index`` (a hint SQLite needs to keep some pages bounded) is dropped, and
  ``CROSS JOIN t ON ...`` (SQLite's way to fix the order of a join) becomes ``JOIN t ON ...``:
  PostgreSQL's planner picks its own indexes and order;
- ``x = ? COLLATE NOCASE`` becomes ``lower(x) = lower(?)`` and ``ORDER BY x COLLATE NOCASE``
  ``lower(x)`` (emails are unique by ``lower(email)`` there);
- ``LIKE`` becomes ``ILIKE``: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's
  does not;
- ``IS NOT x`` / ``IS x`` (SQLite's null-safe comparisons; not ``IS [NOT] NULL``) become
  ``IS [NOT] DISTINCT FROM x``;
- a list of ids passed as one JSON array (``json_each``) is read with PostgreSQL's JSON
  functions (`scoring.queries.postgres.FRAGMENTS`);
- ``json_extract(x, '$.key')`` becomes ``(x::json ->> 'key')`` (text: compare it as text, or
  cast it);
- ``group_concat(x)`` becomes ``string_agg(x::text, ',')``;
- an ``INSERT INTO t`` of a table with an ``id`` column gets ``RETURNING id``, which the cursor
  hands back as `lastrowid`, as sqlite3's does.

What no rewriting rule can say is a whole statement of its own in `OVERRIDES`, keyed by the
SQLite text. Anything else in a statement must mean the same on both engines: the tests run the
service on both (see README, "Two engines").
"""

from __future__ import annotations

import re
from functools import lru_cache

from scoring.queries.postgres import CROSS_JOIN_ON, FRAGMENTS
from scoring.queries.postgres import OVERRIDES as _OVERRIDES

# Tables whose rows have an `id` the service reads back after an insert (sqlite3's lastrowid).
ID_TABLES = frozenset(
    {
        "people",
        "openings",
        "candidates",
        "interview_sessions",
        "assignments",
        "scorecards",
        "decisions",
        "committee_votes",
        "audit_log",
        "outbox",
        "hire_outcomes",
        "stage_seats",
        "stage_reviews",
        "stage_outcomes",
        "cheating_flags",
        "take_home_events",
        "candidate_feedback",
        "quote_consents",
        "_sqlite_migrations",
    }
)

# Whole statements that differ, by their SQLite text: `scoring.queries.postgres`.
OVERRIDES: dict[str, str] = dict(_OVERRIDES)

_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
_NOCASE_EQUALS = re.compile(r"([\w.]+)\s*=\s*(\?|:\w+)\s+COLLATE\s+NOCASE", re.IGNORECASE)
_NOCASE = re.compile(r"([\w.]+)\s+COLLATE\s+NOCASE", re.IGNORECASE)
_LIKE = re.compile(r"(?<![\w])LIKE(?![\w])", re.IGNORECASE)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b)", re.IGNORECASE)
_IS = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b)", re.IGNORECASE)
_JSON_EXTRACT = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"group_concat\(\s*([\w.]+)\s*\)", re.IGNORECASE)
_CROSS_JOIN_ON = re.compile(r"\bCROSS\s+JOIN\s+(\w+)(\s+\w+)?(?=\s+ON\b)", re.IGNORECASE)
_UNTRANSLATED = re.compile(r"COLLATE\s+NOCASE", re.IGNORECASE)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?(\w+)\"?", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def _outside_literals(sql: str, change) -> str:
    """`change` applied to every part of `sql` outside quoted strings and quoted names (kept
    as they are); comments are dropped."""
    parts: list[str] = []
    plain: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == c:
                    if end + 1 < n and sql[end + 1] == c:  # a doubled quote inside
                        end += 2
                        continue
                    break
                end += 1
            parts.append(change("".join(plain)))
            plain = []
            parts.append(sql[i : end + 1])
            i = end + 1
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            plain.append(" ")  # a comment goes: psycopg would read a % in it
            i = end
        else:
            plain.append(c)
            i += 1
    parts.append(change("".join(plain)))
    return "".join(parts)


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _placeholders(text: str) -> str:
    text = text.replace("%", "%%")
    text = text.replace("?", "%s")
    return _NAMED.sub(r"%(\1)s", text)


def _rewrite(text: str) -> str:
    text = _INDEXED_BY.sub("", text)
    text = _CROSS_JOIN_ON.sub(CROSS_JOIN_ON, text)
    text = _NOCASE_EQUALS.sub(r"lower(\1) = lower(\2)", text)
    text = _NOCASE.sub(r"lower(\1)", text)
    text = _LIKE.sub("ILIKE", text)
    text = _IS_NOT.sub("IS DISTINCT FROM ", text)
    text = _IS.sub("IS NOT DISTINCT FROM ", text)
    for sqlite, postgres in FRAGMENTS.items():
        text = text.replace(sqlite, postgres)
    return _GROUP_CONCAT.sub(r"string_agg(\1::text, ',')", text)


@lru_cache(maxsize=4096)
def to_postgres(sql: str, with_parameters: bool = True) -> tuple[str, bool]:
    """The PostgreSQL text of one statement written for SQLite, and whether it returns the new
    row's id (an insert given ``RETURNING id``). `with_parameters`: whether it is run with
    parameters (only then does psycopg read ``%``, so only then is it doubled). A statement in
    `OVERRIDES` is replaced whole (its placeholders are still written ``?`` / ``:name``)."""
    override = OVERRIDES.get(sql)
    if override is not None:
        text = override
    else:  # json_extract's path is a quoted string: rewritten before the literals are set apart
        text = _outside_literals(_JSON_EXTRACT.sub(r"(\1::json ->> '\2')", sql), _rewrite)
        left = _outside_literals(text, lambda part: part)  # (comments dropped)
        if _UNTRANSLATED.search(left) or "/*" in left:
            raise ValueError(
                "a statement no rule of scoring/dialect.py translates (a COLLATE NOCASE on an"
                " expression, a /* comment */): write its PostgreSQL text in"
                f" scoring/queries/postgres.py OVERRIDES: {sql[:200]}"
            )
    if with_parameters:
        text = _percent_in_literals(_outside_literals(text, _placeholders))
    returns_id = False
    found = _INSERT.match(text)
    if found and found.group(1) in ID_TABLES and not _RETURNING.search(text):
        text = text.rstrip().rstrip(";") + " RETURNING id"
        returns_id = True
    return text, returns_id


def _percent_in_literals(sql: str) -> str:
    """Inside quoted strings, ``%`` doubled (outside them `_placeholders` did it)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        if sql[i] != "'":
            j = sql.find("'", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
            continue
        end = i + 1
        while end < n:
            if sql[end] == "'":
                if end + 1 < n and sql[end + 1] == "'":
                    end += 2
                    continue
                break
            end += 1
        out.append(sql[i : end + 1].replace("%", "%%"))
        i = end + 1
    return "".join(out)
