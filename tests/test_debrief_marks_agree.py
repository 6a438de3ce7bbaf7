"""One debrief, built once, drawn many times: for every demo candidate whose debrief a hiring
manager may open, the page and every export (Markdown, HTML, PDF, JSON) show the same marks on
every scorecard (late, corrected, revised after seeing others' scores), and those marks follow the
product's rule, read here straight from each scorecard's history. One summary costs one
connection, a bounded number of statements, the person re-read once and the candidate's facts
loaded once."""

import html
import io
import json
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from scoring import debrief, exports, openings, people, scorecards
from scoring.demo import build_demo
from scoring.errors import NotAllowed
from scoring.matrix import full_scores
from scoring.queries import permissions as PQ
from scoring.rubric import load_catalog
from scoring.schedule import add_interviewer
from scoring.store import Store, count_statements
from world import DAY, ROOT, build, session_of, submit

# each builds the demo with its year of history (5-6 s): the full suite, not the fast loop
pytestmark = pytest.mark.slow

# Each mark's kind and the words every rendering writes for it, in the order they are written.
KINDS = {
    "late": r"late: \d+ h after the session",
    "revised": r"corrected (?:once|twice|\d+ times)",
    "after_reveal": r"revised after seeing others' scores",
}


def kinds_in(text: str, before: str = "") -> tuple[str, ...]:
    """The marks' kinds a piece of rendered text shows (each mark's words, after `before`)."""
    text = text.replace("\\", "")  # Markdown's escapes
    return tuple(k for k, words in KINDS.items() if re.search(re.escape(before) + words, text))


def expected(store, actor, card) -> tuple[str, ...]:
    """The product's rule, from the scorecard's whole history as the service keeps it: late
    from its first submission, corrected when revised, and revised after seeing others when
    ANY revision was made after its author could see others' scores."""
    history = scorecards.revisions(store, actor, card.assignment_id)
    found = {
        "late": card.late,
        "revised": len(history) > 1,
        "after_reveal": any(r.saw_others for r in history),
    }
    return tuple(k for k in KINDS if found[k])


def in_markdown(text: str) -> list[tuple[str, ...]]:
    """Each scorecard's marks in the Markdown: its 'Submitted:' line."""
    cards = text.split("## Scorecards", 1)[1].split("\n### ")[1:]
    return [
        kinds_in(next(x for x in c.splitlines() if x.startswith("- Submitted:"))) for c in cards
    ]


def in_html(text: str) -> list[tuple[str, ...]]:
    """Each scorecard's marks in the HTML: its marked spans."""
    cards = text.split("<h2>Scorecards</h2>", 1)[1].split("<h3>")[1:]
    return [
        kinds_in(" ".join(html.unescape(m) for m in re.findall(r"class='mark'>(.*?)</span>", c)))
        for c in cards
    ]


def in_pdf(data: bytes) -> list[tuple[str, ...]]:
    """Each scorecard's marks in the PDF: the '! ' lines under its 'Rubric … submitted …' line."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return [
        kinds_in(card, before="! ") for card in text.split("Scorecards", 1)[1].split(" Rubric ")[1:]
    ]


def in_json(data: bytes) -> list[tuple[str, ...]]:
    """Each scorecard's marks in the JSON."""
    return [kinds_in("; ".join(c["marks"])) for c in json.loads(data)["scorecards"]]


def on_page(store, actor, candidate_id, monkeypatch) -> list[tuple[str, ...]]:
    """Each scorecard's marks on the debrief page (AppTest): the end of its expander's label."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DEBRIEF_DB", store.location)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["person_id"] = actor.id
    at.run()
    at.query_params["candidate"] = str(candidate_id)
    at.switch_page("pages/debrief.py").run()
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander if e.label.startswith("**")]
    return [kinds_in(label.rsplit(")", 1)[1]) for label in labels]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo, built once, and every (hiring manager, candidate) whose debrief is open to
    the hiring manager."""
    store = Store(tmp_path_factory.mktemp("marks") / "demo.sqlite")
    logins = build_demo(store, load_catalog(ROOT / "rubrics"))
    seen = []
    for login in logins:
        person = people.sign_in(store, login.email, login.code)
        if not person.has("hiring_manager"):
            continue
        for opening in openings.list_openings(store, person):
            if opening.hiring_manager_id != person.id:
                continue
            for candidate in openings.list_candidates(store, person, opening.id):
                candidate_id = candidate.id
                try:
                    debrief.debrief(store, person, candidate_id)
                except NotAllowed:
                    continue
                seen.append((person, candidate_id))
    return store, seen


def renderings(store, actor, candidate_id, pdf: bool = True) -> dict[str, list[tuple[str, ...]]]:
    """Each scorecard's marks as the debrief, the rule, and every format say them. The charts
    are left out of the files here (drawing them is most of a file's time and says no mark);
    test_a_summary_is_one_read_of_one_snapshot renders a whole PDF."""
    view = debrief.debrief(store, actor, candidate_id)
    summary = exports.summary_of(view, charts=False)
    found = {
        "debrief": [c.mark_kinds for c in view.cards],
        "rule": [expected(store, actor, c.card) for c in view.cards],
        "md": in_markdown(exports.render(summary, "md").decode()),
        "html": in_html(exports.render(summary, "html").decode()),
        "json": in_json(exports.render(summary, "json")),
    }
    if pdf:
        found["pdf"] = in_pdf(exports.render(summary, "pdf"))
    return found


def _agree(found, candidate_id) -> set[str]:
    for fmt, marks in found.items():
        assert marks == found["rule"], (candidate_id, fmt, marks, found["rule"])
    return {k for card in found["rule"] for k in card}


@pytest.mark.slow  # every open demo debrief in every format (~6 s): the full suite
def test_every_export_marks_every_scorecard_as_the_debrief_does(demo):
    """Markdown, HTML and JSON for every open debrief; the PDF (a second or so each) for a few
    candidates that between them carry every kind of mark. The slow test below renders the
    PDF of every one."""
    store, seen = demo
    assert len(seen) >= 10  # the demo's open debriefs, for all three hiring managers
    marked, pdf_for, pdf_kinds = set(), [], set()
    for actor, candidate_id in seen:
        found = renderings(store, actor, candidate_id, pdf=False)
        kinds = _agree(found, candidate_id)
        marked |= kinds
        if kinds - pdf_kinds or (kinds and len(pdf_for) < 3):
            pdf_for.append((actor, candidate_id))
            pdf_kinds |= kinds
    assert marked == set(KINDS)  # the demo has every kind of mark somewhere
    assert pdf_kinds == set(KINDS)
    for actor, candidate_id in pdf_for:
        _agree(renderings(store, actor, candidate_id), candidate_id)


@pytest.mark.slow
def test_every_pdf_marks_every_scorecard_as_the_debrief_does(demo):
    store, seen = demo
    for actor, candidate_id in seen:
        _agree(renderings(store, actor, candidate_id), candidate_id)


def test_the_page_marks_every_scorecard_as_the_exports_do(demo, monkeypatch):
    store, seen = demo
    # the candidates with the most marks, one per hiring manager
    best = {}
    for actor, candidate_id in seen:
        count = sum(len(c.marks) for c in debrief.debrief(store, actor, candidate_id).cards)
        if count > best.get(actor.id, (None, None, 0))[2]:
            best[actor.id] = (actor, candidate_id, count)
    assert best
    for actor, candidate_id, _ in best.values():
        page = on_page(store, actor, candidate_id, monkeypatch)
        assert page == renderings(store, actor, candidate_id)["rule"], candidate_id


def test_a_summary_is_one_read_of_one_snapshot(demo):
    store, seen = demo
    actor, candidate_id = seen[0]
    debrief.debrief(store, actor, candidate_id)  # the figures kept until the next write
    with count_statements() as counted:
        pdf = exports.render(exports.summary(store, actor, candidate_id), "pdf")
    assert pdf.startswith(b"%PDF")
    assert counted.connections == 1
    # statements are heard with their values bound: count them by their text up to the first "?"
    ran = [" ".join(x.split()) for x in counted.statements]
    person = " ".join(PQ.PERSON.split("?")[0].split())
    facts = " ".join(PQ.candidates(1).split("?")[0].split())
    assert sum(x.startswith(person) for x in ran) == 1  # the person re-read once
    assert sum(x.startswith(facts) for x in ran) == 1  # the candidate's facts loaded once
    # set-up, BEGIN, ROLLBACK and the reads of one debrief: 30 (was 109 on 9 connections); since
    # issue 28 one more pragma (secure_delete) and the candidate's data key, read once: 32
    assert len(counted) <= 34, ran


def test_a_correction_after_seeing_others_stays_marked_when_a_later_one_could_not(tmp_path):
    """Ana corrects her scorecard after seeing the others' (all were in); then a new interviewer
    joins the panel, so on this all-in opening she sees nobody's, and she corrects it again.
    Her scorecard in force was written blind, but a revision before it was not: the debrief,
    every export and the scorecard rows mark it."""
    w = build(tmp_path / "w.sqlite", reveal_rule="all_in")
    for who in ("ana", "bo", "cy"):
        submit(w, who, 3)

    def correct(when, reason):
        scorecards.revise(
            w.store,
            w.ana,
            w.seats["ana"],
            reason=reason,
            overall=4,
            feedback="ana thinks 4",
            criteria=full_scores(w.store, w.seats["ana"], 4),
            now=DAY + when,
        )

    correct(timedelta(hours=7), "after reading the others")
    seat = add_interviewer(
        w.store, w.coordinator, session_of(w, "cy"), w.outsider.id, now=DAY - timedelta(days=1)
    )
    correct(timedelta(hours=8), "a typo")
    scorecards.submit(
        w.store,
        w.outsider,
        seat,
        overall=3,
        feedback="oz",
        criteria=full_scores(w.store, seat, 3),
        now=DAY + timedelta(hours=9),
    )
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    history = scorecards.revisions(w.store, w.ana, w.seats["ana"])
    assert [r.saw_others for r in history] == [False, True, False]
    found = renderings(w.store, w.manager, w.candidate_id)
    ana = [c.label for c in debrief.debrief(w.store, w.manager, w.candidate_id).cards].index(
        "Ana Alvarez"
    )
    assert "after_reveal" in found["rule"][ana]
    for fmt, marks in found.items():
        assert marks == found["rule"], fmt
    rows = exports.scorecard_rows(w.store, w.manager, w.opening_id)
    assert {r["revised_after_reveal"] for r in rows if r["interviewer"] == "Ana Alvarez"} == {True}
