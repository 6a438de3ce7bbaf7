"""Self-identified demographics and the candidate's source (issue 28, item 5): the configured
categories, recording answers (validated, sealed, upserted, audited without them), the source,
and erasure folding a candidate into the tally without moving any figure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scoring import demographics, personal, schedule_changes
from scoring.errors import InvalidInput, NotAllowed, NotFound
from scoring.insights.adverse_impact import adverse_impact
from scoring.settings import SettingsProblem
from tests.fairness_world import (
    DECEMBER,
    OCT,
    SEP,
    TODAY,
    add,
    configure,
    decide,
    fair_opening,
    group,
    loop,
    stored_rows,
)
from tests.world import build


@pytest.fixture
def w(tmp_path, monkeypatch):
    world = build(tmp_path / "demographics.sqlite")
    configure(tmp_path, monkeypatch)
    return world


def rows(w, sql: str, *params) -> list[tuple]:
    with w.store.read() as db:
        return [tuple(r) for r in db.execute(sql, list(params)).fetchall()]


def audit_count(w) -> int:
    return rows(w, "SELECT count(*) FROM audit_log")[0][0]


# ----------------------------------------------------------------------------- settings


def test_without_settings_the_eeo_style_defaults_each_with_prefer_not_to_say(tmp_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_SECRETS", str(tmp_path / "none.toml"))
    found = demographics.categories()
    assert set(found) == {"gender", "ethnicity", "veteran", "disability"}
    assert all(answers[-1] == "Prefer not to say" for answers in found.values())
    assert demographics.min_group() == 5


def test_configured_categories_get_prefer_not_to_say_once(w):
    found = demographics.categories()
    assert found == {
        "gender": ["Woman", "Man", "Non-binary", "Prefer not to say"],
        "pet": ["Otter", "Quokka", "Prefer not to say"],
    }


@pytest.mark.parametrize(
    "text, field",
    [
        ('categories = { source = ["A"] }', "'source'"),
        ('categories = { "Bad Name" = ["A"] }', "'Bad Name'"),
        ('categories = { gender = ["A", "a"] }', "categories.gender[1]"),
        ("categories = { gender = [] }", "categories.gender"),
        ('categories = { gender = ["A\\u202eB"] }', "categories.gender[0]"),
        ('categories = { gender = "Woman" }', "categories.gender"),
        ("min_group = 2", "min_group"),
        ('min_group = "5"', "min_group"),
    ],
)
def test_a_malformed_setting_names_its_key(tmp_path, monkeypatch, text, field):
    configure(tmp_path, monkeypatch, f"[demographics]\n{text}\n")
    with pytest.raises(SettingsProblem) as problem:
        demographics.categories()
        demographics.min_group()
    assert field in str(problem.value)


# ----------------------------------------------------------------------------- recording


def test_answers_are_sealed_upserted_and_audited_without_them(w):
    o = fair_opening(w)
    cid = add(w, o, 1)
    changed = demographics.record(
        w.store, w.coordinator, cid, {"gender": "woman", "pet": " Otter "}, now=SEP
    )
    assert changed == ["gender", "pet"]  # the categories, never the answers
    stored = stored_rows(
        w,
        "SELECT category, answer FROM candidate_demographics WHERE candidate_id = ?"
        " ORDER BY category",
        cid,
    )
    assert [c for c, _ in stored] == ["gender", "pet"]
    # sealed under their key
    assert all(a.startswith(f"{personal.PREFIX}{cid}:t:") for _, a in stored)
    assert not any("Woman" in a or "Otter" in a for _, a in stored)
    entry = rows(
        w, "SELECT detail FROM audit_log WHERE action = 'record_demographics' ORDER BY id DESC"
    )[0][0]
    assert json.loads(entry) == {"categories": ["gender", "pet"]}
    # a correction replaces the answer (one row per category); the same answer again is
    # recorded again, and said as a correction is: the categories submitted
    assert demographics.record(w.store, w.coordinator, cid, {"gender": "Man"}, now=OCT) == [
        "gender"
    ]
    assert demographics.record(w.store, w.coordinator, cid, {"gender": "Man", "pet": ""}) == [
        "gender"
    ]
    assert rows(w, "SELECT count(*) FROM candidate_demographics WHERE candidate_id = ?", cid) == [
        (2,)
    ]
    details = rows(w, "SELECT detail FROM audit_log WHERE action = 'record_demographics'")
    assert not any(word in d for (d,) in details for word in ("Woman", "Man", "Otter"))


def test_the_same_answer_again_is_recorded_and_said_as_a_different_one_is(w):
    """Recording is no oracle: submitting the answer already stored and submitting another one
    come back the same, are audited the same and leave the row alike (sealed again, stamped
    now), so a coordinator cannot test a guess of a stored answer."""
    o = fair_opening(w)
    same, other = add(w, o, 1, gender="Woman"), add(w, o, 2, gender="Man")  # in September

    def stored(cid):
        (row,) = stored_rows(
            w,
            "SELECT answer, recorded_at FROM candidate_demographics"
            " WHERE candidate_id = ? AND category = 'gender'",
            cid,
        )
        at = row[1] if isinstance(row[1], datetime) else datetime.fromisoformat(row[1])
        return row[0], at

    tokens = {cid: stored(cid)[0] for cid in (same, other)}
    said = [
        demographics.record(w.store, w.coordinator, cid, {"gender": "Woman"}, now=OCT)
        for cid in (same, other)
    ]
    assert said == [["gender"], ["gender"]]
    entries = rows(
        w, "SELECT detail FROM audit_log WHERE action = 'record_demographics' ORDER BY id"
    )[-2:]
    assert [json.loads(d) for (d,) in entries] == [{"categories": ["gender"]}] * 2
    for cid in (same, other):
        token, at = stored(cid)
        assert token != tokens[cid] and at == OCT


@pytest.mark.parametrize(
    "answers, field",
    [
        ({"religion": "Any"}, "answers.religion: not a configured category"),
        ({"Bad <b>": "Woman"}, "answers: not a configured category"),
        ({"gender": "Female"}, "answers.gender: not one of its answers"),
        ({"gender": "<script>alert(1)</script>"}, "answers.gender: not one of its answers"),
        ({"gender": "**Woman**"}, "answers.gender: not one of its answers"),
        ({"gender": '=HYPERLINK("http://x")'}, "answers.gender: not one of its answers"),
        ({"gender": "Wo\u202eman"}, "answers.gender: not one of its answers"),
        ({"gender": "W" * 100_000}, "answers.gender: not one of its answers"),
        ({"gender": 5}, "answers.gender: not one of its answers"),
        ({"gender": "", "pet": None}, "answers: no answer given"),
        (["gender", "Woman"], "answers: a category -> answer mapping"),
    ],
)
def test_hostile_or_unknown_answers_are_refused_and_nothing_is_written(w, answers, field):
    o = fair_opening(w)
    cid = add(w, o, 1)
    entries = audit_count(w)
    with pytest.raises(InvalidInput) as problem:
        # a valid answer beside the wrong one is not written either
        given = (
            {"pet": "Otter", **answers}
            if isinstance(answers, dict) and len(answers) == 1
            else answers
        )
        demographics.record(w.store, w.coordinator, cid, given)
    assert str(problem.value).startswith(field)
    assert "<script>" not in str(problem.value) and "HYPERLINK" not in str(problem.value)
    assert rows(w, "SELECT count(*) FROM candidate_demographics") == [(0,)]
    assert audit_count(w) == entries


def test_only_a_coordinator_records_answers(w):
    o = fair_opening(w)
    cid = add(w, o, 1)
    for who in (w.manager, w.ana, w.member):
        with pytest.raises(NotAllowed, match="Only a coordinator records"):
            demographics.record(w.store, who, cid, {"gender": "Woman"})
    with pytest.raises(NotFound):
        demographics.record(w.store, w.coordinator, 999_999, {"gender": "Woman"})
    assert rows(w, "SELECT count(*) FROM candidate_demographics") == [(0,)]


# ----------------------------------------------------------------------------- the source


@pytest.mark.parametrize(
    "text, category",
    [
        ("", ""),
        ("  ", ""),
        ("Referral", "referral"),
        ("Employee referral (Sam)", "referral"),
        ("Referred by a friend", "referral"),
        ("Acme Recruitment Agency", "agency"),
        ("headhunter", "agency"),
        ("Applied", "applied"),
        ("Applied via website", "applied"),
        ("careers", "applied"),
        ("Careers page", "applied"),
        ("LinkedIn", "applied"),
        ("Job board", "applied"),
        ("Company website", "applied"),
        ("Referral: Grace Hopper", "referral"),
        ("Recruiter (Acme)", "agency"),
        ("conference", "other"),
        ("@ads", "other"),
    ],
)
def test_a_source_is_read_as_one_of_four(text, category):
    assert demographics.source_category(text) == category


def test_set_source_is_for_whoever_manages_the_opening_and_audited(w):
    o = fair_opening(w)
    cid = add(w, o, 1)
    assert demographics.set_source(w.store, w.coordinator, cid, "Referral") == "referral"
    assert rows(w, "SELECT source FROM candidates WHERE id = ?", cid) == [("referral",)]
    detail = rows(w, "SELECT detail FROM audit_log WHERE action = 'set_source'")[-1][0]
    assert json.loads(detail) == {}  # that it was set, not to what: the log outlives erasure
    with pytest.raises(InvalidInput, match="source: one of referral, agency, applied, other"):
        demographics.set_source(w.store, w.coordinator, cid, "a friend of the CEO")
    with pytest.raises(NotAllowed):
        demographics.set_source(w.store, w.ana, cid, "agency")
    assert rows(w, "SELECT source FROM candidates WHERE id = ?", cid) == [("referral",)]


def test_after_an_erasure_no_audit_entry_holds_their_source(w):
    """Erasure removes the source: the audit log, which outlives it, never held it."""
    erasure = pytest.importorskip("scoring.erasure")
    o = fair_opening(w)
    cid = add(w, o, 1)
    demographics.set_source(w.store, w.coordinator, cid, "agency", now=SEP)
    schedule_changes.withdraw_candidate(w.store, w.coordinator, cid, "gone", now=TODAY)
    erasure.erase(w.store, w.coordinator, cid, "their request by email", now=TODAY)
    assert rows(w, "SELECT source FROM candidates WHERE id = ?", cid) == [("",)]
    details = stored_rows(
        w, "SELECT action, detail FROM audit_log WHERE subject = ?", f"candidate:{cid}"
    )
    assert "set_source" in {a for a, _ in details}
    assert not any("agency" in (d or "") for _, d in details)


# ----------------------------------------------------------------------------- erasure


def snapshot(w, opening_id: int) -> list:
    """The figures at three cutoffs: last month's, this month's and next month's."""
    return [
        adverse_impact(w.store, w.coordinator, [opening_id], now=now).to_json()
        for now in (OCT + timedelta(days=20), TODAY, DECEMBER)
    ]


def history(w) -> tuple[int, dict]:
    """Candidates decided in September and October at the take-home and the loop, one rejected
    in September and advanced in October, a correction and a decision this month, sources."""
    o = fair_opening(w)
    c = {
        "women": group(w, o, 3, 3, 0, SEP, gender="Woman", pet="Otter"),
        "men": group(w, o, 4, 3, 100, OCT, gender="Man", pet="Otter"),
    }
    for cid in c["women"] + c["men"][:2]:
        demographics.set_source(w.store, w.coordinator, cid, "referral", now=SEP)
    for cid in c["men"][2:]:
        demographics.set_source(w.store, w.coordinator, cid, "applied", now=SEP)
    loop(w, c["women"][0], True, OCT)
    loop(w, c["women"][1], False, OCT)
    c["revised"] = c["women"][-1]  # rejected in September ...
    decide(w, c["revised"], True, OCT)  # ... advanced in October
    c["corrected"] = c["men"][0]
    demographics.record(w.store, w.coordinator, c["corrected"], {"gender": "Woman"}, now=TODAY)
    c["today"] = add(w, o, 300, gender="Woman", pet="Quokka")
    decide(w, c["today"], False, TODAY)
    c["moved"] = c["men"][1]  # a referral since September, an agency's from today
    demographics.set_source(w.store, w.coordinator, c["moved"], "agency", now=TODAY)
    demographics.set_source(w.store, w.coordinator, c["moved"], "other", now=TODAY)
    return o, c


def test_forget_folds_a_candidate_into_the_tally_and_no_figure_moves(w):
    o, c = history(w)
    before = snapshot(w, o)
    for who in ("revised", "corrected", "today", "moved"):
        with w.store.write() as db:
            demographics.forget(db, c[who])
    with w.store.write() as db:
        demographics.forget(db, c["women"][0])  # decided at the take-home and the loop
        demographics.forget(db, c["women"][0])  # twice: nothing more is counted
    assert snapshot(w, o) == before
    for who in (c["revised"], c["corrected"], c["today"], c["moved"], c["women"][0]):
        assert rows(
            w, "SELECT count(*) FROM candidate_demographics WHERE candidate_id = ?", who
        ) == [(0,)]
        assert rows(w, "SELECT source FROM candidates WHERE id = ?", who) == [("",)]
    revised = rows(
        w,
        "SELECT month, advanced, rejected FROM fairness_tally WHERE category = 'gender'"
        " AND position = 1 AND answer = 'Woman' ORDER BY month",
    )
    # September: the revised rejection (and the other Woman-answer rows); October: moved over
    assert any(month == "2026-10" and adv > 0 and rej < 0 for month, adv, rej in revised)


def test_figures_equal_before_and_after_an_erasure(w):
    erasure = pytest.importorskip("scoring.erasure")
    o, c = history(w)
    before = snapshot(w, o)
    rejected = c["men"][-1]
    schedule_changes.withdraw_candidate(w.store, w.coordinator, c["revised"], "gone", now=TODAY)
    # a withdrawal today changes nothing shown today, and nothing decided: all three the same
    before = snapshot(w, o)
    for cid in (rejected, c["revised"], c["today"]):
        erasure.erase(w.store, w.coordinator, cid, "their request by email", now=TODAY)
    assert snapshot(w, o) == before
    assert rows(
        w, "SELECT count(*) FROM candidate_demographics WHERE candidate_id = ?", rejected
    ) == [(0,)]
    with pytest.raises(InvalidInput, match="erased"):
        demographics.record(w.store, w.coordinator, rejected, {"gender": "Man"})
    with pytest.raises(InvalidInput, match="erased"):
        demographics.set_source(w.store, w.coordinator, rejected, "agency")


def test_the_month_arithmetic_of_the_tally():
    assert demographics.month_of(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == "2026-12"
    assert demographics._after("2026-12") == datetime(2027, 1, 1, tzinfo=UTC)
    assert demographics._after("2026-01") == datetime(2026, 2, 1, tzinfo=UTC)


# ----------------------------------------------------------------------------- a CSV file


def test_a_file_of_answers_is_imported_whole(w):
    from scoring.demographics_csv import import_answers

    o = fair_opening(w)
    a, b, c = (add(w, o, n) for n in range(3))
    text = (
        "\ufeffCandidate,Gender,PET,Source\n"
        f"{a},Woman,Otter,Employee referral\n"
        f"{b},man,,\n"
        ",,,\n"
        f"{c},,,agency\n"
    )
    done = import_answers(w.store, w.coordinator, text, now=SEP)
    assert (done.rows, done.candidates_answered, done.sources_set) == (3, 2, 2)
    answers = "SELECT count(*) FROM candidate_demographics WHERE category <> 'source'"
    assert rows(w, answers) == [(3,)]
    assert rows(
        w, "SELECT id, source FROM candidates WHERE id IN (?, ?, ?) ORDER BY id", a, b, c
    ) == [
        (a, "referral"),
        (b, ""),
        (c, "agency"),
    ]


def test_an_import_counts_what_the_file_submits_never_what_it_changed(w):
    from scoring.demographics_csv import import_answers

    o = fair_opening(w)
    a, b = add(w, o, 1, gender="Woman"), add(w, o, 2, gender="Man")
    text = f"candidate,gender\n{a},Woman\n{b},Woman\n"  # a's answer as stored, b's not
    done = import_answers(w.store, w.coordinator, text, now=OCT)
    assert done.summary() == "2 rows read: answers recorded for 2 candidates, 0 sources set."
    again = import_answers(w.store, w.coordinator, text, now=OCT)  # now neither differs
    assert again.summary() == done.summary()


@pytest.mark.parametrize(
    "body, problem",
    [
        ("candidate,religion\n{a},Any\n", "line 1: column 2 is neither candidate"),
        ("gender\nWoman\n", "line 1: no candidate column"),
        ("candidate,gender,Gender\n{a},Woman,Man\n", "line 1: a column is there twice"),
        ("candidate,gender\n{a},Woman\n{b},<b>Woman</b>\n", "line 3: answers.gender: not one of"),
        ("candidate,gender\n{a},Woman\n{a},Man\n", "line 3: candidate {a} is on line 2 too"),
        ("candidate,gender\n{a},Woman\n999999,Man\n", "line 3: no candidate with id 999999"),
        ("candidate,gender\n=1+1,Woman\n", "line 2: candidate: a candidate's id"),
        ("candidate,gender\n{a},Woman,extra\n", "line 2: 3 cells; the header has 2"),
        ("", "file: empty"),
    ],
)
def test_a_wrong_file_writes_nothing_and_names_the_line(w, body, problem):
    from scoring.demographics_csv import import_answers

    o = fair_opening(w)
    a, b = add(w, o, 1), add(w, o, 2)
    entries = audit_count(w)
    with pytest.raises(InvalidInput) as raised:
        import_answers(w.store, w.coordinator, body.format(a=a, b=b))
    assert str(raised.value).startswith(problem.format(a=a))
    assert "<b>" not in str(raised.value)
    assert rows(w, "SELECT count(*) FROM candidate_demographics") == [(0,)]
    assert audit_count(w) == entries


def test_only_a_coordinator_imports_answers(w):
    from scoring.demographics_csv import import_answers

    o = fair_opening(w)
    a = add(w, o, 1)
    with pytest.raises(NotAllowed):
        import_answers(w.store, w.manager, f"candidate,gender\n{a},Woman\n")
    assert rows(w, "SELECT count(*) FROM candidate_demographics") == [(0,)]


def test_the_import_command(w, tmp_path, monkeypatch):
    """`python -m scoring demographics import` as `scoring.cli_privacy` registers it: signed in
    as a coordinator, it says what it did in counts (never an answer); an unreadable file and
    someone who may not record are refused with exit code 1."""
    import argparse
    import io

    from scoring import cli_fairness, people

    o = fair_opening(w)
    a = add(w, o, 1)
    path = tmp_path / "answers.csv"
    path.write_text(f"candidate,gender\n{a},Non-binary\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for command in cli_fairness.register(commands):
        command.add_argument("--db")

    def run(email: str, file: Path, code: str) -> tuple[int, str, str]:
        argv = ["demographics", "import", "--as", email, "--file", str(file)]
        args = parser.parse_args([*argv, "--db", w.store.location])
        out, err = io.StringIO(), io.StringIO()
        done = cli_fairness.dispatch(args, out, err, lambda command, err: code)
        return done, out.getvalue(), err.getvalue()

    code = people.issue_code(w.store, w.coordinator, w.coordinator.id)
    assert run("cora@example.com", path, code) == (
        0,
        "1 rows read: answers recorded for 1 candidates, 0 sources set.\n",
        "",
    )
    assert rows(w, "SELECT count(*) FROM candidate_demographics WHERE candidate_id = ?", a) == [
        (1,)
    ]
    done, _, said = run("cora@example.com", tmp_path / "none.csv", code)
    assert done == 1 and "cannot be read" in said
    maria = people.issue_code(w.store, w.coordinator, w.manager.id)
    done, _, said = run("maria@example.com", path, maria)
    assert done == 1 and "Only a coordinator records" in said
    assert "Non-binary" not in said
    assert cli_fairness.dispatch(argparse.Namespace(command="erase"), None, None, None) is None
