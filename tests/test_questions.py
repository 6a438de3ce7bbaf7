"""Question pools (issue 27): a criterion's approved questions load from the rubric file (old
snapshots keep their hash); each new seat is given one question per pooled criterion, at random,
never one the candidate already had and never a retired one, the same one for the two
interviewers of a session; the form shows it; cheating flags reach the debrief as facts; and the
per-question figures count what happened, each figure with its n."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from scoring import audit, debrief, openings, questions
from scoring.errors import InvalidInput
from scoring.insights.questions import MIN_N, question_figures
from scoring.rubric import Criterion, Question, Rubric, load_catalog, rubric_json_schema
from scoring.store import now_utc
from world import DAY, build, page_as, session_of, submit

ROOT = Path(__file__).resolve().parent.parent
LINE_NUMBER = re.compile(r"\bL\d{3,4}\b")
STATS = "statistics-probability"
ROLE = "role-specific-skill"  # four questions in ds-technical's pool, the others five


def given(w, assignment_id: int) -> dict[str, str]:
    """criterion id -> question id, as stored for a seat."""
    with w.store.read() as db:
        return {c: q.id for c, q in questions.drawn(db, assignment_id).items()}


def seat_of(w, session_id: int, interviewer_id: int) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT id FROM assignments WHERE session_id = ? AND interviewer_id = ?",
            [session_id, interviewer_id],
        ).fetchone()[0]


def technical_seat(w, candidate_id: int, at, who=None) -> int:
    """Put the DS technical session (position 2) on a candidate's day; its seat's id."""
    who = who or w.bo
    session = openings.schedule_session(w.store, w.coordinator, candidate_id, 2, at, [who.id])
    return seat_of(w, session, who.id)


# ------------------------------------------------------------------------------ the file format


def _tiny(**criterion_changes) -> dict:
    criterion = {
        "id": "c",
        "name": "C",
        "description": "A criterion.",
        "weight": 1,
        "kind": "scale",
        "min": 1,
        "max": 2,
        "anchors": {1: "low", 2: "high"},
        **criterion_changes,
    }
    return {
        "id": "tiny",
        "title": "Tiny",
        "version": 1,
        "sources": ["L1975"],
        "duration_minutes": 10,
        "assesses": "Whether the loader works.",
        "instructions": "Score it.",
        "criteria": [criterion],
    }


def test_a_rubric_without_a_pool_hashes_as_before_and_a_pool_changes_the_hash():
    plain = Rubric.model_validate(_tiny())
    empty = Rubric.model_validate(_tiny(questions=[]))
    pooled = Rubric.model_validate(_tiny(questions=[{"id": "q1", "version": 1, "text": "Why?"}]))
    assert "questions" not in plain.model_dump(mode="json")["criteria"][0]
    assert plain.content_hash == empty.content_hash != pooled.content_hash
    assert pooled.criteria[0].questions == [Question(id="q1", version=1, text="Why?")]
    assert "questions" in rubric_json_schema()["$defs"]["Criterion"]["properties"]


@pytest.mark.parametrize(
    "pool, message",
    [
        (
            [{"id": "q1", "version": 0, "text": "Why?"}],
            "criteria[0].questions[0].version must be >= 1 (got 0)",
        ),
        (
            [{"id": "q1", "version": 1, "text": "Why?"}, {"id": "q1", "version": 2, "text": "?"}],
            "criteria[0].questions question id 'q1' is used twice",
        ),
        ([{"id": "q1", "version": 1}], "criteria[0].questions[0].text is required"),
        (
            [{"id": "q1", "version": 1, "text": ""}],
            "criteria[0].questions[0].text must not be empty",
        ),
        (
            [{"id": "Q 1", "version": 1, "text": "Why?"}],
            "criteria[0].questions[0].id must be lowercase letters, digits and hyphens (got 'Q 1')",
        ),
        (
            [{"id": "q1", "version": 1, "text": "Why?", "hint": "no"}],
            "criteria[0].questions[0].hint is not a known field",
        ),
        ("q1", "criteria[0].questions must be a list (got 'q1')"),
    ],
)
def test_a_malformed_pool_names_the_file_and_the_field(tmp_path, pool, message):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(_tiny(questions=pool)))
    catalog = load_catalog(tmp_path)
    assert [str(p) for p in catalog.problems] == [f"{tmp_path / 'tiny.yaml'}: {message}"]
    assert "tiny" not in catalog.rubrics


def test_one_question_id_names_one_question_of_the_whole_rubric(tmp_path):
    document = _tiny(questions=[{"id": "q1", "version": 1, "text": "Why?"}])
    document["criteria"].append({**document["criteria"][0], "id": "d"})
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(document))
    (problem,) = load_catalog(tmp_path).problems
    assert str(problem).endswith(
        "criteria question id 'q1' is used by criteria 'c' and 'd' (a question is retired by its"
        " rubric and its id)"
    )


def test_the_shipped_pools_are_real_and_carry_no_line_numbers():
    catalog = load_catalog(ROOT / "rubrics")
    pooled = {
        r.id: {c.id: len(c.questions) for c in r.criteria if c.questions}
        for r in catalog.rubrics.values()
        if any(c.questions for c in r.criteria)
    }
    assert pooled == {
        "analytics-sql": {"query-correctness": 5},
        "coding": {"problem-solving": 5},
        "ds-technical": {STATS: 5, "ml-methods": 5, "data-handling": 5, ROLE: 4},
        "ml-engineering": {"system-design": 5},
    }
    for rubric_id in pooled:
        rubric = catalog.rubrics[rubric_id]
        assert rubric.version >= 2, f"{rubric_id}: a pool changes its meaning"
        texts = [q.text for c in rubric.criteria for q in c.questions]
        assert not [t for t in texts if LINE_NUMBER.search(t)]
        assert all(len(t.split()) >= 12 for t in texts), "a real question, not a placeholder"


# ------------------------------------------------------------------------------------ drawing


def test_each_seat_is_given_one_question_per_pooled_criterion(tmp_path):
    w = build(tmp_path / "w.sqlite")
    assert given(w, w.seats["ana"]) == {}  # the presentation has no pool
    bo = questions.seat_questions(w.store, w.bo, w.seats["bo"])
    assert set(bo) == {STATS, "ml-methods", "data-handling", ROLE}
    rubric = openings.rubric(w.store, _rubric_hash(w, w.seats["bo"]))
    for criterion_id, question in bo.items():
        assert question in rubric.criterion(criterion_id).questions
    assert set(given(w, w.seats["cy"])) == {"problem-solving"}


def pool_of(w, criterion_id: str) -> list[str]:
    """The question ids of a criterion of the DS technical session's frozen rubric."""
    rubric = openings.rubric(w.store, _rubric_hash(w, w.seats["bo"]))
    return [q.id for q in rubric.criterion(criterion_id).questions]


def _rubric_hash(w, assignment_id: int) -> str:
    with w.store.read() as db:
        return db.execute(
            "SELECT i.rubric_hash FROM assignments a JOIN interview_sessions i"
            " ON i.id = a.session_id WHERE a.id = ?",
            [assignment_id],
        ).fetchone()[0]


def test_no_question_is_given_twice_to_a_candidate_until_the_pool_runs_out(tmp_path):
    """The DS technical session planned, cancelled and planned again (a new seat each time,
    and, the cancelled seat being the newest, the id SQLite would hand out again): each time
    questions the candidate has not had, until a pool has none left."""
    w = build(tmp_path / "w.sqlite")
    cid, seat = w.candidate_id, w.seats["bo"]
    seen = {c: [q] for c, q in given(w, seat).items()}
    for round_ in range(1, 5):
        openings.cancel_session(w.store, w.coordinator, session_of_seat(w, seat))
        seat = technical_seat(w, cid, DAY + timedelta(days=round_))
        for criterion_id, question_id in given(w, seat).items():
            seen[criterion_id].append(question_id)
        assert questions.seat_questions(w.store, w.bo, seat)  # the new seat's own, readable
    # five seats: four questions each for the pools of five, never one twice; the pool of four
    # ran out at the fifth seat, which got nothing for it
    assert {c: len(q) for c, q in seen.items()} == {
        STATS: 5,
        "ml-methods": 5,
        "data-handling": 5,
        ROLE: 4,
    }
    assert all(len(set(q)) == len(q) for q in seen.values())
    assert ROLE not in given(w, seat)
    with w.store.write() as db:  # asked again: what is left is said, nothing is an error
        assert questions.draw_for_seat(db, seat, now_utc()) == [ROLE]
    # the next seat gets nothing at all: the candidate has had every question
    openings.cancel_session(w.store, w.coordinator, session_of_seat(w, seat))
    seat = technical_seat(w, cid, DAY + timedelta(days=6))
    assert given(w, seat) == {}


def session_of_seat(w, assignment_id: int) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [assignment_id]
        ).fetchone()[0]


def test_a_new_seat_never_inherits_the_questions_of_a_cancelled_seat_with_its_id(tmp_path):
    w = build(tmp_path / "w.sqlite")
    newest = max(w.seats.values())  # cy's coding seat: SQLite would give its id out again
    before = given(w, newest)
    openings.cancel_session(w.store, w.coordinator, session_of(w, "cy"))
    session = openings.schedule_session(
        w.store, w.coordinator, w.candidate_id, 3, DAY + timedelta(days=1), [w.cy.id]
    )
    seat = seat_of(w, session, w.cy.id)
    assert seat != newest
    assert given(w, seat)["problem-solving"] != before["problem-solving"]
    with w.store.read() as db:  # the cancelled seat's rows stay, as they were
        kept = db.execute(
            "SELECT criterion_id, question_id FROM seat_questions WHERE assignment_id = ?",
            [newest],
        ).fetchall()
    assert [tuple(r) for r in kept] == list(before.items())


def test_a_pair_and_a_replacement_get_the_same_questions_as_the_seat_beside_or_before(tmp_path):
    w = build(tmp_path / "w.sqlite")
    bo = given(w, w.seats["bo"])
    second = openings.add_interviewer(w.store, w.coordinator, session_of(w, "bo"), w.outsider.id)
    assert given(w, second) == bo  # one interview, one set of questions
    cy = given(w, w.seats["cy"])
    replaced = openings.replace_interviewer(w.store, w.coordinator, w.seats["cy"], w.manager.id)
    assert given(w, replaced) == cy  # the replaced seat's problem, not another one


def test_a_draw_is_uniform_among_what_is_left(tmp_path):
    """Over many fresh candidates, every question of a pool is drawn, each about as often."""
    w = build(tmp_path / "w.sqlite")
    rng = random.Random(27)
    counts: dict[str, int] = {}
    for n in range(60):
        cid = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"Candidate {n}")
        with w.store.write() as db:
            session = db.execute(
                "INSERT INTO interview_sessions (candidate_id, position, title, rubric_hash,"
                " starts_at, ends_at, calendar_uid, location) VALUES (?, 2, 'DS', ?, ?, ?, ?, '')",
                [
                    cid,
                    _rubric_hash(w, w.seats["bo"]),
                    "2027-01-01T09:00:00+00:00",
                    "2027-01-01T09:30:00+00:00",
                    f"q{n}@debrief",
                ],
            ).lastrowid
            seat = db.execute(
                "INSERT INTO assignments (session_id, interviewer_id, assigned_at)"
                " VALUES (?, ?, '2026-12-01T09:00:00+00:00')",
                [session, w.bo.id],
            ).lastrowid
            assert questions.draw_for_seat(db, seat, now_utc(), rng) == []
        question = given(w, seat)[STATS]
        counts[question] = counts.get(question, 0) + 1
    assert len(counts) == 5 and min(counts.values()) >= 5, counts


# ----------------------------------------------------------------------------------- retiring


def test_a_retired_question_is_never_drawn_again(tmp_path):
    w = build(tmp_path / "w.sqlite")
    pool = pool_of(w, STATS)
    keep = pool[-1]
    for question_id in pool[:-1]:
        questions.retire_question(w.store, w.manager, "ds-technical", question_id, "It leaked.")
    for n in range(30):
        cid = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"Candidate {n}")
        seat = technical_seat(w, cid, DAY + timedelta(days=2, hours=n))
        assert given(w, seat)[STATS] == keep
    # the last one retired too: a new candidate gets none for statistics, the other areas still
    questions.retire_question(w.store, w.coordinator, "ds-technical", keep, "Too easy.")
    cid = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Last")
    seat = technical_seat(w, cid, DAY + timedelta(days=4))
    assert STATS not in given(w, seat) and "ml-methods" in given(w, seat)
    with w.store.read() as db:
        logged = [e for e in audit.entries(db) if e["action"] == "retire_question"]
    assert len(logged) == 5 and logged[-1]["subject"] == f"question:ds-technical/{keep}"


def test_a_pair_does_not_share_a_question_retired_in_between(tmp_path):
    w = build(tmp_path / "w.sqlite")
    stats = given(w, w.seats["bo"])[STATS]
    questions.retire_question(w.store, w.manager, "ds-technical", stats, "It leaked.")
    second = openings.add_interviewer(w.store, w.coordinator, session_of(w, "bo"), w.outsider.id)
    assert given(w, second)[STATS] != stats
    assert given(w, w.seats["bo"])[STATS] == stats  # what was given stays given


@pytest.mark.parametrize(
    "rubric_id, question_id, reason, message",
    [
        ("ds-technical", "stats-p-value", "", r"^reason: say why the question is retired"),
        ("ds-technical", "stats-p-value", "It\nleaked", r"^reason: must be one line"),
        ("ds-technical", "stats-p-value", "x" * 2001, r"^reason: 2,001 characters"),
        ("ds-technical", "no-such-question", "It leaked.", r"^question_id: rubric 'ds-tech"),
        ("presentation", "stats-p-value", "It leaked.", r"^rubric_id: no rubric 'presentation'"),
        ("nothing", "stats-p-value", "It leaked.", r"^rubric_id: no rubric 'nothing'"),
    ],
)
def test_retiring_refuses_what_is_not_a_question_or_has_no_reason(
    tmp_path, rubric_id, question_id, reason, message
):
    w = build(tmp_path / "w.sqlite")
    with pytest.raises(InvalidInput, match=message):
        questions.retire_question(w.store, w.manager, rubric_id, question_id, reason)
    with w.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM retired_questions").fetchone()[0] == 0


def test_retiring_twice_is_refused_and_a_file_only_question_can_be_retired(tmp_path):
    w = build(tmp_path / "w.sqlite")
    questions.retire_question(w.store, w.manager, "ds-technical", "stats-p-value", "Leaked.")
    with pytest.raises(InvalidInput, match=r"^question_id: 'stats-p-value' of 'ds-technical' is"):
        questions.retire_question(w.store, w.coordinator, "ds-technical", "stats-p-value", "Again")
    # analytics-sql is in no opening's loop here: only the loaded files know its questions
    with pytest.raises(InvalidInput, match=r"^rubric_id: no rubric 'analytics-sql'"):
        questions.retire_question(w.store, w.manager, "analytics-sql", "sql-repeat-rate", "Old.")
    catalog = load_catalog(ROOT / "rubrics")
    questions.retire_question(
        w.store, w.manager, "analytics-sql", "sql-repeat-rate", "Old.", catalog=catalog
    )


# ----------------------------------------------------------------------------------- the form


def test_the_form_shows_the_question_under_its_criterion(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    asked = questions.seat_questions(w.store, w.bo, w.seats["bo"])
    at = page_as(w, "bo", "pages/scorecard.py", monkeypatch, assignment=w.seats["bo"])
    shown = [m.value for m in at.markdown if "**Question asked:**" in m.value]
    assert len(shown) == 4
    stats = asked[STATS]
    (line,) = [s for s in shown if f"{stats.id} v{stats.version}" in s]
    assert line.startswith("**1. Statistics and probability**")  # under its own criterion
    assert all(f"{q.id} v{q.version}" in "".join(shown) for q in asked.values())


def test_the_question_is_shown_as_text_never_as_markdown():
    criterion = Criterion(
        id="c",
        name="C",
        description="d",
        weight=1,
        kind="binary",
        anchors={0: "no", 1: "yes"},
        questions=[Question(id="q", version=3, text="**Bold** <b>tag</b> [link](http://x)")],
    )
    from ui.scorecard_form import NOTHING_LEFT, asked_line

    line = asked_line(criterion, {"c": criterion.questions[0]})
    assert line.startswith("**Question asked:** ")
    assert r"\*\*Bold\*\*" in line and r"\<b>" in line and r"\[link\]" in line
    assert line.endswith("(q v3)")
    assert asked_line(criterion, {}) == NOTHING_LEFT  # a pool, and nothing given
    assert asked_line(criterion, None) == ""


# ------------------------------------------------------------------------------ cheating flags


def test_a_flag_is_recorded_audited_and_shown_on_the_debrief(tmp_path):
    w = build(tmp_path / "w.sqlite")
    stats = given(w, w.seats["bo"])[STATS]
    flag_id = questions.flag_cheating(
        w.store, w.bo, w.seats["bo"], "  Read the answer off a second screen.  ", stats
    )
    questions.flag_cheating(w.store, w.cy, w.seats["cy"], "Someone else typed.")
    with pytest.raises(InvalidInput, match=r"^question_id: 'nope' was not drawn"):
        questions.flag_cheating(w.store, w.bo, w.seats["bo"], "Saw it.", "nope")
    with pytest.raises(InvalidInput, match=r"^evidence: say what you saw"):
        questions.flag_cheating(w.store, w.bo, w.seats["bo"], "   ")
    for who in ("ana", "bo", "cy"):
        submit(w, who, 3)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    view = debrief.debrief(w.store, w.manager, w.candidate_id)
    first, second = view.cheating_flags
    assert (first.id, first.flagged_by, first.evidence) == (
        flag_id,
        "Bo Berg",
        "Read the answer off a second screen.",
    )
    assert first.where == f"General data science technical questions, question {stats} v1"
    assert second.where == "Coding session" and second.question_id is None
    assert view.asked[w.seats["bo"]][STATS].id == stats
    # a fact, not a score: the panel's figures are those of the same panel without flags
    assert view.result.score == pytest.approx(view.raw.score)
    with w.store.read() as db:
        assert [f.id for f in questions.flags(db, w.candidate_id)] == [flag_id, flag_id + 1]
        logged = [e for e in audit.entries(db) if e["action"] == "flag_cheating"]
    assert [e["subject"] for e in logged] == [
        f"assignment:{w.seats['bo']}",
        f"assignment:{w.seats['cy']}",
    ]


def test_an_interviewer_flags_from_the_scorecard_page_and_is_told_it_is_recorded(
    tmp_path, monkeypatch
):
    w = build(tmp_path / "w.sqlite")
    seat = w.seats["bo"]
    stats = given(w, seat)[STATS]
    at = page_as(w, "bo", "pages/scorecard.py", monkeypatch, assignment=seat)
    assert "Flag suspected cheating" in [e.label for e in at.expander]
    assert not [t for t in at.text_area if t.key == f"cheating_{seat}"]  # shut: not drawn
    at.session_state["cheating"] = True  # the interviewer opens the box
    at.run()
    at.selectbox(key=f"cheating_{seat}_question").set_value(stats).run()
    at.text_area(key=f"cheating_{seat}").input("Read the answer off a phone.").run()
    (record,) = [b for b in at.button if b.label == "Record the flag"]
    record.click().run()
    assert not at.exception, at.exception
    assert any("Flag recorded" in x.value for x in at.success)
    with w.store.read() as db:
        (flag,) = questions.flags(db, w.candidate_id)
    assert (flag.assignment_id, flag.question_id, flag.evidence) == (
        seat,
        stats,
        "Read the answer off a phone.",
    )


def test_the_debrief_page_shows_the_flag_to_the_hiring_manager(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    questions.flag_cheating(w.store, w.bo, w.seats["bo"], "Typed **answers** from <notes>")
    for who in ("ana", "bo", "cy"):
        submit(w, who, 3)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    at = page_as(w, "manager", "pages/debrief.py", monkeypatch, candidate=w.candidate_id)
    (warning,) = [x for x in at.warning if "Cheating flagged" in x.value]
    assert "Bo Berg" in warning.value and r"\*\*answers\*\*" in warning.value
    assert "not a score" in warning.value


# ------------------------------------------------------------------------- per-question figures


def test_question_figures_count_each_question_with_its_n(tmp_path):
    """Five candidates asked the one statistics question left in the pool, two of them by a
    pair: a pass rate with its interval, the pairs' agreement in words (too few), the flags."""
    w = build(tmp_path / "w.sqlite")
    pool = pool_of(w, STATS)
    keep = pool[0]
    for question_id in pool[1:]:
        questions.retire_question(w.store, w.manager, "ds-technical", question_id, "Retired.")
    levels = [4, 3, 1, 2, 4]
    for n, level in enumerate(levels):
        cid = openings.add_candidate(w.store, w.coordinator, w.opening_id, f"Candidate {n}")
        at = DAY + timedelta(days=1, hours=n)
        seat = technical_seat(w, cid, at)
        seats = [(w.bo, seat)]
        if n < 2:  # a pair: the second interviewer gets the same question
            second = openings.add_interviewer(
                w.store, w.coordinator, session_of_seat(w, seat), w.outsider.id
            )
            seats.append((w.outsider, second))
        if n == 0:
            questions.flag_cheating(w.store, w.bo, seat, "Looked it up.", keep)
        for who, assignment in seats:
            _submit(w, who, assignment, level if who is w.bo else 4, at + timedelta(hours=2))
        debrief.open_debrief(w.store, w.manager, cid)
    figures = question_figures(w.store, w.manager, w.opening_id)
    assert figures.candidates == 5
    (stats,) = [f for f in figures.questions if f.criterion_id == STATS]
    assert (stats.question_id, stats.drawn, stats.asked, stats.scored) == (keep, 7, 7, 7)
    assert stats.distribution == {"1": 1, "2": 1, "3": 1, "4": 4}
    assert stats.distribution_words == "1: 1 · 2: 1 · 3: 1 · 4: 4 (n = 7)"
    assert (stats.passed.k, stats.passed.n) == (5, 7)
    assert stats.passed.words.startswith("71% (") and stats.passed.words.endswith("5 of 7 scores")
    assert stats.flag_count == 1 and stats.flags.words.startswith("14% (")
    # the pairs: candidate 0 (4 and 4) agreed, candidate 1 (3 and 4) did not
    assert (stats.agreement.k, stats.agreement.n) == (1, 2)
    assert stats.agreement_words == f"Too few pairs for a rate of agreement: 2 ({MIN_N} needed)."
    assert figures.flags_without_question == 0
    assert not [f for f in figures.questions if f.rubric_id == "coding"]  # nobody debriefed
    # one more candidate, with the coding session alone: a sentence, not a rate; not paired
    cid = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Coder")
    at = DAY + timedelta(days=2)
    session = openings.schedule_session(w.store, w.coordinator, cid, 3, at, [w.cy.id])
    _submit(w, w.cy, seat_of(w, session, w.cy.id), 2, at + timedelta(hours=2))
    questions.flag_cheating(w.store, w.cy, seat_of(w, session, w.cy.id), "A second voice.")
    debrief.open_debrief(w.store, w.manager, cid)
    again = question_figures(w.store, w.manager, w.opening_id)
    (coding,) = [f for f in again.questions if f.rubric_id == "coding"]
    assert (coding.drawn, coding.asked, coding.distribution_words) == (
        1,
        1,
        "1: 0 · 2: 1 · 3: 0 · 4: 0 (n = 1)",
    )
    assert coding.passed.share is None
    assert coding.passed.words == f"Too few scores for a pass rate: 1 ({MIN_N} needed)."
    assert coding.agreement is None and coding.agreement_words == "Not paired."
    assert coding.flag_count == 0 and again.flags_without_question == 1
    assert again.candidates == 6


def _submit(w, who, assignment_id: int, level: int, at):
    from scoring import scorecards
    from scoring.matrix import full_scores

    scorecards.submit(
        w.store,
        who,
        assignment_id,
        overall=3,
        feedback="seen",
        criteria=full_scores(w.store, assignment_id, level),
        now=at,
    )


def test_the_insights_section_draws_a_table_for_the_hiring_manager(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    for who in ("ana", "bo", "cy"):
        submit(w, who, 3)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    from streamlit.testing.v1 import AppTest

    def section(store_location: str, person_id: int, opening_id: int) -> None:
        from scoring.people import get_person
        from scoring.store import Store
        from ui.insight_questions import show

        store = Store(store_location)
        show(store, get_person(store, person_id), opening_id)

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(
        section, args=(w.store.location, w.manager.id, w.opening_id), default_timeout=30
    )
    at.run()
    assert not at.exception, at.exception
    (frame,) = at.dataframe
    assert set(frame.value["Rubric"]) == {"ds-technical", "coding"}
    assert list(frame.value["Scorecards in"]) == [1] * 5
