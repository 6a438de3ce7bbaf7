"""Self-identified answers are never shown per candidate (issue 28, item 5). A lone candidate's
answer ("Quokka": nobody else gave it) is absent from everything a coordinator or the opening's
hiring manager can get: the adverse-impact figures (view, JSON, CSV rows, sentences), the
Insights section and page, what recording returns, the audit log; and from the database file
itself (sealed under the candidate's key). A five-strong answer ("Otter") is shown, so the
search could find one. Writing today and comparing the figures before and after tells nothing:
they stop at the end of the last full month; and closing a month with a single decision in it
tells nothing either: a stage's figures move only in batches of `min_group` decisions. Recording
a guess of a stored answer tells nothing: what comes back, the audit log and the stamp the
subject-access export shows are the same whether the guess was right. (The subject-access
export, another module, lists which categories a candidate answered and when, not the
answers.)"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from scoring import demographics
from scoring.insights.adverse_impact import adverse_impact
from tests.fairness_world import (
    DECEMBER,
    OCT,
    TODAY,
    add,
    configure,
    decide,
    fair_opening,
    group,
)
from tests.world import ROOT, build, page_as

LONE, MANY = "Quokka", "Otter"


@pytest.fixture
def w(tmp_path, monkeypatch):
    world = build(tmp_path / "disclosure.sqlite")
    configure(tmp_path, monkeypatch)
    return world


def lone_history(w) -> tuple[int, int]:
    """Five candidates who answered Otter and one who answered Quokka, all decided last month."""
    o = fair_opening(w)
    group(w, o, 3, 2, 0, gender="Woman", pet=MANY)
    group(w, o, 3, 3, 100, gender="Man", pet=MANY)
    lone = add(w, o, 200, gender="Woman", pet=LONE)
    decide(w, lone, True, OCT)
    return o, lone


def everything_in(view) -> str:
    stages = [s for o in view.openings for s in o.stages]
    return " ".join(
        [
            json.dumps(view.to_json(), ensure_ascii=False),
            json.dumps(view.rows(), ensure_ascii=False),
            *[line for s in stages for line in s.sentences()],
            repr(view),
        ]
    )


def page_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "header", "subheader", "error", "info", "warning"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return " ".join(parts)


@pytest.mark.parametrize("who", ["coordinator", "manager"])
def test_a_lone_answer_is_in_no_figure(w, who):
    o, _ = lone_history(w)
    found = everything_in(adverse_impact(w.store, w.person(who), [o], now=TODAY))
    assert MANY in found  # the search can find an answer
    assert LONE not in found


@pytest.mark.parametrize("who", ["coordinator", "manager"])
def test_a_lone_answer_is_on_no_page(w, who, monkeypatch):
    lone_history(w)
    at = page_as(w, who, "pages/insights.py", monkeypatch)
    titles = list(at.selectbox[0].options)
    at.selectbox[0].select_index(titles.index("Fairness opening · Data scientist")).run()
    at.button_group(key="section").set_value("fairness").run()
    assert not at.exception, at.exception
    shown = page_text(at)
    assert "Adverse impact" in shown and MANY in shown
    assert LONE not in shown


def test_recording_returns_no_answer_and_the_audit_log_holds_none(w):
    _, lone = lone_history(w)
    assert demographics.record(w.store, w.coordinator, lone, {"pet": MANY}, now=TODAY) == ["pet"]
    with w.store.read() as db:
        details = [r[0] for r in db.execute("SELECT detail FROM audit_log").fetchall()]
    assert not [d for d in details if LONE in d or MANY in d]


def test_recording_a_guess_of_a_stored_answer_tells_nothing(w):
    """The oracle: a coordinator records their guess ("Quokka") for the lone candidate, who
    gave it, and for one who did not. What comes back, what the import says, the audit entry
    and the subject-access export (which lists when each category was recorded) are the same
    for the right guess and the wrong one."""
    from scoring.demographics_csv import import_answers
    from scoring.subject_access import subject_access

    o, lone = lone_history(w)
    other = add(w, o, 300, gender="Woman", pet=MANY)  # recorded in September, as lone's
    said = [
        demographics.record(w.store, w.coordinator, cid, {"pet": LONE}, now=TODAY)
        for cid in (lone, other)
    ]
    assert said[0] == said[1] == ["pet"]
    summaries = [
        import_answers(w.store, w.coordinator, f"candidate,pet\n{cid},{LONE}\n", now=TODAY)
        for cid in (lone, other)  # right again, and wrong again
    ]
    assert summaries[0].summary() == summaries[1].summary()

    def trace(cid):
        document = subject_access(w.store, w.coordinator, cid, now=TODAY)
        recorded = [(d["category"], d["recorded_at"]) for d in document["demographics"]]
        audited = [
            (e["action"], e["detail"])
            for e in document["audit"]
            if e["action"] in ("record_demographics", "set_source")
        ]
        return recorded, audited

    recorded, audited = trace(lone)
    assert ("pet", TODAY.isoformat()) in recorded and len(audited) == 3  # september, twice now
    assert (recorded, audited) == trace(other)


def test_closing_a_month_with_a_single_decision_tells_nothing(w):
    """The month-end attack: the hiring manager notes the figures, decides one candidate
    whose answer they want (the only decision at the stage this month), and reads the figures
    again once the month has closed. A stage's figures move only once at least `min_group`
    decisions there have accumulated: nothing has moved."""
    o, _ = lone_history(w)
    wanted = add(w, o, 300, gender="Woman", pet=MANY)

    def seen(now):
        return [
            adverse_impact(w.store, w.person(who), [o], now=now).to_json()["openings"]
            for who in ("coordinator", "manager")
        ]

    before = seen(TODAY)
    decide(w, wanted, True, TODAY)
    assert seen(DECEMBER) == before


@pytest.mark.sqlite_only("scans the SQLite file's bytes")
def test_the_answers_are_sealed_in_the_database_file(w):
    lone_history(w)
    files = sorted(Path(w.store.path).parent.glob(Path(w.store.path).name + "*"))
    assert Path(w.store.path) in files
    for path in files:
        data = path.read_bytes()
        assert LONE.encode() not in data and MANY.encode() not in data, path.name


def test_comparing_the_figures_around_a_write_today_tells_nothing(w):
    """The attack: a coordinator notes the figures, records (or corrects) the answer of a
    candidate whose outcome they know, or decides a candidate whose answer they want, and
    reads the figures again. Nothing moves until the month is over."""
    o, lone = lone_history(w)
    known = add(w, o, 300)
    decide(w, known, False, OCT)
    waiting = add(w, o, 301, gender="Man", pet=LONE)

    def seen():
        return [
            adverse_impact(w.store, w.person(who), [o], now=TODAY).to_json()
            for who in ("coordinator", "manager")
        ]

    before = seen()
    demographics.record(w.store, w.coordinator, known, {"gender": "Man", "pet": MANY}, now=TODAY)
    assert seen() == before
    demographics.record(w.store, w.coordinator, lone, {"gender": "Man"}, now=TODAY)
    assert seen() == before
    decide(w, waiting, True, TODAY)
    assert seen() == before


def test_only_the_modules_that_keep_fold_or_export_answers_read_their_table():
    """The answers' table is named by the schema, the module that records and counts them, the
    erasure (which deletes rows of every personal table), the subject-access export (which
    categories were answered, and when) and the copy to PostgreSQL: no other query reads it, so
    no other function can hand one candidate's answers to anyone."""
    allowed = {
        "scoring/queries/schema_privacy.py",
        "scoring/queries/demographics.py",
        "scoring/queries/personal.py",
        "scoring/queries/subject_access.py",
        "scoring/demographics.py",
        "scoring/subject_access.py",
        "scoring/migrate_to.py",
    }
    naming = set()
    for path in sorted((ROOT / "scoring").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and "candidate_demographics" in text:
                naming.add(path.relative_to(ROOT).as_posix())
    assert naming <= allowed, naming - allowed
    assert "scoring/queries/demographics.py" in naming
