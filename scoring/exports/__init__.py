"""Decision summaries and bulk exports: what was decided and why, for people not in the room.

- `summary`: one candidate's open debrief (`scoring.debrief.debrief`, read once) in words;
- `templates`: its Markdown and HTML (Jinja2 templates), PDF and JSON renderings;
- `bulk`: an opening's decisions and scorecards as rows, CSV or JSON.

Every old name stays importable from `scoring.exports`.
"""

from scoring.exports.bulk import (
    CHUNK,
    FORMULA_STARTS,
    DecisionPage,
    decision_page,
    decision_rows,
    export_openings,
    neutralise,
    scorecard_rows,
    to_csv,
    to_json,
)
from scoring.exports.summary import (
    DRAWN,
    CriterionLine,
    Revision,
    ScorecardSection,
    Summary,
    sections,
    summary,
    summary_of,
)
from scoring.exports.templates import FONTS, render, render_html, render_markdown, render_pdf

__all__ = [
    "CHUNK",
    "DRAWN",
    "FONTS",
    "FORMULA_STARTS",
    "CriterionLine",
    "DecisionPage",
    "Revision",
    "ScorecardSection",
    "Summary",
    "decision_page",
    "decision_rows",
    "export_openings",
    "neutralise",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
    "scorecard_rows",
    "sections",
    "summary",
    "summary_of",
    "to_csv",
    "to_json",
]
