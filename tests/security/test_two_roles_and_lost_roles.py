"""The four ways around blind scoring and authority that people with two roles, or with a role just
taken away, found (issue 10) — each through the service, the pages (AppTest) and the command line:

1. an interviewer who is also a coordinator or committee member saw a candidate's decision and
   rationale before submitting their own scorecard;
2. a hiring manager whose role was removed kept every power over their opening;
3. committee members saw each other's votes before voting, and could not change their own;
4. the Status page crashed for a hiring manager who interviews on another opening.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import cli, debrief, exports, openings, people, scorecards
from scoring.errors import NotAllowed
from world import CATALOG, DAY, build, page_as, submit

ROOT = Path(__file__).resolve().parents[2]
RATIONALE = "Ana gave 4 and Bo 4: strong on both"


def run_cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def shown(at) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
    parts = [str(getattr(e, "value", "")) for k in kinds for e in getattr(at, k)]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(parts)


@pytest.fixture
def decided_without_cy(tmp_path):
    """Cy interviews and is also a coordinator; Mo sits on the committee and also interviews.
    Ana and Bo are in, the manager opens early and records a decision quoting their scores."""
    w = build(tmp_path / "two-roles.sqlite")
    people.update_person(w.store, w.coordinator, w.cy.id, roles=["interviewer", "coordinator"])
    people.update_person(
        w.store, w.coordinator, w.member.id, roles=["committee_member", "interviewer"]
    )
    w.mo_seat = openings.schedule_session(
        w.store, w.coordinator, w.candidate_id, 4, DAY + timedelta(hours=5), [w.member.id]
    )
    with w.store.read() as db:
        w.seats["member"] = db.execute(
            "SELECT id FROM assignments WHERE session_id = ?", [w.mo_seat]
        ).fetchone()[0]
    submit(w, "ana", 4)
    submit(w, "bo", 4)
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy and Mo are travelling")
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", RATIONALE, True)
    return w


# ---------------------------------------------------------------- 1. decisions are blind too


def test_coordinator_who_interviews_sees_no_decision_until_own_scorecard(decided_without_cy):
    w = decided_without_cy
    (row,) = exports.decision_rows(w.store, w.cy, w.opening_id)
    assert (row["decision"], row["decided_by"], row["rationale"]) == ("", "", "")
    assert row["withheld"] == "Submit your own scorecard for this candidate first."
    assert RATIONALE not in repr(row)
    card = submit(w, "cy", 2)
    assert card.saw_others is False  # true: nothing of the others reached Cy before this
    (row,) = exports.decision_rows(w.store, w.cy, w.opening_id)
    assert (row["decision"], row["rationale"], row["withheld"]) == ("Hire", RATIONALE, "")


def test_committee_member_who_interviews_sees_no_decision_in_the_day_view(decided_without_cy):
    w = decided_without_cy
    (row,) = debrief.day_view(w.store, w.member, w.opening_id, DAY.date())
    assert row.decision is None and row.decided_by is None and row.outcome is None
    assert row.note == "Submit your own scorecard first"
    with pytest.raises(NotAllowed, match="own scorecard"):
        debrief.debrief(w.store, w.member, w.candidate_id)
    submit(w, "member", 3)
    (row,) = debrief.day_view(w.store, w.member, w.opening_id, DAY.date())
    assert (row.decision, row.decided_by, row.note) == ("hire", "Maria Manager", "")


def test_decisions_page_and_export_withhold_it(decided_without_cy, monkeypatch):
    w = decided_without_cy
    at = page_as(w, "cy", "pages/decisions.py", monkeypatch)
    text = shown(at)
    assert RATIONALE not in text and "Maria Manager" not in text
    assert "Decisions: 0 of 1 candidates decided" in text
    assert "Submit your own scorecard for this candidate first." in text


def test_day_view_page_says_submit_your_own_first(decided_without_cy, monkeypatch):
    w = decided_without_cy
    at = page_as(w, "member", "pages/debrief_day.py", monkeypatch)
    table = at.dataframe[0].value
    assert list(table["Where it stands"]) == ["Submit your own scorecard first"]
    assert "Hire" not in table.to_csv()  # neither the decision nor the panel's lean
    assert RATIONALE not in shown(at)


def test_command_line_export_withholds_it(decided_without_cy, monkeypatch):
    w = decided_without_cy
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, w.cy.id))
    base = ("export", "--db", w.store.location, "--as", "cy@example.com")
    status, out, err = run_cli(*base, "--opening", w.opening_id, "--format", "csv")
    assert status == 0, err
    assert RATIONALE not in out and "Maria Manager" not in out
    assert "Submit your own scorecard for this candidate first." in out


# ------------------------------------------------------------ 2. authority follows the roles


@pytest.fixture
def decided(tmp_path):
    w = build(tmp_path / "lost.sqlite")
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", RATIONALE, True)
    return w


def test_removing_the_role_removes_the_power_at_once(decided):
    w = decided
    assert exports.scorecard_rows(w.store, w.manager, w.opening_id)  # while they hold it
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
    stale = w.manager  # the Person a running session still holds
    calls = [
        lambda: exports.scorecard_rows(w.store, stale, w.opening_id),
        lambda: exports.decision_rows(w.store, stale, w.opening_id),
        lambda: exports.summary(w.store, stale, w.candidate_id),
        lambda: debrief.debrief(w.store, stale, w.candidate_id),
        lambda: debrief.status(w.store, stale, w.candidate_id),
        lambda: debrief.day_view(w.store, stale, w.opening_id, DAY.date()),
        lambda: debrief.record_decision(w.store, stale, w.candidate_id, "no_hire", "x", True),
        lambda: scorecards.panel(w.store, stale, w.candidate_id),
        lambda: openings.list_candidates(w.store, stale, w.opening_id),
    ]
    for call in calls:
        # refused as the person is now (an interviewer): each rule names who may, and that is
        # the hiring manager, whose role they no longer hold
        with pytest.raises(
            NotAllowed, match=r"^(Only|The debrief is|Scorecards|Decisions).*hiring manager"
        ):
            call()
    assert debrief.debrief_openings(w.store, stale) == []
    assert exports.export_openings(w.store, stale) == []


def test_deactivated_hiring_manager_is_refused_everywhere(decided):
    w = decided
    people.set_active(w.store, w.coordinator, w.manager.id, False)
    for call in (
        lambda: exports.decision_rows(w.store, w.manager, w.opening_id),
        lambda: debrief.debrief(w.store, w.manager, w.candidate_id),
        lambda: openings.list_openings(w.store, w.manager),
    ):
        with pytest.raises(NotAllowed, match="not active"):
            call()


def test_command_line_follows_the_current_role(decided, monkeypatch):
    w = decided
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, w.manager.id))
    base = ("export", "--db", w.store.location, "--as", "maria@example.com")
    scores = (*base, "--opening", w.opening_id, "--what", "scorecards", "--format", "csv")
    status, out, _ = run_cli(*scores)
    assert status == 0 and "ana thinks 4" in out
    people.update_person(w.store, w.coordinator, w.manager.id, roles=[])
    status, out, err = run_cli(*scores)
    assert (status, out) == (1, "")
    assert "only by the opening's hiring manager and committee" in err
    status, out, err = run_cli(*base, "--candidate", w.candidate_id, "--format", "md")
    assert (status, out) == (1, "")


def test_a_running_session_loses_the_page_on_its_next_click(decided, monkeypatch):
    w = decided
    at = page_as(w, "manager", "pages/debrief.py", monkeypatch, candidate=w.candidate_id)
    assert at.expander and at.metric  # the debrief is there
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
    at.run()  # the next click
    assert not at.exception
    assert "This page is for a hiring manager or committee member" in at.warning[0].value
    assert RATIONALE not in shown(at) and not at.expander and not at.metric


# ----------------------------------------------------------- 3. committee votes are blind


@pytest.fixture
def committee(tmp_path):
    w = build(tmp_path / "votes.sqlite", strategy={"kind": "committee", "quorum": 2})
    w.nia = people.add_person(
        w.store, w.coordinator, "Nia Member", "nia@example.com", ["committee_member"]
    )
    with w.store.write() as db:  # a second member (the setup pages do not edit committees yet)
        db.execute(
            "INSERT INTO opening_committee (opening_id, person_id) VALUES (?, ?)",
            [w.opening_id, w.nia.id],
        )
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.cast_vote(w.store, w.nia, w.candidate_id, "no_hire", "Nia's private worry")
    return w


def test_a_member_sees_no_other_vote_before_casting_their_own(committee):
    w = committee
    view = debrief.debrief(w.store, w.member, w.candidate_id)
    assert view.votes == [] and view.own_vote is None and view.may_vote
    assert view.votes_hidden.startswith("Cast your own vote first")
    assert view.result.outcome == "awaiting_committee"  # not computed from Nia's vote
    assert "Nia's private worry" not in repr(view)
    summary = exports.render(exports.summary(w.store, w.member, w.candidate_id), "json")
    assert b"Nia's private worry" not in summary and b"no_hire" not in summary.split(b"votes")[-1]
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire", "Mo likes it")
    view = debrief.debrief(w.store, w.member, w.candidate_id)
    assert [(v.member, v.vote) for v in view.votes] == [
        ("Nia Member", "no_hire"),
        ("Mo Member", "hire"),
    ]
    assert view.result.outcome == "needs_discussion"  # 1 to 1


def test_a_member_may_change_their_vote_until_the_decision(committee):
    w = committee
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire")
    debrief.cast_vote(w.store, w.nia, w.candidate_id, "hire", "Talked to Ana: convinced")
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    assert view.result.outcome == "hire"
    assert {v.member: (v.vote, v.changes) for v in view.votes} == {
        "Nia Member": ("hire", 1),
        "Mo Member": ("hire", 0),
    }
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire")
    with pytest.raises(NotAllowed, match="votes are closed"):
        debrief.cast_vote(w.store, w.nia, w.candidate_id, "no_hire")


def test_the_vote_form_shows_no_other_vote(committee, monkeypatch):
    w = committee
    at = page_as(w, "member", "pages/debrief.py", monkeypatch, candidate=w.candidate_id)
    text = shown(at)
    assert "Nia's private worry" not in text and "Nia Member" not in text
    assert "1 of 2 members has voted; you will see their votes after yours." in text
    assert [b.label for b in at.button if "vote" in b.label.lower()] == ["Cast my vote"]
    vote = next(r for r in at.radio if r.label == "Vote")
    vote.set_value("hire")
    next(b for b in at.button if b.label == "Cast my vote").click().run()
    assert not at.exception
    text = shown(at)
    assert "Nia Member: No hire" in text
    assert [b.label for b in at.button if "vote" in b.label.lower()] == ["Change my vote"]


# ------------------------------------------------------ 4. nobody is offered what they cannot open


def test_status_page_offers_only_openings_the_person_may_see(tmp_path, monkeypatch):
    w = build(tmp_path / "status.sqlite")
    hal = people.add_person(
        w.store, w.coordinator, "Hal Other", "hal@example.com", ["hiring_manager", "interviewer"]
    )
    own = openings.create_opening(
        w.store,
        w.coordinator,
        title="Analyst",
        role="Data analyst",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=hal.id,
        strategy={"kind": "manager"},
    )
    openings.add_interviewer(w.store, w.coordinator, session_of(w, "cy"), hal.id)
    w.hal = hal
    assert [o.id for o in openings.list_openings(w.store, hal)] == [w.opening_id, own.id]
    offered = openings.list_openings(w.store, hal, "see_opening_status")
    assert [o.id for o in offered] == [own.id]
    at = page_as(w, "hal", "pages/status.py", monkeypatch)
    assert at.selectbox[0].options == ["Analyst · Data analyst"]
    assert "Grace Hopper" not in shown(at)


def session_of(w, who):
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats[who]]
        ).fetchone()[0]
