"""debrief.reading: the headline the demo builder reads after every candidate is the debrief's
own (as written, and under the opening's forcing), without the figures from other candidates."""

import pytest

from scoring import debrief
from scoring.errors import NotAllowed
from tests.world import build, submit


@pytest.mark.parametrize(
    "strategy",
    [
        None,  # the world's default
        {"kind": "vote", "force_extremes": True},
        {"kind": "vote", "force_extremes": False, "veto": True},
    ],
)
def test_the_reading_is_the_debriefs_headline(tmp_path, strategy):
    w = build(tmp_path / "r.sqlite", strategy=strategy)
    for who, overall in (("ana", 4), ("bo", 2), ("cy", 1)):
        submit(w, who, overall)
    debrief.open_debrief(w.store, w.manager, w.candidate_id)
    whole = debrief.debrief(w.store, w.manager, w.candidate_id)
    reading = debrief.reading(w.store, w.manager, w.candidate_id)
    assert reading.raw == whole.raw
    assert reading.result == whole.result


def test_the_reading_is_refused_like_the_debrief(tmp_path):
    w = build(tmp_path / "r.sqlite")
    submit(w, "ana", 4)
    for who in ("bo", "coordinator"):
        with pytest.raises(NotAllowed, match=r"^The debrief is for the opening's hiring manager"):
            debrief.reading(w.store, w.person(who), w.candidate_id)
        with pytest.raises(NotAllowed, match=r"^The debrief is for the opening's hiring manager"):
            debrief.debrief(w.store, w.person(who), w.candidate_id)
