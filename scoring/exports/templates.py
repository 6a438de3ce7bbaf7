"""The decision summary's renderings: Markdown and HTML from Jinja2 templates
(`scoring/templates/summary.md.j2`, `summary.html.j2`), the PDF drawn with fpdf2, JSON as data.
All four render the same `Summary` (`scoring.exports.summary`).

Text stays text: in the Markdown every typed text is escaped (`scoring.text.plain_markdown`, the
template's `md` and `line` filters); the HTML template is autoescaped, with direction overrides
removed and names in <bdi>; the PDF carries no direction control at all.
"""

from __future__ import annotations

import functools
import html
import io
import json
from pathlib import Path

import jinja2
from markupsafe import Markup

from scoring.exports.summary import Summary, sections
from scoring.text import isolate, neutral_bidi, plain_markdown, strip_bidi

FONTS = Path(__file__).resolve().parent.parent / "fonts"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _quoted(text: str) -> str:
    """A paragraph as a Markdown block quote, every line of it."""
    return text.replace("\n", "\n> ")


@functools.cache
def _environment(markdown: bool) -> jinja2.Environment:
    """The templates' environment: autoescaped for HTML; for Markdown escaping is the
    filters' job (HTML escaping would show `&amp;` in a Markdown reader)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=not markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md=plain_markdown,
        line=lambda text: plain_markdown(str(text), one_line=True),
        quoted=_quoted,
        t=lambda text: neutral_bidi(str(text)),
        isolate=isolate,
    )
    return env


def render_markdown(s: Summary) -> str:
    """The summary as Markdown (charts are in the HTML and PDF renderings). Only the headings,
    lists, table and bold are the app's: every text in them is escaped, so a name or a feedback
    line shows as typed (no heading, bold, link, image or HTML of its own)."""
    return _environment(True).get_template("summary.md.j2").render(s=s, sections=sections(s))


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.8rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f6f6}.mark{color:#b45309}
blockquote{border-left:4px solid #ccc;margin:.5rem 0;padding:.2rem .8rem;color:#444}
figure{margin:1rem 0}figcaption{font-weight:600}
"""


def _svg(spec: dict, title: str) -> str:
    """A chart as inline SVG named by its title (an SVG image needs a name: axe svg-img-alt)."""
    import vl_convert

    # The figure is named; its marks are not separate images (unnamed ARIA symbols fail axe).
    config = spec.get("config", {})
    quiet = {**config, "mark": {**config.get("mark", {}), "aria": False}}
    svg = vl_convert.vegalite_to_svg({**spec, "config": quiet, "description": title})
    return svg.replace("<svg", f"<svg aria-label='{html.escape(title, quote=True)}'", 1)


def render_html(s: Summary) -> str:
    """The summary as one self-contained HTML file (charts embedded as SVG). Every text loses
    the direction overrides typed into it; names sit in <bdi>, so a right-to-left name cannot
    reorder what is around it."""
    figures = [(title, Markup(_svg(spec, title))) for title, spec in s.charts.items()]
    return (
        _environment(False)
        .get_template("summary.html.j2")
        .render(s=s, sections=sections(s), figures=figures, css=Markup(_CSS))
    )


# --------------------------------------------------------------------------------------- PDF


@functools.cache
def _dejavu_characters() -> frozenset[str]:
    """Every character the body font has (its bold has the same): the 4 MB CJK fallback font
    is embedded only in a summary with a character outside them."""
    from fontTools.ttLib import TTFont

    with TTFont(FONTS / "DejaVuSans.ttf", lazy=True) as font:
        return frozenset(map(chr, font.getBestCmap())) | {"\n", "\r", "\t"}


@functools.lru_cache(maxsize=64)
def _png(spec: str) -> bytes:
    """A chart as PNG, kept for the next export of the same chart (the same summary exported
    again, or in another format)."""
    import vl_convert

    return vl_convert.vegalite_to_png(json.loads(spec), scale=2)


def render_pdf(s: Summary) -> bytes:
    """The summary as a PDF (charts as images; DejaVu with a CJK fallback, so any name renders)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    if not set(render_markdown(s)) <= _dejavu_characters():  # a name DejaVu cannot write
        pdf.add_font("Fallback", "", FONTS / "DroidSansFallbackFull.ttf")
        pdf.set_fallback_fonts(["Fallback"], exact_match=False)
    pdf.add_page()
    width = pdf.epw
    down = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def text(line: str, size: float = 10, bold: bool = False, height: float = 5.5) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        # no direction controls at all: DejaVu has no glyph for them, and an override typed
        # into a name must not reorder the line
        pdf.multi_cell(width, height, strip_bidi(line), **down)

    text(f"Decision summary: {s.candidate}", 18, bold=True, height=9)
    for heading, lines in sections(s):
        pdf.ln(2)
        text(heading, 13, bold=True, height=7)
        for line in lines:
            text(f"• {line}")
    for title, spec in s.charts.items():
        png = _png(json.dumps(spec, sort_keys=True))
        pixels_wide, pixels_high = int.from_bytes(png[16:20]), int.from_bytes(png[20:24])
        # A quarter of a millimetre per CSS pixel (rendered at scale 2): a narrow chart keeps
        # its lettering at reading size instead of being blown up to the page's width.
        shown = min(width, pixels_wide / 2 * 0.25)
        if pdf.will_page_break(12 + shown * pixels_high / pixels_wide):
            pdf.add_page()  # keep a chart with its title
        pdf.ln(2)
        text(title, 12, bold=True, height=7)
        pdf.image(io.BytesIO(png), w=shown)
    pdf.ln(2)
    text("Scorecards", 13, bold=True, height=7)
    for card in s.scorecards:
        pdf.ln(2)
        text(f"{card.interviewer} · {card.session}", 11, bold=True, height=6)
        text(f"Rubric {card.rubric} · overall {card.overall} · submitted {card.submitted}")
        for mark in card.marks:
            text(f"! {mark}")
        text(card.feedback)
        for c in card.criteria:
            line = f"{c.name}: {c.score}" + (f" — {c.anchor}" if c.anchor else "")
            text(line, 9)
            if c.evidence:
                text(f"    Evidence: {c.evidence}", 9)
        if len(card.revisions) > 1:
            for r in card.revisions:
                after = " — after seeing others' scores" if r.after_reveal else ""
                text(
                    f"Revision {r.revision}: {r.submitted_at}, overall {r.overall}."
                    f" {r.reason}{after}",
                    9,
                )
    pdf.ln(3)
    text(f"Generated {s.generated} by Debrief.", 8)
    return bytes(pdf.output())


def render(s: Summary, fmt: str) -> bytes:
    """One summary in one format: md, html, pdf or json."""
    if fmt == "md":
        return render_markdown(s).encode()
    if fmt == "html":
        return render_html(s).encode()
    if fmt == "pdf":
        return render_pdf(s)
    if fmt == "json":
        return json.dumps(s.as_json(), indent=2, ensure_ascii=False).encode()
    raise ValueError(f"format: must be md, html, pdf or json (got {fmt!r})")
