"""The load benchmark keeps working: two sessions on the app and on the floor page, every
submission landed exactly once (its figures are not asserted here)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.e2e
def test_two_sessions_sign_in_open_and_submit_on_app_and_floor(tmp_path):
    result = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "load_bench.py")),
            *("--sessions", "2", "--keep", str(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 scorecards for 2 assignments; every one landed exactly once" in result.stdout
    for step in ("load", "sign_in", "open", "submit"):
        assert f"\n{step} " in result.stdout
    assert "floor: server CPU" in result.stdout and "app: server CPU" in result.stdout
