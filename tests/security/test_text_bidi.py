"""Right-to-left names and direction overrides (issue 22, attack 8).

A name holding a right-to-left override (U+202E) was shown as typed: the override turned the
name's own letters around ("eriH oN" read "No Hire") and carried on into the text the app put
after it, until the end of the line. Now the overrides and embeddings are never shown, an
isolate the name does not close is dropped, and a name with right-to-left letters is shown in
first-strong isolation (U+2068 ... U+2069): it reads in its own direction and moves nothing
around it. Names are also kept without overrides when a candidate is added or imported.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from scoring import candidates_csv, debrief, exports, openings
from scoring.text import isolate, neutral_bidi, plain_markdown, strip_bidi
from world import DAY, build, page_as, raw_sql, submit

RLO, PDF, FSI, PDI = "\u202e", "\u202c", "\u2068", "\u2069"
# Under the override "eriH oN" reads "No Hire", and so does everything after it on the line.
NAME = f"Grace {RLO}eriH oN שרה"
SHOWN = "Grace eriH oN שרה"  # what is left to read: the letters as typed, in typed order
INTERVIEWER = f"Ana {RLO}5 :llarevO"
# Any character that reorders what follows it when left open.
REORDERING = re.compile("[\u202a-\u202e]")


def unbalanced(text: str) -> bool:
    """True when an isolate is opened and not closed on its line, or closed without opening."""
    for line in text.splitlines():
        depth = 0
        for c in line:
            if c in "\u2066\u2067\u2068":
                depth += 1
            elif c == PDI:
                depth -= 1
                if depth < 0:
                    return True
        if depth:
            return True
    return False


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("Grace Hopper", "Grace Hopper"),
        (f"Eve{RLO}eriH", "EveeriH"),
        ("a\u202ab\u202bc\u202cd\u202de", "abcde"),
        ("a\u2067b", "ab"),  # an isolate never closed
        (f"a{PDI}b", "ab"),  # a close with nothing open
        (f"a\u2067b{PDI}c", f"a\u2067b{PDI}c"),  # closed on its line: it holds only itself
        (f"a\u2066b\nc{PDI}", "ab\nc"),  # an isolate ends with its line
        ("a\u200fb", "a\u200fb"),  # a right-to-left mark is a letter's worth: kept
    ],
)
def test_neutral_bidi_removes_what_reorders_the_text_around(typed, kept):
    assert neutral_bidi(typed) == kept


def test_a_right_to_left_name_is_isolated_a_left_to_right_one_is_left_as_typed():
    assert isolate("שרה 2") == f"{FSI}שרה 2{PDI}"
    assert isolate("مريم") == f"{FSI}مريم{PDI}"
    assert isolate(f"Eve{RLO}eriH") == "EveeriH"
    assert isolate("Grace Hopper") == "Grace Hopper"
    assert plain_markdown(NAME, one_line=True) == f"{FSI}{SHOWN}{PDI}"
    assert plain_markdown(f"Missing: {INTERVIEWER} (Interview 2)") == (
        "Missing: Ana 5 :\u2060llarevO (Interview 2)"
    )


def test_strip_bidi_leaves_no_direction_control_at_all():
    assert strip_bidi(f"a\u202ab{RLO}c{PDF}d\u2066e{FSI}f{PDI}\u200fg") == "abcdef\u200fg"


def test_a_name_typed_with_an_override_is_kept_without_it(tmp_path):
    w = build(tmp_path / "bidi.sqlite")
    eve = openings.add_candidate(w.store, w.coordinator, w.opening_id, NAME)
    assert openings.get_candidate(w.store, w.coordinator, eve).name == SHOWN
    read = candidates_csv.read_candidates(f"Name\n{NAME}\n")
    assert [row.name for row in read.rows] == [SHOWN]


@pytest.fixture
def decided(tmp_path):
    """Grace's debrief, open and decided, with an override in her name and in Ana's, as a
    database written before names were kept without them would hold."""
    w = build(tmp_path / "decided.sqlite")
    raw_sql(w, "UPDATE candidates SET name = ? WHERE id = ?", NAME, w.candidate_id)
    raw_sql(w, "UPDATE people SET name = ? WHERE id = ?", INTERVIEWER, w.ana.id)
    for who, score in (("ana", 4), ("bo", 2)):
        submit(w, who, score, now=DAY + timedelta(hours=6))
    debrief.open_debrief(w.store, w.manager, w.candidate_id, reason="Cy is away")
    debrief.record_decision(w.store, w.manager, w.candidate_id, "no_hire", "Not yet.", True)
    return w


def sent(at) -> list[str]:
    """Every text the page sent to the browser as Markdown or a label."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
    values = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    return values + [e.label for e in at.expander]


def test_the_debrief_shows_the_names_isolated_and_without_overrides(decided, monkeypatch):
    at = page_as(
        decided, "manager", "pages/debrief.py", monkeypatch, candidate=decided.candidate_id
    )
    texts = sent(at)
    assert not [t for t in texts if REORDERING.search(t) or unbalanced(t)], texts
    assert at.title[0].value == f"{FSI}{SHOWN}{PDI}"
    joined = "\n".join(texts)
    assert "Ana 5 :\u2060llarevO" in joined  # Ana's name, as typed, without the override


def test_the_markdown_export_shows_the_names_isolated_and_without_overrides(decided):
    summary = exports.summary(decided.store, decided.manager, decided.candidate_id)
    text = exports.render_markdown(summary)
    assert not REORDERING.search(text) and not unbalanced(text)
    assert text.splitlines()[0] == f"# Decision summary: {FSI}{SHOWN}{PDI}"
    assert "### Ana 5 :\u2060llarevO" in text


@pytest.mark.slow  # every export format rendered (3 s): the full suite
def test_the_html_pdf_and_csv_exports_carry_no_override(decided):
    """The same names in the other documents: HTML puts each in <bdi> (and the title isolated);
    the PDF and the spreadsheet cells keep no direction control at all."""
    summary = exports.summary(decided.store, decided.manager, decided.candidate_id)
    page = exports.render_html(summary)
    assert not REORDERING.search(page)
    assert f"<h1>Decision summary: <bdi>{SHOWN}</bdi></h1>" in page
    assert "<h3><bdi>Ana 5 :llarevO</bdi> · " in page
    import io

    from pypdf import PdfReader

    words = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(exports.render_pdf(summary))).pages
    )
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", words)
    cells = exports.neutralise(NAME), exports.neutralise(f"{RLO}=1+1")
    assert cells == ("Grace eriH oN שרה", "'=1+1")
