"""The pieces every Insights section draws with (the page, `ui.insight_decisions`): a count with
its share and interval in words, the sentence a section opens with, which rows have no interval,
the expander holding a section's statistics, and a table's downloads."""

import streamlit as st

from scoring import insights
from scoring.text import plain_markdown
from ui.downloads import rows_buttons
from ui.widgets import interval, share


def counted(row: dict, name: str) -> str:
    """'12 (14%, 95%: 8% to 23%)' from a row's count, share and interval columns."""
    low, high = row[f"{name}_low"], row[f"{name}_high"]
    if low != low or high != high:  # too few to give one (insights.MIN_INTERVAL_UNITS)
        return f"{row[name]} ({share(row[f'{name}_share'])}; no interval)"
    return f"{row[name]} ({share(row[f'{name}_share'])}; 95%: {interval(low, high, share)})"


def lead(sentence: str) -> None:
    """The plain sentence a section opens with (`insights.headline`): names in it are typed
    text, shown as written."""
    st.markdown(f"**{plain_markdown(sentence, one_line=True)}**")


def missing(frame, n_column: str, name_column: str, one: str, many: str) -> None:
    """Says which rows have no interval, and why (too few independent units)."""
    note = insights.no_interval_note(frame, n_column, name_column, one, many)
    if note:
        st.caption(plain_markdown(note, one_line=True))


def how(key: str):
    """The expander that holds a section's statistics: the method, its n and the table."""
    return st.expander("How is this worked out?", key=f"how_{key}")


def downloads(name: str, stem: str, pick, words: str = "") -> None:
    """CSV and JSON of one table, made on click under the permissions of that moment; `words`
    name the table where a section offers several."""
    if words:
        st.caption(words)
    rows_buttons(lambda: insights.table_rows(pick().tables()[name]), f"{stem}-{name}")
