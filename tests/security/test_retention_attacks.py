"""Retention and legal holds attacked (issue 28): only a coordinator places or lifts a hold or
sees what is due (anyone else is refused with the permission table's words, and nothing is
written); a hold's reason is refused when it cannot be one line of sane length, and otherwise
stored sealed and read back as typed (Markdown, HTML and formulas stay text); the notice mail
names no candidate; a hold placed while a run is under way still wins; and after retention
erases a candidate, the database file holds none of their bytes and `verify` passes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scoring import openings, people, retention, schedule_changes
from scoring.errors import InvalidInput, NotAllowed, NotFound
from scoring.integrity import verify
from scoring.permission_privacy import ONLY_COORDINATORS
from scoring.retention_settings import RetentionSettings
from tests.world import DAY, build, dump

SETTINGS = RetentionSettings(rejected_days=180, withdrawn_days=30, hired_days=0, notice_days=7)
WITHDRAWN_AT = DAY + timedelta(days=1)
DUE_AT = WITHDRAWN_AT + timedelta(days=30)
HOLD_REFUSED = "Only a coordinator places or lifts a legal hold."
# Telling names and addresses: none may reach the notice, or outlive the erasure in the file.
APPLICANTS = [
    ("Quintessa Vandermolen", "quintessa.v@example.org"),
    ("Bartholomew Okonkwo-Lindqvist", "bart.ol@example.org"),
    ("<script>alert(1)</script> =cmd|' /C calc'!A0", "evil@example.org"),
]


def file_bytes(store) -> bytes:
    """Everything SQLite keeps on disk for the database: the file, its WAL and shared memory
    (nothing on PostgreSQL, whose files are the server's: tests/security/test_erasure.py)."""
    if store.engine != "sqlite":
        return b""
    path = Path(store.path)
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


@pytest.fixture
def w(tmp_path):
    """The world, with three applicants withdrawn on the same day (due 30 days later), and a
    second coordinator; the world's own candidate stays in process."""
    w = build(tmp_path / "retention-attacks.sqlite")
    w.applicants = []
    for name, email in APPLICANTS:
        candidate = openings.add_candidate(
            w.store, w.coordinator, w.opening_id, name, email, now=DAY
        )
        schedule_changes.withdraw_candidate(
            w.store, w.coordinator, candidate, "took another offer", now=WITHDRAWN_AT
        )
        w.applicants.append(candidate)
    w.second = people.add_person(
        w.store, w.coordinator, "Cosmo Second", "cosmo@example.com", ["coordinator"]
    )
    return w


# ---------------------------------------------------------------------------------- who may


RETENTION_PROBES = {
    # action: (probe(w, who), allowed, refused) as tests/security/test_funnel_permissions.py's
    "hold_candidate": (
        lambda w, who: retention.place_hold(w.store, who, w.applicants[0], "a claim"),
        ("coordinator",),
        ("manager", "ana", "member", "outsider"),
    ),
    "run_retention": (
        lambda w, who: retention.due(w.store, who, now=DUE_AT, settings=SETTINGS),
        ("coordinator",),
        ("manager", "ana", "member", "outsider"),
    ),
}


@pytest.mark.parametrize("who", ["manager", "ana", "member", "outsider"])
def test_only_a_coordinator_places_or_lifts_a_hold_or_sees_what_is_due(w, who):
    retention.place_hold(w.store, w.coordinator, w.applicants[1], "a claim", now=DAY)
    person = w.person(who)
    before = dump(w.store)
    with pytest.raises(NotAllowed) as raised:
        retention.place_hold(w.store, person, w.applicants[0], "I say so")
    assert str(raised.value) == HOLD_REFUSED
    with pytest.raises(NotAllowed) as raised:
        retention.lift_hold(w.store, person, w.applicants[1], "I say so")
    assert str(raised.value) == HOLD_REFUSED
    with pytest.raises(NotAllowed) as raised:
        retention.due(w.store, person, now=DUE_AT, settings=SETTINGS)
    assert str(raised.value) == ONLY_COORDINATORS
    assert not retention.may_see_due(w.store, person)
    assert dump(w.store) == before  # nothing written


def test_the_probes_allow_the_coordinator(w):
    for action, (probe, allowed, _refused) in RETENTION_PROBES.items():
        for who in allowed:
            probe(w, w.person(who))  # does not raise
        assert action in ("hold_candidate", "run_retention")


def test_a_coordinator_whose_role_is_removed_or_who_is_deactivated_is_refused(w):
    people.update_person(w.store, w.coordinator, w.second.id, roles=["interviewer"])
    with pytest.raises(NotAllowed, match=HOLD_REFUSED):
        retention.place_hold(w.store, w.second, w.applicants[0], "a claim")
    people.update_person(w.store, w.coordinator, w.second.id, roles=["coordinator"])
    people.set_active(w.store, w.coordinator, w.second.id, False)
    before = dump(w.store)
    with pytest.raises(NotAllowed):
        retention.place_hold(w.store, w.second, w.applicants[0], "a claim")
    with pytest.raises(NotAllowed):
        retention.due(w.store, w.second, now=DUE_AT, settings=SETTINGS)
    assert dump(w.store) == before


def test_a_hold_on_no_such_candidate_is_not_found(w):
    with pytest.raises(NotFound):
        retention.place_hold(w.store, w.coordinator, 99_999, "a claim")


# ------------------------------------------------------------------------------ the reason

HOSTILE_KEPT = [
    "**urgent** _claim_ [click](https://evil.example) ![x](https://evil.example/x.png)",
    "<script>alert('hold')</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("https://evil.example","claim")',
    "+SUM(1,2) @cmd -2+3",
    ":red[claim] :material/warning: # heading",
]


@pytest.mark.parametrize("reason", HOSTILE_KEPT)
def test_a_hostile_reason_is_stored_sealed_and_read_back_as_typed(w, reason):
    retention.place_hold(w.store, w.coordinator, w.applicants[0], reason)
    with w.store.read() as db:
        assert retention.on_hold(db, w.applicants[0]) == reason
    view = retention.due(w.store, w.coordinator, now=DUE_AT, settings=SETTINGS)
    assert [d.hold for d in view.held] == [reason]
    assert reason.encode() not in file_bytes(w.store)  # sealed: the file holds ciphertext


def test_a_direction_override_is_taken_out_of_the_reason(w):
    retention.place_hold(w.store, w.coordinator, w.applicants[0], "claim \u202eeton")
    with w.store.read() as db:
        assert "\u202e" not in retention.on_hold(db, w.applicants[0])


@pytest.mark.parametrize(
    "reason, words",
    [
        ("first line\nsecond line", "must be one line"),
        ("carriage\rreturn", "must be one line"),
        ("x" * 1_000_000, "1,000,000 characters; at most 2,000"),
        ("", "say why"),
        ("   \t ", "say why"),
    ],
)
def test_a_reason_that_cannot_be_one_sane_line_is_refused_and_nothing_is_written(w, reason, words):
    before = dump(w.store)
    with pytest.raises(InvalidInput) as raised:
        retention.place_hold(w.store, w.coordinator, w.applicants[0], reason)
    assert str(raised.value).startswith("reason: ") and words in str(raised.value)
    assert dump(w.store) == before


# ------------------------------------------------------------------------------ the notice


def test_the_notice_names_no_candidate_and_goes_to_active_coordinators_only(w):
    third = people.add_person(
        w.store, w.coordinator, "Gone Coordinator", "gone@example.com", ["coordinator"]
    )
    people.set_active(w.store, w.coordinator, third.id, False)
    run = retention.retain(w.store, now=DUE_AT - timedelta(days=7), settings=SETTINGS)
    assert sorted(d.candidate_id for d in run.noticed) == sorted(w.applicants)
    with w.store.read() as db:
        mail = db.execute(
            "SELECT recipient_id, to_address, subject, text_body, html_body FROM outbox"
            " WHERE kind = 'retention_notice' ORDER BY recipient_id"
        ).fetchall()
        aliases = [
            db.execute("SELECT alias FROM candidates WHERE id = ?", [c]).fetchone()[0]
            for c in w.applicants
        ]
    assert [m["recipient_id"] for m in mail] == [w.coordinator.id, w.second.id]
    for message in mail:
        words = " ".join([message["subject"], message["text_body"], message["html_body"]])
        for name, email in APPLICANTS:
            assert email not in words
            for part in name.split():
                if len(part) > 3:
                    assert part not in words, part
        assert "Grace" not in words and "grace@" not in words
        for alias, candidate in zip(aliases, w.applicants, strict=True):
            assert f"{alias} (candidate {candidate})" in message["text_body"]
        assert message["subject"].startswith("Retention: 3 candidates to be erased from")


@pytest.mark.sqlite_only("scans the database file")
def test_the_notice_is_stored_in_the_clear_because_it_holds_nothing_personal(w):
    retention.retain(w.store, now=DUE_AT - timedelta(days=7), settings=SETTINGS)
    data = file_bytes(w.store)
    assert b"Retention: 3 candidates to be erased" in data
    for name, email in APPLICANTS:
        assert name.encode() not in data and email.encode() not in data


# ------------------------------------------------------------------------- runs and holds


def test_a_hold_placed_while_a_run_is_under_way_wins(w):
    retention.retain(w.store, now=DUE_AT - timedelta(days=7), settings=SETTINGS)
    at = DUE_AT + timedelta(hours=1)
    with w.store.read() as db:
        planned = retention.standing(db, [w.applicants[0]], SETTINGS, {})
    # between the run's plan and its erasure of this candidate, a coordinator holds them
    retention.place_hold(w.store, w.coordinator, w.applicants[0], "a claim just arrived")
    assert retention._erase(w.store, planned[0], SETTINGS, at) == "held"
    run = retention.retain(w.store, now=at, settings=SETTINGS)
    assert w.applicants[0] not in [d.candidate_id for d in run.erased]
    assert [d.candidate_id for d in run.held] == [w.applicants[0]]
    with w.store.read() as db:
        assert not db.execute(
            "SELECT 1 FROM erasures WHERE candidate_id = ?", [w.applicants[0]]
        ).fetchone()


def test_after_retention_erases_no_byte_of_them_is_left_and_verify_passes(w):
    retention.retain(w.store, now=DUE_AT - timedelta(days=7), settings=SETTINGS)
    run = retention.retain(w.store, now=DUE_AT + timedelta(hours=1), settings=SETTINGS)
    assert sorted(d.candidate_id for d in run.erased) == sorted(w.applicants)
    data = file_bytes(w.store)
    for name, email in APPLICANTS:
        assert name.encode() not in data and email.encode() not in data
    report = verify(w.store)
    assert report.ok, report.problems
    # the notice mail is still there: it never named them
    with w.store.read() as db:
        kept = db.execute("SELECT count(*) FROM outbox WHERE kind = 'retention_notice'").fetchone()[
            0
        ]
    assert kept == 2
    # and they cannot be held once erased
    with pytest.raises(InvalidInput, match="is erased"):
        retention.place_hold(w.store, w.coordinator, w.applicants[0], "too late")
