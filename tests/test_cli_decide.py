"""`python -m scoring decide`: JSON in, JSON out; bad input exits 2 with one line on stderr."""

import json

import pytest

CASE = {
    "scale": {"min": 0, "max": 5},
    "strategy": {"kind": "vote", "veto": True},
    "scorecards": [
        {"interviewer": "ana", "overall": 0},
        {"interviewer": "bo", "overall": 4},
        {"interviewer": "cy", "overall": 5},
    ],
}


def test_decide_reads_a_file_and_prints_the_decision(tmp_path, cli):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    result = cli("decide", path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["outcome"] == "no_hire"
    assert out["flags"] == ["split", "veto"]
    assert "Vetoed by ana (0 of 5)." in out["reasons"]
    assert result.stderr == ""


def test_decide_reads_standard_input_with_a_dash(cli):
    case = {**CASE, "strategy": {"kind": "vote", "force_extremes": True}}
    result = cli("decide", "-", stdin=json.dumps(case))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["forced"] is True
    assert [p["effective"] for p in out["positions"]] == [0, 4, 5]  # a weak yes stays
    assert out["outcome"] == "hire"
    # input without the new fields gets the new defaults, and the output states them
    assert out["parameters"]["bar_mode"] == "advisory"
    assert out["parameters"]["force_map"] == {"0": 0, "1": 0, "2": 0, "3": 3, "4": 4, "5": 5}
    assert out["contracts"]["forcing"]["preset"] == "weak_no_to_min"


def test_a_force_map_with_string_keys_is_read_as_points(cli):
    every = {"0": 0, "1": 0, "2": 0, "3": 5, "4": 5, "5": 5}
    case = {**CASE, "strategy": {"kind": "vote", "force_extremes": True, "force_map": every}}
    result = cli("decide", "-", stdin=json.dumps(case))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [p["effective"] for p in out["positions"]] == [0, 5, 5]
    assert out["contracts"]["forcing"]["preset"] == "all_extremes"


@pytest.mark.parametrize(
    "text, field",
    [
        ('{"strategy": {"kind": "vote"', "malformed JSON"),
        ('{"strategy": {"kind": "poll"}}', "strategy.kind"),
        ('{"scale": {"min": 3, "max": 3}, "strategy": {"kind": "vote"}}', "scale"),
        (
            '{"strategy": {"kind": "vote"}, "scorecards": [{"interviewer": "a", "overall": 9}]}',
            "scorecards[0].overall",
        ),
        (
            '{"strategy": {"kind": "vote"}, "scorecards": ['
            '{"interviewer": "a", "overall": 1}, {"interviewer": "a", "overall": 2}]}',
            "scorecards[1].interviewer",
        ),
        (
            '{"strategy": {"kind": "vote"}, "scorecards": [{"interviewer": "a", "overall": 1,'
            ' "criteria": [{"id": "x", "score": 1, "min": 1, "max": 4, "weight": -1}]}]}',
            "scorecards[0].criteria[0].weight",
        ),
        (
            '{"strategy": {"kind": "vote", "force_map": {"2": 5}}}',
            "strategy.force_map.2: 2 is a no and may not be forced to a yes (5)",
        ),
        ('{"strategy": {"kind": "vote", "force_map": {"x": 0}}}', "strategy.force_map.x:"),
        ('{"strategy": {"kind": "committee", "bar_mode": "strict"}}', "strategy.bar_mode"),
        (
            '{"strategy": {"kind": "manager"}, "manager_decision": {"decision": "hire",'
            ' "by": "m", "rationale": "", "accepts_responsibility": true}}',
            "manager_decision.rationale",
        ),
    ],
)
def test_invalid_input_exits_2_with_one_line_naming_the_field(cli, text, field):
    result = cli("decide", "-", stdin=text)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert field in lines[0]


def test_missing_file_exits_2(cli, tmp_path):
    result = cli("decide", tmp_path / "nope.json")
    assert (result.returncode, result.stdout) == (2, "")
    assert "nope.json" in result.stderr


def test_decide_help_states_the_defaults_of_the_contracts(capsys):
    from scoring.cli import main

    with pytest.raises(SystemExit):
        main(["decide", "--help"])
    words = " ".join(capsys.readouterr().out.split())
    assert "without force_map forces by the book's default" in words
    assert "without bar_mode a committee's bar is advisory" in words


def test_python_dash_m_scoring_runs_as_a_process(cli_process):
    """The one test that starts `python -m scoring` for real (the others call it in-process):
    the entry point, its exit code and its standard streams."""
    result = cli_process("decide", "-", stdin=json.dumps(CASE))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "no_hire"
    wrong = cli_process("decide", "-", stdin="{")
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert "malformed JSON" in wrong.stderr
