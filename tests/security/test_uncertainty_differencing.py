"""The weighted score's interval never leaks other candidates' scores (issue 23, point 4).

The attack: the width of a measured interval is an aggregate over other candidates' scorecards.
A committee member (who may see this candidate's debrief, never the opening's score figures)
reads Grace's debrief and her decision summary, waits for another candidate's scorecards to be
written, and reads them again: a change in the interval, its advice or its words would tell
them something about scores they may not see. What they read must not change at all; the hiring
manager, who may see score figures, does see the measured figure move (so the attack would
work against an unguarded interval).
"""

from __future__ import annotations

import json

from paired_history import add_paired

from scoring import debrief, exports, uncertainty
from world import build, submit


def reading(w, person) -> str:
    """Everything about the interval the person can read: the page's view and the summary in
    every text rendering."""
    view = debrief.debrief(w.store, person, w.candidate_id)
    summary = exports.summary(w.store, person, w.candidate_id)
    interval = view.score_interval
    return json.dumps(
        {
            "page": interval.sentences,
            "figures": interval.as_json(),
            "summary": summary.uncertainty,
            "summary_figures": summary.score_interval,
            "markdown": [
                line
                for line in exports.render_markdown(summary).splitlines()
                if "Weighted score" in line or "scorecards" in line or "stray" in line
            ],
        },
        sort_keys=True,
    )


def test_a_committee_member_reads_nothing_new_when_another_candidate_is_scored(tmp_path):
    uncertainty._KEPT.clear()
    w = build(tmp_path / "d.sqlite", strategy={"kind": "committee", "bar": 0.55, "quorum": 1})
    add_paired(w, 21)
    for who, level in (("ana", 3), ("bo", 2), ("cy", 3)):
        submit(w, who, 4, level=level)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    member_before, manager_before = reading(w, w.member), reading(w, w.manager)

    # Another candidate's pair of scorecards is written (and later their debrief opens).
    add_paired(w, 1, start=21, noise=1.5, seed=99)

    assert reading(w, w.member) == member_before
    assert reading(w, w.manager) != manager_before  # the measured figure did move
    assert '"source": "assumed"' in member_before and '"paired_candidates": null' in member_before
