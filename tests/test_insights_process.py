"""Insights, the decision process and the thresholds: on panels built through the service, the
figures count what happened (discussion changing the outcome, decisions against the panel,
forcing that would flip, the what-if of each strategy, the bar and the veto against history);
the figures follow a new decision at once; the command line gives them as the app does."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from scoring import debrief, insights, openings, people, scorecards
from scoring.clashes import unchecked
from scoring.errors import NotAllowed
from scoring.matrix import full_scores
from scoring.store import parse_stamp
from world import DAY, build

PANEL = ("ana", "bo", "cy")


def add_panel(w, overalls, decision=None, level=3, votes=(), day=0):
    """A candidate of the world's opening scored `overalls` by Ana, Bo and Cy on day `day`,
    the debrief opened and (when given) `decision` recorded two days after the last session
    ended."""
    start = DAY + timedelta(days=day)
    candidate_id = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"C{day}")
    seats = {}
    for position, who in enumerate(PANEL, start=1):
        with unchecked():  # panels of the same day share Ana, Bo and Cy: a made-up history
            session_id = openings.schedule_session(
                w.store,
                w.coordinator,
                candidate_id,
                position,
                start + timedelta(hours=position),
                [w.person(who).id],
                now=start - timedelta(days=1),
            )
        with w.store.read() as db:
            seats[who] = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session_id]
            ).fetchone()[0]
    for who, overall in zip(PANEL, overalls, strict=True):
        scorecards.submit(
            w.store,
            w.person(who),
            seats[who],
            overall=overall,
            feedback="seen",
            criteria=full_scores(w.store, seats[who], level),
            now=start + timedelta(hours=6),
        )
    debrief.open_debrief(w.store, w.manager, candidate_id, now=start + timedelta(hours=7))
    for vote in votes:
        debrief.cast_vote(w.store, w.member, candidate_id, vote, now=start + timedelta(hours=8))
    with w.store.read() as db:
        ended = db.execute(
            "SELECT MAX(ends_at) FROM interview_sessions WHERE candidate_id = ?", [candidate_id]
        ).fetchone()[0]
    if decision is not None:
        debrief.record_decision(
            w.store,
            w.manager,
            candidate_id,
            decision,
            "we talked it through",
            True,
            now=parse_stamp(ended) + timedelta(days=2),
        )
    return candidate_id


def figures(w, who="manager"):
    return insights.opening_insights(w.store, w.person(who), [w.opening_id])


def only(frame, **match):
    rows = frame
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_the_hiring_managers_decisions_against_the_panel_and_what_discussion_changed(tmp_path):
    w = build(tmp_path / "m.sqlite")  # hiring manager decides
    add_panel(w, (4, 4, 1), "no_hire", day=0)  # leaned hire at the opening: changed, against
    add_panel(w, (1, 1, 4), "no_hire", day=1)  # leaned no hire: kept
    add_panel(w, (5, 4, 3), "hire", day=2)  # leaned hire: kept
    add_panel(w, (4, 4, 4), None, day=3)  # not decided yet: not in the decision figures
    view = figures(w)
    assert view.decided == 3 and view.candidates == 4
    row = only(view.process, opening_id=w.opening_id)
    assert row["strategy"] == "manager" and row["decided"] == 3
    assert (row["hires"], row["changed"], row["changed_to_no_hire"], row["changed_to_hire"]) == (
        1,
        1,
        1,
        0,
    )
    assert row["against_panel"] == 1 and row["against_panel_share"] == pytest.approx(1 / 3)
    assert row["against_panel_low"] < 1 / 3 < row["against_panel_high"]
    # the interviews end at 3 a.m. + 1 h (the last at position 3); decisions come 2 days later
    assert row["days_median"] == pytest.approx(2.0)
    assert row["provisional"]  # 3 decisions: fewer than the minimum
    # the what-if: a majority vote on the same panels says the opposite of the first decision
    vote = only(view.what_if, alternative="vote")
    assert (vote["n"], vote["hire"], vote["no_hire"], vote["differs"]) == (3, 2, 1, 1)
    lean = only(view.what_if, alternative="manager")
    assert lean["in_force"] and lean["differs"] == 1  # the lean is what the manager overrode


def test_a_new_decision_reaches_the_figures_at_once(tmp_path):
    w = build(tmp_path / "fresh.sqlite")
    candidate_id = add_panel(w, (4, 4, 4), None)
    assert figures(w).decided == 0
    debrief.record_decision(w.store, w.manager, candidate_id, "hire", "clear", True)
    assert figures(w).decided == 1
    debrief.record_decision(w.store, w.manager, candidate_id, "no_hire", "second thoughts", True)
    row = only(figures(w).process, opening_id=w.opening_id)
    assert row["hires"] == 0 and row["changed"] == 1  # the decision in force counts


def test_vote_powers_and_forcing_against_history(tmp_path):
    w = build(
        tmp_path / "v.sqlite",
        strategy={"kind": "vote", "veto": True, "greenlight": False, "force_extremes": False},
    )
    add_panel(w, (4, 4, 0), "no_hire", day=0)  # vetoed; a plain vote would hire
    # no veto raw, nor forced: forcing makes the 1 a 0, but a veto needs an extreme the
    # interviewer wrote (the book's veto is for one who "felt strongly enough", L1265)
    add_panel(w, (4, 4, 1), "hire", day=1)
    add_panel(w, (1, 1, 1), "no_hire", day=2)  # nothing changes anything
    view = figures(w)
    row = only(view.process, opening_id=w.opening_id)
    assert row["forcing_flips"] == 0 and row["forcing_n"] == 3
    (powers,) = view.thresholds.to_dict("records")
    assert powers["threshold"] == "Veto at 0 (overall)"
    assert (powers["candidates"], powers["meets"], powers["changed"]) == (3, 1, 1)


@pytest.mark.parametrize("mode", ["binding", "advisory"])
def test_the_committee_bar_against_history(tmp_path, mode):
    binding = mode == "binding"
    strategy = {"kind": "committee", "bar": 0.5, "quorum": 1, "bar_mode": mode}
    w = build(tmp_path / "c.sqlite", strategy=strategy)
    # every criterion at 1 of 1..4: a weighted score of 0, below the bar whatever the votes
    low = add_panel(w, (4, 4, 4), None, level=1, votes=["hire"], day=0)
    high = add_panel(w, (4, 4, 4), None, level=4, votes=["hire"], day=1)
    # binding: the bar stops the hire; advisory: the votes decide, the bar flags
    debrief.record_decision(
        w.store, w.manager, low, "no_hire" if binding else "hire", "below the bar"
    )
    debrief.record_decision(w.store, w.manager, high, "hire", "the committee says hire")
    mine = figures(w)
    (bar,) = mine.thresholds.to_dict("records")
    assert bar["threshold"].startswith("Committee bar 0.50") and mode in bar["threshold"]
    changed = 1 if binding else 0  # an advisory bar never changes the outcome
    assert (bar["candidates"], bar["meets"], bar["changed"], bar["changed_of"]) == (
        2,
        1,
        changed,
        1,
    )
    sweep = mine.bar_sweep.set_index("bar")
    assert sweep.loc[0.5, "above"] == 1 and sweep.loc[0.9, "hires_stopped"] == (0 if binding else 1)
    assert sweep.loc[0.2, "above"] == 1  # a weighted score of 0 is under every bar
    assert "committee" in set(mine.what_if["alternative"])
    # the coordinator reads no score figure: no bar, no what-if; the decisions and their dates
    theirs = figures(w, "coordinator")
    assert theirs.thresholds.empty and theirs.bar_sweep.empty and theirs.what_if.empty
    row = only(theirs.process, opening_id=w.opening_id)
    assert (row["decided"], row["hires"]) == (2, 1 if binding else 2) and "changed" not in row


def test_a_coordinator_and_a_hiring_manager_read_the_same_decisions_and_dates(tmp_path):
    """The figures from decisions and dates are the same for both; only the hiring manager
    has the panel's columns and the score figures."""
    w = build(tmp_path / "same.sqlite")
    add_panel(w, (4, 4, 1), "no_hire", day=0)
    add_panel(w, (1, 1, 4), "hire", day=1)
    manager, coordinator = figures(w), figures(w, "coordinator")
    shared = list(coordinator.process.columns)
    assert manager.process[shared].equals(coordinator.process)
    assert manager.submission.equals(coordinator.submission)
    assert coordinator.submission["scorecards"].tolist() == [6]
    assert set(manager.process.columns) - set(shared) >= {"changed", "against_panel"}
    assert manager.score_figures and not coordinator.score_figures
    assert "hiring managers" in coordinator.scores_withheld_why


def test_nobody_outside_the_opening_gets_its_decision_figures(tmp_path):
    """Kept figures are never a way round the rules: a role removed since is refused."""
    w = build(tmp_path / "x.sqlite")
    add_panel(w, (4, 4, 1), "no_hire")
    assert figures(w).decided == 1  # worked out and kept for the hiring manager
    refused = r"^Only the coordinator and the opening's hiring manager see its insights\.$"
    for who in ("ana", "member", "outsider"):
        with pytest.raises(NotAllowed, match=refused):
            figures(w, who)
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
    with pytest.raises(NotAllowed, match=refused):
        figures(w, "manager")


def test_the_command_line_gives_the_figures_as_the_app_does(tmp_path, cli, monkeypatch):
    w = build(tmp_path / "cli.sqlite")
    add_panel(w, (4, 4, 1), "no_hire", day=0)
    add_panel(w, (1, 1, 4), "no_hire", day=1)
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, w.manager.id))
    base = ("insights", "--db", w.store.location, "--as", "maria@example.com")
    result = cli(*base, "--opening", w.opening_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["candidates"] == 2 and document["decided"] == 2
    for row in document["reliability"]:
        assert set(row) >= {"criterion_id", "alpha", "interval", "n"}
        assert set(row["interval"]) == {"low", "high", "level"}
    app = insights.document(figures(w))
    assert document["decision_process"] == json.loads(json.dumps(app["decision_process"]))
    csv = cli(*base, "--opening", w.opening_id, "--format", "csv", "--table", "what_if")
    assert csv.returncode == 0 and csv.stdout.startswith("opening_id,opening,strategy,alternative")
    bad = cli(*base, "--opening", w.opening_id, "--format", "csv", "--table", "nope")
    assert bad.returncode == 2 and "--table must be one of" in bad.stderr and not bad.stdout
    # the coordinator asks for a table from scores: refused in words, not an empty file
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, w.coordinator.id))
    cora = (
        "insights",
        "--db",
        w.store.location,
        "--as",
        "cora@example.com",
        "--opening",
        w.opening_id,
    )
    withheld = cli(*cora, "--format", "csv", "--table", "reliability")
    assert withheld.returncode == 1 and "Score figures are for" in withheld.stderr
    assert not withheld.stdout
    # an interviewer signs in fine but may not see the opening's insights: refused, nothing out
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, w.ana.id))
    refused = cli(
        "insights", "--db", w.store.location, "--as", "ana@example.com", "--opening", w.opening_id
    )
    assert refused.returncode == 2  # --format is required
    refused = cli(
        "insights",
        "--db",
        w.store.location,
        "--as",
        "ana@example.com",
        "--opening",
        w.opening_id,
        "--format",
        "json",
    )
    assert refused.returncode == 1 and refused.stdout == ""
    assert "insights: Only the coordinator and the opening's hiring manager" in refused.stderr


def test_figures_kept_for_one_database_never_answer_for_another(tmp_path):
    """Figures are kept until the history changes; two databases with the same ids and as many
    audit entries (the same shape) still give their own figures."""
    first, second = build(tmp_path / "a.sqlite"), build(tmp_path / "b.sqlite")
    add_panel(first, (4, 4, 4), "hire")
    add_panel(second, (4, 4, 4), "no_hire")
    hires = [only(figures(w).process, opening_id=w.opening_id)["hires"] for w in (first, second)]
    assert hires == [1, 0]
