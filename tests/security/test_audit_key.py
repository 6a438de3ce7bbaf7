"""The audit key (issue 22, part 2): where it comes from, what happens without it, a new one
(`rekey`), and a database from before it (`adopt-key`).

These databases are named `.db`, not `.sqlite`: each test checks them itself under the key they
were written with, and the suite's after-test check (conftest) uses the suite's own key.
"""

from __future__ import annotations

import io
import stat

import pytest
from forgery import recompute, rewrite

from scoring import audit, cli, keys
from scoring.integrity import verify
from scoring.keys import AuditKeyProblem
from world import build, submit

# The key file beside the SQLite file, and histories forged in that file. On PostgreSQL the key
# is never beside the database (tests/test_pg_store.py).
pytestmark = pytest.mark.sqlite_only("the audit key file beside the SQLite file, forged files")
OTHER = "another audit key for these tests, long enough to pass"


@pytest.fixture
def no_key(tmp_path, monkeypatch):
    """No key in the environment or in a secrets file: as on a fresh machine."""
    monkeypatch.delenv(keys.ENV)
    monkeypatch.delenv("DEBRIEF_NEW_AUDIT_KEY", raising=False)
    monkeypatch.setenv("DEBRIEF_SECRETS", str(tmp_path / "no-secrets.toml"))


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([str(a) for a in args], out, err)
    return code, out.getvalue(), err.getvalue()


def signed_with(path) -> set[str | None]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return {audit.signed_by(h) for (h,) in conn.execute("SELECT hash FROM audit_log")}
    finally:
        conn.close()


def test_without_a_key_a_new_database_gets_an_owner_only_key_file(tmp_path, no_key, caplog):
    w = build(tmp_path / "fresh.db")
    key_file = tmp_path / "fresh.db.audit-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = keys.find(w.store.path)
    assert key is not None and key.beside_database
    assert signed_with(w.store.path) == {key.id}  # every entry, the migrations' one too
    assert "created its audit key" in caplog.text and str(key_file) in caplog.text
    code, out, err = run("verify", "--db", w.store.location)
    assert code == 0 and "history intact" in out
    assert "beside the database" in err and "$DEBRIEF_AUDIT_KEY" in err  # says move it


def test_the_key_in_the_secrets_file_signs(tmp_path, monkeypatch):
    monkeypatch.delenv(keys.ENV)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[smtp]\nhost = ""\n\n[audit]\nkey = "{OTHER}"\n')
    monkeypatch.setenv("DEBRIEF_SECRETS", str(secrets))
    w = build(tmp_path / "secrets.db")
    assert not (tmp_path / "secrets.db.audit-key").exists()
    assert signed_with(w.store.path) == {keys.from_text(OTHER, "x").id}
    code, _, err = run("verify", "--db", w.store.location)
    assert code == 0 and err == ""


def test_a_short_key_is_refused_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv(keys.ENV, "hunter2")
    with pytest.raises(AuditKeyProblem, match=r"\$DEBRIEF_AUDIT_KEY is too short"):
        build(tmp_path / "short.db")


@pytest.mark.tampered
def test_a_lost_key_stops_writes_and_verify_says_why(tmp_path, no_key):
    w = build(tmp_path / "lost.db")
    key_id = keys.find(w.store.path).id
    (tmp_path / "lost.db.audit-key").unlink()
    with pytest.raises(AuditKeyProblem, match=f"audit key is missing.*signed with key {key_id}"):
        submit(w, "ana", 4)
    assert not (tmp_path / "lost.db.audit-key").exists()  # no new key behind the owner's back
    code, _, err = run("verify", "--db", w.store.location)
    assert code == 1 and "no audit key is set" in err and key_id in err


def test_a_wrong_key_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    w = build(tmp_path / "wrong.db")
    before = w.store.path.read_bytes()
    monkeypatch.setenv(keys.ENV, OTHER)
    with pytest.raises(AuditKeyProblem, match="is not the one its history is signed with"):
        submit(w, "ana", 4)
    monkeypatch.undo()
    assert verify(w.store).ok and w.store.path.read_bytes() == before


def test_rekey_with_the_key_file_reseals_and_replaces_it(tmp_path, no_key):
    w = build(tmp_path / "rekey.db")
    submit(w, "ana", 4)
    old = keys.find(w.store.path)
    code, out, _ = run("rekey", "--db", w.store.location)
    assert code == 0 and "now holds the new key" in out and "shown once" not in out
    new = keys.find(w.store.path)
    assert new.id != old.id
    assert stat.S_IMODE((tmp_path / "rekey.db.audit-key").stat().st_mode) == 0o600
    submit(w, "bo", 3)  # the app signs on with the new key
    assert verify(w.store).ok
    assert not verify(w.store, key=old).ok  # the old key no longer vouches for it
    with w.store.read() as db:
        (sealed,) = audit.entries(db, "rekey")
    assert sealed["detail"]["old_key_id"] == old.id and sealed["detail"]["key_id"] == new.id
    assert sealed["detail"]["old_key_says"] == old.sign(
        f"rekey {new.id} {sealed['detail']['root']}".encode()
    )


def test_rekey_with_a_configured_key_needs_the_new_one_set(tmp_path, monkeypatch):
    w = build(tmp_path / "env.db")
    monkeypatch.setenv("DEBRIEF_NEW_AUDIT_KEY", OTHER)
    code, out, _ = run("rekey", "--db", w.store.location)
    assert code == 0 and "Put the new key in place of the old one ($DEBRIEF_AUDIT_KEY)" in out
    with pytest.raises(AuditKeyProblem, match="not the one its history is signed with"):
        submit(w, "ana", 4)  # still the old key: refused, not signed with it
    monkeypatch.setenv(keys.ENV, OTHER)
    submit(w, "ana", 4)
    assert verify(w.store).ok
    monkeypatch.undo()


@pytest.mark.tampered
def test_rekey_refuses_a_history_that_does_not_verify(tmp_path, monkeypatch):
    w = build(tmp_path / "forged.db")
    card = submit(w, "ana", 4)
    rewrite(w.store.path, ("UPDATE scorecards SET overall = 0 WHERE id = ?", [card.id]))
    recompute(w.store.path)
    before = w.store.path.read_bytes()
    monkeypatch.setenv("DEBRIEF_NEW_AUDIT_KEY", OTHER)
    code, _, err = run("rekey", "--db", w.store.location)
    assert code == 1 and "does not verify under the old key" in err
    assert w.store.path.read_bytes() == before  # nothing sealed


def test_a_database_from_before_the_key_is_sealed_once(tmp_path):
    """A database written before the key carries plain hashes, exactly as a full recomputation
    does: `verify` cannot tell them apart, so it fails until the key holder vouches once."""
    w = build(tmp_path / "old.db")
    submit(w, "ana", 4)
    recompute(w.store.path)  # what the version before the key wrote
    count = _entries(w)
    code, _, err = run("verify", "--db", w.store.location)
    assert code == 1
    assert f"{count} audit entries (ids 1 to {count}): not signed with the audit key" in err
    assert "python -m scoring adopt-key" in err
    submit(w, "bo", 3)  # the app keeps working meanwhile, signing what it writes
    code, out, _ = run("adopt-key", "--db", w.store.location)
    assert code == 0 and f"sealed {count} entries from before the audit key" in out
    assert verify(w.store).ok
    assert run("adopt-key", "--db", w.store.location)[:2] == (0, "adopt-key: nothing to seal\n")


@pytest.mark.tampered
def test_a_sealed_entry_cannot_be_changed_afterwards(tmp_path, monkeypatch):
    """The seal pins the content of every entry before it, even those signed with a key that
    is gone (after rekey, the old key's signatures cannot be checked)."""
    w = build(tmp_path / "sealed.db")
    submit(w, "ana", 4)
    monkeypatch.setenv("DEBRIEF_NEW_AUDIT_KEY", OTHER)
    assert run("rekey", "--db", w.store.location)[0] == 0
    monkeypatch.setenv(keys.ENV, OTHER)
    assert verify(w.store).ok
    rewrite(
        w.store.path,
        ("UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00' WHERE action = 'submit'", []),
    )
    code, _, err = run("verify", "--db", w.store.location)
    assert code == 1 and "the entries before this seal are not the ones it vouched for" in err


@pytest.mark.tampered
def test_adopt_key_refuses_what_else_is_wrong(tmp_path):
    w = build(tmp_path / "old.db")
    card = submit(w, "ana", 4)
    recompute(w.store.path)
    rewrite(w.store.path, ("UPDATE scorecards SET overall = 0 WHERE id = ?", [card.id]))
    code, _, err = run("adopt-key", "--db", w.store.location)
    assert code == 1 and "changed since it was written" in err
    assert not verify(w.store).ok


@pytest.mark.tampered
def test_adopt_key_does_not_launder_entries_appended_without_the_key(tmp_path):
    w = build(tmp_path / "appended.db")
    submit(w, "ana", 4)
    last = _entries(w)
    recompute(w.store.path, from_id=last)  # the newest entry rewritten with a plain hash
    code, _, err = run("adopt-key", "--db", w.store.location)
    assert code == 1 and "not signed, though entries before it are" in err


def _entries(w) -> int:
    with w.store.read() as db:
        return db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def test_backup_and_restore_use_the_live_databases_key(tmp_path, no_key):
    """The backup file has no key file beside it: it is checked with the live database's."""
    w = build(tmp_path / "live.db")
    submit(w, "ana", 4)
    backup = tmp_path / "copy.db"
    code, out, _ = run("backup", backup, "--db", w.store.location)
    assert code == 0 and "verified" in out
    assert not (tmp_path / "copy.db.audit-key").exists()
    submit(w, "bo", 2)
    code, out, err = run("restore", backup, "--db", w.store.location, "--yes")
    assert code == 0, err
    with w.store.read() as db:
        assert [e["action"] for e in audit.entries(db)][-1] == "restore"
    assert verify(w.store).ok
