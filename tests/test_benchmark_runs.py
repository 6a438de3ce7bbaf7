"""The benchmark script keeps working (at a toy size; its figures are not asserted here)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# The benchmark's yardstick is a bare insert that skips the service (and so the audit log): its
# database is meant not to verify.
@pytest.mark.tampered
@pytest.mark.process
def test_benchmark_prints_its_two_ratios(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "store_bench.py"),
            "--candidates",
            "30",
            "--small",
            "10",
            "--rounds",
            "5",
            "--submits",
            "2",
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "ratio submit service / bare insert" in result.stdout
    assert "ratio panel load large / small" in result.stdout
    assert "large: 30 candidates" in result.stdout
