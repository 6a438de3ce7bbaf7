"""Text stays text: what a person typed is shown as they typed it, bounded in length, and never
becomes Markdown, HTML, an image, a link or a spreadsheet formula on its way out.

Four kinds of helper, shared by the pages, the exports and the services:

- **Limits.** ``NAME_MAX`` and the other constants bound every text field; ``check_length`` and
  ``check_one_line`` raise ``InvalidInput`` with a message naming the field, e.g.
  ``feedback: 25,113 characters; at most 20,000``. Call them in the service before writing.
- **Markdown.** ``plain_markdown`` escapes a typed text so that Streamlit's ``st.markdown`` (and
  ``st.caption``, ``st.info``, expander labels, ...) or any CommonMark/GFM renderer shows it
  literally: every character that starts Markdown is backslash-escaped (anywhere, or at the start
  of a line), leading spaces are kept as no-break spaces, and the patterns Streamlit and GFM turn
  into icons, emoji, directives or links *after* escapes are resolved (``:smile:``,
  ``:material/x:``, ``:red[``, ``https://``, ``www.``, ``a@b.org``) are split by an invisible
  word joiner. Ordinary text comes out unchanged (``Grace Hopper``, ``feedback: too long``).
- **Direction.** A name cannot reorder the text around it. ``neutral_bidi`` removes the
  direction overrides and embeddings a person may type (U+202A to U+202E: a right-to-left
  override turns "Hire" into "eriH" and carries the rest of the line with it) and any isolate
  (U+2066 to U+2069) that is not closed in the same line; ``isolate`` also wraps a text that
  holds right-to-left letters in first-strong isolation (U+2068 ... U+2069), as ``<bdi>`` does
  in HTML, so "Missing: שרה 2" does not read "Missing: 2 שרה". ``plain_markdown`` does both;
  ``strip_bidi`` removes every direction control, for a PDF line or a spreadsheet cell.
- **Spreadsheets.** ``formula_like`` says whether a CSV cell would start a formula once a
  spreadsheet has skipped leading whitespace and invisible characters and folded full-width forms.
"""

from __future__ import annotations

import re
import unicodedata

from scoring.errors import InvalidInput

# ------------------------------------------------------------------------------------ limits

NAME_MAX = 200  # a person's or a candidate's name
EMAIL_MAX = 254  # the longest email address there is
TITLE_MAX = 200  # an opening's title, role and level
FEEDBACK_MAX = 20_000  # a scorecard's written feedback: some 3,000 words
EVIDENCE_MAX = 5_000  # the evidence for one criterion
RATIONALE_MAX = 10_000  # a decision's rationale
NOTE_MAX = 2_000  # a committee member's note with their vote
REASON_MAX = 2_000  # a recusal, opening a debrief early, correcting a scorecard


def check_length(field: str, value: str | None, limit: int) -> str:
    """``value`` unchanged when it has at most ``limit`` characters; otherwise InvalidInput
    naming the field, e.g. ``feedback: 25,113 characters; at most 20,000``."""
    text = value or ""
    if len(text) > limit:
        raise InvalidInput(f"{field}: {len(text):,} characters; at most {limit:,}")
    return text


def check_one_line(field: str, value: str | None) -> str:
    """``value`` unchanged when it is one line of text; otherwise InvalidInput naming the field.
    For names, emails and titles: a line break or another control character in them breaks
    tables, CSV rows and headings wherever they are shown."""
    text = value or ""
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        raise InvalidInput(f"{field}: must be one line (no line breaks or control characters)")
    return text


def check_name(field: str, value: str | None, missing: str) -> str:
    """A person's or a candidate's name as it is kept: trimmed, at most ``NAME_MAX`` characters,
    one line, and without direction overrides (``neutral_bidi``: a name cannot reorder the
    screen, export or mail it is shown in). InvalidInput naming the field otherwise, with
    ``missing`` (``Write their name.``) when nothing is left."""
    name = check_one_line(field, check_length(field, (value or "").strip(), NAME_MAX))
    name = neutral_bidi(name).strip()
    if not name:
        raise InvalidInput(f"{field}: {missing}")
    return name


def shorten(text: str, limit: int = 300) -> str:
    """``text`` cut to at most ``limit`` characters, saying how much was left out: for error
    messages that quote what they were given."""
    if len(text) <= limit:
        return text
    kept = max(limit - 40, 1)
    return f"{text[:kept]}… ({len(text) - kept:,} more characters)"


# --------------------------------------------------------------------------------- direction

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_OVERRIDES = re.compile("[\u202a-\u202e]")  # LRE RLE PDF LRO RLO: they reorder what follows
_OPEN_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI
_FSI, _PDI = "\u2068", "\u2069"
# The bidirectional classes that make a run read right to left, or pull digits and punctuation
# next to it into that run: Hebrew and other right-to-left letters, Arabic letters and digits.
_RIGHT_TO_LEFT = frozenset(("R", "AL", "AN"))


def neutral_bidi(text: str | None) -> str:
    """``text`` without the characters that would reorder the text around it: direction
    overrides and embeddings (U+202A to U+202E) are removed, and so is any isolate (U+2066 to
    U+2069) not closed on the same line; an isolate closed on its line only keeps its own
    contents apart and stays. Letters, and the marks U+200E and U+200F, are kept."""
    # An isolate ends with its paragraph: each line on its own, its line break kept.
    parts = re.split(f"({_LINE_BREAK.pattern})", _OVERRIDES.sub("", text or ""))
    return "".join(part if n % 2 else _closed_isolates(part) for n, part in enumerate(parts))


def _closed_isolates(line: str) -> str:
    """One line with every isolate that is not closed on it removed (and every stray close)."""
    if _PDI not in line and not any(c in _OPEN_ISOLATES for c in line):
        return line
    dropped, opened = set(), []
    for at, c in enumerate(line):
        if c in _OPEN_ISOLATES:
            opened.append(at)
        elif c == _PDI:
            if opened:
                opened.pop()
            else:
                dropped.add(at)
    dropped.update(opened)
    return "".join(c for at, c in enumerate(line) if at not in dropped)


def isolate(text: str | None) -> str:
    """A one-line text (a name) that cannot reorder what is around it, for plain-text places: a
    select box's options, a file name, a PDF line. ``neutral_bidi``, then, when it holds a
    right-to-left letter or digit, wrapped in first-strong isolation (U+2068 ... U+2069: the
    text's own direction inside, an inert block outside). Left-to-right text comes back as it
    is: it cannot reorder the app's left-to-right lines, and copying it copies what was typed."""
    text = neutral_bidi(text)
    if any(unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in text):
        return _FSI + text + _PDI
    return text


_EVERY_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str | None) -> str:
    """``text`` without any explicit direction control (U+202A to U+202E, U+2066 to U+2069), for
    places that cannot isolate and need not: a PDF line (its font has no glyph for them and it
    draws characters in the order typed), a spreadsheet cell (a cell is its own paragraph)."""
    return _EVERY_CONTROL.sub("", text or "")


# ---------------------------------------------------------------------------------- Markdown

# Characters that start Markdown wherever they are: emphasis, code, links and images, raw HTML
# and autolinks, tables, strikethrough, LaTeX, headings' closing #s (and the escape itself).
_ANYWHERE = re.compile(r"([\\`*_\[\]<|~$#])")
# Entities (&amp; &#60;) become other characters.
_ENTITY = re.compile(r"&(?=[#A-Za-z0-9])")
# What starts a block at the start of a line: a list, a quote, a setext underline, a heading.
_LINE_START = re.compile(r"^([-+=>])|^(\d+)([.)])")
# Patterns matched on the text *after* escapes are resolved, or before Markdown is parsed at all:
# Streamlit's :material/x: icons and :streamlit: logo, its :red[...] and other directives,
# remark-emoji's :smile:, GFM's literal autolinks, Streamlit's arrows and dashes (-> becomes →).
# A word joiner (U+2060: invisible, not a space) after the colon, the www or the @ splits them.
_WORD_JOINER = "\u2060"
_SPLIT = re.compile(
    r"(?<=:)(?=[A-Za-z/+-]|[\w+-]+:)"  # :name[...], :smile:, :100:, :material/x:, https://
    r"|(?i:(?<=www))(?=\.)"  # www.example.org
    r"|(?<=@)(?=[\w.-])"  # someone@example.org
    r"|(?<=[-<>~])(?=[->=])"  # -> <- <-> -- >= <= ~=
)


def _plain_line(line: str) -> str:
    line = _SPLIT.sub(_WORD_JOINER, line)
    line = _ENTITY.sub("\\\\&", _ANYWHERE.sub(r"\\\1", line))
    # Leading spaces would be dropped, or (four of them) start a code block: keep them, as
    # no-break spaces, which Markdown does not count as indentation.
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    body = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", body)
    return indent.replace("\t", "    ").replace(" ", "\u00a0") + body


def plain_markdown(text: str | None, *, one_line: bool = False) -> str:
    """A typed text as Markdown that renders exactly that text: ``st.markdown(plain_markdown(x))``
    shows x, whatever it holds (``![](http://...)``, ``<img>``, ``## No hire``, ``**Overall: 5**``,
    ``:red[...]``, ``$x$``, ``https://...``). Line breaks are kept as line breaks inside the same
    paragraph (so the text never ends the block it is placed in); ``one_line`` joins the lines
    with spaces instead, for table cells, headings and labels. Safe inside app-made Markdown such
    as ``**...**`` or a list item. Reads the same to a person: no visible backslashes. Cannot
    reorder the text around it (``neutral_bidi``); ``one_line`` text is also ``isolate``-d, as a
    name must be."""
    lines = [neutral_bidi(line) for line in _LINE_BREAK.split(text or "")]
    if one_line:
        # Trimmed: emphasis around it (**name**) does not close after a space.
        return isolate(_plain_line(" ".join(line.strip() for line in lines if line.strip())))
    # An empty line would end the paragraph; a no-break space keeps the gap inside it.
    return "  \n".join(_plain_line(line) or "\u00a0" for line in lines) if text else ""


# ------------------------------------------------------------------------------ spreadsheets

FORMULA_STARTS = ("=", "+", "-", "@")


def formula_like(value: str) -> bool:
    """True when a spreadsheet could read this cell as a formula: it starts with ``= + - @``,
    a tab or a carriage return, also after leading whitespace and invisible characters (zero-width
    space, byte-order mark, word joiner, ...) and with full-width forms folded (``＝`` is ``=``)."""
    if value.startswith(("\t", "\r")):
        return True
    folded = unicodedata.normalize("NFKC", value)
    start = next(
        (c for c in folded if not (c.isspace() or unicodedata.category(c) in ("Cf", "Cc"))), ""
    )
    return start in FORMULA_STARTS
