"""Attacks on what candidates are told (issue 27): a score smuggled into feedback, an
interviewer's words quoted without their consent, markup or a second header in the words, a name
given away on a blind take-home, a link that is not a link, mail that outlives the candidate's
place, and the wrong person at each step. Each is refused (nothing written) or made harmless."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from mailbox import html_of

import pytest
from take_home_world import SENT_AT, build_take_home, review, to_candidate
from test_candidate_feedback import ANA_SAYS, LOGISTICAL, declined

from scoring import candidate_feedback as feedback
from scoring import candidate_mail, mail, take_homes
from scoring.errors import InvalidInput, NotAllowed
from world import DAY, dump

SMUGGLED_SCORES = [
    "You got 3 / 5 from the panel.",
    "Coding: 3,5/5.",
    "4.5 out of 5 overall.",
    "You scored a 2 on coding.",
    "Your rating of 4 was close.",
    "Score=1",
    "SCORES: 2, 3 and 4",
    "graded 3",
]


def asked(tmp_path, name="w.sqlite"):
    w = declined(tmp_path, name)
    feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked")
    return w


@pytest.mark.parametrize("text", SMUGGLED_SCORES)
def test_no_score_slips_into_feedback_whatever_its_spelling(tmp_path, text):
    w = asked(tmp_path)
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=r"reads as a score"):
        feedback.draft(w.store, w.manager, w.candidate_id, "", text)
    assert dump(w.store) == before


def test_no_score_slips_into_take_home_feedback(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    take_homes.send_take_home(t.store, t.w.coordinator, t.candidate_id, "churn.zip", now=SENT_AT)
    take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, "a.zip", now=SENT_AT)
    review(t, overall=4)
    for text in SMUGGLED_SCORES:
        with pytest.raises(InvalidInput, match=r"reads as a score"):
            take_homes.send_take_home_feedback(t.store, t.w.manager, t.candidate_id, text)


def test_an_interviewers_words_cannot_be_quoted_by_dressing_them_up(tmp_path):
    w = asked(tmp_path)
    sentence = ANA_SAYS.split(". ")[0]
    disguised = [
        sentence.upper(),
        sentence.replace(" ", "\n"),
        sentence.replace(" ", " -- "),
        "As one interviewer put it, '" + sentence.lower() + "', and we agree.",
    ]
    for text in disguised:
        with pytest.raises(InvalidInput, match=r"Ana Alvarez's words"):
            feedback.draft(w.store, w.manager, w.candidate_id, "", text)
        with pytest.raises(InvalidInput, match=r"Ana Alvarez's words"):
            feedback.draft(w.store, w.manager, w.candidate_id, text, "")


def test_the_words_are_checked_again_when_sent(tmp_path):
    """A draft that was fine when written, quoting words an interviewer wrote later (a revised
    scorecard), is not sent."""
    from scoring import scorecards
    from scoring.matrix import full_scores

    w = asked(tmp_path)
    words = "You compared every model with a simple baseline before tuning anything at all."
    feedback.draft(w.store, w.manager, w.candidate_id, "", words)
    scorecards.revise(
        w.store,
        w.ana,
        w.seats["ana"],
        reason="added a line",
        overall=1,
        feedback=ANA_SAYS + " " + words,
        criteria=full_scores(w.store, w.seats["ana"], 1),
        now=DAY + timedelta(days=3),
    )
    # The coordinator reviewing it learns that it quotes someone, not whom: they never read
    # scorecards.
    with pytest.raises(InvalidInput, match=r"^performance: quotes an interviewer's words") as e:
        feedback.approve_and_send(w.store, w.coordinator, w.candidate_id)
    assert "Ana" not in str(e.value)
    assert [r["kind"] for r in to_candidate(w.store, w.candidate_id)] == []


def test_a_reviews_notes_are_never_quoted(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    c = t.w.coordinator
    take_homes.send_take_home(t.store, c, t.candidate_id, "churn.zip", now=SENT_AT)
    take_homes.record_submission(t.store, c, t.candidate_id, "a.zip", now=SENT_AT)
    notes = "The notebook never checks the model against data it has not seen before."
    review(t, overall=1, notes=notes)
    feedback.record_request(t.store, c, t.candidate_id, "asked")
    with pytest.raises(InvalidInput, match=r"Ana Alvarez's words.*never quoted"):
        feedback.draft(t.store, t.w.manager, t.candidate_id, "", notes)


def test_markup_and_controls_in_the_words_stay_text(tmp_path, server):
    inbox, settings = server
    w = asked(tmp_path)
    for hostile in ("a\x1b[31mred", "nul\x00byte", "bell\x07"):
        with pytest.raises(InvalidInput, match=r"control character"):
            feedback.draft(w.store, w.manager, w.candidate_id, "", hostile)
    markup = '<script>alert(1)</script> <a href="https://evil.example">here</a> **bold**'
    feedback.draft(w.store, w.manager, w.candidate_id, LOGISTICAL, markup + "\u202eevil")
    feedback.approve_and_send(w.store, w.coordinator, w.candidate_id)
    mail.send_outbox(w.store, settings)
    (message,) = inbox.to("grace@example.com")
    html = html_of(message)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://evil.example">' not in html
    assert "\u202e" not in html


def test_a_brief_or_an_answer_cannot_add_a_header_or_a_strange_link(tmp_path, server):
    inbox, settings = server
    t = build_take_home(tmp_path / "t.sqlite")
    c = t.w.coordinator
    for brief in (
        "x\r\nBcc: eve@evil.example",
        "x\nSubject: hi",
        "data:text/html,<script>",
        "javascript:alert(1)",
        "vbscript:msgbox",
        "x\u2028y",
    ):
        with pytest.raises(InvalidInput, match=r"^brief:"):
            take_homes.send_take_home(t.store, c, t.candidate_id, brief, now=SENT_AT)
    take_homes.send_take_home(t.store, c, t.candidate_id, "<b>churn</b>.zip", now=SENT_AT)
    mail.send_outbox(t.store, settings, now=lambda: SENT_AT + timedelta(minutes=1))
    (message,) = inbox.messages
    assert inbox.recipients == [["lin@example.com"]]
    assert "&lt;b&gt;churn&lt;/b&gt;.zip" in html_of(message)
    again = message_from_bytes(message.as_bytes(), policy=default)
    assert again["Bcc"] is None and again["To"].addresses[0].addr_spec == "lin@example.com"


@pytest.mark.parametrize(
    "named",
    [
        "LOVELACE-final.zip",
        "https://drive.example.com/lin_lovelace/answer",
        "https://github.com/LinLovelace/churn",
        "lin.ipynb",
        "https://example.com/u/lin/answer",
    ],
)
def test_a_blind_take_homes_answer_cannot_give_the_name_away(tmp_path, named):
    t = build_take_home(tmp_path / "t.sqlite")
    c = t.w.coordinator
    take_homes.send_take_home(t.store, c, t.candidate_id, "churn.zip", now=SENT_AT)
    before = dump(t.store)
    with pytest.raises(InvalidInput, match=r"reviewed blind"):
        take_homes.record_submission(t.store, c, t.candidate_id, named, now=SENT_AT)
    assert dump(t.store) == before


def test_each_step_is_for_its_own_people_only(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    w = t.w
    for who in ("manager", "ana", "member", "outsider"):
        with pytest.raises(NotAllowed):
            take_homes.send_take_home(t.store, w.person(who), t.candidate_id, "x.zip")
    take_homes.send_take_home(t.store, w.coordinator, t.candidate_id, "x.zip", now=SENT_AT)
    for who in ("manager", "ana", "member", "outsider"):
        with pytest.raises(NotAllowed):
            take_homes.record_submission(t.store, w.person(who), t.candidate_id, "a.zip")
        with pytest.raises(NotAllowed):
            candidate_mail.send_schedule(t.store, w.person(who), w.candidate_id)
    for who in ("ana", "member", "outsider"):
        with pytest.raises(NotAllowed):
            candidate_mail.messages_to(t.store, w.person(who), t.candidate_id)
        with pytest.raises(NotAllowed):
            take_homes.take_home(t.store, w.person(who), t.candidate_id)
    d = asked(tmp_path, "d.sqlite")
    for who in ("ana", "member", "outsider", "coordinator"):
        with pytest.raises(NotAllowed):
            feedback.draft(d.store, d.person(who), d.candidate_id, LOGISTICAL, "")
    feedback.draft(d.store, d.manager, d.candidate_id, LOGISTICAL, "")
    for who in ("ana", "member", "outsider", "manager"):
        with pytest.raises((NotAllowed, InvalidInput)):
            feedback.approve_and_send(d.store, d.person(who), d.candidate_id)
    assert [r["kind"] for r in to_candidate(d.store, d.candidate_id)] == []
