"""Take-homes (issue 27): sent with the time it should take, the deadline and the rules;
answered with a link or a file name; reviewed blind by the stage's reviewers; answered in turn
with feedback that holds no score. Each step once, recorded, and nothing written on a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from take_home_world import DAYS, HOURS, SENT_AT, build_take_home, review, review_seat, to_candidate

from scoring import stage_reviews, stages, take_homes
from scoring.candidate_mail import NO_EMAIL
from scoring.errors import InvalidInput, NotAllowed
from scoring.store import parse_stamp
from world import dump

BRIEF = "https://assignments.example.com/churn-2026"


def send(t, brief=BRIEF, at=SENT_AT):
    return take_homes.send_take_home(t.store, t.w.coordinator, t.candidate_id, brief, now=at)


def where(t):
    with t.store.read() as db:
        return stages.progress_of(db, t.candidate_id)


def test_a_take_home_runs_from_sent_to_reviewed(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    send(t)
    (home,) = take_homes.take_home(t.store, t.w.coordinator, t.candidate_id)
    assert (home.sent, home.sent_at, home.hours_asked) == (BRIEF, SENT_AT, HOURS)
    assert home.deadline == SENT_AT + timedelta(days=DAYS)
    assert home.submission is None and home.late is None

    seats = take_homes.record_submission(
        t.store, t.w.coordinator, t.candidate_id, "answer-7.zip", now=SENT_AT + timedelta(days=2)
    )
    assert len(seats) == 1 and seats[0] == review_seat(t)
    # Ana reviews blind: her form names the alias, and the answer carries no name either.
    sheet = stage_reviews.sheet(t.store, t.w.ana, seats[0])
    assert sheet.seat.candidate.startswith("Candidate ") and "Lin" not in sheet.seat.candidate
    answer = take_homes.submission(t.store, t.w.ana, seats[0])
    assert (answer.submission, answer.late, answer.sent) == ("answer-7.zip", False, BRIEF)

    review(t, overall=4)
    progress = where(t)
    assert progress.step(1).state == "advanced" and progress.stage == 2

    take_homes.send_take_home_feedback(
        t.store,
        t.w.manager,
        t.candidate_id,
        "Your notebook was easy to follow.\n\nNext time, check the model on data it has not seen.",
        now=SENT_AT + timedelta(days=5),
    )
    (home,) = take_homes.take_home(t.store, t.w.manager, t.candidate_id)
    assert [e.event for e in home.events] == ["sent", "submitted", "feedback_sent"]
    assert [e.by for e in home.events] == ["Cora Ordinator", "Cora Ordinator", "Maria Manager"]
    assert home.late is False and home.feedback_at == SENT_AT + timedelta(days=5)
    kinds = [r["kind"] for r in to_candidate(t.store, t.candidate_id)]
    assert kinds == ["take_home", "take_home_reminder", "take_home_feedback"]


def test_the_email_says_the_time_the_deadline_and_the_rules(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    send(t)
    first, reminder = to_candidate(t.store, t.candidate_id)
    assert (first["to_address"], first["to_name"]) == ("lin@example.com", "Lin Lovelace")
    text = first["text_body"]
    assert BRIEF in text and "about 3 hours" in text and "do not spend more" in text
    deadline = SENT_AT + timedelta(days=DAYS)
    assert f"{deadline:%a %d %b %Y, %H:%M}" in text
    assert "What is allowed:" in text and "What is not allowed:" in text
    assert "help from another person" in text and "ends the application" in text
    assert "send your answer to Cora Ordinator (cora@example.com) by" in text
    assert text.rstrip().endswith("Cora Ordinator")
    # Nothing internal: no alias, no scale, no link into Debrief.
    assert "Candidate " not in text and "debrief" not in text.lower()
    # The reminder waits for a day before the deadline, once.
    assert parse_stamp(reminder["next_attempt_at"]) == deadline - timedelta(hours=24)
    assert reminder["dedupe_key"] == f"take_home_reminder:{t.candidate_id}:1"
    (event,) = take_homes.take_home(t.store, t.w.coordinator, t.candidate_id)[0].events
    assert event.detail == {"hours_asked": HOURS, "deadline": deadline.isoformat(), "sent": BRIEF}


def test_sending_is_refused_where_it_does_not_fit_and_writes_nothing(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    before = dump(t.store)
    for brief, field in (("", "brief"), ("line\nbreak", "brief"), ("javascript:alert(1)", "brief")):
        with pytest.raises(InvalidInput, match=f"^{field}:"):
            send(t, brief)
    with pytest.raises(NotAllowed, match=r"coordinator"):
        take_homes.send_take_home(t.store, t.w.manager, t.candidate_id, BRIEF)
    with pytest.raises(InvalidInput, match=r"not at a take-home stage"):
        take_homes.send_take_home(t.store, t.w.coordinator, t.w.candidate_id, BRIEF)
    assert dump(t.store) == before
    send(t)
    with pytest.raises(InvalidInput, match=r"^take_home: already sent"):
        send(t)


def test_no_email_no_take_home(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite", email="")
    before = dump(t.store)
    with pytest.raises(InvalidInput, match=f"^{NO_EMAIL}$"):
        send(t)
    assert dump(t.store) == before


def test_the_answer_is_recorded_once_after_sending_late_or_not(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    coordinator = t.w.coordinator
    with pytest.raises(InvalidInput, match=r"^take_home: not sent yet"):
        take_homes.record_submission(t.store, coordinator, t.candidate_id, "answer.zip")
    send(t)
    before = dump(t.store)
    for answer in ("", "two\nlines", "x" * 501, "file:///etc/passwd"):
        with pytest.raises(InvalidInput, match=r"^submission:"):
            take_homes.record_submission(t.store, coordinator, t.candidate_id, answer)
    assert dump(t.store) == before
    late = SENT_AT + timedelta(days=DAYS, hours=1)
    take_homes.record_submission(
        t.store, coordinator, t.candidate_id, r"C:\answers\take-home.zip", now=late
    )
    (home,) = take_homes.take_home(t.store, coordinator, t.candidate_id)
    assert home.late is True and home.submission == r"C:\answers\take-home.zip"
    with pytest.raises(InvalidInput, match=r"^submission: already recorded"):
        take_homes.record_submission(t.store, coordinator, t.candidate_id, "again.zip", now=late)
    # The reminder waiting for its time is withdrawn: the answer is in.
    reminder = [r for r in to_candidate(t.store, t.candidate_id) if r["kind"] != "take_home"]
    assert [(r["state"], r["last_error"]) for r in reminder] == [
        ("failed", "withdrawn: the candidate's take-home answer is in")
    ]


def test_a_blind_stages_answer_may_not_carry_the_name(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    send(t)
    for named in ("lovelace_churn.ipynb", "https://github.com/LinLovelace/churn", "lin-answer/"):
        with pytest.raises(InvalidInput, match=r"reviewed blind"):
            take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, named)
    take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, "online_linear.zip")
    t = build_take_home(tmp_path / "again.sqlite")
    send(t)
    for named in ("LOVELACE.zip",):
        with pytest.raises(InvalidInput, match=r"reviewed blind"):
            take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, named)
    t2 = build_take_home(tmp_path / "open.sqlite", blind=False)
    take_homes.send_take_home(t2.store, t2.w.coordinator, t2.candidate_id, BRIEF, now=SENT_AT)
    take_homes.record_submission(
        t2.store, t2.w.coordinator, t2.candidate_id, "lovelace_churn.ipynb", now=SENT_AT
    )


def test_reviewers_wait_for_the_answer(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    send(t)
    with t.store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM stage_seats").fetchone()[0] == 0
    take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, "answer.zip")
    seat = review_seat(t)
    with pytest.raises(NotAllowed):
        take_homes.submission(t.store, t.w.bo, seat)
    review(t, overall=1)
    assert where(t).state == "rejected"


def test_feedback_on_the_take_home_follows_the_outcome_once_and_holds_no_score(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    manager = t.w.manager
    send(t)
    take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, "answer.zip")
    words = "The analysis was careful; the write-up could be shorter."
    with pytest.raises(InvalidInput, match=r"^take_home: the reviews are not settled"):
        take_homes.send_take_home_feedback(t.store, manager, t.candidate_id, words)
    review(t, overall=1)
    with pytest.raises(NotAllowed, match=r"hiring manager"):
        take_homes.send_take_home_feedback(t.store, t.w.coordinator, t.candidate_id, words)
    before = dump(t.store)
    for scored in ("You got 3/5 overall.", "Your score 4 is below the bar.", "2 out of 5"):
        with pytest.raises(InvalidInput, match=r"^feedback: .* reads as a score"):
            take_homes.send_take_home_feedback(t.store, manager, t.candidate_id, scored)
    with pytest.raises(InvalidInput, match=r"^feedback: Write it"):
        take_homes.send_take_home_feedback(t.store, manager, t.candidate_id, "  \n ")
    assert dump(t.store) == before
    take_homes.send_take_home_feedback(t.store, manager, t.candidate_id, words)
    with pytest.raises(InvalidInput, match=r"^feedback: already sent"):
        take_homes.send_take_home_feedback(t.store, manager, t.candidate_id, words)
    (message,) = [r for r in to_candidate(t.store, t.candidate_id) if r["kind"].endswith("back")]
    assert words in message["text_body"] and message["text_body"].rstrip().endswith("Manager")
    assert message["subject"] == "Feedback on your take-home for Data scientist (take-home)"


def test_the_record_is_for_the_coordinator_and_the_hiring_manager(tmp_path):
    t = build_take_home(tmp_path / "t.sqlite")
    send(t)
    for who in ("coordinator", "manager"):
        assert take_homes.take_home(t.store, t.w.person(who), t.candidate_id)[0].sent == BRIEF
    for who in ("ana", "member", "outsider"):
        with pytest.raises(NotAllowed):
            take_homes.take_home(t.store, t.w.person(who), t.candidate_id)


@pytest.mark.slow  # the Candidates page through app.py, four runs (~5 s)
def test_the_candidates_page_sends_the_take_home_and_records_the_answer(tmp_path, monkeypatch):
    from world import page_as

    t = build_take_home(tmp_path / "t.sqlite")
    at = page_as(t.w, "coordinator", "pages/candidates.py", monkeypatch)
    at.selectbox(key="opening").select_index(1).run()
    at.selectbox(key=f"candidate_record_{t.opening_id}").select_index(0).run()
    shown = " ".join(m.value for m in at.markdown)
    assert "**Lin Lovelace** is at stage 1, Take-home assignment review (take-home)" in shown
    at.button(key=f"FormSubmitter:send_take_home_{t.candidate_id}-Send the take-home").click()
    at.run()
    assert [e.value for e in at.error] == ["Say what is sent: a link, or the assignment's name."]
    at.text_input[1].input("https://assignments.example.com/churn")
    at.button(key=f"FormSubmitter:send_take_home_{t.candidate_id}-Send the take-home").click()
    at.run()
    assert not at.exception, at.exception
    (home,) = take_homes.take_home(t.store, t.w.coordinator, t.candidate_id)
    assert home.sent == "https://assignments.example.com/churn"
    labels = [i.label for i in at.text_input]
    assert "The answer's link or file name" in labels
    at.text_input[labels.index("The answer's link or file name")].input("answer-7.zip")
    at.button(key=f"FormSubmitter:record_submission_{t.candidate_id}-Record the answer").click()
    at.run()
    (home,) = take_homes.take_home(t.store, t.w.coordinator, t.candidate_id)
    assert home.submission == "answer-7.zip"
    texts = " ".join(str(c.value) for c in at.caption)
    assert "answer in" in texts and "Answer: answer-7.zip" in texts
    messages = at.dataframe[-1].value
    assert list(messages["what"]) == ["take-home reminder", "the take-home"]
    assert messages["state"][0] == "not sent: the candidate's take-home answer is in"


@pytest.mark.slow  # the hiring manager's form, three runs (~4 s)
def test_the_hiring_manager_answers_the_take_home_from_the_form(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from world import ROOT

    t = build_take_home(tmp_path / "t.sqlite")
    send(t)
    take_homes.record_submission(t.store, t.w.coordinator, t.candidate_id, "a.zip", now=SENT_AT)
    review(t, overall=4)

    def section(location: str, person_id: int, candidate_id: int) -> None:
        from scoring.people import get_person
        from scoring.store import Store
        from ui.candidate_feedback_form import show

        store = Store(location)
        show(store, get_person(store, person_id), candidate_id)

    monkeypatch.chdir(ROOT)
    args = (t.store.location, t.w.manager.id, t.candidate_id)
    at = AppTest.from_function(section, args=args, default_timeout=30)
    at.run()
    assert [s.value for s in at.header] == ["Feedback on the take-home"]
    at.text_area[0].input("Careful work; test the model on unseen data next time.")
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert take_homes.take_home(t.store, t.w.manager, t.candidate_id)[0].feedback_at is not None
    assert "Feedback on the take-home sent" in " ".join(str(c.value) for c in at.caption)
    at = AppTest.from_function(
        section, args=(t.store.location, t.w.coordinator.id, t.candidate_id), default_timeout=30
    )
    at.run()
    assert len(at.text_area) == 0
