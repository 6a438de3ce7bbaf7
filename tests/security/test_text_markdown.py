"""Text stays text on the pages and in the Markdown export (issue 11, defect 9).

Free text was rendered as Markdown: an image link in a candidate name or in feedback was fetched
from an outside server by everyone who opened the debrief, and a feedback line could forge a
"No hire" decision line or an "Overall: 5" on the page and in the Markdown export, which also
passed raw HTML through. Here a candidate's name, two scorecards' feedback and evidence, the
reason the debrief was opened early and the decision's rationale are all hostile; every page
that shows them, and every export, must show them as typed and nothing more.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, strategies

from scoring import debrief, exports, openings, people, scorecards
from scoring.matrix import full_scores
from scoring.text import neutral_bidi, plain_markdown
from world import DAY, build, page_as

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = "127.0.0.1:9"  # nothing listens there; a fetch shows in the browser's request log
NAME = f"Eve ![pic](http://{OUTSIDE}/name.png) <b>Bold</b> :red[Strong yes] $x^2$"
FEEDBACK = (
    "Solid on the basics.\n"
    "## Decision\n"
    "**No hire**\n"
    "**Overall: 5 · Strong yes**\n"
    f"![track](http://{OUTSIDE}/feedback.png)\n"
    f"<img src=http://{OUTSIDE}/raw.png>\n"
    "[read more](http://evil.example) https://evil.example :material/thumb_up: :smile:"
)
EVIDENCE = f"- [x] done\n1. first\n> quoted\n![ev](http://{OUTSIDE}/evidence.png) `code` *stars*"
REASON = f"Cy is away ![r](http://{OUTSIDE}/reason.png) **urgent**"
RATIONALE = f"She fills our gap.\n# Verdict: No hire\n![d](http://{OUTSIDE}/decision.png)"

# What must never be found in the Markdown a page sends or the export writes: each is what one
# of the texts above would become if it were rendered rather than shown.
ACTIVE = {
    "image": re.compile(r"!\["),
    "raw HTML": re.compile(r"(?<!\\)<(img|b)\b"),
    "forged heading": re.compile(r"^\s{0,3}#{1,6} (Decision\s*$|Verdict)", re.M),
    "forged bold": re.compile(r"(?<!\\)\*\*(No hire|Overall: 5|urgent)"),
    "directive": re.compile(r":red\[Strong yes"),
    "LaTeX": re.compile(r"(?<!\\)\$x\^2"),
    "link": re.compile(r"(?<!\\)\]\(|https?://evil"),
    "icon": re.compile(r":material/thumb_up:|:smile:"),
    "list or quote from evidence": re.compile(r"^\s*(- \[x\]|1\. first|> quoted)", re.M),
}


def active(text: str) -> list[str]:
    return [kind for kind, pattern in ACTIVE.items() if pattern.search(text)]


@pytest.fixture
def hostile(tmp_path):
    """The world's opening with a second candidate, Eve, whose every typed text is hostile:
    Ana and Bo scored her (4, 4), the debrief was opened early (Cy missing) and a hire
    recorded."""
    w = build(tmp_path / "hostile.sqlite")
    eve = openings.add_candidate(w.store, w.coordinator, w.opening_id, NAME)
    seats = {}
    for position, who in enumerate(("ana", "bo", "cy"), start=1):
        session = openings.schedule_session(
            w.store,
            w.coordinator,
            eve,
            position,
            DAY + timedelta(days=1, hours=position),
            [w.person(who).id],
        )
        with w.store.read() as db:
            seats[who] = db.execute(
                "SELECT id FROM assignments WHERE session_id = ?", [session]
            ).fetchone()[0]
    for who in ("ana", "bo"):
        criteria = full_scores(w.store, seats[who], 3)
        for entry in criteria.values():
            entry["evidence"] = EVIDENCE
        scorecards.submit(
            w.store,
            w.person(who),
            seats[who],
            overall=4,
            feedback=FEEDBACK,
            criteria=criteria,
            now=DAY + timedelta(days=1, hours=6),
        )
    debrief.open_debrief(w.store, w.manager, eve, reason=REASON)
    debrief.record_decision(w.store, w.manager, eve, "hire", RATIONALE, True)
    w.eve, w.eve_seats = eve, seats
    return w


def markdown_sent(at) -> list[str]:
    """Every piece of Markdown the page sent: element bodies and expander labels."""
    kinds = (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    )
    values = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    return values + [e.label for e in at.expander]


def test_the_debrief_shows_every_typed_text_as_typed(hostile, monkeypatch):
    at = page_as(hostile, "manager", "pages/debrief.py", monkeypatch, candidate=hostile.eve)
    sent = markdown_sent(at)
    found = {kind for value in sent for kind in active(value)}
    assert not found, found
    # ... and still shows all of it, as text
    assert at.title[0].value == plain_markdown(NAME, one_line=True)
    joined = "\n".join(sent)
    for typed in (FEEDBACK, RATIONALE):
        assert plain_markdown(typed) in joined
    assert plain_markdown(EVIDENCE.strip()) in joined
    assert plain_markdown(REASON) in joined
    # the page's own verdict is still Markdown: the outcome headline and the decision line
    assert any(v.startswith("## :green[Hire]") for v in sent)
    assert any(v.startswith("- **Hire** by Maria Manager") for v in sent)


@pytest.mark.parametrize(
    "who, path, params",
    [
        ("ana", "pages/scorecard.py", "ana"),  # her own, and Bo's beneath it
        ("cy", "pages/scorecard.py", "cy"),  # not scored yet: the form
        ("cy", "pages/my_interviews.py", None),
        ("manager", "pages/status.py", None),
        ("manager", "pages/debrief_day.py", None),
        ("manager", "pages/decisions.py", None),
        ("coordinator", "pages/candidates.py", None),
        ("coordinator", "pages/interview_day.py", None),
    ],
)
def test_no_page_renders_a_typed_text(hostile, monkeypatch, who, path, params):
    query = {"assignment": hostile.eve_seats[params]} if params else {}
    at = page_as(hostile, who, path, monkeypatch, **query)
    found = {(kind, value[:80]) for value in markdown_sent(at) for kind in active(value)}
    assert not found, found


def test_the_name_on_the_scorecard_page_and_my_interviews_reads_as_typed(hostile, monkeypatch):
    seat = hostile.eve_seats["ana"]
    at = page_as(hostile, "ana", "pages/scorecard.py", monkeypatch, assignment=seat)
    assert at.title[0].value == plain_markdown(NAME, one_line=True)
    assert any(plain_markdown(FEEDBACK) in m.value for m in at.markdown)
    at = page_as(hostile, "cy", "pages/my_interviews.py", monkeypatch)
    assert any(plain_markdown(NAME, one_line=True) in m.value for m in at.markdown)


def test_the_markdown_export_escapes_typed_text_and_passes_no_html(hostile):
    summary = exports.summary(hostile.store, hostile.manager, hostile.eve)
    text = exports.render_markdown(summary)
    ours = "\n## Decision\n"  # the export's own section: the only heading named so
    assert text.count(ours) == 1 and not active(text.replace(ours, "\n")), active(text)
    # the export's own structure is intact: one title, its sections, a table per scorecard
    lines = text.splitlines()
    assert lines[0] == f"# Decision summary: {plain_markdown(NAME, one_line=True)}"
    assert [x for x in lines if x.startswith("## ")] == [
        "## Summary",
        "## Decision",
        "## Flags",
        "## Reasons",
        "## Scorecards",
    ]
    assert sum(x.startswith("- Overall: **4 · Yes**") for x in lines) == 2
    assert sum(x == "| criterion | score | anchor | evidence |" for x in lines) == 2
    # the feedback stays inside its quote, line by line
    quote = [x for x in lines if x.startswith("> ")]
    assert len(quote) == 2 * len(FEEDBACK.splitlines())


def test_the_html_export_escapes_typed_text(hostile):
    summary = exports.summary(hostile.store, hostile.manager, hostile.eve)
    html = exports.render_html(summary)
    assert "<img" not in html and "<b>" not in html and "&lt;img src=" in html
    assert "## Decision" in html and "<h2>Decision</h2>" in html  # the typed line, and ours
    assert html.count("<h2>Decision</h2>") == 1


ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
SPECIAL = set("\\`*_[]<|~$#")


def _plain_again(markdown: str) -> list[str]:
    """What a reader sees: escapes resolved, word joiners invisible, no-break spaces as spaces."""
    text = ESCAPED.sub(lambda m: m[0][1], markdown).replace("\u2060", "").replace("\u00a0", " ")
    return [line.strip() for line in text.split("  \n")]


TYPED = strategies.text(
    strategies.characters(codec="utf-8", exclude_characters="\u2060\u00a0\x85\u2028\u2029")
)


@given(TYPED)
def test_plain_markdown_keeps_the_text_and_leaves_no_markup_character_unescaped(text):
    markdown = plain_markdown(text)
    # An escape is replaced by a stand-in, not removed: removing "\|" from "&\|0" would join
    # "&0", which the text never had next to each other.
    unescaped = ESCAPED.sub("\x00", markdown)
    assert not SPECIAL & set(unescaped), markdown
    assert not re.search(r"&[#A-Za-z0-9]", unescaped), markdown
    for line in markdown.split("\n"):  # nothing that starts a block
        assert not re.match(r"[ \t]|[-+=>]|\d+[.)]", line), markdown
    # as typed, less what would reorder the text around it (tests/security/test_text_bidi.py)
    lines = re.split(r"\r\n|\r|\n", text)
    assert _plain_again(markdown) == [neutral_bidi(line).strip() for line in lines]


def in_a_thread_of_its_own(work) -> None:
    """Run `work` in a new thread and re-raise what it raised. Playwright's sync API refuses a
    thread that already runs an event loop, as the end-to-end suite's browser fixture does when
    both run in one session."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as problem:  # re-raised below, in the test's own thread
            raised.append(problem)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if raised:
        raise raised[0]


@pytest.mark.e2e
def test_in_a_real_browser_nothing_is_fetched_and_nothing_is_forged(hostile):
    """The debrief in Chromium, as everyone in the meeting opens it: no image, no request to an
    outside server, no heading or bold the interviewer wrote; the text reads as typed."""
    from harness import launch, settle, sign_in, streamlit_server, visit
    from playwright.sync_api import sync_playwright

    code = people.issue_code(hostile.store, hostile.coordinator, hostile.manager.id)

    def look() -> None:
        with sync_playwright() as playwright, streamlit_server(hostile.store.path) as url:
            browser = launch(playwright)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 4000})
                requested = []
                page.on("request", lambda request: requested.append(request.url))
                visit(page, f"{url}/debrief?candidate={hostile.eve}")
                sign_in(page, "maria@example.com", code)
                for expander in page.get_by_test_id("stExpander").all():
                    expander.locator("summary").click()
                settle(page)
                main = page.get_by_test_id("stMain")
                assert [u for u in requested if OUTSIDE in u or "evil" in u] == []
                assert main.locator("img").count() == 0
                hrefs = [a.get_attribute("href") or "" for a in main.locator("a").all()]
                outside = [
                    h
                    for h in hrefs
                    if (":" in h.split("/")[0] or h.startswith("//")) and not h.startswith(url)
                ]
                assert outside == [], hrefs  # links to the app's own pages and headings only
                big = main.locator("h1, h2").all_inner_texts()  # ours: the name, the outcome
                assert not [h for h in big if "Decision" in h or "Verdict" in h], big
                bold = main.locator("strong").all_inner_texts()
                assert not [b for b in bold if b in ("No hire", "urgent") or "Overall: 5" in b]
                shown = main.inner_text().replace("\u2060", "")
                assert "## Decision" in shown and "**Overall: 5 · Strong yes**" in shown
                assert f"![track](http://{OUTSIDE}/feedback.png)" in shown
                title = page.locator("h1").first.inner_text().replace("\u2060", "")
                assert title.startswith("Eve ![pic]")
            finally:
                browser.close()

    in_a_thread_of_its_own(look)
