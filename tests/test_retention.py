"""Retention (issue 28): off until [retention] is configured, when each kind of candidate is
due, the week's notice to coordinators (with the command that holds one), erasure after it, the
write-ahead log scrubbed (again the next day when it was busy), legal holds that stop it, the
daily run among workers, the last run found by its index, the settings and the command line.
Candidates are moved through a whole funnel through the service at fixed moments; every run is
given its `now`."""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest
from markupsafe import escape

from scoring import erasure, leases, mail, people, personal, retention
from scoring.errors import InvalidInput
from scoring.queries import retention as Q
from scoring.retention_settings import (
    NOT_CONFIGURED,
    RetentionSettings,
    RetentionSettingsProblem,
    configured,
    retention_settings,
)
from scoring.store import Store
from tests.funnel_moves import T0, loop, offer, screen, take_home, whole_funnel, withdraw
from tests.funnel_moves import add as add_candidate
from tests.world import ENGINE, build, copy_database, dump

SETTINGS = RetentionSettings(rejected_days=180, withdrawn_days=90, hired_days=365, notice_days=7)
REJECTED_AT = T0 + timedelta(days=1)  # the resume screen's review
WITHDRAWN_AT = T0 + timedelta(days=2)
HIRED_AT = T0 + timedelta(days=12)  # the offer accepted
NO_HIRE_AT = T0 + timedelta(days=8, hours=2)  # the loop's decision (2 h after the debrief)


def make(path):
    """One of each: rejected at the resume screen, withdrawn, hired (the offer accepted),
    rejected by the loop's decision, and one still in process."""
    w = build(path)
    opening_id = whole_funnel(w)
    names = ("rejected", "withdrawn", "hired", "no_hire", "in_process")
    ids = {name: add_candidate(w, opening_id, n) for n, name in enumerate(names, start=1)}
    screen(w, ids["rejected"], False, REJECTED_AT)
    withdraw(w, ids["withdrawn"], WITHDRAWN_AT)
    for name in ("hired", "no_hire", "in_process"):
        screen(w, ids[name], True, T0 + timedelta(days=1))
    for name in ("hired", "no_hire"):
        take_home(w, ids[name], True, T0 + timedelta(days=4))
    loop(w, ids["hired"], True, T0 + timedelta(days=8))
    loop(w, ids["no_hire"], False, T0 + timedelta(days=8))
    offer(w, ids["hired"], True, HIRED_AT)
    return w, ids


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The world made once (on SQLite: each test gets a copy of its file)."""
    if ENGINE == "postgresql":
        return None
    return make(tmp_path_factory.mktemp("retention") / "made.sqlite")


@pytest.fixture(scope="module")
def empty_secrets(tmp_path_factory):
    """An empty secrets file, the same for every test of the module (worlds are built once per
    settings: tests/world.py)."""
    path = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    path.write_text("")
    return path


@pytest.fixture(autouse=True)
def no_settings(empty_secrets, monkeypatch):
    """No [retention] settings but a test's own (retention is off), whatever the machine has."""
    monkeypatch.setenv("DEBRIEF_SECRETS", str(empty_secrets))
    for variable in [v for v in os.environ if v.startswith("DEBRIEF_RETENTION_")]:
        monkeypatch.delenv(variable)


@pytest.fixture
def retention_on(monkeypatch, tmp_path):
    """An empty [retention] table: retention is on, with the defaults. Set once the world is
    built (its copy is kept per settings: tests/world.py)."""

    def turn_on(text: str = "[retention]\n"):
        path = tmp_path / "retention-on.toml"
        path.write_text(text)
        monkeypatch.setenv("DEBRIEF_SECRETS", str(path))

    return turn_on


@pytest.fixture
def world(made, tmp_path):
    """A copy of the made world for one test (on PostgreSQL, made again)."""
    if made is None:
        return make(tmp_path / "w.sqlite")
    w, ids = made
    copy_database(w.store.path, tmp_path / "w.sqlite")
    return replace(w, store=Store(tmp_path / "w.sqlite")), ids


def rows(w, sql, *params):
    with w.store.read() as db:
        return db.execute(sql, list(params)).fetchall()


def notices(w):
    return {(r[0], r[1]) for r in rows(w, "SELECT candidate_id, due_on FROM retention_notices")}


def notice_mail(w):
    return rows(
        w,
        "SELECT recipient_id, subject, text_body, html_body, candidate_id FROM outbox"
        " WHERE kind = 'retention_notice' ORDER BY id",
    )


# ------------------------------------------------------------------------ off until configured


def test_without_retention_settings_nothing_is_noticed_or_erased_and_the_run_says_so(world, cli):
    w, _ids = world
    at = T0 + timedelta(days=2000)  # everyone who ended is long past the default 180 days
    before = dump(w.store)
    for dry_run in (False, True):
        run = retention.retain(w.store, now=at, dry_run=dry_run)
        assert run.summary() == NOT_CONFIGURED
        assert (run.noticed, run.erased, run.held, run.waiting) == ([], [], [], [])
    done = cli("retain", "--db", w.store.location)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == NOT_CONFIGURED
    assert dump(w.store) == before  # no notice, no erasure, no audit entry
    # nor the mail worker's daily run: the day after the upgrade, nor a week later
    ran = [retention.daily(w.store, now=at + timedelta(days=days)) for days in (0, 2, 9)]
    assert [run.summary() for run in ran if run is not None] == [NOT_CONFIGURED] * 3
    for table in ("retention_notices", "erasures"):
        assert not rows(w, f"SELECT 1 FROM {table}")
    assert not rows(w, "SELECT 1 FROM outbox WHERE kind = 'retention_notice'")
    assert not rows(w, "SELECT 1 FROM audit_log WHERE action = 'retention_run'")


def test_an_empty_retention_table_turns_it_on_with_the_defaults(world, retention_on):
    w, ids = world
    retention_on()
    run = retention.retain(w.store, now=T0 + timedelta(days=2000))
    assert run.settings == RetentionSettings(180, 180, 0, 7)
    noticed = {d.candidate_id for d in run.noticed}
    assert noticed == {ids["rejected"], ids["withdrawn"], ids["no_hire"]}  # hires are kept


# ------------------------------------------------------------------------- when they are due


def test_each_kind_is_due_its_period_after_its_decision_or_withdrawal(world):
    w, ids = world
    at = T0 + timedelta(days=400)  # everyone's period is over (within Status's window)
    view = retention.due(w.store, w.coordinator, now=at, settings=SETTINGS)
    due = {d.candidate_id: d for d in view.overdue}
    assert due[ids["rejected"]].due_at == REJECTED_AT + timedelta(days=180)
    assert due[ids["no_hire"]].due_at == NO_HIRE_AT + timedelta(days=180)
    assert due[ids["withdrawn"]].due_at == WITHDRAWN_AT + timedelta(days=90)
    assert due[ids["hired"]].due_at == HIRED_AT + timedelta(days=365)
    assert ids["in_process"] not in due  # still in process: never due
    assert view.overdue_count == 4 and view.soon_count == 0 and view.held_count == 0
    assert due[ids["withdrawn"]].why == (
        f"withdrew {WITHDRAWN_AT.date().isoformat()}; kept 90 days after the withdrawal"
    )
    assert due[ids["rejected"]].erasure_reason == "retention: 180 days after decision"
    assert due[ids["withdrawn"]].erasure_reason == "retention: 90 days after withdrawal"
    # listed by alias and id, never by name
    assert all(d.alias and "Applicant" not in d.label for d in view.overdue)


def test_a_period_of_0_keeps_that_kind_for_ever(world):
    w, ids = world
    kept = RetentionSettings(rejected_days=180, withdrawn_days=90, hired_days=0)
    run = retention.retain(w.store, now=T0 + timedelta(days=5000), dry_run=True, settings=kept)
    assert {d.candidate_id for d in run.noticed} == {
        ids["rejected"],
        ids["withdrawn"],
        ids["no_hire"],
    }


def test_due_within_the_notice_is_soon_and_not_before(world):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    before = retention.due(
        w.store, w.coordinator, now=due_at - timedelta(days=8), settings=SETTINGS
    )
    assert before.soon_count == before.overdue_count == 0
    soon = retention.due(w.store, w.coordinator, now=due_at - timedelta(days=6), settings=SETTINGS)
    assert [d.candidate_id for d in soon.soon] == [ids["withdrawn"]]
    assert soon.overdue_count == 0


# ------------------------------------------------------------------------- notice, then erase


def test_coordinators_are_noticed_once_a_week_before(world):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    early = retention.retain(w.store, now=due_at - timedelta(days=8), settings=SETTINGS)
    assert (early.noticed, early.erased) == ([], [])
    run = retention.retain(w.store, now=due_at - timedelta(days=7), settings=SETTINGS)
    assert [d.candidate_id for d in run.noticed] == [ids["withdrawn"]]
    assert run.summary().splitlines()[0] == "0 erased, 1 noticed, 0 held"
    assert notices(w) == {(ids["withdrawn"], due_at.date().isoformat())}
    mail = notice_mail(w)
    assert [m["recipient_id"] for m in mail] == [w.coordinator.id]  # the one coordinator
    alias = run.noticed[0].alias
    assert f"{alias} (candidate {ids['withdrawn']})" in mail[0]["text_body"]
    assert f"erased from {due_at.date().isoformat()}" in mail[0]["text_body"]
    assert mail[0]["candidate_id"] is None  # about no one candidate: it outlives them
    # the next day's run notices nobody again
    again = retention.retain(w.store, now=due_at - timedelta(days=6), settings=SETTINGS)
    assert again.noticed == [] and len(notice_mail(w)) == 1
    # the run is audited as the system
    runs = rows(w, "SELECT actor_id, subject FROM audit_log WHERE action = 'retention_run'")
    assert [tuple(r) for r in runs] == [(None, "retention")] * 3


def test_the_notice_gives_the_whole_command_that_holds_a_candidate_and_it_works(
    world, cli, monkeypatch
):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    retention.retain(w.store, now=due_at - timedelta(days=7), settings=SETTINGS)
    (message,) = notice_mail(w)
    (line,) = [
        line.strip() for line in message["text_body"].splitlines() if "-m scoring hold" in line
    ]
    email = w.coordinator.email  # the coordinator it goes to signs in as themselves
    assert line == f'python -m scoring hold --as {email} --candidate ID --reason "..."'
    assert str(escape(line)) in message["html_body"]
    # as written, with the candidate's id from the list and a reason, it places the hold
    words = shlex.split(line)
    assert words[:3] == ["python", "-m", "scoring"]
    filled = {"ID": str(ids["withdrawn"]), "...": "claim 2026-9"}
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, w.coordinator.id))
    done = cli(*[filled.get(word, word) for word in words[3:]], "--db", w.store.location)
    assert done.returncode == 0, done.stderr
    run = retention.retain(w.store, now=due_at + timedelta(hours=1), settings=SETTINGS)
    assert [d.candidate_id for d in run.held] == [ids["withdrawn"]] and run.erased == []


def test_the_notice_goes_out_by_email_to_the_coordinator(world, server):
    inbox, mail_settings = server
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    run = retention.retain(w.store, now=due_at - timedelta(days=7), settings=SETTINGS)
    report = mail.send_outbox(w.store, mail_settings)  # with the world's invitations
    assert not report.problems
    (message,) = [m for m in inbox.messages if m["Subject"].startswith("Retention:")]
    assert message["To"].addresses[0].addr_spec == w.coordinator.email
    assert message["Subject"] == (
        f"Retention: 1 candidate to be erased from {due_at.date().isoformat()}"
    )
    body = message.get_body(("plain",)).get_content()
    assert f"{run.noticed[0].alias} (candidate {ids['withdrawn']})" in body
    assert "Applicant" not in body and "applicant" not in body


def test_a_dry_run_says_what_would_happen_and_does_nothing(world):
    w, ids = world
    before = dump(w.store)
    run = retention.retain(
        w.store, now=WITHDRAWN_AT + timedelta(days=85), dry_run=True, settings=SETTINGS
    )
    assert [d.candidate_id for d in run.noticed] == [ids["withdrawn"]]
    assert run.summary().startswith("dry run, nothing done: 0 to erase, 1 to notice, 0 held")
    assert dump(w.store) == before


def test_noticed_a_week_before_then_erased_on_the_day(world):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    retention.retain(w.store, now=due_at - timedelta(days=7), settings=SETTINGS)
    waiting = retention.retain(w.store, now=due_at - timedelta(hours=1), settings=SETTINGS)
    assert waiting.erased == []
    run = retention.retain(w.store, now=due_at + timedelta(hours=1), settings=SETTINGS)
    assert [d.candidate_id for d in run.erased] == [ids["withdrawn"]]
    erased = rows(w, "SELECT candidate_id, basis, reason, erased_by FROM erasures")
    assert [tuple(r) for r in erased] == [
        (ids["withdrawn"], "retention", "retention: 90 days after withdrawal", None)
    ]
    # never again
    later = retention.retain(w.store, now=due_at + timedelta(days=30), settings=SETTINGS)
    assert later.erased == [] and later.noticed == []
    if w.store.engine == "sqlite":  # the file itself (the security tests scan its WAL too)
        assert b"applicant2@example.org" not in w.store.path.read_bytes()


@pytest.mark.sqlite_only("holds SQLite's write-ahead log with a reader of its own")
def test_a_busy_write_ahead_log_is_said_and_scrubbed_again_by_the_next_run(world, monkeypatch):
    """A reader holding a snapshot while the erasure writes keeps the log from being truncated:
    the run says so and records it, and the next run (the reader gone) scrubs it."""
    w, ids = world
    monkeypatch.setattr(erasure, "SCRUB_TRIES", 2)  # a busy log is found in a fraction of a second
    due_at = WITHDRAWN_AT + timedelta(days=90)
    retention.retain(w.store, now=due_at - timedelta(days=7), settings=SETTINGS)  # the notice
    reader = sqlite3.connect(w.store.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM candidates").fetchone()  # a snapshot held open
        run = retention.retain(w.store, now=due_at + timedelta(hours=1), settings=SETTINGS)
        assert [d.candidate_id for d in run.erased] == [ids["withdrawn"]] and not run.scrubbed
        assert run.summary().splitlines()[0] == (
            "1 erased, 0 noticed, 0 held; the write-ahead log was busy, so it is not scrubbed"
            " yet: the next run scrubs it again"
        )
        reader.execute("COMMIT")
    finally:
        reader.close()
    after = retention.retain(w.store, now=due_at + timedelta(days=1), settings=SETTINGS)
    assert after.erased == [] and after.scrubbed and "busy" not in after.summary()
    runs = rows(w, "SELECT detail FROM audit_log WHERE action = 'retention_run' ORDER BY id")
    assert [json.loads(r["detail"])["scrubbed"] for r in runs] == [True, False, True]


def test_a_candidate_never_noticed_is_noticed_now_and_erased_a_notice_later(world):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    first = retention.retain(w.store, now=due_at + timedelta(days=3), settings=SETTINGS)
    assert [d.candidate_id for d in first.noticed] == [ids["withdrawn"]]
    assert first.erased == [] and [d.candidate_id for d in first.waiting] == [ids["withdrawn"]]
    too_soon = retention.retain(w.store, now=due_at + timedelta(days=9), settings=SETTINGS)
    assert too_soon.erased == []
    run = retention.retain(w.store, now=due_at + timedelta(days=10), settings=SETTINGS)
    assert [d.candidate_id for d in run.erased] == [ids["withdrawn"]]


def test_a_candidate_due_again_later_is_noticed_again_for_the_new_date(world):
    """The notice is per due date: new settings move the date, and coordinators hear of it."""
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    retention.retain(w.store, now=due_at - timedelta(days=7), settings=SETTINGS)
    longer = RetentionSettings(rejected_days=180, withdrawn_days=100, hired_days=365)
    run = retention.retain(w.store, now=due_at + timedelta(days=4), settings=longer)
    assert [d.candidate_id for d in run.noticed] == [ids["withdrawn"]] and run.erased == []
    assert len(notices(w)) == 2 and len(notice_mail(w)) == 2


# --------------------------------------------------------------------------------- legal holds


def test_a_held_candidate_is_never_erased_and_shows_as_held(world):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    retention.place_hold(w.store, w.coordinator, ids["withdrawn"], "litigation 2026-17", now=T0)
    with w.store.read() as db:
        assert retention.on_hold(db, ids["withdrawn"]) == "litigation 2026-17"
    for days in (-7, 0, 8, 400):
        run = retention.retain(w.store, now=due_at + timedelta(days=days), settings=SETTINGS)
        assert ids["withdrawn"] not in {d.candidate_id for d in run.noticed + run.erased}
    assert [d.candidate_id for d in run.held if d.candidate_id == ids["withdrawn"]]
    assert not rows(w, "SELECT 1 FROM erasures")
    assert not [n for n in notices(w) if n[0] == ids["withdrawn"]]
    view = retention.due(w.store, w.coordinator, now=due_at + timedelta(days=1), settings=SETTINGS)
    assert [(d.candidate_id, d.hold) for d in view.held] == [
        (ids["withdrawn"], "litigation 2026-17")
    ]
    assert ids["withdrawn"] not in {d.candidate_id for d in view.overdue}


def test_lifting_the_hold_makes_them_due_again(world):
    w, ids = world
    due_at = WITHDRAWN_AT + timedelta(days=90)
    retention.place_hold(w.store, w.coordinator, ids["withdrawn"], "litigation", now=T0)
    retention.lift_hold(w.store, w.coordinator, ids["withdrawn"], "settled", now=due_at)
    with w.store.read() as db:
        assert retention.on_hold(db, ids["withdrawn"]) is None
    view = retention.due(w.store, w.coordinator, now=due_at + timedelta(days=1), settings=SETTINGS)
    assert [d.candidate_id for d in view.overdue] == [ids["withdrawn"]] and not view.held
    run = retention.retain(w.store, now=due_at + timedelta(days=1), settings=SETTINGS)
    assert [d.candidate_id for d in run.noticed] == [ids["withdrawn"]]  # then erased a week on


def test_a_hold_is_refused_twice_lifting_none_an_empty_reason_and_an_erased_candidate(world):
    w, ids = world
    cid = ids["rejected"]
    with pytest.raises(InvalidInput, match=r"^candidate: there is no legal hold"):
        retention.lift_hold(w.store, w.coordinator, cid, "nothing to lift")
    with pytest.raises(InvalidInput, match=r"^reason:"):
        retention.place_hold(w.store, w.coordinator, cid, "   ")
    retention.place_hold(w.store, w.coordinator, cid, "a claim")
    with pytest.raises(InvalidInput, match=r"^candidate: a legal hold is already placed"):
        retention.place_hold(w.store, w.coordinator, cid, "again")
    erasure.erase(w.store, w.coordinator, ids["withdrawn"], "their request by email")
    with pytest.raises(InvalidInput, match="is erased"):
        retention.place_hold(w.store, w.coordinator, ids["withdrawn"], "too late")
    holds = rows(w, "SELECT candidate_id, held FROM legal_holds")
    assert [tuple(r) for r in holds] == [(cid, 1)]
    actions = [r[0] for r in rows(w, "SELECT action FROM audit_log WHERE action LIKE '%hold'")]
    assert actions == ["place_hold"]


@pytest.mark.sqlite_only("reads SQLite's query plan")
def test_the_last_run_is_found_through_the_index_on_action_not_by_walking_the_log(world):
    """With no earlier run, a walk back from the newest entry would read the whole log: the
    query searches the index on audit_log(action, id) instead, newest first, with no sort."""
    w, _ids = world
    raw = sqlite3.connect(w.store.path)
    try:
        plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + Q.LAST_RUN)]
    finally:
        raw.close()
    assert len(plan) == 1, plan
    assert plan[0].startswith("SEARCH audit_log USING ") and "INDEX" in plan[0], plan
    assert "(action=?)" in plan[0], plan


@pytest.mark.sqlite_only("reads the stored bytes with the sqlite3 module")
def test_the_hold_is_audited_with_its_reason_sealed(world):
    w, ids = world
    retention.place_hold(w.store, w.coordinator, ids["rejected"], "subpoena 42")
    raw = sqlite3.connect(w.store.path)
    try:
        stored = raw.execute("SELECT reason FROM legal_holds").fetchone()[0]
        detail = raw.execute("SELECT detail FROM audit_log WHERE action = 'place_hold'").fetchone()[
            0
        ]
    finally:
        raw.close()
    assert stored.startswith(f"{personal.PREFIX}{ids['rejected']}:t:") and "subpoena" not in detail


# ------------------------------------------------------------------------------------ bounded


def test_the_first_run_looks_at_the_whole_history_and_the_next_only_at_the_window(world):
    w, _ids = world
    at = T0 + timedelta(days=2000)  # long after everyone's date
    view = retention.due(w.store, w.coordinator, now=at, settings=SETTINGS)
    assert view.overdue_count == 0  # behind Status's horizon
    first = retention.retain(w.store, now=at, settings=SETTINGS)
    assert first.full and len(first.noticed) == 4  # nobody is left behind
    second = retention.retain(w.store, now=at + timedelta(days=1), settings=SETTINGS)
    assert not second.full
    changed = RetentionSettings(rejected_days=100, withdrawn_days=90, hired_days=365)
    assert retention.retain(w.store, now=at + timedelta(days=2), settings=changed).full


# ------------------------------------------------------------------------- once a day, the CLI


def test_the_daily_run_runs_once_a_day_among_workers(world, retention_on):
    w, _ids = world
    retention_on()
    at = WITHDRAWN_AT + timedelta(days=85)
    assert retention.daily(w.store, now=at) is not None
    assert retention.daily(w.store, now=at + timedelta(hours=23)) is None
    assert leases.holder(w.store, retention.LEASE, now=at + timedelta(hours=23)) is not None
    assert retention.daily(w.store, now=at + timedelta(days=1, seconds=1)) is not None
    runs = rows(w, "SELECT at FROM audit_log WHERE action = 'retention_run'")
    assert len(runs) == 2


def test_a_failed_daily_run_is_tried_again_within_the_hour(world, monkeypatch, tmp_path):
    w, _ids = world
    at = WITHDRAWN_AT + timedelta(days=85)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[retention]\nrejected_days = -1\n")
    monkeypatch.setenv("DEBRIEF_SECRETS", str(secrets))
    with pytest.raises(RetentionSettingsProblem, match="rejected_days"):
        retention.daily(w.store, now=at)
    secrets.write_text("[retention]\nrejected_days = 10\n")
    assert retention.daily(w.store, now=at + timedelta(minutes=30)) is None
    assert retention.daily(w.store, now=at + timedelta(minutes=61)) is not None


def test_the_mail_worker_runs_retention_in_its_rounds(world, retention_on):
    from ui.mail_worker import Worker

    w, _ids = world
    retention_on()
    worker = Worker(w.store, every=60, settings=lambda: None)  # mail off: retention still runs
    assert worker.round() == 0
    assert rows(w, "SELECT 1 FROM audit_log WHERE action = 'retention_run'")


def test_the_command_line_retains_and_dry_runs(world, cli, retention_on):
    w, _ids = world
    retention_on()
    dry = cli("retain", "--dry-run", "--db", w.store.location)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("dry run, nothing done:")
    assert not rows(w, "SELECT 1 FROM audit_log WHERE action = 'retention_run'")
    done = cli("retain", "--db", w.store.location)
    assert done.returncode == 0, done.stderr
    assert " erased, " in done.stdout.splitlines()[0]
    assert rows(w, "SELECT 1 FROM audit_log WHERE action = 'retention_run'")


def test_the_command_line_places_and_lifts_a_hold_as_a_coordinator_only(world, cli, monkeypatch):
    w, ids = world

    def hold(who, *args):
        person = w.person(who)
        monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, person.id))
        return cli(
            "hold",
            "--db",
            w.store.location,
            "--as",
            person.email,
            "--candidate",
            ids["rejected"],
            *args,
        )

    refused = hold("manager", "--reason", "I say so")
    assert refused.returncode == 1
    assert "Only a coordinator places or lifts a legal hold." in refused.stderr
    placed = hold("coordinator", "--reason", "claim 17")
    assert placed.returncode == 0, placed.stderr
    assert "legal hold placed" in placed.stdout
    with w.store.read() as db:
        assert retention.on_hold(db, ids["rejected"]) == "claim 17"
    lifted = hold("coordinator", "--reason", "settled", "--lift")
    assert lifted.returncode == 0 and "legal hold lifted" in lifted.stdout
    with w.store.read() as db:
        assert retention.on_hold(db, ids["rejected"]) is None


def test_the_command_line_says_which_setting_is_wrong(world, cli, monkeypatch, tmp_path):
    w, _ids = world
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[retention]\nnotice_days = "a week"\n')
    monkeypatch.setenv("DEBRIEF_SECRETS", str(secrets))
    done = cli("retain", "--db", w.store.location)
    assert done.returncode == 1 and "notice_days" in done.stderr


# ----------------------------------------------------------------------------------- settings


def write(tmp_path, monkeypatch, text):
    path = tmp_path / "secrets.toml"
    path.write_text(text)
    monkeypatch.setenv("DEBRIEF_SECRETS", str(path))
    return path


def test_the_defaults_keep_hires(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch, "[retention]\n")
    assert configured() == retention_settings() == RetentionSettings(180, 180, 0, 7)
    assert "After a hire: kept (never erased by retention)" in retention_settings().words()


def test_retention_is_configured_by_its_table_or_a_variable_and_the_defaults_fill_in(
    tmp_path, monkeypatch
):
    write(tmp_path, monkeypatch, '[app]\nurl = "https://debrief.example"\n')
    assert configured() is None  # no [retention]: off
    monkeypatch.setenv("DEBRIEF_RETENTION_WITHDRAWN_DAYS", "  ")
    assert configured() is None  # an empty variable is not set
    monkeypatch.setenv("DEBRIEF_RETENTION_WITHDRAWN_DAYS", "90")
    assert configured() == RetentionSettings(180, 90, 0, 7)
    monkeypatch.delenv("DEBRIEF_RETENTION_WITHDRAWN_DAYS")
    write(tmp_path, monkeypatch, "[retention]\nrejected_days = 30\n")
    assert configured() == RetentionSettings(30, 180, 0, 7)


def test_a_variable_that_names_no_setting_is_refused(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch, "")
    monkeypatch.setenv("DEBRIEF_RETENTION_REJECTED_DAY", "30")  # a typo must not pass unseen
    with pytest.raises(RetentionSettingsProblem, match=r"^\$DEBRIEF_RETENTION_REJECTED_DAY: not"):
        configured()


def test_settings_are_read_and_overridden_by_the_environment(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch, "[retention]\nrejected_days = 90\nhired_days = 730\n")
    monkeypatch.setenv("DEBRIEF_RETENTION_NOTICE_DAYS", "14")
    assert retention_settings() == RetentionSettings(90, 180, 730, 14)


@pytest.mark.parametrize(
    "text, key",
    [
        ("rejected_days = -1", "rejected_days"),
        ('withdrawn_days = "soon"', "withdrawn_days"),
        ("hired_days = 1.5", "hired_days"),
        ("notice_days = true", "notice_days"),
        ("rejected_days = 99999999", "rejected_days"),
        ("rejected_day = 30", "rejected_day"),
    ],
)
def test_a_wrong_setting_is_refused_naming_its_key(tmp_path, monkeypatch, text, key):
    write(tmp_path, monkeypatch, f"[retention]\n{text}\n")
    with pytest.raises(RetentionSettingsProblem, match=rf"\b{key}\b"):
        retention_settings()


def test_a_wrong_environment_value_is_refused_naming_it(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch, "")
    monkeypatch.setenv("DEBRIEF_RETENTION_HIRED_DAYS", "-3")
    with pytest.raises(RetentionSettingsProblem, match="DEBRIEF_RETENTION_HIRED_DAYS"):
        retention_settings()
