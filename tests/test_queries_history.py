"""The history tables' statements (scoring.queries.audit) are written whole, one per table: each
names the table and the key the audit log vouches for (`scoring.audit.DIGESTED`), so a table
added to the digested history without its statements, or with the wrong key, fails here."""

from scoring import audit
from scoring.queries import audit as Q


def test_every_digested_table_has_its_row_and_key_statements():
    assert set(Q.HISTORY_ROW) == set(Q.HISTORY_KEYS) == set(audit.DIGESTED)
    for table, key in audit.DIGESTED.items():
        assert Q.HISTORY_ROW[table] == f"SELECT * FROM {table} WHERE {key} = ?"
        assert Q.HISTORY_KEYS[table] == f"SELECT {key} FROM {table} ORDER BY {key}"
