"""The leniency-adjusted reading never leaks other candidates' scores (issue 23, point 1).

Leniency is an aggregate over every past panel of the opening: whoever reads it before and
after another candidate's scorecards are written learns how those were scored. Only the
opening's hiring manager, who may see its score figures, gets the reading; a committee member
(who may see this debrief) gets none, on the page or in the view, and an interviewer no page,
before and after such a write; the hiring manager's does move (so the attack works against an
unguarded reading)."""

from __future__ import annotations

from paired_history import add_paired
from test_debrief_page import make, open_page, text

from scoring import debrief, uncertainty
from world import submit


def test_only_the_hiring_manager_reads_leniency_and_it_moves_with_other_candidates(
    tmp_path, monkeypatch
):
    uncertainty._KEPT.clear()
    world = make(tmp_path, monkeypatch, strategy={"kind": "committee", "bar": 0.6, "quorum": 1})
    add_paired(world, 12, overalls=(4, 2))
    for who, overall in (("ana", 3), ("bo", 3), ("cy", 2)):
        submit(world, who, overall)
    debrief.open_debrief(world.store, world.manager, world.candidate_id)

    def read(who):
        return debrief.debrief(world.store, world.person(who), world.candidate_id).leniency_adjusted

    manager_before = read("manager")
    assert manager_before is not None
    assert read("member") is None
    for who in ("member", "ana"):  # an interviewer is not let into the debrief at all
        assert "Leniency-adjusted" not in text(open_page(world, who))

    # Another candidate's pair writes the other way round.
    add_paired(world, 6, start=12, seed=99, overalls=(2, 4))

    assert read("manager") != manager_before
    assert read("member") is None
    for who in ("member", "ana"):  # an interviewer is not let into the debrief at all
        assert "Leniency-adjusted" not in text(open_page(world, who))
