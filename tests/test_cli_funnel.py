"""`python -m scoring funnel --as EMAIL --opening ID --format json|csv`: the opening's funnel as
one JSON document or a CSV row per stage, every stage adding up; the same refusal as in the app
for someone who may not see it, with nothing on stdout."""

from __future__ import annotations

import csv
import io
import json

from scoring import people
from scoring.insights.funnel import funnel
from tests.funnel_moves import T0, screen, whole_funnel, withdraw
from tests.funnel_moves import add as add_candidate
from tests.world import build


def funnel_world(tmp_path):
    w = build(tmp_path / "cli.sqlite")
    opening_id = whole_funnel(w)
    ids = [add_candidate(w, opening_id, n) for n in range(4)]
    screen(w, ids[0], True, T0)
    screen(w, ids[1], False, T0)
    withdraw(w, ids[2], T0)
    return w, opening_id


def as_(w, monkeypatch, who: str, *args):
    person = w.person(who)
    monkeypatch.setenv("DEBRIEF_CODE", people.issue_code(w.store, w.coordinator, person.id))
    return ("funnel", "--db", w.store.location, "--as", person.email, *map(str, args))


def test_json_is_one_document_whose_stages_add_up(tmp_path, cli, monkeypatch):
    w, opening_id = funnel_world(tmp_path)
    result = cli(*as_(w, monkeypatch, "manager", "--opening", opening_id, "--format", "json"))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["opening"] == {
        "id": opening_id,
        "title": "Funnel opening",
        "role": "Data scientist",
        "level": "",
    }
    assert document["candidates"] == 4 and document["consistent"] is True
    stages = document["stages"]
    assert [s["kind"] for s in stages] == ["screen", "take_home", "loop", "offer"]
    for s in stages:
        assert s["entered"] == s["advanced"] + s["rejected"] + s["withdrawn"] + s["pending"]
        assert set(s["pass_through"]) == {"k", "n", "rate", "low", "high", "note"}
        assert set(s["days_in_stage"]) == {"n", "median", "p90"}
    first = stages[0]
    assert [first[k] for k in ("entered", "advanced", "rejected", "withdrawn", "pending")] == [
        4,
        1,
        1,
        1,
        1,
    ]
    assert first["spot_checks"] == {
        "k": 0,
        "n": 0,
        "rate": None,
        "low": None,
        "high": None,
        "note": "No rejection here has been spot-checked yet.",
    }
    # the same figures as the service gives (the moment aside)
    app = funnel(w.store, w.manager, opening_id).to_json()
    assert {**document, "as_of": None} == {**json.loads(json.dumps(app)), "as_of": None}


def test_csv_is_a_row_per_stage_for_the_coordinator(tmp_path, cli, monkeypatch):
    w, opening_id = funnel_world(tmp_path)
    result = cli(*as_(w, monkeypatch, "coordinator", "--opening", opening_id, "--format", "csv"))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["title"] for r in rows] == [
        "Resume screen",
        "Take-home assignment review",
        "On-site loop",
        "Offer",
    ]
    assert [r["entered"] for r in rows] == ["4", "1", "0", "0"]
    assert result.stdout.startswith("position,kind,title,entered,advanced,rejected,withdrawn")


def test_whoever_may_not_see_the_funnel_is_refused_with_nothing_out(tmp_path, cli, monkeypatch):
    w, opening_id = funnel_world(tmp_path)
    for who in ("ana", "member"):
        refused = cli(*as_(w, monkeypatch, who, "--opening", opening_id, "--format", "json"))
        assert refused.returncode == 1 and not refused.stdout
        assert refused.stderr.startswith("funnel: The funnel is for the coordinator")
    missing = cli(*as_(w, monkeypatch, "manager", "--opening", 999, "--format", "csv"))
    assert missing.returncode == 1 and "999" in missing.stderr and not missing.stdout


def test_a_wrong_call_exits_2(tmp_path, cli, monkeypatch):
    w, opening_id = funnel_world(tmp_path)
    bad = cli(*as_(w, monkeypatch, "manager", "--opening", opening_id, "--format", "pdf"))
    assert bad.returncode == 2 and not bad.stdout
    monkeypatch.delenv("DEBRIEF_CODE")
    no_code = cli("funnel", "--db", w.store.location, "--as", w.manager.email, "--opening", 1)
    assert no_code.returncode == 2
