"""A throwaway PostgreSQL server for the tests, from Debian's `postgresql` binaries.

`cluster()` starts one per test process on first use (about a second: initdb, then pg_ctl) and
hands back the same one after that. It lives in its own folder, listens on 127.0.0.1 on
a free port with its socket in that folder, so it never meets Debian's own cluster (`main`, port
5432, /var/run/postgresql) or another test process's. PostgreSQL refuses to run as root, so as root
the server runs as `nobody`. Its folder is in memory (/dev/shm) when there is room, else in /tmp
($DEBRIEF_TEST_PG_DIR chooses). It is stopped and its folder removed when the process exits; a
watchdog does the same if the process is killed (SIGKILL skips atexit).

`DEBRIEF_TEST_PG=postgresql://user@host:port/postgres` (the admin URL of an existing server, a
user allowed to CREATE DATABASE) uses that server instead of starting one.

    c = cluster()
    url = c.new_database()        # postgresql://debrief@127.0.0.1:PORT/t_1234_1_a1b2c3, empty
    ...
    c.drop_database(url)          # DROP DATABASE ... WITH (FORCE): open connections are ended
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ENV_URL = "DEBRIEF_TEST_PG"
FOLDER_ENV = "DEBRIEF_TEST_PG_DIR"
MEMORY_FOLDER = "/dev/shm"
SUPERUSER = "debrief"
# A test server: nothing here needs to survive a crash, so no fsync and no full-page images.
# 300 connections: a test may run pools of several workers against one database.
SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "32MB",
    "TimeZone": "UTC",
    # Each CREATE DATABASE writes its 7.5 MB copy to the WAL: a checkpoint every 64 MB keeps the
    # WAL (in memory, in /dev/shm) from growing towards the default 1 GB between checkpoints.
    "max_wal_size": "64MB",
    "min_wal_size": "32MB",
}
# The unprivileged user that runs the server when the tests run as root (initdb and pg_ctl
# refuse root).
RUN_AS_WHEN_ROOT = "nobody"
START_ATTEMPTS = 6
_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries under /usr/lib/postgresql/*/bin."""


def find_bindir(root: str = "/usr/lib/postgresql") -> Path:
    """The newest version's bin folder with initdb, pg_ctl and postgres in it."""
    found = []
    for initdb in glob.glob(os.path.join(root, "*", "bin", "initdb")):
        bindir = Path(initdb).parent
        version = bindir.parent.name
        if all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            key = tuple(int(part) for part in re.findall(r"\d+", version))
            found.append((key, bindir))
    if not found:
        raise PostgresMissing(
            f"no PostgreSQL server under {root}/*/bin (initdb, pg_ctl, postgres): the tests "
            "start their own from Debian's package `postgresql` "
            "(apt-get install -y postgresql; scripts/test and .ci/run install it), "
            f"or set {ENV_URL}=postgresql://user@host:port/postgres to use a running server"
        )
    return max(found)[1]


def parent_folder() -> str:
    """Where the server's folder goes: $DEBRIEF_TEST_PG_DIR if set, else /dev/shm when it is a
    world-writable memory folder with 1 GB free, else /tmp. In memory, initdb and pg_ctl take
    0.7 s instead of 1.4 s and CREATE DATABASE 22 ms instead of 270 ms (measured on a virtual
    disk, where writing out each database's 7.5 MB copy waits on the disk even with fsync off)."""
    chosen = os.environ.get(FOLDER_ENV)
    if chosen:
        return chosen
    try:
        shm = os.stat(MEMORY_FOLDER)
        roomy = shutil.disk_usage(MEMORY_FOLDER).free >= 1 << 30
    except OSError:
        return "/tmp"
    sticky_and_open = shm.st_mode & 0o1777 == 0o1777
    return MEMORY_FOLDER if sticky_and_open and roomy else "/tmp"


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on just now (the server may still lose it to another
    process before it binds: `Cluster.start` then tries another)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One PostgreSQL server for tests: our own throwaway one (`start()`), or an existing one
    given by its admin URL (`Cluster(admin_url=...)`). Makes and drops databases on it."""

    def __init__(self, admin_url: str | None = None):
        self.admin_url = admin_url or ""
        self.external = admin_url is not None
        self.port: int | None = None
        self.folder: Path | None = None  # ours only: data/, the socket, server.log
        self.startup_seconds: float | None = None
        self._bindir: Path | None = None
        self._owner_pid = os.getpid()
        self._created: set[str] = set()
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._admin: psycopg.Connection | None = None
        self._watchdog: subprocess.Popen | None = None
        self._watchdog_pipe: int | None = None

    # -- our own server --------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        assert self.folder is not None
        return self.folder / "data"

    @property
    def log_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "server.log"

    def start(self, ports: Callable[[], int] = free_port) -> Cluster:
        """initdb in a new folder under /tmp and start the server on a free port (another one if
        that port is taken by the time the server binds). `ports` gives each try's port."""
        if self.external or self.folder is not None:
            raise RuntimeError("this cluster is already started, or is an existing server")
        began = time.monotonic()
        self._bindir = find_bindir()
        user = self._run_as()
        # Not pytest's tmp_path: /tmp/pytest-of-root is 0700, so `nobody` could not reach a
        # folder in it; and the socket's path must stay under ~100 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="debrief-pg-", dir=parent_folder()))
        if user is not None:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._start_watchdog(user)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                # C, as SQLite: text sorts by code point and lower()/upper() change only ASCII.
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            )
            self._start_server(ports)
        except BaseException:
            self.stop()
            raise
        self.admin_url = self._url("postgres")
        self.startup_seconds = time.monotonic() - began
        return self

    def _start_server(self, ports: Callable[[], int]) -> None:
        for _attempt in range(START_ATTEMPTS):
            port = ports()
            options = [
                "-c listen_addresses=127.0.0.1",
                f"-c port={port}",
                f"-c unix_socket_directories={self.folder}",
                *(f"-c {name}={value}" for name, value in SETTINGS.items()),
            ]
            self.log_file.unlink(missing_ok=True)
            done = self._run(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                " ".join(options),
                check=False,
            )
            if done.returncode == 0:
                self.port = port
                return
            log = self._log_tail()
            # Another process took the port between free_port() and the bind: try another.
            if "could not bind" not in log and "already in use" not in log:
                break
        raise RuntimeError(
            f"PostgreSQL did not start (pg_ctl: {done.stdout.strip()} {done.stderr.strip()}); "
            f"its log:\n{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"

    def _run_as(self) -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(RUN_AS_WHEN_ROOT)
        except KeyError:
            raise RuntimeError(
                f"running as root, and PostgreSQL refuses root: no user {RUN_AS_WHEN_ROOT!r} "
                "to run the test server as"
            ) from None

    def _environment(self) -> dict[str, str]:
        # No PG* variables of the caller's (PGDATA, PGPORT, PGHOST...) steer our tools; TZ=UTC
        # spares initdb its search for the system time zone.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(TZ="UTC", LC_ALL="C", LANG="C")
        return env

    def _spawn_options(self) -> dict:
        user = self._run_as()
        options: dict = {"cwd": self.folder, "env": self._environment()}
        if user is not None:
            options.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        return options

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        assert self._bindir is not None
        done = subprocess.run(
            [str(self._bindir / tool), *args],
            capture_output=True,
            text=True,
            **self._spawn_options(),
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done

    def _start_watchdog(self, user: pwd.struct_passwd | None) -> None:
        """A shell that waits for this process to go (the pipe's far end closes when it exits,
        however it exits), then stops the server and removes the folder: a killed test run
        leaves no server behind. It runs as the server's user (pg_ctl refuses root), in its own
        session so a Ctrl-C reaches the tests' atexit first."""
        read_end, write_end = os.pipe()
        script = 'read -r _ignored; "$0" stop -D "$1" -m immediate -s > /dev/null 2>&1; rm -rf "$2"'
        try:
            self._watchdog = subprocess.Popen(
                ["/bin/sh", "-c", script, str(self._bindir / "pg_ctl"), self.data_dir, self.folder],
                stdin=read_end,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                **self._spawn_options(),
            )
        finally:
            os.close(read_end)
        self._watchdog_pipe = write_end

    def stop(self) -> None:
        """Stop our server (immediately: nothing in it is kept) and remove its folder; on an
        existing server, drop the databases this process made and did not drop. Safe to call
        twice; a forked child leaves its parent's server alone."""
        if os.getpid() != self._owner_pid:
            return
        self._close_admin()
        if self.external:
            for name in sorted(self._created):
                with contextlib.suppress(psycopg.Error):
                    self._drop(name)
            self._close_admin()
            return
        if self.folder is None:
            return
        if self.data_dir.joinpath("postmaster.pid").exists() and self._bindir is not None:
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._watchdog_pipe is not None:
            os.close(self._watchdog_pipe)
            self._watchdog_pipe = None
        if self._watchdog is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._watchdog.wait(timeout=10)
            self._watchdog = None
        self.folder = None
        self.port = None

    def __enter__(self) -> Cluster:
        if not self.external and self.folder is None:
            self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    # -- databases -------------------------------------------------------------------------

    def _url(self, database: str) -> str:
        if self.external:
            return urlsplit(self.admin_url)._replace(path="/" + database).geturl()
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @contextlib.contextmanager
    def _admin_connection(self) -> Iterator[psycopg.Connection]:
        # One autocommit connection to `postgres` for all CREATE/DROP DATABASE (they cannot run
        # in a transaction); opened again if the last one broke.
        with self._lock:
            if self._admin is None or self._admin.closed or self._admin.broken:
                self._admin = psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10)
            yield self._admin

    def _close_admin(self) -> None:
        with self._lock:
            if self._admin is not None:
                with contextlib.suppress(psycopg.Error):
                    self._admin.close()
                self._admin = None

    def new_database(self, prefix: str = "t", template: str | None = None) -> str:
        """CREATE DATABASE with a name no other test process uses; returns its URL. `template`:
        the URL of a database made here to copy (it must have no open connections)."""
        if not _NAME.fullmatch(prefix):
            raise ValueError(f"prefix {prefix!r}: lowercase letters, digits and _, up to 31")
        name = f"{prefix}_{os.getpid()}_{next(self._counter)}_{secrets.token_hex(3)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            source = self._own_database(template)
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(source))
        with self._admin_connection() as admin:
            admin.execute(statement)
        self._created.add(name)
        return self._url(name)

    def drop_database(self, url: str) -> None:
        """DROP DATABASE ... WITH (FORCE) (connections still open to it are ended). Only a
        database this cluster made: a typo in a test can't drop anything else."""
        self._drop(self._own_database(url))

    def _drop(self, name: str) -> None:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        with self._admin_connection() as admin:
            admin.execute(statement)
        self._created.discard(name)

    def _own_database(self, url: str) -> str:
        name = urlsplit(url).path.lstrip("/")
        if name not in self._created:
            raise ValueError(f"{url!r} is not a database this cluster made")
        return name

    def databases(self) -> list[str]:
        """The names of the databases on the server that are not templates."""
        with self._admin_connection() as admin:
            rows = admin.execute("SELECT datname FROM pg_database WHERE NOT datistemplate")
            return sorted(row[0] for row in rows)


_cluster: Cluster | None = None
_cluster_lock = threading.Lock()


def cluster() -> Cluster:
    """This process's test server: started on the first call (or `DEBRIEF_TEST_PG`'s server),
    the same one after that, stopped at exit."""
    global _cluster
    with _cluster_lock:
        if _cluster is None or _cluster._owner_pid != os.getpid():
            url = os.environ.get(ENV_URL)
            made = Cluster(admin_url=url) if url else Cluster().start()
            atexit.register(made.stop)
            _cluster = made
        return _cluster


# tests/ is on pytest's pythonpath, so this file can be imported as `pg_server` as well as
# `tests.pg_server`: two module objects would mean two servers in one process. One module.
sys.modules.setdefault("tests.pg_server", sys.modules[__name__])
sys.modules.setdefault("pg_server", sys.modules[__name__])
