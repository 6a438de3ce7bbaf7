"""`scripts/run --workers N` as a person starts it: HAProxy on a free port in front of N real
`streamlit run server.py` workers on one SQLite file. Used by the tests of several workers."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness import ROOT, free_port

READY = re.compile(r"Debrief: (http://\S+) \((\d+) workers behind HAProxy on ports ([\d, ]+) of")


@dataclass
class Cluster:
    url: str
    port: int
    worker_ports: list[int]
    launcher: subprocess.Popen
    log: list[str] = field(default_factory=list)
    folder: Path | None = None  # the run's private folder (its HAProxy's working directory)

    def worker_pid(self, n: int) -> int:
        """The process id of worker n (1-based), found by its port among the launcher's
        children."""
        port = str(self.worker_ports[n - 1])
        children = subprocess.run(
            ["pgrep", "-P", str(self.launcher.pid)], capture_output=True, text=True
        ).stdout.split()
        for pid in children:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"--server.port" in command and command[command.index(b"--server.port") + 1] == (
                port.encode()
            ):
                return int(pid)
        raise AssertionError(f"no worker on port {port}")


@contextmanager
def running_workers(
    db: Path,
    workers: int = 2,
    env: dict | None = None,
    args: tuple = (),
    stop: signal.Signals = signal.SIGTERM,
    through: tuple[str, ...] = (),
):
    """Start `scripts/run --workers N --server.port P` on `db`; yield a Cluster once it says
    it is ready; stop it with `stop` after (SIGTERM; SIGHUP is a terminal closing) and check
    that it ends cleanly (exit 0), leaving no process and no run folder behind. `through`: a
    command the launcher is started through (`nohup`)."""
    port = free_port()
    environment = {
        **os.environ,
        "DEBRIEF_DB": str(db),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    launcher = subprocess.Popen(
        [
            *through,
            str(ROOT / "scripts" / "run"),
            "--workers",
            str(workers),
            "--server.port",
            str(port),
            *args,
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    ready = threading.Event()
    found: list[re.Match] = []

    def read() -> None:
        for line in launcher.stdout:
            log.append(line)
            match = READY.search(line)
            if match and not found:
                found.append(match)
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    children: list[str] = []
    cluster: Cluster | None = None
    try:
        if not ready.wait(120) or not found:
            raise RuntimeError("scripts/run did not start:\n" + "".join(log))
        match = found[0]
        cluster = Cluster(
            url=f"http://localhost:{port}",
            port=port,
            worker_ports=[int(p) for p in match.group(3).split(",")],
            launcher=launcher,
            log=log,
        )
        children = subprocess.run(
            ["pgrep", "-P", str(launcher.pid)], capture_output=True, text=True
        ).stdout.split()
        for pid in children:
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/exe").resolve().name == "haproxy":
                    cluster.folder = Path(f"/proc/{pid}/cwd").resolve()
        yield cluster
    finally:
        launcher.send_signal(stop)
        try:
            status = launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            launcher.kill()
            raise
        survivors = [pid for pid in children if Path(f"/proc/{pid}").exists()]
        assert not survivors, f"left running after {stop.name}: {survivors}"
        if cluster is not None:  # it started: it must also end cleanly
            assert status == 0, f"scripts/run ended with {status} after {stop.name}"
            assert cluster.folder is None or not cluster.folder.exists(), "run folder left"
