"""The websocket benchmark gives every worker the same work (issue 25).

The benchmark's world comes in a cycle: a candidate's four interviews have 6, 5, 5 and 4
criteria, seat by seat. HAProxy sends new tabs round-robin in the order they arrive, so taking the
users in tab order gave the first worker every 6- and 5-criteria seat: 195 points to set against
165 in a 60-user rush, and 10-15% more CPU on that worker in every 2-worker run. The users are
now dealt to the loaded tabs by the work their scorecard asks (`ws_load_bench.deal`)."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import ws_load_bench  # noqa: E402
from load_bench import build_world  # noqa: E402


def work_per_worker(workers: list[str], weights: list[float], order: list[int]) -> Counter:
    work: Counter = Counter()
    for worker, user in zip(workers, order, strict=True):
        work[worker] += weights[user]
    return work


def test_the_world_asks_different_work_of_its_seats_in_a_cycle(tmp_path):
    interviewers, criteria = build_world(tmp_path / "world.sqlite", 8)
    choices = ws_load_bench.choices_per_seat(tmp_path / "world.sqlite", interviewers)
    assert choices == [7, 6, 6, 5, 7, 6, 6, 5]  # the criteria of each seat and the overall
    assert criteria + 1 == choices[0]


def test_round_robin_tabs_get_the_same_work_on_each_worker():
    workers = ["w1", "w2"] * 30  # as HAProxy's round-robin hands out 60 tabs
    weights = [7, 6, 6, 5] * 15
    in_tab_order = work_per_worker(workers, weights, list(range(60)))
    assert in_tab_order == {"w1": 195, "w2": 165}  # what taking users in tab order gave
    order = ws_load_bench.deal(workers, weights)
    assert sorted(order) == list(range(60))  # every user once
    assert work_per_worker(workers, weights, order) == {"w1": 180, "w2": 180}


def test_each_worker_keeps_its_tabs_and_the_work_is_as_even_as_whole_users_allow():
    workers = ["w2", "w1", "w1", "w3", "w1", "w2", "w3", "w1"]
    weights = [7, 7, 6, 6, 6, 5, 5, 4]
    order = ws_load_bench.deal(workers, weights)
    assert sorted(order) == list(range(8))
    work = work_per_worker(workers, weights, order)
    tabs = Counter(workers)
    assert tabs == {"w1": 4, "w2": 2, "w3": 2}
    # w1 has 4 tabs, w2 and w3 two each: twice their work, as nearly as whole users allow
    per_tab = [work[w] / tabs[w] for w in tabs]
    assert max(per_tab) - min(per_tab) <= 1.0, work
    with pytest.raises(ValueError):
        ws_load_bench.deal(["w1", "w2"], [1.0])


def test_one_worker_takes_the_users_in_their_order():
    assert ws_load_bench.deal([""] * 5, [1.0] * 5) == [0, 1, 2, 3, 4]


@pytest.mark.e2e
@pytest.mark.slow
def test_two_workers_each_get_half_the_users_and_half_the_points(tmp_path):
    result = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "ws_load_bench.py"), "--users", "8"),
            *("--workers", "2", "--only", "app", "--keep", str(tmp_path), "--step-timeout", "120"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"per worker \(X-Debrief-Worker\) over the rush: (.*)", result.stdout)
    assert found, result.stdout
    shares = dict(
        (w, (int(u), int(p)))
        for w, u, p in re.findall(r"(w\d) (\d+) users, (\d+) points", found.group(1))
    )
    # 8 seats of 7, 6, 6, 5 choices twice: 4 users and 24 points each (26 and 22 in tab order)
    assert shares == {"w1": (4, 24), "w2": (4, 24)}, found.group(0)


def test_one_worker_keeps_the_users_in_their_order_whatever_their_work():
    # heaviest first would start the big scorecards first and flatter the 1-worker p95
    assert ws_load_bench.deal([""] * 8, [5, 6, 7, 5, 7, 6, 6, 5]) == list(range(8))


def test_on_each_worker_the_users_start_in_their_own_order():
    workers = ["w1", "w2"] * 6
    order = ws_load_bench.deal(workers, [7, 6, 6, 5] * 3)
    for worker in ("w1", "w2"):
        mine = [user for w, user in zip(workers, order, strict=True) if w == worker]
        assert mine == sorted(mine)


def test_the_floor_sets_as_many_points_as_the_app_in_all():
    choices = [7, 6, 6, 5] * 15  # the app's seats: 360 choices for 60 users
    criteria = ws_load_bench.floor_criteria(choices)
    assert criteria == 5  # the first seat's rubric has 6: 420 choices on the floor
    assert (criteria + 1) * len(choices) == sum(choices)
