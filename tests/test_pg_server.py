"""The real-PostgreSQL harness (tests/pg_server.py, tests/pg_fixtures.py): each test's database is
a real, empty, separate one, dropped afterwards even when the test fails; the server is not root;
a taken port is skipped; nothing is left behind, not even by a killed test process."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from tests.pg_server import Cluster, PostgresMissing, cluster, find_bindir, parent_folder

# The fixtures pg_cluster and pg_url (tests/conftest.py may load them for every test too).
pytest_plugins = ["pytester", "tests.pg_fixtures"]
ROOT = Path(__file__).resolve().parent.parent


def user_tables(url):
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        return sorted(row[0] for row in rows)


def database_exists(cluster_, url):
    return url.rsplit("/", 1)[1] in cluster_.databases()


def process_uid(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for {pid}")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)


def _state(pid):
    try:
        return next(
            line
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("State:")
        ).lower()
    except (OSError, StopIteration):
        return "gone zombie"


def test_a_database_from_pg_url_takes_a_table(pg_url):
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ("first", "sécond ✓"))
        conn.commit()
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT id, body FROM notes ORDER BY id").fetchall()
    assert rows == [(1, "first"), (2, "sécond ✓")]


def test_two_databases_are_separate_and_start_empty(pg_url, pg_cluster):
    other = pg_cluster.new_database()
    try:
        assert other != pg_url
        assert user_tables(pg_url) == [] and user_tables(other) == []
        with psycopg.connect(pg_url) as conn:
            conn.execute("CREATE TABLE only_here (x int)")
        assert user_tables(pg_url) == ["only_here"]
        assert user_tables(other) == []
    finally:
        pg_cluster.drop_database(other)


def test_the_server_is_ours_and_set_up_for_tests(pg_url, pg_cluster):
    assert cluster() is pg_cluster  # one server per process
    with psycopg.connect(pg_url) as conn:
        names = [
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "max_connections",
            "TimeZone",
            "server_encoding",
            "listen_addresses",
            "port",
            "unix_socket_directories",
            "max_wal_size",
        ]
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", (names,)
            ).fetchall()
        )
        shared_buffers = conn.execute("SHOW shared_buffers").fetchone()[0]
        collation = conn.execute(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
    assert settings["fsync"] == "off"
    assert settings["synchronous_commit"] == "off"
    assert settings["full_page_writes"] == "off"
    assert settings["max_connections"] == "300"
    assert settings["TimeZone"] == "UTC"
    assert settings["server_encoding"] == "UTF8"
    assert shared_buffers == "32MB"
    assert settings["max_wal_size"] == "64"  # MB: the WAL of many CREATE DATABASEs stays small
    if pg_cluster.external:
        return
    # Never Debian's own cluster (port 5432, /var/run/postgresql) nor on any outside address.
    assert settings["listen_addresses"] == "127.0.0.1"
    assert int(settings["port"]) == pg_cluster.port != 5432
    assert settings["unix_socket_directories"] == str(pg_cluster.folder)
    assert collation == "C"


def test_the_server_does_not_run_as_root(pg_url, pg_cluster):
    if pg_cluster.external:
        pytest.skip("an existing server (DEBRIEF_TEST_PG): not ours to check")
    with psycopg.connect(pg_url) as conn:  # open while its server process is looked at
        data_dir, backend = conn.execute(
            "SELECT current_setting('data_directory'), pg_backend_pid()"
        ).fetchone()
        postmaster = int(Path(data_dir, "postmaster.pid").read_text().split()[0])
        owners = {
            "data directory": os.stat(data_dir).st_uid,
            "postmaster": process_uid(postmaster),
            "backend": process_uid(backend),
        }
    if os.geteuid() == 0:
        assert all(uid != 0 for uid in owners.values()), owners
    else:
        assert set(owners.values()) == {os.geteuid()}, owners


def test_drop_database_removes_it_and_ends_its_connections(pg_cluster):
    url = pg_cluster.new_database(prefix="gone")
    left_open = psycopg.connect(url)  # a pool a test forgot to close must not block the drop
    left_open.execute("CREATE TABLE t (x int)")
    left_open.commit()
    assert database_exists(pg_cluster, url)
    pg_cluster.drop_database(url)
    assert not database_exists(pg_cluster, url)
    with pytest.raises(psycopg.OperationalError):
        left_open.execute("SELECT 1")
    left_open.close()
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(url)


def test_drop_database_drops_only_what_it_made(pg_cluster):
    with pytest.raises(ValueError, match="not a database this cluster made"):
        pg_cluster.drop_database(pg_cluster.admin_url)
    assert "postgres" in pg_cluster.databases()


def test_pg_url_is_dropped_even_after_a_failing_test(pytester, pg_cluster):
    seen = pytester.path / "url.txt"
    pytester.makeconftest("from tests.pg_fixtures import pg_cluster, pg_url  # noqa: F401\n")
    pytester.makepyfile(
        test_inner=f"""
        import psycopg
        from pathlib import Path

        def test_fails(pg_url):
            Path({str(seen)!r}).write_text(pg_url)
            psycopg.connect(pg_url).execute("CREATE TABLE kept_open (x int)")  # left open
            assert False, "this test fails on purpose"
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(failed=1)
    url = seen.read_text()
    assert url.startswith("postgresql://")
    assert not database_exists(pg_cluster, url)


def test_the_error_without_postgresql_names_the_package(tmp_path):
    with pytest.raises(PostgresMissing, match="`postgresql`"):
        find_bindir(str(tmp_path))


def test_the_folder_is_in_memory_or_where_asked(monkeypatch, tmp_path):
    monkeypatch.delenv("DEBRIEF_TEST_PG_DIR", raising=False)
    assert parent_folder() in ("/dev/shm", "/tmp")
    monkeypatch.setenv("DEBRIEF_TEST_PG_DIR", str(tmp_path))
    assert parent_folder() == str(tmp_path)


def test_the_newest_postgresql_is_used(tmp_path):
    for version in ("9.6", "15", "13"):  # "9.6" sorts last as text
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl", "postgres"):
            (bindir / tool).write_text("#!/bin/sh\n")
            (bindir / tool).chmod(0o755)
    assert find_bindir(str(tmp_path)) == tmp_path / "15" / "bin"


@pytest.mark.skipif(bool(os.environ.get("DEBRIEF_TEST_PG")), reason="an existing server")
def test_a_taken_port_is_skipped_and_stop_leaves_nothing():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    tries = [busy]

    def ports():
        if tries:
            return tries.pop()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    try:
        with Cluster().start(ports=ports) as second:
            assert second.port != busy and not tries
            folder, pid_file = second.folder, second.data_dir / "postmaster.pid"
            postmaster = int(pid_file.read_text().split()[0])
            url = second.new_database()
            assert user_tables(url) == []
    finally:
        taken.close()
    assert not folder.exists()
    assert not alive(postmaster)


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get("DEBRIEF_TEST_PG")), reason="an existing server")
def test_a_killed_test_process_leaves_no_server_behind():
    program = textwrap.dedent(
        """
        import sys, time
        from tests.pg_server import cluster
        c = cluster()
        pid = int((c.data_dir / "postmaster.pid").read_text().split()[0])
        print(c.folder, pid, flush=True)
        time.sleep(120)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", program], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        folder, pid = child.stdout.readline().split()
        folder, pid = Path(folder), int(pid)
        assert folder.exists() and alive(pid)
    finally:
        child.send_signal(signal.SIGKILL)  # no atexit, no finally: only the watchdog is left
        child.wait()
    deadline = time.monotonic() + 15
    while (folder.exists() or alive(pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid), "the killed process's PostgreSQL still runs"
    assert not folder.exists(), "the killed process's folder is still there"
