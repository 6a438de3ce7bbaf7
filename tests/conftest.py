"""Shared fixtures: the project root and a way to run the command line as a user would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cli():
    """Run `python -m scoring ARGS` from the project root; returns the CompletedProcess."""

    def run(*args, stdin=None, cwd=ROOT):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "scoring", *map(str, args)],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=60,
        )

    return run
