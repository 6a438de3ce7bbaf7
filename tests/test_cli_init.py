"""`python -m scoring init`: a fresh database and its first coordinator, from the shell."""

import re

import pytest

from scoring import people
from scoring.store import Store


def test_init_creates_the_database_and_prints_a_working_code(cli, tmp_path):
    db = tmp_path / "new.sqlite"
    result = cli("init", "--coordinator", "cora.ordinator@example.com", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Cora Ordinator <cora.ordinator@example.com>" in result.stdout
    code = re.search(r"Access code \(shown once\): (\S+)", result.stdout).group(1)
    person = people.sign_in(Store(db), "cora.ordinator@example.com", code)
    assert person.roles == {"coordinator"}


def test_init_refuses_a_database_that_has_people(cli, tmp_path):
    db = tmp_path / "used.sqlite"
    assert cli("init", "--coordinator", "a@example.com", "--db", db).returncode == 0
    again = cli("init", "--coordinator", "b@example.com", "--db", db)
    assert again.returncode == 1
    assert "already has people" in again.stderr
    assert again.stdout == ""


def test_init_uses_debrief_db_from_the_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "env.sqlite"))
    result = cli("init", "--coordinator", "a@example.com", "--name", "Ada")
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "env.sqlite") in result.stdout


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
def test_demo_fills_an_empty_database_and_prints_codes_that_work(cli, tmp_path):
    db = tmp_path / "demo.sqlite"
    result = cli("demo", "--db", db)
    assert result.returncode == 0, result.stderr
    logins = re.findall(r"^\s+(\S+@\S+)\s+(\S{4}-\S{4}-\S{4}-\S{4})\s", result.stdout, re.M)
    assert len(logins) >= 12
    store = Store(db)
    for email, code in logins[:3]:
        assert people.sign_in(store, email, code).email == email
    again = cli("demo", "--db", db)
    assert again.returncode == 1
    assert "already has people" in again.stderr
