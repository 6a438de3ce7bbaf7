"""Attacks on question pools and cheating flags (issue 27): flagging someone else's session,
reading someone else's drawn questions, reading the per-question figures without being the
opening's hiring manager, retiring a question as an interviewer, and hostile evidence (HTML,
Markdown, an image that would be fetched, a megabyte). Each is refused with nothing written,
or stays text wherever it is shown."""

from __future__ import annotations

import re

import pytest

from scoring import debrief, people, questions
from scoring.errors import InvalidInput, NotAllowed
from scoring.insights.questions import question_figures
from world import build, dump, page_as, submit

OUTSIDE = "127.0.0.1:9"  # nothing listens there
HOSTILE = (
    "## No hire\n"
    "**Overall: 5 · Strong yes**\n"
    f"![pic](http://{OUTSIDE}/flag.png) <img src=http://{OUTSIDE}/raw.png>"
    " <script>alert(1)</script> :red[cheated] [more](http://evil.example)"
)


@pytest.fixture
def w(tmp_path):
    return build(tmp_path / "w.sqlite")


@pytest.mark.parametrize("who", ["ana", "cy", "manager", "coordinator", "member", "outsider"])
def test_nobody_flags_a_session_that_is_not_their_own(w, who):
    before = dump(w.store)
    with pytest.raises(NotAllowed):
        questions.flag_cheating(w.store, w.person(who), w.seats["bo"], "I saw it.")
    assert dump(w.store) == before


def test_a_recused_interviewer_or_one_without_the_role_cannot_flag(w):
    from scoring import openings

    openings.recuse(w.store, w.cy, w.seats["cy"], "Former colleague")
    with pytest.raises(NotAllowed, match="recused"):
        questions.flag_cheating(w.store, w.cy, w.seats["cy"], "I saw it.")
    people.update_person(w.store, w.coordinator, w.bo.id, roles=["committee_member"])
    with pytest.raises(NotAllowed, match="interviewer role"):
        questions.flag_cheating(w.store, w.bo, w.seats["bo"], "I saw it.")


@pytest.mark.parametrize("who", ["ana", "cy", "manager", "coordinator", "member"])
def test_nobody_reads_the_questions_drawn_for_another_seat(w, who):
    with pytest.raises(NotAllowed):
        questions.seat_questions(w.store, w.person(who), w.seats["bo"])


@pytest.mark.parametrize("who", ["coordinator", "ana", "bo", "member", "outsider"])
def test_only_the_hiring_manager_reads_the_question_figures(w, who):
    for seat in ("ana", "bo", "cy"):
        submit(w, seat, 3)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    with pytest.raises(NotAllowed):
        question_figures(w.store, w.person(who), w.opening_id)
    assert question_figures(w.store, w.manager, w.opening_id).questions


def test_an_interviewing_manager_counts_no_candidate_before_their_own_scorecard(tmp_path):
    """Blind scoring holds in the figures: while the manager's own seat on the candidate is
    open, the candidate's scores are in no figure the manager reads."""
    w = build(tmp_path / "w.sqlite", manager_interviews=True)
    for seat in ("ana", "bo", "cy"):
        submit(w, seat, 3)
    assert question_figures(w.store, w.manager, w.opening_id).questions == ()


@pytest.mark.parametrize("who", ["ana", "bo", "member", "outsider"])
def test_an_interviewer_or_a_member_cannot_retire_a_question(w, who):
    before = dump(w.store)
    with pytest.raises(NotAllowed, match="coordinator or a hiring manager"):
        questions.retire_question(w.store, w.person(who), "ds-technical", "stats-p-value", "x")
    assert dump(w.store) == before


def test_a_megabyte_of_evidence_is_refused_and_nothing_is_written(w):
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=r"^evidence: 1,000,000 characters; at most 5,000"):
        questions.flag_cheating(w.store, w.bo, w.seats["bo"], "x" * 1_000_000)
    with pytest.raises(InvalidInput, match=r"^reason: 1,000,000 characters"):
        questions.retire_question(w.store, w.manager, "ds-technical", "stats-p-value", "x" * 10**6)
    with pytest.raises(InvalidInput, match=r"^question_id: '"):
        questions.flag_cheating(w.store, w.bo, w.seats["bo"], "Saw it.", "q" * 10**6)
    assert dump(w.store) == before


def test_hostile_evidence_is_kept_as_typed_and_shown_as_text(w, monkeypatch):
    questions.flag_cheating(w.store, w.bo, w.seats["bo"], HOSTILE)
    for seat in ("ana", "bo", "cy"):
        submit(w, seat, 3)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    (flag,) = debrief.debrief(w.store, w.manager, w.candidate_id).cheating_flags
    assert flag.evidence == HOSTILE  # stored as typed
    at = page_as(w, "manager", "pages/debrief.py", monkeypatch, candidate=w.candidate_id)
    (warning,) = [x for x in at.warning if "Cheating flagged" in x.value]
    shown = warning.value
    # every Markdown and HTML character escaped: no image, no tag, no heading, no directive
    assert "![pic]" not in shown and r"!\[pic\]" in shown
    assert r"\<img" in shown and not re.search(r"(?<!\\)<", shown)  # no tag opens
    assert "\n## No hire" not in shown and "**Overall" not in shown
    assert ":red[" not in shown
    # the headline is the panel's, as without the flag
    assert not [m for m in at.markdown if m.value.startswith("## ") and "cheated" in m.value]
