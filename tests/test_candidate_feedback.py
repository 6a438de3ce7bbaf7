"""Feedback to a declined candidate (issue 27; L2422-2432): only when asked, written by the
hiring manager from a template that keeps logistical reasons apart from performance, reviewed by
someone else, sent once through the outbox, with no score and no interviewer's words unless that
interviewer agreed."""

from __future__ import annotations

from datetime import timedelta
from mailbox import html_of, text_of

import pytest
from take_home_world import SENT_AT, build_take_home, review, to_candidate

from scoring import candidate_feedback as feedback
from scoring import debrief, mail, people, scorecards, take_homes
from scoring.candidate_mail import NO_EMAIL
from scoring.errors import InvalidInput, NotAllowed
from scoring.matrix import full_scores
from world import DAY, REFUSED, build, dump, raw_sql, submit

ANA_SAYS = (
    "She explained the churn model clearly but never compared it with a simple baseline."
    " Communication was strong."
)
QUOTE = "She explained the churn model clearly but never compared it with a simple baseline."
LOGISTICAL = "We filled the role with a candidate who had already worked on pricing."
PERFORMANCE = (
    "You explained your model clearly.\n\nWhat would have made the difference: comparing it"
    " with a simple baseline before tuning it."
)
AFTER = DAY + timedelta(days=2)


def declined(tmp_path, name="w.sqlite", **shape):
    """The world's candidate, decided no hire; Ana's scorecard says `ANA_SAYS`."""
    w = build(tmp_path / name, **shape)
    scorecards.submit(
        w.store,
        w.ana,
        w.seats["ana"],
        overall=1,
        feedback=ANA_SAYS,
        criteria=full_scores(w.store, w.seats["ana"], 1),
        now=DAY + timedelta(hours=6),
    )
    for who in ("bo", "cy"):
        submit(w, who, 1)
    debrief.open_debrief(w.store, w.manager, w.candidate_id, now=DAY + timedelta(days=1))
    debrief.record_decision(
        w.store,
        w.manager,
        w.candidate_id,
        "no_hire",
        "Below the bar",
        True,
        now=DAY + timedelta(days=1),
    )
    return w


def asked_and_drafted(w, performance=PERFORMANCE, logistical=LOGISTICAL):
    feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked by email", now=AFTER)
    return feedback.draft(w.store, w.manager, w.candidate_id, logistical, performance, now=AFTER)


def test_a_declined_candidates_feedback_goes_out_once_through_the_outbox_with_no_score(
    tmp_path, server
):
    inbox, settings = server
    w = declined(tmp_path)
    asked_and_drafted(w)
    view = feedback.feedback(w.store, w.coordinator, w.candidate_id)
    assert (view.state, view.may_send, view.drafted_by) == ("drafted", True, "Maria Manager")
    assert view.subject == "Feedback on your application for Data scientist"
    feedback.approve_and_send(w.store, w.coordinator, w.candidate_id, now=AFTER)
    with pytest.raises(InvalidInput, match=r"^feedback: already sent on .*: it goes out once"):
        feedback.approve_and_send(w.store, w.coordinator, w.candidate_id, now=AFTER)
    for _ in range(2):
        mail.send_outbox(w.store, settings)
    (message,) = inbox.to("grace@example.com")
    text = text_of(message).replace("\r\n", "\n")
    # Context first, then the two kinds of reason apart, signed by the writer.
    context = text.index("An interview is a short and imperfect look")
    role = text.index("Reasons that have to do with the role, not with you:\n\n" + LOGISTICAL)
    seen = text.index("What we saw in your interviews and assessments:\n\nYou explained")
    assert context < role < seen
    assert "comparing it with a simple baseline" in text
    assert text.rstrip().endswith("Best regards,\nMaria Manager")
    assert "<p>You explained your model clearly.</p>" in html_of(message)
    for internal in ("score", "No hire", "no_hire", "Candidate ", "/5"):
        assert internal not in text
    steps = [s.step for s in feedback.feedback(w.store, w.manager, w.candidate_id).steps]
    assert steps == ["requested", "drafted", "approved", "sent"]
    (row,) = to_candidate(w.store, w.candidate_id)
    assert (row["kind"], row["state"]) == ("feedback", "sent")
    # The index backs it: a second 'sent' row cannot be slipped in.
    with pytest.raises(REFUSED):
        raw_sql(
            w,
            "INSERT INTO candidate_feedback (candidate_id, step, at, by_id)"
            " VALUES (?, 'sent', ?, ?)",
            w.candidate_id,
            AFTER.isoformat(),
            w.coordinator.id,
        )


def test_feedback_is_only_for_a_declined_candidate_who_asked(tmp_path):
    w = build(tmp_path / "w.sqlite")
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=r"^candidate: not declined"):
        feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked")
    assert dump(w.store) == before
    w = declined(tmp_path, "d.sqlite")
    with pytest.raises(InvalidInput, match=r"^candidate: no request for feedback is recorded"):
        feedback.draft(w.store, w.manager, w.candidate_id, LOGISTICAL, "")
    with pytest.raises(NotAllowed):
        feedback.record_request(w.store, w.ana, w.candidate_id, "asked")
    feedback.record_request(w.store, w.manager, w.candidate_id, "asked on the phone")
    with pytest.raises(InvalidInput, match=r"^candidate: the request is already recorded"):
        feedback.record_request(w.store, w.coordinator, w.candidate_id, "again")


def test_a_candidate_rejected_at_the_take_home_may_ask_too(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    c = t.w.coordinator
    take_homes.send_take_home(t.store, c, t.candidate_id, "churn.zip", now=SENT_AT)
    take_homes.record_submission(t.store, c, t.candidate_id, "answer.zip", now=SENT_AT)
    review(t, overall=1)
    feedback.record_request(t.store, c, t.candidate_id, "asked")
    feedback.draft(t.store, t.w.manager, t.candidate_id, "", "Your answer was careful.")
    feedback.approve_and_send(t.store, c, t.candidate_id)
    assert [r["kind"] for r in to_candidate(t.store, t.candidate_id)][-1] == "feedback"


@pytest.mark.parametrize(
    "scored",
    ["You scored 2 in coding.", "We rated you 3/5.", "A 4 out of 5 is our bar.", "score: 1"],
)
def test_feedback_holds_no_score(tmp_path, scored):
    w = declined(tmp_path)
    feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked")
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=r"^performance: .* reads as a score"):
        feedback.draft(w.store, w.manager, w.candidate_id, LOGISTICAL, scored)
    with pytest.raises(InvalidInput, match=r"^logistical: .* reads as a score"):
        feedback.draft(w.store, w.manager, w.candidate_id, scored, "")
    assert dump(w.store) == before


def test_no_interviewers_words_unless_they_agreed(tmp_path):
    w = declined(tmp_path)
    feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked")
    # Word for word, whatever the case and punctuation, inside a longer sentence too.
    for quoting in (QUOTE, "In short: " + QUOTE.upper().replace(" ", "  ", 3)):
        with pytest.raises(InvalidInput, match=r"^performance: .*Ana Alvarez's words"):
            feedback.draft(w.store, w.manager, w.candidate_id, "", quoting)
    # Seven words of hers are not a quote.
    feedback.draft(w.store, w.manager, w.candidate_id, "", "You explained the churn model clearly.")
    with pytest.raises(NotAllowed, match=r"Only the interviewer who wrote"):
        feedback.consent_to_quote(w.store, w.bo, w.seats["ana"])
    assert feedback.consent_to_quote(w.store, w.ana, w.seats["ana"]) is True
    assert feedback.consent_to_quote(w.store, w.ana, w.seats["ana"]) is False
    feedback.draft(w.store, w.manager, w.candidate_id, "", QUOTE)
    feedback.approve_and_send(w.store, w.coordinator, w.candidate_id)


def test_someone_other_than_its_writer_reviews_and_sends_it(tmp_path):
    w = declined(tmp_path)
    roles = ["hiring_manager", "interviewer", "coordinator"]
    people.update_person(w.store, w.coordinator, w.manager.id, roles=roles)
    asked_and_drafted(w)
    view = feedback.feedback(w.store, w.manager, w.candidate_id)
    assert view.may_send is False and "you wrote this draft" in view.why_not_send
    with pytest.raises(InvalidInput, match=r"^feedback: you wrote this draft"):
        feedback.approve_and_send(w.store, w.manager, w.candidate_id)
    for who in ("ana", "member"):
        with pytest.raises(NotAllowed):
            feedback.approve_and_send(w.store, w.person(who), w.candidate_id)
    with pytest.raises(NotAllowed, match=r"hiring manager"):
        feedback.draft(w.store, w.coordinator, w.candidate_id, LOGISTICAL, "")
    feedback.approve_and_send(w.store, w.coordinator, w.candidate_id)


def test_nothing_is_sent_before_a_draft_or_without_an_email(tmp_path):
    w = declined(tmp_path)
    feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked")
    with pytest.raises(InvalidInput, match=r"^feedback: nothing is written yet"):
        feedback.approve_and_send(w.store, w.coordinator, w.candidate_id)
    raw_sql(w, "UPDATE candidates SET email = '' WHERE id = ?", w.candidate_id)
    feedback.draft(w.store, w.manager, w.candidate_id, LOGISTICAL, "")
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=f"^{NO_EMAIL}$"):
        feedback.approve_and_send(w.store, w.coordinator, w.candidate_id)
    assert dump(w.store) == before
    with pytest.raises(InvalidInput, match=r"^performance: Write the logistical reasons"):
        feedback.draft(w.store, w.manager, w.candidate_id, " ", "")


def form_as(w, who: str, monkeypatch):
    """ui/candidate_feedback_form.py's `show` for `who` on the world's candidate."""
    from streamlit.testing.v1 import AppTest

    from world import ROOT

    def section(location: str, person_id: int, candidate_id: int) -> None:
        from scoring.people import get_person
        from scoring.store import Store
        from ui.candidate_feedback_form import show

        store = Store(location)
        show(store, get_person(store, person_id), candidate_id)

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(
        section, args=(w.store.location, w.person(who).id, w.candidate_id), default_timeout=30
    )
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow  # the form and the Candidates page through app.py (~6 s)
def test_the_hiring_manager_writes_it_and_a_coordinator_sends_it_on_their_pages(
    tmp_path, monkeypatch
):
    from world import page_as

    w = declined(tmp_path)
    feedback.record_request(w.store, w.coordinator, w.candidate_id, "asked by email")
    at = form_as(w, "manager", monkeypatch)
    logistical, performance = at.text_area
    assert (logistical.label, performance.label) == ("Logistical reasons", "Performance")
    performance.input("You scored 2 in coding.")
    at.button[0].click()
    at.run()
    assert at.error[0].value.startswith('"scored 2" reads as a score')
    at.text_area[1].input(PERFORMANCE)
    at.button[0].click()
    at.run()
    assert feedback.feedback(w.store, w.manager, w.candidate_id).performance == PERFORMANCE
    assert "waits for a coordinator" in " ".join(str(c.value) for c in at.caption)

    at = page_as(w, "coordinator", "pages/candidates.py", monkeypatch)
    at.selectbox(key=f"candidate_record_{w.opening_id}").select_index(0).run()
    shown = " ".join(t.value for t in at.text)
    assert "What we saw in your interviews and assessments:" in shown
    at.button(key=f"approve_feedback_{w.candidate_id}").click().run()
    assert not at.exception, at.exception
    assert feedback.feedback(w.store, w.coordinator, w.candidate_id).state == "sent"
    assert "Sent " in " ".join(str(c.value) for c in at.caption)
