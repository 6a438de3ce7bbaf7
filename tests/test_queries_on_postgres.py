"""Every statement of the queries layer, as scoring/dialect.py translates it, is one PostgreSQL
accepts on Debrief's schema: each is prepared (parsed, its names and types resolved, planned)
on a real server, so a function SQLite has and PostgreSQL lacks, a column compared with a value
of another type, or a name that differs shows here, statement by statement, before any service
test meets it."""

import importlib
import pkgutil
import re

import psycopg
import pytest

import scoring.queries
from scoring.dialect import to_postgres
from scoring.store import Store

# Not statements the service runs through the dialect: the schema's own modules, the engine's
# bookkeeping, PostgreSQL's own backup statements (composed with psycopg.sql) and migrate-to's
# reading of the SQLite source.
SKIP_MODULES = {
    "schema",
    "schema_pg",
    "schema_pg_tables",
    "postgres",
    "database",
    "backup_pg",
    "migrate_to",
}
# Parts of statements (a WITH clause, a subquery), prepared inside the statements made of them;
# and SQLite's own look at itself, never run on PostgreSQL (scoring/insights/kept.py `_where`).
NOT_STATEMENTS = {
    "insights.LATEST_SEATS",
    "pipeline._ACTIVE_SEATS",
    "uncertainty.INDEPENDENT_SEATS",
    "kept.DATABASE_FILE",
}
STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)


def statements() -> list[tuple[str, str]]:
    found = []
    for info in pkgutil.iter_modules(scoring.queries.__path__):
        if info.name in SKIP_MODULES:
            continue
        module = importlib.import_module(f"scoring.queries.{info.name}")
        for name, value in vars(module).items():
            if f"{info.name}.{name}" in NOT_STATEMENTS:
                continue
            if isinstance(value, str) and STATEMENT.match(value):
                found.append((f"{info.name}.{name}", value))
            elif isinstance(value, dict):  # statements kept by table (audit.HISTORY_ROW, ...)
                for key, text in value.items():
                    if isinstance(text, str) and STATEMENT.match(text):
                        found.append((f"{info.name}.{name}[{key}]", text))
    return found


def numbered(text: str) -> str:
    """psycopg's placeholders as PREPARE's ($1, $2, ...; a name used twice is one number)."""
    names: dict[str, int] = {}
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1):
            if match.group(1) not in names:
                count += 1
                names[match.group(1)] = count
            return f"${names[match.group(1)]}"
        count += 1
        return f"${count}"

    return re.sub(r"%\((\w+)\)s|%s", number, text).replace("%%", "%")


@pytest.mark.slow
def test_every_statement_is_one_postgresql_accepts(pg_url):
    store = Store(pg_url)  # migrated: the whole schema, as the steps build it
    found = statements()
    assert len(found) > 150  # the queries layer, not an empty scan
    refused = []
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for n, (name, sql) in enumerate(found):
            text, _ = to_postgres(sql, "?" in sql or re.search(r"(?<!:):\w", sql) is not None)
            try:
                conn.execute(f"PREPARE q{n} AS {numbered(text)}")
                conn.execute(f"DEALLOCATE q{n}")
            except psycopg.Error as exc:
                refused.append(f"{name}: {str(exc).splitlines()[0]}\n    {text[:300]}")
    store.close()
    assert not refused, f"{len(refused)} of {len(found)} refused:\n" + "\n".join(refused)
