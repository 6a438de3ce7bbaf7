"""The command line's history commands: `verify`, `backup`, `restore`, `adopt-key` and `rekey`
(see `scoring.cli` for the parser and the exit codes). Each imports what it uses inside it, so
that `python -m scoring --help` loads no database layer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scoring.errors import DebriefError
from scoring.queries import cli as Q

if TYPE_CHECKING:
    from scoring.keys import AuditKey
    from scoring.models.integrity import Report


def verify_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`verify [--since BACKUP]`: 0 the history is intact, 1 the first break (and up to 20 more)."""
    from scoring.integrity import verify
    from scoring.store import Store

    since = None
    if args.since:
        since = _chain_head(args.since, err)
        if since is None:
            return 2
    key, where = None, args.db or "the database"
    if _on_postgres(args.db):
        from scoring.postgres import shown

        key = _pg_key("verify", err)
        if key is None:
            return 2
        where = shown(args.db) if args.db else where  # never the password
    report = verify(Store(args.db), key=key, since=since)
    checked = ", ".join(f"{n:,} {what}" for what, n in sorted(report.checked.items()))
    for note in report.notes:
        print(f"note: {note}", file=err)
    if report.ok:
        print(f"{where}: history intact ({checked})", file=out)
        return 0
    print(f"first broken: {report.problems[0]}", file=err)
    for problem in report.problems[1:20]:
        print(f"also: {problem}", file=err)
    more = len(report.problems) - 20
    if more > 0:
        print(f"... and {more:,} more", file=err)
    return 1


def _chain_head(given: str, err: TextIO) -> tuple[int, str] | None:
    """The chain head named by --since: a backup file's last audit entry, or ID:HASH as
    `backup` printed it; None (having said why) when it is neither."""
    import sqlite3

    if Path(given).is_file() and _is_dump(Path(given)):
        from scoring import backup_pg

        try:
            return backup_pg.dump_head(Path(given))
        except backup_pg.BackupProblem as exc:
            print(f"verify: {given} cannot be read as a backup: {exc}", file=err)
            return None
    if Path(given).is_file():
        try:
            conn = sqlite3.connect(f"file:{Path(given).resolve()}?mode=ro", uri=True)
            try:
                row = conn.execute(Q.LAST_AUDIT_ENTRY)
                last = row.fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            print(f"verify: {given} cannot be read as a backup: {exc}", file=err)
            return None
        return (last[0], last[1]) if last else (0, "")
    number, _, stored = given.partition(":")
    if not number.isdigit() or not stored:
        print(f"verify: --since must be a backup file or ID:HASH (got {given!r})", file=err)
        return None
    return int(number), stored


def _is_dump(path: Path) -> bool:
    """A pg_dump archive (PostgreSQL's backup), not a SQLite file."""
    from scoring.backup_pg import is_dump

    return is_dump(path)


def _on_postgres(db: str | None) -> bool:
    from scoring.paths import default_target, is_url

    return is_url(db if db is not None else default_target())


def _pg_key(command: str, err: TextIO) -> AuditKey | None:
    """On PostgreSQL the audit key is set outside the database ($DEBRIEF_AUDIT_KEY or the
    secrets file), never in a file beside it; None (having said so) when it is not set."""
    from scoring import keys

    try:
        key = keys.configured()
    except keys.AuditKeyProblem as exc:
        print(f"{command}: {exc}", file=err)
        return None
    if key is None:
        print(
            f"{command}: the audit key is not set. On PostgreSQL it is never kept beside the"
            f" database: set ${keys.ENV} or [audit] key in .streamlit/secrets.toml",
            file=err,
        )
    return key


def backup_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`backup FILE`: an online copy, verified, noted in the live history with its chain head
    (on PostgreSQL: a pg_dump archive, see `scoring.backup_pg`)."""
    import sqlite3

    from scoring import keys
    from scoring.store import Store

    target = Path(args.file)
    if target.exists():
        print(f"backup: {target} exists; choose a new file name", file=err)
        return 2
    store = Store(args.db)
    if store.engine == "postgresql":
        return _backup_postgres(store, target, out, err)
    source, copy = sqlite3.connect(store.path), sqlite3.connect(target)
    try:
        source.backup(copy)  # SQLite's online backup: a consistent copy while others write
    finally:
        source.close()
        copy.close()
    try:
        key = keys.find(store.path)
    except keys.AuditKeyProblem as exc:
        print(f"backup: {target} written, but it cannot be checked: {exc}", file=err)
        return 1
    report = _verify_with(target, key)
    if not report.ok:
        print(f"backup: {target} written, but it does not verify: {report.problems[0]}", file=err)
        return 1
    head_id, head_hash = report.head
    if not _note_backup(store, target, report.head, None, err):
        return 1
    print(f"{target}: backup of {store.path}, {target.stat().st_size:,} bytes, verified", file=out)
    _say_head(target, head_id, head_hash, out)
    return 0


def _note_backup(store, target: Path, head: tuple[int, str], key, err: TextIO) -> bool:
    """The live history remembers what this backup saw (a later `verify` checks it is still
    there); False, said on `err`, when it could not be noted."""
    from contextlib import nullcontext

    from scoring import audit, keys
    from scoring.store import now_utc

    try:
        with keys.using(key) if key is not None else nullcontext(), store.write() as db:
            audit.record(
                db,
                None,
                "backup",
                "database",
                now_utc(),
                file=str(target.resolve()),
                head_id=head[0],
                head_hash=head[1],
            )
    except DebriefError as exc:
        print(
            f"backup: {target} written and verified, but not noted in the history: {exc}", file=err
        )
        return False
    return True


def _say_head(target: Path, head_id: int, head_hash: str, out: TextIO) -> None:
    print(
        f"chain head: audit_log id {head_id:,}, {head_hash}. Later, `python -m scoring verify"
        f" --since {target}` (or --since {head_id}:{head_hash}) says whether history has been"
        " rewritten since",
        file=out,
    )


def _backup_postgres(store, target: Path, out: TextIO, err: TextIO) -> int:
    """`backup FILE` on PostgreSQL: pg_dump, the copy checked in a scratch database."""
    from scoring import backup_pg
    from scoring.postgres import shown

    key = _pg_key("backup", err)
    if key is None:
        return 2
    try:
        made = backup_pg.backup(store.url, target, key)
    except backup_pg.BackupProblem as exc:
        written = "written, but it cannot be checked" if target.exists() else "not written"
        print(f"backup: {target} {written}: {exc}", file=err)
        return 1
    report = made.report
    if not report.ok:
        print(f"backup: {target} written, but it does not verify: {report.problems[0]}", file=err)
        return 1
    head_id, head_hash = report.head
    if not _note_backup(store, target, report.head, key, err):
        return 1
    how = (
        "restored into a scratch database and verified"
        if made.restored
        else "its rows verified in the snapshot it was taken in (the file itself was not"
        " test-restored)"
    )
    if made.note:
        print(f"note: {made.note}", file=err)
    print(
        f"{target}: backup of {shown(store.url)} (pg_dump, custom format),"
        f" {target.stat().st_size:,} bytes, {how}",
        file=out,
    )
    _say_head(target, head_id, head_hash, out)
    return 0


def _verify_with(path: Path, key: AuditKey | None) -> Report:
    """Verify the database at `path` with the live database's `key` (the copy's own migrations,
    if it needs any, sign with it too)."""
    from contextlib import nullcontext

    from scoring import keys
    from scoring.integrity import verify
    from scoring.store import Store

    with keys.using(key) if key else nullcontext():
        return verify(Store(path), key=key)


def restore_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`restore FILE [--yes]`: replace the database with a backup once a copy of it verifies."""
    import shutil
    import sqlite3
    import tempfile

    from scoring import audit, keys
    from scoring.integrity import verify
    from scoring.store import Store, default_path, now_utc

    source = Path(args.file)
    if not source.exists():
        print(f"restore: {source} does not exist", file=err)
        return 2
    if _on_postgres(args.db):
        return _restore_postgres(args, source, out, err)
    if _is_dump(source):
        print(
            f"restore: {source} is a PostgreSQL backup (pg_dump): restore it into a PostgreSQL"
            " database (--db postgresql://...)",
            file=err,
        )
        return 2
    try:
        key = keys.find(Path(args.db) if args.db else default_path())
    except keys.AuditKeyProblem as exc:
        print(f"restore: {exc}", file=err)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        candidate = Path(folder) / "restore.sqlite"
        shutil.copyfile(source, candidate)  # checked (and brought up to date) on a copy
        try:
            report = (
                verify(Store(candidate), key=key) if key is None else _verify_with(candidate, key)
            )
        except DebriefError as exc:
            print(f"restore: {source} cannot be read: {exc}", file=err)
            return 1
        if not report.ok:
            print(f"restore: {source} does not verify: {report.problems[0]}", file=err)
            return 1
        target = Store(args.db)
        with target.read() as db:
            people_now = db.execute(Q.COUNT_PEOPLE).fetchone()[0]
        if people_now and not args.yes:
            print(
                f"restore: {target.path} holds {people_now} people; add --yes to replace it"
                f" with {source}",
                file=err,
            )
            return 2
        copy, live = sqlite3.connect(candidate), sqlite3.connect(target.path)
        try:
            copy.backup(live)  # the live file is replaced page by page, under SQLite's lock
        finally:
            copy.close()
            live.close()
    if key is not None:
        with keys.using(key), target.write() as db:
            audit.record(
                db,
                None,
                "restore",
                "database",
                now_utc(),
                file=str(source.resolve()),
                head_id=report.head[0],
                head_hash=report.head[1],
            )
    print(f"{target.path}: restored from {source} (verified before and after)", file=out)
    return 0 if verify(target, key=key).ok else 1


def _restore_postgres(args: argparse.Namespace, source: Path, out: TextIO, err: TextIO) -> int:
    """`restore FILE [--yes]` on PostgreSQL: the target's rows replaced in one transaction, once
    a scratch copy of the dump verifies, and only if the result verifies (`scoring.backup_pg`)."""
    from scoring import backup_pg
    from scoring.postgres import shown
    from scoring.store import Store

    if not _is_dump(source):
        print(
            f"restore: {source} is not a PostgreSQL backup (pg_dump, custom format). A SQLite"
            " database is copied into PostgreSQL with `python -m scoring migrate-to URL`",
            file=err,
        )
        return 2
    key = _pg_key("restore", err)
    if key is None:
        return 2
    target = Store(args.db)
    try:
        report = backup_pg.restore(
            target.url, source, key, str(source.resolve()), replace_in_use=args.yes
        )
    except backup_pg.InUse as exc:
        print(
            f"restore: {shown(target.url)} holds {exc.people} people; add --yes to replace it"
            f" with {source}",
            file=err,
        )
        return 2
    except backup_pg.BackupProblem as exc:
        print(f"restore: {source} was not restored, nothing changed: {exc}", file=err)
        return 1
    finally:
        target.close()
    if not report.ok:
        print(f"restore: {source} does not verify: {report.problems[0]}", file=err)
        return 1
    print(
        f"{shown(target.url)}: restored from {source} (verified before, and after inside the"
        " transaction that replaced it)",
        file=out,
    )
    return 0


def adopt_key_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`adopt-key`: seal the entries written before the audit key (once, if they verify)."""
    from scoring import audit, keys
    from scoring.integrity import verify
    from scoring.store import Store, now_utc

    store = Store(args.db)
    try:
        if store.engine == "postgresql":  # never a key file beside a server
            key = _pg_key("adopt-key", err)
            if key is None:
                return 2
        else:
            key = keys.find(store.path) or keys.create_file(store.path)
        with keys.using(key), store.write() as db:  # nobody writes between the check and the seal
            report = verify(store, key=key)
            rest = [p for p in report.problems if "scoring adopt-key" not in p]
            if report.unsealed == 0 or rest:
                first = (rest or report.problems or ["nothing to seal"])[0]
                print(f"adopt-key: {first}", file=err if report.problems else out)
                return 1 if report.problems else 0
            detail = audit.seal(db, key, "adopt_key", now_utc(), unsigned=report.unsealed)
    except keys.AuditKeyProblem as exc:
        print(f"adopt-key: {exc}", file=err)
        return 2
    print(
        f"{store.shown}: sealed {report.unsealed:,} entries from before the audit key"
        f" ({detail['entries']:,} in all) with key {key.id} from {key.source}",
        file=out,
    )
    return 0


def rekey_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`rekey`: seal the history under a new audit key, signed by the old one too."""
    import os

    from scoring import audit, keys
    from scoring.integrity import verify
    from scoring.store import Store, now_utc

    store = Store(args.db)
    try:
        old = keys.configured() if store.engine == "postgresql" else keys.find(store.path)
        if old is None:
            print("rekey: no audit key is set, and a new key needs the old one", file=err)
            return 2
        given = os.environ.get("DEBRIEF_NEW_AUDIT_KEY")
        new = keys.from_text(given or keys.new_key_text(), "$DEBRIEF_NEW_AUDIT_KEY")
    except keys.AuditKeyProblem as exc:
        print(f"rekey: {exc}", file=err)
        return 2
    if new.id == old.id:
        print("rekey: the new key is the old one", file=err)
        return 2
    with keys.using(old), store.write() as db:  # nobody writes between the check and the seal
        report = verify(store, key=old)
        if not report.ok:
            print(
                f"rekey: the history does not verify under the old key: {report.problems[0]}",
                file=err,
            )
            return 1
        root = audit.content_root(db.execute(Q.AUDIT_LOG).fetchall())
        # The old key signs the hand-over too, for whoever keeps the old key to check later.
        audit.seal(
            db,
            new,
            "rekey",
            now_utc(),
            old_key_id=old.id,
            old_key_says=old.sign(f"rekey {new.id} {root}".encode()),
        )
    print(f"{store.shown}: history sealed under the new audit key (key {new.id})", file=out)
    if old.beside_database:
        keys.replace_file(store.path, new.secret.decode())
        print(f"{old.source} now holds the new key", file=out)
    elif not given:
        print(f"New audit key (shown once): {new.secret.decode()}", file=out)
    if not old.beside_database:
        print(
            f"Put the new key in place of the old one ({old.source}) and restart Debrief: until"
            " then it refuses to save, as its key no longer matches the history",
            file=out,
        )
    return 0
