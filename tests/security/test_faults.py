"""Faults that lose nothing (issue 11, defects 7 and 8): a full disk during Submit, a read-only
database, a damaged file, and backups taken and restored while people work.

The full disk and the read-only database are real: a small tmpfs mounted for the test (the
tests run as root, as CI does), filled to the last byte, or remounted read-only.
"""

from __future__ import annotations

import gc
import io
import sqlite3
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import cli, people, scorecards
from scoring.integrity import verify
from scoring.store import Store
from world import build, page_as, submit

ROOT = Path(__file__).resolve().parents[2]
FEEDBACK = "Typed for twenty minutes after the session. " * 400  # 18 kB, near the limit


@contextmanager
def small_disk(folder: Path, size: str = "4m"):
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode:
        pytest.fail(f"cannot mount a small filesystem (run as root): {mounted.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Use up every free byte of the filesystem; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for size in (65536, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass
    return filler


def open_form(world, monkeypatch, who="cy"):
    return page_as(world, who, "pages/scorecard.py", monkeypatch, assignment=world.seats[who])


def type_scorecard(at, world, who="cy"):
    rubric = scorecards.sheet(world.store, world.person(who), world.seats[who]).rubric
    for criterion in rubric.criteria:
        next(r for r in at.radio if r.key and r.key.endswith(f"_{criterion.id}")).set_value(
            max(criterion.anchors)
        )
    next(r for r in at.radio if r.key and r.key.endswith("_overall")).set_value(4)
    feedback = at.text_area(key=f"score_{world.seats[who]}_feedback")
    feedback.input(FEEDBACK)
    return feedback


def press(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


@pytest.mark.sqlite_only("a full disk under the SQLite file")
def test_a_full_disk_during_submit_says_so_and_keeps_the_scorecard(tmp_path, monkeypatch):
    with small_disk(tmp_path / "disk") as disk:
        world = build(disk / "full.sqlite")
        at = open_form(world, monkeypatch)
        type_scorecard(at, world)
        press(at, "Submit scorecard…")
        filler = fill(disk)
        press(at, "Submit: it is final")
        (message,) = [e.value for e in at.error]
        assert message.startswith("The disk holding Debrief's database is full")
        assert "Nothing was half-written" in message and "free some space" in message
        assert not [e for e in at.exception]
        assert at.text_area(key=f"score_{world.seats['cy']}_feedback").value == FEEDBACK
        assert scorecards.own_scorecard(world.store, world.cy, world.seats["cy"]) is None
        filler.unlink()  # space returns: the same form goes through
        press(at, "Submit scorecard…")
        press(at, "Submit: it is final")
        card = scorecards.own_scorecard(world.store, world.cy, world.seats["cy"])
        assert card.feedback == FEEDBACK.strip()
        assert verify(world.store).ok


@pytest.mark.sqlite_only("a read-only SQLite file")
def test_a_read_only_database_still_lets_people_sign_in_and_read(tmp_path, monkeypatch):
    with small_disk(tmp_path / "disk") as disk:
        world = build(disk / "ro.sqlite")
        submit(world, "ana", 4)
        submit(world, "bo", 3)
        code = people.issue_code(world.store, world.coordinator, world.ana.id)
        world.store = None  # the writer lets go of the file (its idle connection closes)
        gc.collect()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        store = Store(disk / "ro.sqlite")
        assert store.read_only
        ana = people.sign_in(store, "ana@example.com", code, client="home")
        assert len(scorecards.panel(store, ana, world.candidate_id)) == 2  # reading works
        monkeypatch.chdir(ROOT)
        monkeypatch.setenv("DEBRIEF_DB", store.location)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
        at.text_input(key="email_main").input("ana@example.com")
        at.text_input(key="code_main").input(code)
        at.button[0].click().run()
        assert not at.exception
        at.switch_page("pages/my_interviews.py").run()
        assert "read-only mode" in at.warning[0].value
        # a write says why it cannot happen, in words
        with pytest.raises(Exception, match="read-only mode"):
            scorecards.save_draft(store, world.cy, world.seats["cy"], {"feedback": "x"})
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)


@pytest.mark.tampered
def test_a_damaged_file_is_named_not_dumped(tmp_path, monkeypatch):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"this is not a database, it was overwritten by a backup tool" * 100)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert message.startswith("Debrief's database file (damaged.sqlite) is damaged")
    assert "python -m scoring restore" in message
    assert "DatabaseError" not in message


@pytest.mark.sqlite_only("backup and restore of the SQLite file")
def test_backup_while_people_submit_restores_a_verified_copy(tmp_path):
    world = build(tmp_path / "live.sqlite")
    submit(world, "ana", 4)
    stop, errors = threading.Event(), []

    def keep_saving():
        while not stop.is_set():
            try:
                scorecards.save_draft(world.store, world.bo, world.seats["bo"], {"n": 1})
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        out, err = io.StringIO(), io.StringIO()
        backups = tmp_path / "backups"
        backups.mkdir()
        for n in range(5):
            target = backups / f"backup-{n}.sqlite"
            assert cli.main(["backup", str(target), "--db", world.store.location], out, err) == 0
    finally:
        stop.set()
        saver.join()
    assert errors == [] and "verified" in out.getvalue()
    # later, a mistake: restore the last backup over the live file
    submit(world, "bo", 2)
    refused = cli.main(["restore", str(target), "--db", world.store.location], out, err)
    assert refused == 2 and "add --yes" in err.getvalue()
    assert cli.main(["restore", str(target), "--db", world.store.location, "--yes"], out, err) == 0
    with world.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM scorecards").fetchone()[0] == 1  # as backed up
    assert verify(world.store).ok


@pytest.mark.sqlite_only("backup and restore of the SQLite file")
@pytest.mark.tampered
def test_restore_refuses_a_backup_that_does_not_verify(tmp_path):
    world = build(tmp_path / "live.sqlite")
    submit(world, "ana", 4)
    bad = tmp_path / "bad.sqlite"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["backup", str(bad), "--db", world.store.location], out, err) == 0
    conn = sqlite3.connect(bad)
    conn.execute("DROP TRIGGER scorecards_append_only_update")
    conn.execute("UPDATE scorecards SET overall = 0")
    conn.commit()
    conn.close()
    code = cli.main(["restore", str(bad), "--db", world.store.location, "--yes"], out, err)
    assert code == 1 and "does not verify" in err.getvalue()
    assert scorecards.own_scorecard(world.store, world.ana, world.seats["ana"]).overall == 4
    assert verify(world.store).ok  # the live file is untouched
