"""A committee member who has not voted yet may learn how many members have voted, never which
way: everything they can read (the pipeline and the debrief, through the service and on the
page, and the decision summary) is the same before and after another member votes, except that
count, and the count is true."""

import re

import pytest

from scoring import debrief, exports, pipeline
from world import add_committee_members, build, page_as, submit

NOTE = "Zed's private reservation"


@pytest.fixture
def committee(tmp_path):
    """Mo, Nia and Zed on the committee (quorum 2); the panel is in, the debrief open and Nia
    has voted no hire."""
    w = build(tmp_path / "blind.sqlite", strategy={"kind": "committee", "quorum": 2})
    add_committee_members(w, "Nia Member", "Zed Member")
    for who, overall in (("ana", 4), ("bo", 4), ("cy", 1)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    debrief.cast_vote(w.store, w.nia, w.candidate_id, "no_hire", "Nia's doubt")
    return w


def pages(w, monkeypatch) -> str:
    """What the member reads on the pipeline and the debrief pages."""
    parts = []
    for path, params in (
        ("pages/pipeline.py", {}),
        ("pages/debrief.py", {"candidate": w.candidate_id}),
    ):
        at = page_as(w, "member", path, monkeypatch, **params)
        kinds = ("title", "subheader", "markdown", "caption", "info", "warning", "error", "metric")
        parts += [f"{k}: {getattr(e, 'value', '')}" for k in kinds for e in getattr(at, k)]
        parts += [f"{e.label}: {getattr(e, 'value', '')}" for e in at.expander]
        parts += [df.value.to_csv() for df in at.dataframe]
        parts += [f"toggle: {t.label}" for t in at.toggle]
    return "\n".join(parts)


def service(w) -> str:
    """What the member reads through the service: the pipeline's row, the debrief's view and
    the decision summary."""
    (row,) = pipeline.pipeline(w.store, w.member, w.opening_id).rows
    view = debrief.debrief(w.store, w.member, w.candidate_id)
    summary = exports.render(exports.summary(w.store, w.member, w.candidate_id), "json").decode()
    return "\n".join(
        [
            repr(row),
            row.standing,
            repr(view.headline),
            repr(view.result),
            repr(view.what_if),
            repr(view.previews),
            repr(view.votes),
            view.committee_count,
            summary,
        ]
    )


COUNTS = [
    re.compile(r"\d+ of \d+ members? (has|have) voted"),
    re.compile(r"\d+ of \d+ in\b"),
    re.compile(r"votes_cast=\d+"),
    # when the summary was made (to the minute): two readings may fall either side of a minute
    re.compile(r'"generated": "[^"]*"'),
]


def without_counts(text: str) -> str:
    for pattern in COUNTS:
        text = pattern.sub("<count>", text)
    return text


def test_only_the_count_changes_when_another_member_votes(committee, monkeypatch):
    w = committee
    before = service(w), pages(w, monkeypatch)
    # Zed votes hire: for the hiring manager the committee's rule now says "needs discussion"
    debrief.cast_vote(w.store, w.zed, w.candidate_id, "hire", NOTE)
    assert debrief.debrief(w.store, w.manager, w.candidate_id).result.outcome == (
        "needs_discussion"
    )
    after = service(w), pages(w, monkeypatch)
    for was, now in zip(before, after, strict=True):
        assert was != now  # the count moved
        assert without_counts(was) == without_counts(now)
    # the count is the true one, before and after
    assert "1 of 3 members has voted; you will see their votes after yours." in before[1]
    assert "2 of 3 members have voted; you will see their votes after yours." in after[1]
    assert "Awaiting your vote · 2 of 3 in" in after[1]
    # and nothing of the votes themselves
    for text in after:
        assert NOTE not in text and "Nia's doubt" not in text
        assert "Needs discussion" not in text and "needs_discussion" not in text


def test_the_count_is_not_the_engines_zero(committee):
    # the engine runs without the votes the member may not see: its "0 committee votes in"
    # would be untrue, so the member never reads it
    view = debrief.debrief(committee.store, committee.member, committee.candidate_id)
    assert view.result.outcome == "awaiting_committee"
    assert "0 committee votes in; 2 needed." not in view.result.reasons
    assert "1 of 3 members has voted; you will see their votes after yours." in view.result.reasons
