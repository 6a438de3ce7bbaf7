"""A subject-access export (issue 28): everything Debrief holds about one candidate, as one JSON
document, read on one snapshot and audited: their data, their sessions and the scorecards about
them (every revision, with the evidence), screens and take-homes, the debrief, decisions, votes,
how a hire turned out, feedback, every message about them, legal holds, retention and their own
self-identified answers; and a table of the schema that names a candidate and is not in it fails
here until it is added or left out with its reason."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from take_home_world import SENT_AT, build_take_home, review

from scoring import (
    candidate_feedback,
    debrief,
    demographics,
    drafts,
    legal_holds,
    people,
    questions,
    scorecards,
    take_homes,
)
from scoring import subject_access as sar
from scoring.insights import outcomes
from scoring.matrix import full_scores
from scoring.schedule import schedule_session
from world import DAY, build, raw_sql, submit

# Texts as typed, each one kept and given back exactly: Markdown, HTML, a formula, a line break.
HOSTILE = '**Strong** <b>hire</b> [me](http://evil.example) =HYPERLINK("x")\nsecond line'
ANA_FEEDBACK = "Walked through the churn model step by step.\n" + HOSTILE
EVIDENCE = "Drew the <table> join on the whiteboard =1+2, then | piped it"
REVISION_REASON = "I had mixed up two criteria"
NOTES = "Clear notebook; the **model** is checked <i>twice</i>."
TAKE_HOME_WORDS = "Your notebook was easy to follow.\n\nNext time, hold out some data."
EARLY = "Cy is away for a week"
FLAG = "Read answers off a second screen <script>alert(1)</script>"
RATIONALE = "Below the bar on coding.\n=cmd|' /C calc'!A0"
LOGISTICAL = "We filled the role with someone who had worked on pricing."
PERFORMANCE = "Compare a model with a simple baseline before tuning it.\n# not a heading"
REQUEST_NOTE = "asked by email on Monday"
DRAFT_FEEDBACK = "half-written: strong on SQL"
BRIEF = "https://assignments.example.com/churn-2026"
LIN_DAY = DAY + timedelta(days=3)  # her interview day (Grace's is DAY: no clash)
AFTER = LIN_DAY + timedelta(days=2)
# Declined at LIN_DAY + 1 day, kept 180 days after the decision (the default)
DUE_ON = (LIN_DAY + timedelta(days=181)).date().isoformat()


class Through:
    """Lin Lovelace through a take-home, the on-site loop and a decision of no hire, with
    feedback sent: most of what can be held about a candidate."""

    def __init__(self, t):
        self.t, self.w, self.store = t, t.w, t.store
        self.candidate_id = t.candidate_id
        self.seats: dict[str, int] = {}
        self.first_criterion = ""  # the criterion of Ana's with `EVIDENCE`


def through(tmp_path, name="through.sqlite") -> Through:
    t = build_take_home(tmp_path / name)
    x = Through(t)
    w, cid = x.w, x.candidate_id
    take_homes.send_take_home(t.store, w.coordinator, cid, BRIEF, now=SENT_AT)
    take_homes.record_submission(
        t.store, w.coordinator, cid, "answer-7.zip", now=SENT_AT + timedelta(days=2)
    )
    review(t, overall=4, notes=NOTES)
    take_homes.send_take_home_feedback(
        t.store, w.manager, cid, TAKE_HOME_WORDS, now=SENT_AT + timedelta(days=5)
    )
    for position, (key, person) in enumerate((("ana", w.ana), ("bo", w.bo), ("cy", w.cy)), 1):
        session_id = schedule_session(
            t.store,
            w.coordinator,
            cid,
            position,
            LIN_DAY + timedelta(hours=position),
            [person.id],
            location="Room 4" if key == "ana" else "",
        )
        with t.store.read() as db:
            x.seats[key] = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session_id]
            ).fetchone()[0]
    criteria = full_scores(t.store, x.seats["ana"], 3)
    first = x.first_criterion = next(iter(criteria))
    criteria[first] = {**criteria[first], "evidence": EVIDENCE}
    scorecards.submit(
        t.store,
        w.ana,
        x.seats["ana"],
        overall=3,
        feedback=ANA_FEEDBACK,
        criteria=criteria,
        now=LIN_DAY + timedelta(hours=6),
    )
    scorecards.revise(
        t.store,
        w.ana,
        x.seats["ana"],
        reason=REVISION_REASON,
        overall=2,
        feedback=ANA_FEEDBACK,
        criteria=criteria,
        now=LIN_DAY + timedelta(hours=7),
    )
    candidate_feedback.consent_to_quote(t.store, w.ana, x.seats["ana"], now=LIN_DAY)
    scorecards.submit(
        t.store,
        w.bo,
        x.seats["bo"],
        overall=1,
        feedback="Bo says 1",
        criteria=full_scores(t.store, x.seats["bo"], 1),
        now=LIN_DAY + timedelta(hours=6),
    )
    questions.flag_cheating(t.store, w.bo, x.seats["bo"], FLAG, now=LIN_DAY + timedelta(hours=3))
    drafts.save_draft(
        t.store,
        w.cy,
        x.seats["cy"],
        {"overall": 2, "feedback": DRAFT_FEEDBACK, "criteria": {}},
        now=LIN_DAY + timedelta(hours=5),
    )
    debrief.open_debrief(t.store, w.manager, cid, reason=EARLY, now=LIN_DAY + timedelta(days=1))
    debrief.record_decision(
        t.store, w.manager, cid, "no_hire", RATIONALE, True, now=LIN_DAY + timedelta(days=1)
    )
    candidate_feedback.record_request(t.store, w.coordinator, cid, REQUEST_NOTE, now=AFTER)
    candidate_feedback.draft(t.store, w.manager, cid, LOGISTICAL, PERFORMANCE, now=AFTER)
    candidate_feedback.approve_and_send(t.store, w.coordinator, cid, now=AFTER)
    legal_holds.place_hold(t.store, w.coordinator, cid, "Tribunal claim 2026/117", now=AFTER)
    demographics.record(t.store, w.coordinator, cid, {"gender": "Woman"}, now=AFTER)
    # the week's notice retention sent, as its table keeps it
    raw_sql(
        x.w,
        "INSERT INTO retention_notices (candidate_id, due_on, noticed_at) VALUES (?, ?, ?)",
        cid,
        DUE_ON,
        AFTER.isoformat(),
    )
    return x


@pytest.fixture(scope="module")
def lin(tmp_path_factory):
    """One built process, read by the tests that only read (each export is its own audit
    entry, which these tests do not count)."""
    return through(tmp_path_factory.mktemp("sar"))


def export(x, who="coordinator"):
    return sar.subject_access(x.store, x.w.person(who), x.candidate_id, now=AFTER)


def test_the_export_holds_their_data_and_their_opening(lin):
    document = export(lin)
    assert document["format"] == "debrief subject access 1"
    assert document["generated_at"] == AFTER.isoformat()
    c = document["candidate"]
    assert (c["id"], c["name"], c["email"]) == (lin.candidate_id, "Lin Lovelace", "lin@example.com")
    assert c["alias"].startswith("Candidate ")
    assert c["opening"] == {
        "id": lin.t.opening_id,
        "title": "Data scientist (take-home)",
        "role": "Data scientist",
        "level": "",
        "scale": [0, 5],
    }
    assert (c["withdrawn"], c["erased"], c["erasure"]) == (False, False, None)
    assert json.loads(json.dumps(document)) == document  # JSON through and through


def test_every_session_and_every_revision_of_every_scorecard_with_its_evidence(lin):
    document = export(lin)
    sessions = document["sessions"]
    assert [s["interviewers"] for s in sessions] == [["Ana Alvarez"], ["Bo Berg"], ["Cy Chen"]]
    assert sessions[0]["location"] == "Room 4"
    assert sessions[0]["starts_at"] == (LIN_DAY + timedelta(hours=1)).isoformat()
    cards = document["scorecards"]
    ana = [c for c in cards if c["interviewer"] == "Ana Alvarez"]
    assert [(c["revision"], c["overall"], c["revision_reason"]) for c in ana] == [
        (1, 3, None),
        (2, 2, REVISION_REASON),
    ]
    assert all(c["feedback"] == ANA_FEEDBACK for c in ana)
    for card in ana:
        (seen,) = [e for e in card["criteria"] if e["criterion_id"] == lin.first_criterion]
        assert seen["evidence"] == EVIDENCE and seen["score"] == 3
        assert seen["criterion"] and seen["criterion"] != seen["criterion_id"]  # the rubric's name
    assert [c["interviewer"] for c in cards] == ["Ana Alvarez", "Ana Alvarez", "Bo Berg"]
    (draft,) = document["drafts"]
    assert draft["interviewer"] == "Cy Chen" and draft["content"]["feedback"] == DRAFT_FEEDBACK
    assert {q["interviewer"] for q in document["questions_asked"]} >= {"Bo Berg"}
    assert [q["interviewer"] for q in document["quote_consents"]] == ["Ana Alvarez"]
    (flag,) = document["cheating_flags"]
    assert (flag["flagged_by"], flag["evidence"]) == ("Bo Berg", FLAG)


def test_screens_take_homes_the_debrief_and_the_decision(lin):
    document = export(lin)
    (review_,) = document["stage_reviews"]
    assert (review_["reviewer"], review_["notes"], review_["overall"]) == (
        "Ana Alvarez",
        NOTES,
        4,
    )
    assert review_["stage"] == "Take-home assignment review"
    assert isinstance(review_["scores"], dict) and review_["scores"]
    assert [s["reviewer"] for s in document["stage_reviewers"]] == ["Ana Alvarez"]
    assert [o["outcome"] for o in document["stage_outcomes"]] == ["advance"]
    events = document["take_home_events"]
    assert [e["event"] for e in events] == ["sent", "submitted", "feedback_sent"]
    assert events[0]["by_name"] == "Cora Ordinator"
    assert BRIEF in json.dumps(events[0]["detail"])
    assert "answer-7.zip" in json.dumps(events[1]["detail"])
    opened = document["debrief"]
    assert (opened["opened_by"], opened["early_reason"]) == ("Maria Manager", EARLY)
    (decision,) = document["decisions"]
    assert (decision["outcome"], decision["decided_by"], decision["rationale"]) == (
        "no_hire",
        "Maria Manager",
        RATIONALE,
    )
    assert decision["decided_at"] == (LIN_DAY + timedelta(days=1)).isoformat()


def test_feedback_and_every_message_about_them(lin):
    document = export(lin)
    steps = document["candidate_feedback"]
    assert [s["step"] for s in steps] == ["requested", "drafted", "approved", "sent"]
    assert steps[0]["note"] == REQUEST_NOTE
    assert (steps[1]["logistical"], steps[1]["performance"]) == (LOGISTICAL, PERFORMANCE)
    messages = document["messages"]
    to_lin = [m for m in messages if m["to"] == "candidate"]
    assert {m["to_address"] for m in to_lin} == {"lin@example.com"}
    kinds = [m["kind"] for m in to_lin]
    assert kinds[0] == "take_home" and "take_home_feedback" in kinds and kinds[-1] == "feedback"
    assert BRIEF in to_lin[0]["text"]
    assert "Next time, hold out some data." in next(
        m["text"] for m in to_lin if m["kind"] == "take_home_feedback"
    )
    assert PERFORMANCE.splitlines()[0] in to_lin[-1]["text"]
    assert to_lin[-1]["state"] == "queued" and to_lin[-1]["subject"]
    # the people interviewing them were written to about them, by name
    team = [m for m in messages if m["to"] == "team"]
    assert {"ana@example.com", "bo@example.com", "cy@example.com"} <= {
        m["to_address"] for m in team
    }
    assert all("Lin Lovelace" in m["text"] for m in team if m["kind"] == "invitation")


def test_holds_retention_and_their_own_answers_with_the_note_that_says_why(lin, monkeypatch):
    assert export(lin)["retention"]["why"] == "retention is not configured"  # off by default
    monkeypatch.setenv("DEBRIEF_RETENTION_REJECTED_DAYS", "180")  # on: the defaults elsewhere
    document = export(lin)
    (hold,) = document["legal_holds"]
    assert (hold["held"], hold["by_name"], hold["reason"]) == (
        True,
        "Cora Ordinator",
        "Tribunal claim 2026/117",
    )
    assert document["retention"] == {
        "due_on": DUE_ON,
        "why": f"rejected {(LIN_DAY + timedelta(days=1)).date()}; kept 180 days after the decision",
        "notices": [{"due_on": DUE_ON, "noticed_at": AFTER.isoformat()}],
        "on_hold": True,
        "hold_reason": "Tribunal claim 2026/117",
    }
    # which categories were answered, never the answer: not even this export shows it
    assert document["demographics"] == [{"category": "gender", "recorded_at": AFTER.isoformat()}]
    assert "Woman" not in json.dumps(document)
    assert sar.DEMOGRAPHICS_NOTE in document["notes"]


def test_the_audit_entries_that_name_them_or_their_sessions_seats_and_scorecards(lin):
    document = export(lin)
    entries = document["audit"]
    subjects = {e["subject"].split(":")[0] for e in entries}
    assert {"candidate", "session", "assignment", "scorecard", "stage_seat"} <= subjects
    actions = [e["action"] for e in entries]
    for action in ("add_candidate", "send_take_home", "submit", "revise", "flag_cheating"):
        assert action in actions, action
    assert "record_decision" in actions or "decide" in actions
    # a sealed text in an entry's detail comes out opened
    flagged = next(e for e in entries if e["action"] == "flag_cheating")
    assert flagged["actor"] == "Bo Berg"
    assert "pd1:" not in json.dumps(document)
    # nobody else's candidate is in it
    assert f"candidate:{lin.w.candidate_id}" not in {e["subject"] for e in entries}


def test_the_export_is_audited_in_its_own_unit(tmp_path):
    x = through(tmp_path)
    document = export(x)
    again = export(x)
    with x.store.read() as db:
        rows = db.execute(
            "SELECT actor_id, subject, at FROM audit_log WHERE action = 'subject_access'"
            " ORDER BY id"
        ).fetchall()
    assert [tuple(r) for r in rows] == [
        (x.w.coordinator.id, f"candidate:{x.candidate_id}", AFTER.isoformat())
    ] * 2
    # each export lists the exports before it, not itself
    assert [e["action"] for e in document["audit"]].count("subject_access") == 0
    assert [e["action"] for e in again["audit"]].count("subject_access") == 1


def test_a_hire_with_committee_votes_and_how_they_turned_out(tmp_path):
    w = build(tmp_path / "hire.sqlite", strategy={"kind": "committee", "quorum": 1})
    for who in ("ana", "bo", "cy"):
        submit(w, who, 4)
    debrief.open_debrief(w.store, w.manager, w.candidate_id, now=DAY + timedelta(days=1))
    debrief.cast_vote(
        w.store, w.member, w.candidate_id, "hire", HOSTILE, now=DAY + timedelta(days=1)
    )
    debrief.record_decision(
        w.store, w.manager, w.candidate_id, "hire", "clear", True, now=DAY + timedelta(days=1)
    )
    outcomes.record_outcome(
        w.store, w.manager, w.candidate_id, 6, 4, True, "settling in", now=DAY + timedelta(days=200)
    )
    document = sar.subject_access(w.store, w.coordinator, w.candidate_id)
    (vote,) = document["committee_votes"]
    assert (vote["member"], vote["vote"], vote["note"]) == ("Mo Member", "hire", HOSTILE)
    (outcome,) = document["hire_outcomes"]
    assert (outcome["months"], outcome["rating"], outcome["still_employed"], outcome["note"]) == (
        6,
        4,
        True,
        "settling in",
    )
    assert document["candidate"]["email"] == "grace@example.com"
    assert document["decisions"][0]["outcome"] == "hire"


# The columns that tie a row to a candidate, directly or through their session, seat or scorecard.
LINKS = {"candidate_id", "session_id", "assignment_id", "seat_id", "scorecard_id"}


@pytest.mark.sqlite_only("reads the live schema from the file")
def test_every_table_that_names_a_candidate_is_in_the_export_or_left_out_with_why(lin):
    conn = sqlite3.connect(lin.store.path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        linked = {
            t for t in tables if LINKS & {r[1] for r in conn.execute(f"PRAGMA table_info({t})")}
        }
        with_rows = {
            t
            for t in linked | {"candidates", "audit_log"}
            if conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        }
    finally:
        conn.close()
    linked |= {"candidates", "audit_log"}  # the candidate's own row; entries by subject
    missing = sorted(linked - set(sar.COVERED) - set(sar.LEFT_OUT))
    assert missing == [], f"tables about a candidate neither exported nor left out: {missing}"
    assert not set(sar.COVERED) & set(sar.LEFT_OUT)
    assert all(why.strip() for why in sar.LEFT_OUT.values())
    assert set(sar.COVERED) <= set(tables) and set(sar.LEFT_OUT) <= set(tables)
    # every table this world wrote to, about Lin, is in a part of the document that is not empty
    document = export(lin)
    for table in sorted(with_rows & set(sar.COVERED)):
        if table == "erasures":
            continue  # nobody is erased here
        assert document[sar.COVERED[table]], f"{table}: {sar.COVERED[table]} is empty"


def test_the_command_line_exports_the_same_document(lin, cli, monkeypatch):
    code = people.issue_code(lin.store, lin.w.coordinator, lin.w.coordinator.id)
    monkeypatch.setenv("DEBRIEF_CODE", code)
    result = cli(
        "subject-access",
        "--db",
        lin.store.location,
        "--as",
        "cora@example.com",
        "--candidate",
        lin.candidate_id,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["candidate"]["email"] == "lin@example.com"
    assert document["scorecards"][0]["feedback"] == ANA_FEEDBACK
    assert document["candidate_feedback"][1]["performance"] == PERFORMANCE
    app = export(lin)
    assert {**document, "generated_at": None, "audit": None} == {
        **app,
        "generated_at": None,
        "audit": None,
    }


def test_the_command_line_writes_a_file_and_refuses_with_the_tables_words(
    lin, cli, monkeypatch, tmp_path
):
    code = people.issue_code(lin.store, lin.w.coordinator, lin.w.ana.id)
    monkeypatch.setenv("DEBRIEF_CODE", code)
    args = ("subject-access", "--db", lin.store.location, "--candidate", lin.candidate_id)
    refused = cli(*args, "--as", "ana@example.com")
    assert refused.returncode == 1 and refused.stdout == ""
    assert (
        refused.stderr.strip() == "subject-access: Only a coordinator exports a candidate's data."
    )
    code = people.issue_code(lin.store, lin.w.coordinator, lin.w.coordinator.id)
    monkeypatch.setenv("DEBRIEF_CODE", code)
    out = tmp_path / "lin.json"
    written = cli(*args, "--as", "cora@example.com", "--out", out)
    assert written.returncode == 0, written.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["candidate"]["name"] == "Lin Lovelace"


def test_an_erased_candidates_export_says_so_and_holds_no_text(tmp_path):
    from scoring import erasure

    x = through(tmp_path)
    legal_holds.lift_hold(x.store, x.w.coordinator, x.candidate_id, "claim settled", now=AFTER)
    erasure.erase(x.store, x.w.coordinator, x.candidate_id, "asked on the phone")
    document = export(x)
    c = document["candidate"]
    assert c["erased"] is True and c["name"] == f"Erased candidate #{x.candidate_id}"
    assert c["email"] == "" and c["erasure"]["basis"] == "request"
    text = json.dumps(document)
    typed = ("Lin Lovelace", "lin@example.com", EVIDENCE, RATIONALE, NOTES, FLAG, DRAFT_FEEDBACK)
    for words in (*typed, "Tribunal claim 2026/117", PERFORMANCE):
        assert json.dumps(words)[1:-1] not in text, words
    assert document["scorecards"][0]["overall"] == 3  # numbers stay
    assert document["demographics"] == [] and document["drafts"] == []
    assert any(note.startswith("This candidate was erased") for note in document["notes"])
