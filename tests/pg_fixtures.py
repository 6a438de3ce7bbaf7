"""pytest fixtures for a real PostgreSQL: `pg_cluster` (this process's test server, see
tests/pg_server.py) and `pg_url` (a fresh empty database's URL, dropped after the test whether it
passes or fails).

Under pytest-xdist each worker process starts its own server on first use (about a second) and
stops it when the worker exits: no lock, no shared state between workers, and a worker that
crashes takes only its own server with it (its watchdog removes it). Sharing one server through a
file lock would save a second per worker but needs a last-one-out count to know when to stop.
"""

import pytest

from tests.pg_server import Cluster, cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    """This process's PostgreSQL test server (started on first use, stopped at exit)."""
    return cluster()


@pytest.fixture
def pg_url(pg_cluster: Cluster):
    """The postgresql:// URL of a new empty database, dropped (WITH FORCE) after the test."""
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        pg_cluster.drop_database(url)
