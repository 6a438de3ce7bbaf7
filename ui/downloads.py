"""Download buttons for the exports; the files are made only when a button is clicked."""

from __future__ import annotations

import streamlit as st

from scoring import exports
from scoring.access import Person
from scoring.store import Store

MIME = {
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "json": "application/json",
    "csv": "text/csv",
}
LABELS = {"md": "Markdown", "html": "HTML", "pdf": "PDF", "json": "JSON", "csv": "CSV"}


def summary_buttons(store: Store, person: Person, candidate_id: int, name: str) -> None:
    """The decision summary of one candidate in every format."""
    stem = "decision-summary-" + "-".join(name.lower().split())
    for column, fmt in zip(st.columns(4), ("pdf", "html", "md", "json"), strict=True):
        column.download_button(
            LABELS[fmt],
            data=lambda fmt=fmt: exports.render(exports.summary(store, person, candidate_id), fmt),
            file_name=f"{stem}.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            on_click="ignore",
            key=f"summary_{candidate_id}_{fmt}",
        )


def rows_buttons(rows: list[dict], stem: str) -> None:
    """A table of rows as CSV and JSON."""
    left, right = st.columns(2)
    left.download_button(
        "CSV",
        exports.to_csv(rows),
        f"{stem}.csv",
        MIME["csv"],
        icon=":material/download:",
        on_click="ignore",
        key=f"{stem}_csv",
    )
    right.download_button(
        "JSON",
        exports.to_json(rows),
        f"{stem}.json",
        MIME["json"],
        icon=":material/download:",
        on_click="ignore",
        key=f"{stem}_json",
    )
