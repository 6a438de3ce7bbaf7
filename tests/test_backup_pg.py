"""`backup`, `restore` and `verify --since` on a real PostgreSQL (tests/pg_server.py): the copy is
checked by restoring it into a scratch database; a forged dump is refused and nothing changes; a
history cut off after a backup is seen; the URL's password is never printed nor put on a
command line."""

from __future__ import annotations

import io
import os
import secrets
import stat
import subprocess
import threading
import time

import psycopg
import pytest
from psycopg import sql

from scoring import audit, backup_pg, cli, scorecards
from scoring.store import Store
from tests import world
from tests.world import DAY, submit

pytestmark = pytest.mark.slow


def build(url: str) -> world.World:
    made = world._build(
        url,
        strategy=None,
        reveal_rule="after_own",
        anonymise=False,
        forced_choice=False,
        manager_interviews=False,
    )
    submit(made, "ana", 3)
    return made


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def scratch_left(cluster) -> list[str]:
    return [d for d in cluster.databases() if d.startswith(backup_pg.SCRATCH_PREFIX)]


def superuser(url: str, *statements) -> list:
    """Statements as the test server's superuser, behind Debrief's back; the last one's rows."""
    rows: list = []
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            text, params = statement if isinstance(statement, tuple) else (statement, None)
            cursor = conn.execute(text, params)
            rows = cursor.fetchall() if cursor.description else []
    return rows


def behind_the_guards(url: str, table: str, *statements) -> None:
    """Run `statements` on `table` with its guarding triggers off, then switch them back on as
    they were (ENABLE ALWAYS): what a superuser forging the data would do."""
    triggers = superuser(
        url,
        (
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass"
            " AND NOT tgisinternal",
            [table],
        ),
    )
    assert triggers and {mode for _, mode in triggers} == {"A"}
    name = sql.Identifier(table)
    superuser(
        url,
        sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(name),
        *statements,
        *(
            sql.SQL("ALTER TABLE {} ENABLE ALWAYS TRIGGER {}").format(name, sql.Identifier(t))
            for t, _ in triggers
        ),
    )


def test_backup_verifies_and_restore_brings_it_back(pg_url, pg_cluster, tmp_path):
    w = build(pg_url)
    backup = tmp_path / "debrief.dump"
    code, out, err = run("backup", str(backup), "--db", pg_url)
    assert code == 0, err
    assert backup.read_bytes()[:5] == b"PGDMP"
    assert "restored into a scratch database and verified" in out
    with w.store.read() as db:
        (entry,) = audit.entries(db, "backup")
        saw = db.execute("SELECT id, hash FROM audit_log WHERE id = ?", [entry["id"] - 1])
        head = tuple(saw.fetchone())
    # the head the copy holds: the entry before the backup's own note, printed and recorded
    assert f"chain head: audit_log id {head[0]}, {head[1]}" in out
    assert (entry["detail"]["head_id"], entry["detail"]["head_hash"]) == head
    assert backup_pg.dump_head(backup) == head
    assert scratch_left(pg_cluster) == []
    before = world.dump(w.store)

    submit(w, "bo", 2)  # after the backup: the restore takes it away again
    assert run("restore", str(backup), "--db", pg_url)[0] == 2  # in use: --yes needed
    code, out, err = run("restore", str(backup), "--db", pg_url, "--yes")
    assert code == 0, err
    assert "restored from" in out
    with w.store.read() as db:
        cards = db.execute("SELECT assignment_id FROM scorecards").fetchall()
        (restored,) = audit.entries(db, "restore")
    assert [c[0] for c in cards] == [w.seats["ana"]]
    assert (restored["detail"]["head_id"], restored["detail"]["head_hash"]) == head
    assert run("verify", "--db", pg_url)[0] == 0
    # every row as the backup held it, the restore's note in the history apart
    after = [line for line in world.dump(w.store) if "restore" not in line]
    assert after == [line for line in before if '"backup"' not in line and "'backup'" not in line]
    assert scratch_left(pg_cluster) == []
    # the service writes on: the sequences are past the restored rows
    submit(w, "cy", 4)
    assert run("verify", "--db", pg_url)[0] == 0


def test_restore_refuses_a_forged_dump_and_changes_nothing(pg_url, pg_cluster, tmp_path):
    w = build(pg_url)
    backup = tmp_path / "debrief.dump"
    assert run("backup", str(backup), "--db", pg_url)[0] == 0
    # the forger: the dump restored elsewhere, a scorecard changed behind the guards, dumped again
    elsewhere = pg_cluster.new_database("forge")
    try:
        found = backup_pg.tools()
        backup_pg._restore_into(found, backup, elsewhere)
        with Store(elsewhere).read() as db:
            (card,) = db.execute("SELECT id FROM scorecards").fetchall()
        behind_the_guards(
            elsewhere, "scorecards", ("UPDATE scorecards SET overall = 0 WHERE id = %s", [card[0]])
        )
        forged = tmp_path / "forged.dump"
        subprocess.run(
            [found.pg_dump, "--format=custom", f"--file={forged}", f"--dbname={elsewhere}"],
            check=True,
        )
    finally:
        pg_cluster.drop_database(elsewhere)
    submit(w, "bo", 2)
    live = world.dump(w.store)
    code, _out, err = run("restore", str(forged), "--db", pg_url, "--yes")
    assert code == 1
    assert (
        "does not verify" in err and f"scorecards id {card[0]}: changed since it was written" in err
    )
    assert world.dump(w.store) == live
    assert scratch_left(pg_cluster) == []
    # and the honest dump still restores
    assert run("restore", str(backup), "--db", pg_url, "--yes")[0] == 0


def test_restore_refuses_a_dump_signed_with_another_key(pg_url, tmp_path, monkeypatch):
    w = build(pg_url)
    backup = tmp_path / "debrief.dump"
    assert run("backup", str(backup), "--db", pg_url)[0] == 0
    live = world.dump(w.store)
    monkeypatch.setenv("DEBRIEF_AUDIT_KEY", "a different key, of more than thirty-two chars")
    code, _out, err = run("restore", str(backup), "--db", pg_url, "--yes")
    assert code == 1 and "signed with another audit key" in err
    monkeypatch.undo()
    assert world.dump(w.store) == live


def test_verify_since_a_dump_sees_the_newest_history_cut_off(pg_url, tmp_path):
    """The tail cut off (the entries after the backup, and the one it saw) leaves a chain that
    is whole and signed: only the dump, or the head it printed, shows it."""
    w = build(pg_url)
    with w.store.write() as db:
        audit.record(db, w.manager.id, "sign_out_everywhere", "person:2", DAY, ended=1)
    backup = tmp_path / "debrief.dump"
    assert run("backup", str(backup), "--db", pg_url)[0] == 0
    head = backup_pg.dump_head(backup)
    code, _out, err = run("verify", "--since", str(backup), "--db", pg_url)
    assert code == 0 and f"unchanged since the chain head you gave: the {head[0]} entries" in err
    behind_the_guards(pg_url, "audit_log", ("DELETE FROM audit_log WHERE id >= %s", [head[0]]))
    assert run("verify", "--db", pg_url)[0] == 0  # nothing else to see
    for since in (str(backup), f"{head[0]}:{head[1]}"):
        code, _out, err = run("verify", "--since", since, "--db", pg_url)
        assert code == 1
        assert (
            f"history was rewritten since the chain head you gave: audit_log id {head[0]}"
            " is not the entry it saw (it is gone)" in err
        )


WRAPPER = """#!/bin/sh
printf '%s\\n' "$0 $*" >> {log}
if [ -n "$PGPASSFILE" ]; then cat "$PGPASSFILE" >> {passfiles}; fi
exec {real} "$@"
"""


def test_a_password_is_never_shown_nor_on_a_command_line(pg_url, pg_cluster, tmp_path, monkeypatch):
    """A user with a password (the server asks for it) and no CREATEDB: the backup is taken and
    checked in its snapshot, saying the file was not test-restored; restore refuses, changing
    nothing; the password is in no output and on no tool's command line, only in the passfile."""
    if pg_cluster.external:
        pytest.skip("needs its own server's pg_hba.conf")
    w = build(pg_url)
    user, password = f"pw_{os.getpid()}", f"Tr0ub:4dor\\{secrets.token_hex(8)}"
    hba = pg_cluster.data_dir / "pg_hba.conf"
    rules = hba.read_text()
    superuser(
        pg_cluster.admin_url,
        sql.SQL("CREATE ROLE {} LOGIN NOCREATEDB PASSWORD {}").format(
            sql.Identifier(user), sql.Literal(password)
        ),
    )
    try:
        hba.write_text(f"host all {user} 127.0.0.1/32 scram-sha-256\n{rules}")
        superuser(
            pg_url,
            sql.SQL("GRANT ALL ON ALL TABLES IN SCHEMA public TO {}").format(sql.Identifier(user)),
            sql.SQL("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {}").format(
                sql.Identifier(user)
            ),
            "SELECT pg_reload_conf()",
        )
        host = f"127.0.0.1:{pg_cluster.port}/{pg_url.rsplit('/', 1)[1]}"
        with pytest.raises(psycopg.OperationalError):  # the server does ask for it
            psycopg.connect(f"postgresql://{user}@{host}", connect_timeout=5).close()
        url = f"postgresql://{user}:{password.replace(':', '%3A').replace(chr(92), '%5C')}@{host}"

        # the tools, wrapped to note their command lines and what their passfile held
        real = backup_pg.tools()
        tools, log, passfiles = tmp_path / "bin", tmp_path / "argv.log", tmp_path / "passfiles"
        tools.mkdir()
        for tool in ("pg_dump", "pg_restore"):
            wrapper = tools / tool
            wrapper.write_text(
                WRAPPER.format(log=log, passfiles=passfiles, real=getattr(real, tool))
            )
            wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv(backup_pg.BIN_ENV, str(tools))

        backup = tmp_path / "debrief.dump"
        code, out, err = run("backup", str(backup), "--db", url)
        assert code == 0, err
        assert "the file itself was not test-restored" in out
        assert f"{user} may not CREATE DATABASE" in err
        said = [out, err]
        code, out, err = run("verify", "--since", str(backup), "--db", url)
        assert code == 0, err
        said += [out, err]
        live = world.dump(w.store)
        code, out, err = run("restore", str(backup), "--db", url, "--yes")
        assert code == 1 and "nothing changed" in err and "may not CREATE DATABASE" in err
        said += [out, err]
        assert world.dump(w.store) == live
        for text in said:
            assert password not in text and password.replace(":", "%3A") not in text
        command_lines = log.read_text()
        assert "--dbname=" in command_lines and user in command_lines
        assert password not in command_lines and "%3A" not in command_lines
        assert "\\:" in passfiles.read_text()  # escaped as libpq reads a passfile
    finally:
        hba.write_text(rules)
        superuser(
            pg_url,
            "SELECT pg_reload_conf()",
            sql.SQL("DROP OWNED BY {}").format(sql.Identifier(user)),
        )
        superuser(pg_cluster.admin_url, sql.SQL("DROP ROLE {}").format(sql.Identifier(user)))


def test_a_sqlite_file_is_not_restored_into_postgresql(pg_url, tmp_path):
    build(pg_url)
    file = tmp_path / "debrief.sqlite"
    Store(file)
    code, _out, err = run("restore", str(file), "--db", pg_url, "--yes")
    assert code == 2 and "migrate-to" in err


def test_backup_and_restore_while_workers_read_and_write(pg_url, tmp_path):
    """Other workers keep their pooled connections through a backup and a restore: a writer
    waits for the restore's transaction (the write lock) and goes on after it, a reader is never
    held up and sees the old rows or the new ones, never a mix, never an error."""
    w = build(pg_url)
    stop, errors, seen, slowest = threading.Event(), [], set(), [0.0, 0.0]

    def keep(what: int, work) -> None:
        while not stop.is_set():
            began = time.monotonic()
            try:
                work()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            slowest[what] = max(slowest[what], time.monotonic() - began)

    def read() -> None:  # two statements of one read unit: one snapshot, whole
        with w.store.read() as db:
            logged = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'submit'")
            logged = logged.fetchone()[0]
            seen.add((logged, db.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0]))

    workers = [
        threading.Thread(
            target=keep,
            args=(0, lambda: scorecards.save_draft(w.store, w.bo, w.seats["bo"], {"n": 1})),
        ),
        threading.Thread(target=keep, args=(1, read)),
    ]
    for worker in workers:
        worker.start()
    try:
        backup = tmp_path / "debrief.dump"
        code, _out, err = run("backup", str(backup), "--db", pg_url)
        assert code == 0, err
        submit(w, "cy", 2)
        began = time.monotonic()
        code, _out, err = run("restore", str(backup), "--db", pg_url, "--yes")
        took = time.monotonic() - began
        assert code == 0, err
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert errors == []
    assert seen == {(1, 1), (2, 2)}  # ana's card; then cy's too; then as backed up again
    print(f"restore {took:.2f} s; slowest write {slowest[0]:.2f} s, read {slowest[1]:.2f} s")
    assert slowest[1] < took  # a reader never waited for the whole restore
    with w.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0] == 1
    assert run("verify", "--db", pg_url)[0] == 0
