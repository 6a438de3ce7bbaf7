"""The coordinator's privacy panel under a candidate's record (issue 28), through AppTest: the
download of everything held, erasure behind a typed confirmation, the legal hold shown and
placed or lifted, and self-identified answers written and never shown back; nothing at all for
anyone who is not a coordinator. Labels short enough for a 390 px wide phone."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from scoring import people, schedule_changes
from scoring.permission_facts import OWN_FIRST
from world import DAY, ROOT, build, dump, page_as, raw_sql, submit

# What a 390 px wide screen shows of a button or a field's label on one line.
NARROW = 32
ERASE = "FormSubmitter:erase_{cid}-Erase for good"
HOLD = "FormSubmitter:hold_{cid}-{label}"


def section(location: str, person_id: int, candidate_id: int) -> None:
    from scoring.people import get_person
    from scoring.store import Store
    from ui.candidate_privacy import show

    store = Store(location)
    show(store, get_person(store, person_id), candidate_id)


def panel(w, who: str, monkeypatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    args = (w.store.location, w.person(who).id, w.candidate_id)
    at = AppTest.from_function(section, args=args, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at) -> str:
    kinds = ("subheader", "markdown", "caption", "info", "warning", "error", "success")
    return "\n".join(str(getattr(e, "value", "")) for k in kinds for e in getattr(at, k))


def test_a_coordinator_gets_the_panel_and_nobody_else_sees_anything(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    at = panel(w, "coordinator", monkeypatch)
    assert [e.label for e in at.expander] == ["Privacy"]
    assert [b.label for b in at.download_button] == ["Download everything held (JSON)"]
    assert [s.value for s in at.subheader] == [
        "Erase this candidate…",
        "Legal hold",
        "Self-identified answers",
    ]
    assert [t.label for t in at.toggle] == ["Record their answers"]
    assert "No hold" in shown(at)
    labels = [b.label for b in at.button] + [i.label for i in at.text_input]
    labels += [b.label for b in at.download_button] + [t.label for t in at.toggle]
    assert labels and all(len(label) <= NARROW for label in labels), labels
    for who in ("ana", "manager", "member", "outsider"):
        at = panel(w, who, monkeypatch)
        assert not at.main.children, who


def test_a_coordinator_with_a_scorecard_to_write_is_told_why_there_is_no_download(
    tmp_path, monkeypatch
):
    w = build(tmp_path / "w.sqlite")
    submit(w, "ana", 4)
    people.update_person(w.store, w.coordinator, w.cy.id, roles=["interviewer", "coordinator"])
    at = panel(w, "cy", monkeypatch)
    assert not at.download_button
    assert OWN_FIRST in [i.value for i in at.info]
    assert "Erase this candidate…" in [s.value for s in at.subheader]  # the rest is theirs


def test_erasing_asks_for_the_typed_word_and_writes_nothing_without_it(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    at = panel(w, "coordinator", monkeypatch)
    cid = w.candidate_id
    before = dump(w.store)
    at.text_input(key=f"erase_{cid}_reason").input("She asked by email")
    at.text_input(key=f"erase_{cid}_confirm").input("erase")
    at.button(key=ERASE.format(cid=cid)).click()
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Type ERASE to erase them"]
    assert dump(w.store) == before


def test_erasing_with_the_word_erases_and_says_what_was_done(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    at = panel(w, "coordinator", monkeypatch)
    cid = w.candidate_id
    at.text_input(key=f"erase_{cid}_reason").input("She asked by email")
    at.text_input(key=f"erase_{cid}_confirm").input("ERASE")
    at.button(key=ERASE.format(cid=cid)).click()
    at.run()
    # still in process: the refusal under the form, and nothing erased
    (refusal,) = at.error
    assert "withdraw" in refusal.value.lower()
    schedule_changes.withdraw_candidate(w.store, w.coordinator, cid, "took another offer")
    at = panel(w, "coordinator", monkeypatch)
    cid = w.candidate_id
    at.text_input(key=f"erase_{cid}_reason").input("She asked by email")
    at.text_input(key=f"erase_{cid}_confirm").input("ERASE")
    at.button(key=ERASE.format(cid=cid)).click()
    at.run()
    assert not at.exception, at.exception
    assert any(i.value.startswith("Erased ") for i in at.info)
    assert at.success  # the erasure's summary
    assert not [s for s in at.subheader if s.value == "Erase this candidate…"]
    with w.store.read() as db:
        (name,) = db.execute("SELECT name FROM candidates WHERE id = ?", [cid]).fetchone()
    assert name == f"Erased candidate #{cid}"


def test_a_hold_in_force_is_shown_as_typed_with_the_button_to_lift_it(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    raw_sql(
        w,
        "INSERT INTO legal_holds (candidate_id, held, by_id, at, reason) VALUES (?, 1, ?, ?, ?)",
        w.candidate_id,
        w.coordinator.id,
        DAY.isoformat(),
        "**Claim** <b>2026/117</b>",
    )
    at = panel(w, "coordinator", monkeypatch)
    (warning,) = at.warning
    assert warning.value.startswith("On hold: retention keeps them and they cannot be erased.")
    assert "\\*\\*Claim\\*\\*" in warning.value and "<b>" not in warning.value.replace("\\<", "")
    assert at.button(key=HOLD.format(cid=w.candidate_id, label="Lift the hold"))


def test_a_hold_is_placed_then_lifted_from_the_panel(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    cid = w.candidate_id
    at = panel(w, "coordinator", monkeypatch)
    at.text_input(key=f"hold_{cid}_reason").input("Tribunal claim 2026/117")
    at.button(key=HOLD.format(cid=cid, label="Place a hold")).click()
    at.run()
    assert not at.exception, at.exception
    assert "Tribunal claim 2026/117" in at.warning[0].value
    assert "Hold placed." in [s.value for s in at.success]
    at.text_input(key=f"hold_{cid}_reason").input("Claim withdrawn")
    at.button(key=HOLD.format(cid=cid, label="Lift the hold")).click()
    at.run()
    assert not at.warning and "Hold lifted." in [s.value for s in at.success]


def test_answers_are_recorded_and_never_shown_back(tmp_path, monkeypatch):
    from scoring import demographics

    w = build(tmp_path / "w.sqlite")
    cid = w.candidate_id
    at = panel(w, "coordinator", monkeypatch)
    assert not at.selectbox  # closed until asked for
    at.toggle(key=f"demographics_{cid}_0_open").set_value(True).run()
    categories = demographics.categories()
    assert [s.label for s in at.selectbox] == [c.capitalize() for c in categories]
    chosen = []
    for box, answers in zip(at.selectbox, categories.values(), strict=True):
        box.select(answers[-1])
        chosen.append(answers[-1])
    at.button(key=f"FormSubmitter:demographics_{cid}_0-Save answers").click()
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Recorded"]
    assert not at.selectbox and not at.toggle[0].value
    text = shown(at)
    for answer in chosen:
        assert answer not in text


@pytest.mark.slow  # the Candidates page through app.py (~4 s)
def test_the_candidates_page_shows_the_panel_under_the_followed_candidate(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    at = page_as(w, "coordinator", "pages/candidates.py", monkeypatch)
    assert not at.expander or "Privacy" not in [e.label for e in at.expander]
    at.selectbox(key=f"candidate_record_{w.opening_id}").select_index(0).run()
    assert not at.exception, at.exception
    assert "Privacy" in [e.label for e in at.expander]
    assert [b.label for b in at.download_button] == ["Download everything held (JSON)"]
