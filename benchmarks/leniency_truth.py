"""Benchmark: does the leniency figure recover interviewers' true leniency? (Issue 23; not a
timed test: it prints figures.)

Draws seeded histories from known parameters (tests/insight_truth.py) in two designs: issue
16's random assignment (one session type, interviewers drawn at random) and issue 23's
specialised assignment (four session types from hard to easy, each interviewer running their
home type 70% of the time, four neutral interviewers). For each design and each estimator (the
session-type fit of `scoring.leniency` and issue 16's raw offset from co-interviewers, shrunk
by `insights.shrink`) it prints: the share of interviewer x history whose 95% interval covers
the true leniency (relative to the average interviewer), the worst interviewer's count, the
false flags (neutral interviewers whose interval excludes 0), the share of lenient/harsh ones
flagged the right way, and the ratio of printed to actual spread. Then the fit's time at the
largest window the page computes (1,000 candidates, 100 interviewers, 20 session types).

usage: .venv/bin/python benchmarks/leniency_truth.py [--seeds 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from insight_truth import (  # noqa: E402
    ESTIMATORS,
    SPECIALISED,
    Parameters,
    leniency_figures,
)

from scoring import leniency  # noqa: E402


def timing_rows(
    candidates: int = 1000, interviewers: int = 100, types: int = 20, seats: int = 4
) -> pd.DataFrame:
    """A window at the page's limit: each candidate seen by `seats` interviewers, each of whom
    runs their home type 70% of the time."""
    rng = np.random.default_rng(1)
    home = rng.integers(0, types, interviewers)
    who = np.argsort(rng.random((candidates, interviewers)), axis=1)[:, :seats].reshape(-1)
    session = np.where(rng.random(len(who)) < 0.7, home[who], rng.integers(0, types, len(who)))
    return pd.DataFrame(
        {
            "candidate_id": np.repeat(np.arange(candidates), seats),
            "interviewer_id": who,
            "session_type": [f"type-{t}" for t in session],
            "normalised": rng.integers(0, 6, len(who)) / 5,
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    designs = {"random (issue 16)": Parameters(), "specialised (issue 23)": SPECIALISED}
    header = (
        f"{'design':24} {'estimator':28} {'coverage':>9} {'worst':>6} "
        f"{'false flags':>14} {'detected':>9} {'width/spread':>13}"
    )
    print(f"{args.seeds} histories of 100 candidates per design\n")
    print(header)
    print("-" * len(header))
    for design, p in designs.items():
        for name, estimator in ESTIMATORS.items():
            f = leniency_figures(p, seeds, estimator)
            flags = (
                f"{f.false_flags}/{f.neutral_seats} {f.false_flag_rate:.0%}"
                if f.neutral_seats
                else "(no neutral)"
            )
            ratios = f"{min(f.width_ratio.values()):.2f}-{max(f.width_ratio.values()):.2f}"
            print(
                f"{design:24} {name:28} {f.coverage:9.1%} {min(f.covered.values()):6d} "
                f"{flags:>14} {f.detected:9.0%} {ratios:>13}"
            )
            print(f"{'':24} per interviewer covered: {f.covered}")
    rows = timing_rows()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        leniency.fit(rows)
        times.append(time.perf_counter() - start)
    print(
        f"\nfit on {rows['candidate_id'].nunique()} candidates, "
        f"{rows['interviewer_id'].nunique()} interviewers, "
        f"{rows['session_type'].nunique()} session types ({len(rows)} scorecards): "
        f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
