"""Download buttons for the exports; the files are made only when a button is clicked."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from scoring import exports
from scoring.permissions import Person
from scoring.store import Store

MIME = {
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "json": "application/json",
    "csv": "text/csv",
}
LABELS = {"md": "Markdown", "html": "HTML", "pdf": "PDF", "json": "JSON", "csv": "CSV"}


def file_stem(text: str) -> str:
    """A typed name or title as part of a file name: lowercase letters, digits and hyphens only,
    so it makes no path, extension or odd character."""
    return re.sub(r"\W+", "-", text.lower()).strip("-_") or "export"


def summary_buttons(store: Store, actor: Person, candidate_id: int, name: str) -> None:
    """The decision summary of one candidate in every format, made when a button is clicked
    (under the permissions the person holds at that moment)."""
    stem = "decision-summary-" + file_stem(name)
    for column, fmt in zip(st.columns(4), ("pdf", "html", "md", "json"), strict=True):
        column.download_button(
            LABELS[fmt],
            data=lambda fmt=fmt: exports.render(
                exports.summary(store, actor, candidate_id, charts=fmt in exports.DRAWN), fmt
            ),
            file_name=f"{stem}.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            on_click="ignore",
            key=f"summary_{candidate_id}_{fmt}",
        )


def rows_buttons(rows: Callable[[], list[dict]], stem: str) -> None:
    """A table of rows as CSV and JSON. `rows` is called only when a button is clicked, so the
    file is made then, under the permissions the person holds at that moment."""
    left, right = st.columns(2)
    for column, fmt, write in ((left, "csv", exports.to_csv), (right, "json", exports.to_json)):
        column.download_button(
            LABELS[fmt],
            data=lambda write=write: write(rows()),
            file_name=f"{file_stem(stem)}.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            on_click="ignore",
            key=f"{stem}_{fmt}",
        )
