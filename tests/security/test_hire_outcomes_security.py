"""After the hire, attacked: only the opening's hiring manager (holding the role now) records how
one of its hires turned out; a hostile note stays text; and nobody's correlations include a hire
they are still blind to (an unsubmitted seat on the panel)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from scoring import debrief, exports, openings, people
from scoring.errors import InvalidInput, NotAllowed
from scoring.insights import outcomes
from scoring.store import now_utc
from scoring.text import NOTE_MAX
from world import CATALOG, DAY, World, build, submit

LATER = now_utc() + timedelta(days=400)  # past the time a 6-month rating can be recorded


@pytest.fixture
def w(tmp_path) -> World:
    """Grace hired on Maria's opening after a full panel; another opening managed by Hana."""
    w = build(tmp_path / "outcomes.sqlite")
    for who, overall in (("ana", 5), ("bo", 4), ("cy", 3)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong", True)
    w.hana = people.add_person(
        w.store, w.coordinator, "Hana Other", "hana@example.com", ["hiring_manager", "interviewer"]
    )
    openings.create_opening(
        w.store,
        w.coordinator,
        title="Analyst",
        role="Data analyst",
        loop=CATALOG.loops["ds-generalist-onsite"],
        catalog=CATALOG,
        hiring_manager_id=w.hana.id,
        strategy={"kind": "manager"},
    )
    return w


def written(w: World) -> int:
    with w.store.read() as db:
        return db.execute("SELECT COUNT(*) FROM hire_outcomes").fetchone()[0]


def record(w: World, actor, candidate_id=None, note="fine"):
    return outcomes.record_outcome(
        w.store, actor, candidate_id or w.candidate_id, 6, 4, True, note, now=LATER
    )


@pytest.mark.parametrize(
    "who", ["hana", "ana", "coordinator", "member", "outsider"], ids=lambda x: x
)
def test_only_the_openings_hiring_manager_records(w, who):
    with pytest.raises(NotAllowed, match="Only the hiring manager of this opening"):
        record(w, w.person(who))
    assert written(w) == 0
    assert outcomes.hires(w.store, w.person(who), [w.opening_id]) == []


def test_a_hiring_manager_whose_role_was_removed_is_refused(w):
    signed_in = w.manager  # as their browser session still holds them
    people.update_person(w.store, w.coordinator, w.manager.id, roles=["interviewer"])
    with pytest.raises(NotAllowed, match="Only the hiring manager of this opening"):
        record(w, signed_in)
    assert outcomes.hires(w.store, signed_in, [w.opening_id]) == []
    people.set_active(w.store, w.coordinator, w.manager.id, False)
    with pytest.raises(NotAllowed, match="not active"):
        record(w, signed_in)
    assert written(w) == 0


def test_no_outcome_for_a_candidate_not_hired(w):
    nora = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Nora No")
    session = openings.schedule_session(
        w.store, w.coordinator, nora, 1, DAY + timedelta(days=1), [w.ana.id]
    )
    with w.store.read() as db:
        seat = db.execute("SELECT id FROM assignments WHERE session_id = ?", [session]).fetchone()
    w.seats["nora"] = seat[0]
    from scoring.matrix import full_scores
    from scoring.scorecards import submit as submit_card

    submit_card(
        w.store,
        w.ana,
        seat[0],
        overall=1,
        feedback="not yet",
        criteria=full_scores(w.store, seat[0], 1),
    )
    with pytest.raises(NotAllowed, match="Outcomes are recorded only for a candidate"):
        record(w, w.manager, nora)  # not even decided
    debrief.open_debrief(w.store, w.manager, nora)
    debrief.record_decision(w.store, w.manager, nora, "no_hire", "Not yet", True)
    with pytest.raises(NotAllowed, match="whose decision is hire"):
        record(w, w.manager, nora)
    # a hire reversed: the decision in force counts
    debrief.record_decision(w.store, w.manager, w.candidate_id, "no_hire", "Withdrawn", True)
    with pytest.raises(NotAllowed, match="whose decision is hire"):
        record(w, w.manager)
    assert written(w) == 0


def test_who_sees_the_correlations(w):
    record(w, w.manager)
    for seer in (w.manager, w.coordinator):  # see_insights on the opening
        _, recorded = outcomes.outcome_rows(w.store, seer, [w.opening_id])
        assert set(recorded["candidate_id"]) == {w.candidate_id}
    for stranger in (w.hana, w.ana, w.member, w.outsider):
        with pytest.raises(NotAllowed, match="see its insights"):
            outcomes.outcome_rows(w.store, stranger, [w.opening_id])


HOSTILE = [
    "![x](http://evil.example/pixel.png) **Overall: 5** <img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example", "click")',
    "first line\nsecond line\r\n## No hire",
    ":red[alarm] $x^2$ https://evil.example",
]


@pytest.mark.parametrize("note", HOSTILE, ids=["markdown-html", "formula", "lines", "directives"])
def test_a_hostile_note_stays_text(w, note):
    kept = record(w, w.manager, note=note)
    assert kept.note == note.strip()
    rows = outcomes.hire_rows(outcomes.hires(w.store, w.manager, [w.opening_id]))
    text = exports.to_csv(rows)
    (parsed,) = list(csv.DictReader(io.StringIO(text)))
    assert parsed["note_6m"] in (note.strip(), "'" + note.strip())  # a formula is neutralised
    assert parsed["note_6m"].startswith("'=") == note.startswith("=")
    assert ("\n" in parsed["note_6m"]) == ("\n" in note)  # one cell, its line breaks kept


def test_a_megabyte_note_is_refused_naming_the_note(w):
    with pytest.raises(InvalidInput, match=r"^note: 1,000,000 characters; at most 2,000"):
        record(w, w.manager, note="x" * 1_000_000)
    assert NOTE_MAX == 2_000 and written(w) == 0


def test_a_hire_is_never_counted_for_someone_blind_to_it(w):
    """Pat coordinates and interviews: with a seat on Ada's panel still unsubmitted (the debrief
    opened early, Ada hired), Ada's scores and outcome count in nobody's figures shown to Pat,
    while the other coordinator sees them; once Pat's scorecard is in, Ada counts for Pat too."""
    pat = people.add_person(
        w.store, w.coordinator, "Pat Both", "pat@example.com", ["coordinator", "interviewer"]
    )
    ada = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Ada Lovelace")
    seats = {}
    for position, person in ((1, w.ana), (2, pat)):
        session = openings.schedule_session(
            w.store,
            w.coordinator,
            ada,
            position,
            DAY + timedelta(days=2, hours=position),
            [person.id],
        )
        with w.store.read() as db:
            seats[person.id] = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session]
            ).fetchone()[0]
    from scoring.matrix import full_scores
    from scoring.scorecards import submit as submit_card

    submit_card(
        w.store,
        w.ana,
        seats[w.ana.id],
        overall=5,
        feedback="great",
        criteria=full_scores(w.store, seats[w.ana.id], 4),
    )
    debrief.open_debrief(w.store, w.manager, ada, reason="Pat is on leave")
    debrief.record_decision(w.store, w.manager, ada, "hire", "Ana was sure", True)
    record(w, w.manager, ada)
    record(w, w.manager)  # Grace too: Pat was never on her panel

    predictors, recorded = outcomes.outcome_rows(w.store, pat, [w.opening_id])
    assert ada not in set(predictors["candidate_id"]) | set(recorded["candidate_id"])
    assert set(recorded["candidate_id"]) == {w.candidate_id}
    table = outcomes.outcome_correlations(predictors, recorded)
    assert table.empty or set(table["n"]) == {1}
    _, everyone = outcomes.outcome_rows(w.store, w.coordinator, [w.opening_id])
    assert set(everyone["candidate_id"]) == {w.candidate_id, ada}

    submit_card(
        w.store,
        pat,
        seats[pat.id],
        overall=3,
        feedback="late but in",
        criteria=full_scores(w.store, seats[pat.id], 3),
    )
    _, now = outcomes.outcome_rows(w.store, pat, [w.opening_id])
    assert set(now["candidate_id"]) == {w.candidate_id, ada}
