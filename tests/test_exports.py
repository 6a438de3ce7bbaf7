"""Decision summaries and bulk exports: every part present in every format, access rules as on
the pages, formula injection made inert, CSV that round-trips, no names on anonymised openings."""

import html
import io
import json
import re
from datetime import timedelta

import pandas as pd
import pytest
from pypdf import PdfReader

from scoring import debrief, exports, openings, people, scorecards
from scoring.demo import build_demo
from scoring.errors import NotAllowed
from scoring.rubric import load_catalog
from scoring.store import Store
from scoring.text import plain_markdown
from world import DAY, ROOT, build, full_scores, submit

# every export of the demo with its year (built once, 5 s, then 1-5 s a format): the full
# suite, not the fast loop
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("exports") / "demo.sqlite")
    logins = {x.name: x for x in build_demo(store, load_catalog(ROOT / "rubrics"))}

    def person(name):
        return people.sign_in(store, logins[name].email, logins[name].code)

    return store, person


def decided(store, manager, wanted):
    opening = next(
        o for o in openings.list_openings(store, manager) if o.hiring_manager_id == manager.id
    )
    for row in exports.decision_rows(store, manager, opening.id):
        if row["decision"] and wanted(debrief.debrief(store, manager, row["candidate_id"])):
            return row["candidate_id"]
    raise AssertionError("no such demo candidate")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow  # over 3 s (a demo built, or every scene): the full suite
def test_every_part_is_in_the_html_and_the_pdf(demo):
    store, person = demo
    manager = person("Sofia Marquez")  # committee opening: votes, a bar, revisions
    candidate_id = decided(
        store, manager, lambda v: v.votes and any(c.revision > 1 for c in v.scorecards)
    )
    summary = exports.summary(store, manager, candidate_id)
    html_text = exports.render(summary, "html").decode()
    pdf = exports.render(summary, "pdf")
    assert html_text.count("<svg") >= 2  # the charts, embedded
    assert list(summary.charts)[:2] == ["Overall recommendations", "Scores by session (raw)"]
    assert len([p for p in PdfReader(io.BytesIO(pdf)).pages if p.images]) >= 1
    plain = re.sub(r"<svg.*?</svg>", " ", html_text, flags=re.S)
    texts = {
        "html": flat(html.unescape(re.sub(r"<[^>]+>", " ", plain))),
        "pdf": pdf_text(pdf),
    }
    expected = [
        summary.candidate,
        summary.opening,
        summary.loop,
        summary.interview_date,
        "Decision strategy: Cross-company committee by a simple majority; 2 committee votes"
        " needed; a weighted score below 0.50 is flagged; the committee's votes decide",
        f"Outcome on raw scores: {summary.outcome_raw}",
        f"forced (a weak no becomes the lowest score): {summary.outcome_forced}",
        summary.standing,
        *[f"raw scores: {w['raw']}; forced: {w['forced']}" for w in summary.what_if],
        *[meaning for _, meaning in summary.flags],
        *summary.reasons,
        *[d["by"] for d in summary.decisions],
        *[d["rationale"] for d in summary.decisions if d["rationale"]],
        *[f"Committee vote: {v['member']}: {v['vote']}" for v in summary.votes],
    ]
    for card in summary.scorecards:
        expected += [card.interviewer, card.session, card.rubric, card.overall, card.submitted]
        expected += [card.feedback[:60]]
        for line in card.criteria:
            expected += [line.name, line.score]
            if line.anchor:
                expected.append(line.anchor[:50])
            if line.evidence:
                expected.append(line.evidence[:50])
        for revision in card.revisions[1:]:
            expected.append(revision.reason[:40])
    assert any("after seeing others' scores" in m for c in summary.scorecards for m in c.marks)
    expected.append("after seeing others' scores")
    for fmt, text in texts.items():
        missing = [e for e in expected if flat(e) not in text]
        assert not missing, f"{fmt} lacks {missing[:5]}"


def test_markdown_and_json_carry_the_same_content(demo):
    store, person = demo
    manager = person("Daniel Okafor")
    candidate_id = decided(store, manager, lambda v: True)
    summary = exports.summary(store, manager, candidate_id)
    markdown = exports.render(summary, "md").decode()
    data = json.loads(exports.render(summary, "json"))
    assert data["candidate"] == summary.candidate and data["decisions"]
    assert "accepts responsibility" in markdown  # manager strategy
    for card in summary.scorecards:
        assert plain_markdown(card.rubric) in markdown
        assert plain_markdown(card.feedback.splitlines()[0]) in markdown


def test_export_by_someone_not_entitled_fails(demo, tmp_path, cli):
    store, person = demo
    manager = person("Daniel Okafor")
    candidate_id = decided(store, manager, lambda v: True)
    opening_id = openings.get_candidate(store, manager, candidate_id).opening_id
    for name in ("Priya Raman", "Rahul Mehta", "Grace Adeyemi", "Mei-Lin Chen"):
        with pytest.raises(NotAllowed):
            exports.summary(store, person(name), candidate_id)
    with pytest.raises(NotAllowed):  # the coordinator: decisions yes, scores no
        exports.scorecard_rows(store, person("Priya Raman"), opening_id)
    coordinator_rows = exports.decision_rows(store, person("Priya Raman"), opening_id)
    assert any(r["decision"] for r in coordinator_rows)
    for row in coordinator_rows:  # decisions, but nothing derived from the scores
        assert row["panel_at_opening"] == row["outcome_at_opening"] == row["strategy_said"] == ""
    manager_rows = exports.decision_rows(store, manager, opening_id)
    assert any(r["panel_at_opening"] for r in manager_rows)
    with pytest.raises(NotAllowed):
        exports.decision_rows(store, person("Rahul Mehta"), opening_id)


def test_formula_injection_is_inert_and_csv_round_trips(tmp_path):
    w = build(tmp_path / "inject.sqlite", strategy={"kind": "vote"})
    evil = openings.add_candidate(w.store, w.coordinator, w.opening_id, '=HYPERLINK("http://x")')
    for position, who in ((1, w.ana), (2, w.bo)):
        session = openings.schedule_session(
            w.store,
            w.coordinator,
            evil,
            position,
            DAY + timedelta(days=1, hours=position),
            [who.id],
        )
        with w.store.read() as db:
            seat = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session]
            ).fetchone()[0]
        criteria = full_scores(w.store, seat)
        first = next(iter(criteria))
        criteria[first]["evidence"] = "@SUM(A1:A9)"
        scorecards.submit(
            w.store,
            who,
            seat,
            overall=4,
            feedback="+1 strong; -2 weak\tthen =cmd|' /C calc'!A0",
            criteria=criteria,
            now=DAY + timedelta(days=1, hours=6),
        )
    debrief.open_debrief(w.store, w.manager, evil)
    debrief.record_decision(w.store, w.manager, evil, "hire")
    decisions_csv = exports.to_csv(exports.decision_rows(w.store, w.manager, w.opening_id))
    scores_csv = exports.to_csv(exports.scorecard_rows(w.store, w.manager, w.opening_id))
    for text in (decisions_csv, scores_csv):
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        for value in frame.to_numpy().ravel():
            assert not str(value).startswith(exports.FORMULA_STARTS), value
    frame = pd.read_csv(io.StringIO(scores_csv), dtype=str, keep_default_na=False)
    rows = exports.scorecard_rows(w.store, w.manager, w.opening_id)
    assert len(frame) == len(rows) and list(frame.columns) == list(rows[0])
    assert frame["feedback"].iloc[0] == "'+1 strong; -2 weak\tthen =cmd|' /C calc'!A0"
    assert "'@SUM(A1:A9)" in set(frame["evidence"])
    assert '\'=HYPERLINK("http://x")' in set(
        pd.read_csv(io.StringIO(decisions_csv), dtype=str)["candidate"]
    )
    # same rows as JSON
    assert len(json.loads(exports.to_json(rows))) == len(rows)


def test_anonymised_opening_exports_carry_no_name(tmp_path):
    w = build(
        tmp_path / "anon.sqlite",
        strategy={"kind": "committee", "quorum": 1},
        anonymise=True,
        manager_interviews=True,
    )
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1), ("manager", 4)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.cast_vote(w.store, w.member, w.candidate_id, "hire", "fine")
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire")
    for exporter in (w.manager, w.member):  # the manager interviewed: alias for them too
        summary = exports.summary(w.store, exporter, w.candidate_id)
        assert summary.anonymised
        for fmt in ("md", "html", "json", "pdf"):
            data = exports.render(summary, fmt)
            text = pdf_text(data) if fmt == "pdf" else data.decode()
            assert "Grace" not in text and "grace@example.com" not in text, fmt
            assert summary.candidate.startswith("Candidate ") and summary.candidate in text
        for rows in (
            exports.decision_rows(w.store, exporter, w.opening_id),
            exports.scorecard_rows(w.store, exporter, w.opening_id),
        ):
            assert "Grace" not in exports.to_csv(rows)


def test_cli_exports_every_format_and_refuses_the_wrong_person(tmp_path, cli, monkeypatch):
    w = build(tmp_path / "cli.sqlite")
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.record_decision(w.store, w.manager, w.candidate_id, "hire", "Strong", True)
    code = people.issue_code(w.store, w.coordinator, w.manager.id)
    monkeypatch.setenv("DEBRIEF_CODE", code)
    base = ("export", "--db", w.store.location, "--as", "maria@example.com")
    for fmt in ("md", "html", "pdf", "json"):
        out = tmp_path / f"summary.{fmt}"
        result = cli(*base, "--candidate", w.candidate_id, "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
        assert "Grace Hopper" in (pdf_text(out.read_bytes()) if fmt == "pdf" else out.read_text())
    result = cli(*base, "--opening", w.opening_id, "--what", "scorecards", "--format", "csv")
    assert result.returncode == 0 and "criterion_id" in result.stdout
    coordinator_code = people.issue_code(w.store, w.coordinator, w.coordinator.id)
    monkeypatch.setenv("DEBRIEF_CODE", coordinator_code)
    refused = cli(
        "export",
        "--db",
        w.store.location,
        "--as",
        "cora@example.com",
        "--candidate",
        w.candidate_id,
        "--format",
        "md",
    )
    assert refused.returncode == 1 and refused.stdout == ""
    assert "export:" in refused.stderr


def test_html_summary_has_one_main_landmark_holding_every_heading(demo):
    """axe's `landmark-one-main` and `region`: all content sits in landmarks, headings in
    <main>; each chart is a labelled figure."""
    store, person = demo
    manager = person("Daniel Okafor")
    summary = exports.summary(store, manager, decided(store, manager, lambda v: True))
    page = exports.render(summary, "html").decode()
    body = page.split("<body>", 1)[1].strip()
    assert page.count("<main>") == 1 and body.startswith("<main>")
    main = body.split("<main>", 1)[1].split("</main>", 1)[0]
    outside = body.split("</main>", 1)[1].strip()
    assert re.findall(r"<h[1-6]", main) and not re.findall(r"<h[1-6]", outside)
    assert re.fullmatch(r"<footer>.*</footer></body></html>", outside, flags=re.S)
    titles = re.findall(r"<figure role='group' aria-label='([^']+)'>", main)
    assert titles == [html.escape(t, quote=True) for t in summary.charts]


def test_a_summary_lists_only_the_strategies_that_can_apply(demo):
    """The Data scientist opening (hiring manager decides) has no committee: no committee line."""
    store, person = demo
    manager = person("Daniel Okafor")
    summary = exports.summary(store, manager, decided(store, manager, lambda v: True))
    assert [w["strategy"] for w in summary.what_if] == ["manager", "vote"]
    assert "committee" not in exports.render(summary, "md").decode().lower()


@pytest.mark.slow  # two whole PDFs with their charts: the full suite's, not the fast loop's
def test_the_pdf_embeds_the_cjk_font_only_for_a_name_that_needs_it(demo):
    """Most names are written in DejaVu alone (a small file, made quickly); a name DejaVu lacks
    brings in the fallback font, and is written, not dropped."""
    import dataclasses

    store, person = demo
    manager = person("Sofia Marquez")
    summary = exports.summary(store, manager, decided(store, manager, lambda v: True))
    latin = exports.render(summary, "pdf")
    chinese = exports.render(dataclasses.replace(summary, candidate="王小明"), "pdf")
    assert b"DroidSansFallback" not in latin and b"DroidSansFallback" in chinese
    assert len(latin) < len(chinese)
    assert "王小明" in pdf_text(chinese)


def test_exports_say_the_strategy_and_the_rubric_in_words(demo):
    """A reader of a summary sees "Hiring manager decides" and the rubric's title and version,
    never "strategy manager, quorum 0" or "stakeholders v1"; the decisions CSV says "Hire"."""
    store, person = demo
    manager = person("Daniel Okafor")  # the Data scientist opening: hiring manager decides
    summary = exports.summary(store, manager, decided(store, manager, lambda v: True))
    assert summary.strategy == "manager"  # the JSON keeps the strategy's key
    texts = {
        "md": exports.render(summary, "md").decode(),
        "html": html.unescape(exports.render(summary, "html").decode()),
        "pdf": pdf_text(exports.render(summary, "pdf")),
    }
    titles = {card.rubric for card in summary.scorecards}
    assert titles and all(re.fullmatch(r".+, version \d+", t) for t in titles), titles
    internal = re.compile(r"quorum|strategy manager|\bv\d\b|awaiting_|no_hire|hiring_manager")
    for fmt, text in texts.items():
        assert "Decision strategy: Hiring manager decides" in flat(text), fmt
        assert "Democratic vote: raw scores:" in flat(text), fmt
        for title in titles:
            assert flat(plain_markdown(title) if fmt == "md" else title) in flat(text), fmt
        assert not internal.search(text), (fmt, internal.search(text))
    opening_id = openings.get_candidate(store, manager, summary_id(store, manager)).opening_id
    rows = exports.decision_rows(store, manager, opening_id)
    frame = pd.read_csv(io.StringIO(exports.to_csv(rows)), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(rows[0])  # the field names stay as they were
    assert "decision" in frame.columns and "strategy_said" in frame.columns
    assert set(frame["strategy"]) == {"Hiring manager decides"}
    assert set(frame["decision"]) - {""} <= {"Hire", "No hire"}
    assert set(frame["decision"]) & {"Hire", "No hire"}
    assert all(t.endswith(" UTC") for t in frame["decided_at"] if t)
    words = set(frame["outcome_at_opening"]) | set(frame["strategy_said"])
    assert not {w for w in words if "_" in w}, words


def summary_id(store, manager):
    return decided(store, manager, lambda v: True)


@pytest.mark.parametrize(
    "strategy, words",
    [
        ({"kind": "manager"}, "Hiring manager decides"),
        (
            {"kind": "manager", "quorum": 3},
            "Hiring manager decides; at least 3 scorecards to decide",
        ),
        (
            {"kind": "vote", "veto": True, "greenlight": True, "quorum": 1},
            "Democratic vote by a simple majority, with a veto and a greenlight;"
            " at least 1 scorecard to decide",
        ),
        (
            {"kind": "vote", "rule": "supermajority", "force_extremes": True},
            "Democratic vote by a supermajority of 67%; the debrief shows forced extremes by"
            " default: a weak no becomes the lowest score",
        ),
        (
            {
                "kind": "vote",
                "force_extremes": True,
                "force_map": {0: 0, 1: 0, 2: 0, 3: 5, 4: 5, 5: 5},
            },
            "Democratic vote by a simple majority; the debrief shows forced extremes by"
            " default: every score goes to an extreme",
        ),
        (
            {"kind": "committee", "rule": "unanimous"},
            "Cross-company committee by unanimity; 1 committee vote needed",
        ),
        (
            {"kind": "committee", "quorum": 2, "bar": 0.5},
            "Cross-company committee by a simple majority; 2 committee votes needed;"
            " a weighted score below 0.50 is flagged; the committee's votes decide",
        ),
        (
            {"kind": "committee", "quorum": 2, "bar": 0.5, "bar_mode": "binding"},
            "Cross-company committee by a simple majority; 2 committee votes needed;"
            " no hire below a weighted score of 0.50",
        ),
    ],
)
def test_a_strategy_in_words(strategy, words):
    """What quorum means, said: a vote or a manager with 0 needs no minimum (the engine then
    decides on whatever is in); a committee always needs at least one vote."""
    from scoring.engine import Strategy
    from scoring.strategy_words import strategy_in_words

    assert strategy_in_words(Strategy.model_validate(strategy)) == words


def test_the_summary_gives_the_weighted_scores_interval_in_every_format(tmp_path):
    from paired_history import add_paired

    w = build(tmp_path / "interval.sqlite", strategy={"kind": "committee", "bar": 0.6})
    add_paired(w, 21)
    for who, level in (("ana", 3), ("bo", 2), ("cy", 2)):
        submit(w, who, 4, level=level)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    for person, label in ((w.manager, "measured on 21 paired candidates"), (w.member, "assumed")):
        summary = exports.summary(w.store, person, w.candidate_id)
        reading = debrief.debrief(w.store, person, w.candidate_id).score_interval
        assert summary.uncertainty == reading.sentences
        assert summary.uncertainty[0].endswith(f"Raw scores; {label}.")
        assert any(
            s.startswith(f"With 3 scorecards the score is {reading.score:.2f}")
            for s in summary.uncertainty
        )
        rendered = {
            "md": exports.render(summary, "md").decode(),
            "html": html.unescape(exports.render(summary, "html").decode()),
            "pdf": pdf_text(exports.render(summary, "pdf")),
        }
        for fmt, text in rendered.items():
            for sentence in summary.uncertainty:
                shown = flat(text).replace("\\", "")  # Markdown escapes a dot or a bracket
                assert flat(sentence) in shown, (fmt, sentence)
        figures = json.loads(exports.render(summary, "json"))["score_interval"]
        assert figures["level"] == 0.95 and figures["interviews"] == 3
        assert figures["low"] < reading.score < figures["high"]
        assert figures["source"] == ("measured" if person is w.manager else "assumed")
    # the member's figures say nothing about other candidates
    assert figures["paired_candidates"] is None and figures["reliability"] is None
