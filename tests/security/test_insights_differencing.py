"""Figures never leak what a role may not see (issue 22, attack 1).

The attack: a coordinator ran `python -m scoring insights --opening 1 --format json` before and
after the hiring manager opened one debrief and subtracted the point counts: every interviewer's
overall score for that candidate came out (and the calibration rows showed each interviewer's
leniency, spread and extremes). An aggregate over a small or changing set is a score.

The test plays the same history on two databases that differ only in what some roles may not
see: the scores two interviewers give one candidate (Grace) and the committee member's first
vote on her. After each kind of write (a scorecard submitted, the debrief opened, a vote cast, a
decision recorded, an outcome recorded) it reads everything each person can read of the
insights: every section's tables as the page, the downloads and the command line give them
(`full_document`), every section's plain sentence, and one's own calibration. Then, for every
person while the secrets are hidden from them:

- what they read is the same on both databases, so no difference of two readings (before and
  after a write) can tell one history from the other: the differences are compared too;
- someone with an unsubmitted seat on Grace reads no change at all from a write about her;
- a coordinator's readings hold no table worked out from scores and no row per interviewer.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from scoring import cli, debrief, insights, openings, people, scorecards
from scoring.errors import NotAllowed
from scoring.insights import outcomes
from scoring.matrix import full_scores
from world import DAY, World, build

# Two histories, one secret apart: Ana's and Bo's scores on Grace, and Mo's first vote on her.
SECRETS = {
    "A": {"ana": (5, 4), "bo": (4, 4), "first_vote": "hire", "ana_fix": (4, 4)},
    "B": {"ana": (0, 1), "bo": (1, 1), "first_vote": "no_hire", "ana_fix": (3, 2)},
}
# Tables worked out from scores: a coordinator gets none of them (PRODUCT: "never scores, nor
# anything derived from them (no score table, no per-interviewer figure)").
SCORE_TABLES = (
    "reliability",
    "criterion_use",
    "point_use",
    "overall_use",
    "overall_summary",
    "calibration",
    "what_if",
    "bar_sweep",
    "thresholds",
    "hire_correlations",
    "corrections",
)
ROLES = {
    "cora": "coordinator",
    "maria": "hiring manager",
    "ana": "interviewer who has submitted",
    "cy": "interviewer with an unsubmitted seat (until the last scorecard)",
    "mo": "committee member",
    "pat": "coordinator who also interviews, seat unsubmitted throughout",
}


@dataclass
class Played:
    """One history: what each person read after each step."""

    world: World
    pat: object
    readings: list[tuple[str, dict[str, dict]]]  # (step, person -> reading)


def reading(w: World, person) -> dict:
    """Everything the person can read of the insights, as plain JSON values."""
    out: dict = {}
    try:
        out["openings"] = insights.full_document(w.store, person, [w.opening_id])
        out["headlines"] = insights.headlines(w.store, person, [w.opening_id])
    except NotAllowed as refusal:
        out["openings"] = f"refused: {refusal}"
    try:
        own = insights.own_calibration(w.store, person)
        out["own"] = insights.document(own)
        out["own_headline"] = insights.headline(own, "calibration")
    except NotAllowed as refusal:
        out["own"] = f"refused: {refusal}"
    # NaN is written as NaN, so two readings compare as text would
    return json.loads(json.dumps(out, default=str, sort_keys=True), parse_constant=str)


def seats_of(w: World, candidate_id: int) -> dict[int, int]:
    with w.store.read() as db:
        return {
            r["interviewer_id"]: r["id"]
            for r in db.execute(
                "SELECT a.id, a.interviewer_id FROM assignments a"
                " JOIN interview_sessions i ON i.id = a.session_id WHERE i.candidate_id = ?",
                [candidate_id],
            )
        }


def submit(w: World, person, seat: int, overall: int, level: int, at) -> None:
    scorecards.submit(
        w.store,
        person,
        seat,
        overall=overall,
        feedback=f"{person.name} says {overall}",
        criteria=full_scores(w.store, seat, level),
        now=at,
    )


def play(path: Path, secret: dict) -> Played:
    """The history: Yves, decided and hired two days earlier (the same on both databases), then
    Grace, step by step, with the secret's scores and first vote."""
    w = build(path, strategy={"kind": "committee", "quorum": 1})
    pat = people.add_person(
        w.store, w.coordinator, "Pat Both", "pat@example.com", ["coordinator", "interviewer"]
    )
    grace = w.candidate_id
    openings.schedule_session(
        w.store, w.coordinator, grace, 4, DAY + timedelta(hours=4), [pat.id], now=DAY
    )
    earlier = DAY - timedelta(days=2)
    yves = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Yves Earlier")
    for position, person in enumerate((w.ana, w.bo, w.cy), start=1):
        openings.schedule_session(
            w.store,
            w.coordinator,
            yves,
            position,
            earlier + timedelta(hours=position),
            [person.id],
            now=earlier - timedelta(days=1),
        )
    seats = seats_of(w, yves)
    for person, overall in ((w.ana, 4), (w.bo, 3), (w.cy, 5)):
        submit(w, person, seats[person.id], overall, 3, earlier + timedelta(hours=6))
    debrief.open_debrief(w.store, w.manager, yves, now=earlier + timedelta(hours=7))
    debrief.cast_vote(w.store, w.member, yves, "hire", now=earlier + timedelta(hours=8))
    debrief.record_decision(
        w.store, w.manager, yves, "hire", "clear", True, now=earlier + timedelta(days=1)
    )
    later = earlier + timedelta(days=200)
    outcomes.record_outcome(w.store, w.manager, yves, 6, 4, True, now=later)

    seats = seats_of(w, grace)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("the start", lambda: None),
        (
            "Ana's scorecard submitted",
            lambda: submit(w, w.ana, seats[w.ana.id], *secret["ana"], DAY + timedelta(hours=6)),
        ),
        (
            "Bo's scorecard submitted",
            lambda: submit(w, w.bo, seats[w.bo.id], *secret["bo"], DAY + timedelta(hours=7)),
        ),
        (
            "the debrief opened (early: Cy and Pat still due)",
            lambda: debrief.open_debrief(
                w.store, w.manager, grace, "Cy is away", now=DAY + timedelta(hours=8)
            ),
        ),
        (
            "Ana's scorecard corrected after seeing Bo's",
            lambda: scorecards.revise(
                w.store,
                w.ana,
                seats[w.ana.id],
                reason="after the debrief",
                overall=secret["ana_fix"][0],
                feedback="corrected",
                criteria=full_scores(w.store, seats[w.ana.id], secret["ana_fix"][1]),
                now=DAY + timedelta(hours=8, minutes=30),
            ),
        ),
        (
            "a vote cast",
            lambda: debrief.cast_vote(
                w.store, w.member, grace, secret["first_vote"], now=DAY + timedelta(hours=9)
            ),
        ),
        (
            "the vote changed",
            lambda: debrief.cast_vote(
                w.store, w.member, grace, "hire", now=DAY + timedelta(hours=10)
            ),
        ),
        (
            "the decision recorded",
            lambda: debrief.record_decision(
                w.store, w.manager, grace, "hire", "the committee", True, now=DAY + timedelta(1)
            ),
        ),
        (
            "an outcome recorded",
            lambda: outcomes.record_outcome(
                w.store, w.manager, grace, 6, 3, True, now=DAY + timedelta(days=200)
            ),
        ),
        (
            "Cy's late scorecard submitted",
            lambda: submit(w, w.cy, seats[w.cy.id], 3, 3, DAY + timedelta(days=2)),
        ),
    ]
    who = {"cora": w.coordinator, "maria": w.manager, "ana": w.ana, "cy": w.cy, "mo": w.member}
    who["pat"] = pat
    readings = []
    for name, write in steps:
        write()
        readings.append((name, {key: reading(w, person) for key, person in who.items()}))
    return Played(w, pat, readings)


@pytest.fixture(scope="module")
def histories(tmp_path_factory) -> dict[str, Played]:
    folder = tmp_path_factory.mktemp("differencing")
    return {key: play(folder / f"{key}.sqlite", secret) for key, secret in SECRETS.items()}


def blind(person: str, step: int) -> bool:
    """Whether the person may not see the secrets after step `step` (an index of the steps):
    a coordinator and the committee member never read scores in the insights, Pat is blind to
    Grace throughout, Cy until their own scorecard is in (the last step), the hiring manager
    until the debrief opens (step 3). Ana sees her own score from step 1 on."""
    return {
        "cora": True,
        "mo": True,
        "pat": True,
        "cy": step < 9,
        "maria": step < 3,
        "ana": step < 1,
    }[person]


def difference(before: dict, after: dict) -> dict:
    """What changed between two readings, table by table (nested one level: the document's
    tables and figures, the headlines)."""
    changed = {}
    for surface in sorted(set(before) | set(after)):
        old, new = before.get(surface), after.get(surface)
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    changed[f"{surface}.{key}"] = (old.get(key), new.get(key))
        elif old != new:
            changed[surface] = (old, new)
    return changed


@pytest.mark.slow  # two histories played step by step (~10 s): the full suite
@pytest.mark.parametrize("person", list(ROLES), ids=list(ROLES))
def test_no_reading_or_difference_of_readings_tells_the_hidden_history(histories, person):
    a, b = histories["A"].readings, histories["B"].readings
    for step, ((name, seen_a), (_, seen_b)) in enumerate(zip(a, b, strict=True)):
        if not blind(person, step):
            continue
        told = sorted(difference(seen_a[person], seen_b[person]))
        assert not told, f"{ROLES[person]}, after {name}: {told} differ between the histories"
        if step == 0:
            continue
        diff_a = difference(a[step - 1][1][person], seen_a[person])
        diff_b = difference(b[step - 1][1][person], seen_b[person])
        assert diff_a == diff_b, (
            f"{ROLES[person]}: the difference before and after {name} tells the histories apart"
            f" in {sorted(k for k in set(diff_a) | set(diff_b) if diff_a.get(k) != diff_b.get(k))}"
        )


@pytest.mark.slow  # two histories played step by step (~10 s): the full suite
@pytest.mark.parametrize("person", ["pat", "cy"])
def test_a_write_about_a_candidate_changes_nothing_for_someone_still_due_to_score_them(
    histories, person
):
    readings = histories["A"].readings
    for step in range(1, len(readings)):
        if not blind(person, step):
            break
        name = readings[step][0]
        changed = difference(readings[step - 1][1][person], readings[step][1][person])
        if name.startswith("the debrief opened") and person == "pat":
            # Grace joins the candidates left out for Pat ("Not counted for you: 1 candidate
            # (Submit your own scorecard for this candidate first.)"): that her debrief is
            # open is on the Status page Pat reads as a coordinator. Nothing else may change.
            assert changed.pop("openings.withheld") == (0, 1)
            changed.pop("openings.withheld_why")
        assert not changed, f"{ROLES[person]}: {name} changed {sorted(changed)}"


@pytest.mark.slow  # two histories played step by step (~10 s): the full suite
@pytest.mark.parametrize("person", ["cora", "pat"])
def test_a_coordinator_reads_no_table_from_scores_and_no_row_per_interviewer(histories, person):
    for name, seen in histories["A"].readings:
        document = seen[person]["openings"]
        assert isinstance(document, dict), (name, document)
        for table in SCORE_TABLES:
            assert document[table] == [], f"after {name}: {table} is shown to a coordinator"
        for table in insights.TABLES:
            for row in document[table]:
                assert not {"interviewer", "interviewer_id"} & set(row), (name, table, row)
    # what a coordinator does read: the decisions and dates (hire rate, days, time to submit)
    last = histories["A"].readings[-1][1]["cora"]["openings"]
    (process,) = last["decision_process"]
    assert (process["decided"], process["hires"]) == (2, 2)
    assert last["submission"] and last["hire_retention"]


def run_cli(w: World, person, monkeypatch) -> dict:
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, person.id))
    out, err = io.StringIO(), io.StringIO()
    args = ["insights", "--db", w.store.location, "--as", person.email]
    code = cli.main([*args, "--opening", str(w.opening_id), "--format", "json"], out, err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def test_the_reported_attack_subtracting_the_command_lines_point_counts(tmp_path, monkeypatch):
    """The coordinator's JSON before and after the hiring manager opens one debrief, on two
    databases whose panels scored the candidate differently: the two differences are the same,
    and hold no point count (today: Ana's and Bo's overall scores come out of `overall_use`)."""
    differences = []
    for key, secret in SECRETS.items():
        w = build(tmp_path / f"cli-{key}.sqlite")
        for who in ("ana", "bo", "cy"):
            overall, level = secret.get(who, (3, 3))
            submit(w, w.person(who), w.seats[who], overall, level, DAY + timedelta(hours=6))
        before = run_cli(w, w.coordinator, monkeypatch)
        debrief.open_debrief(w.store, w.manager, w.candidate_id, now=DAY + timedelta(hours=7))
        after = run_cli(w, w.coordinator, monkeypatch)
        differences.append(difference({"cli": before}, {"cli": after}))
        assert after["overall_use"] == [] and after["calibration"] == []
    assert differences[0] == differences[1], sorted(differences[0])
