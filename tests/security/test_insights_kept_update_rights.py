"""A kept Insights view updated after a write (issue 25) never shows what the person may no
longer see: the rights on every candidate the write was about are checked again.

Cy's unscored seat on Al (in opening A's window) given to the hiring manager
(`replace_interviewer`): the view is updated, not worked out again, and no longer counts Al,
exactly as a view worked out with nothing kept. (A seat added outright:
tests/security/test_insights_kept_rights.py.)"""

from __future__ import annotations

import pytest
from kept_world import (
    Two,
    as_text,
    fresh,
    served,
    two_openings,
    unscored_seat,
)

from scoring import insights
from scoring.insights import kept
from scoring.schedule_changes import replace_interviewer


@pytest.fixture
def two(tmp_path) -> Two:
    kept.forget()
    return two_openings(tmp_path / "kept.sqlite")


def test_a_seat_given_to_the_hiring_manager_blinds_the_updated_view(two, monkeypatch):
    """Cy's unscored seat on Al given to the hiring manager (`replace_interviewer`): updated,
    not worked out again, the view no longer counts Al; as worked out afresh."""
    w = two.w
    seat = unscored_seat(two, two.a_open, w.cy)
    manager = lambda: insights.opening_insights(w.store, w.manager, [two.a])  # noqa: E731
    assert served(manager) == "made"
    assert two.a_open in manager().counted_ids
    before = kept.UPDATED["views"]
    replace_interviewer(w.store, w.coordinator, seat, w.manager.id)
    view = manager()
    assert kept.UPDATED["views"] == before + 1
    assert two.a_open not in view.counted_ids and view.withheld == 1
    assert as_text(view) == as_text(fresh(w, manager))
