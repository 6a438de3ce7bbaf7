"""scripts/run's launcher (scripts/serve.py) without starting workers: the arguments, the
generated [sign_in] (the user's own kept, the proxy added, the user's file untouched), and a
configuration that HAProxy itself accepts. And on a machine without HAProxy, N workers fall back
to one `streamlit run`, saying so (that one starts a server: e2e)."""

from __future__ import annotations

import importlib.util
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
serve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve)


def test_workers_and_the_options_the_launcher_keeps_for_itself():
    assert serve.parse(["--workers", "3", "--server.port", "9000"]) == (
        3,
        ["--server.port", "9000"],
    )
    assert serve.parse([])[0] == serve.cores()
    with pytest.raises(SystemExit):
        serve.parse(["--workers", "0"])
    found, left = serve.take_option(
        ["--server.port=9000", "--theme.base", "dark", "--server.port", "9001"], "--server.port"
    )
    assert found == ["9000", "9001"] and left == ["--theme.base", "dark"]


def test_the_generated_sign_in_keeps_the_user_s_and_trusts_the_proxy(tmp_path):
    own = tmp_path / "secrets.toml"
    text = (
        '[smtp]\nhost = "mail.example.com"\n\n[sign_in]\n'
        'trusted_proxies = ["10.0.0.0/8"]\npublic_url = "https://debrief.example.com"\n'
    )
    own.write_text(text)
    made = tomllib.loads(
        serve.sign_in_section([str(tmp_path / "none.toml"), str(own)], "127.0.0.2")
    )
    assert made == {
        "sign_in": {
            "trusted_proxies": ["10.0.0.0/8", "127.0.0.2"],
            "client_header": "X-Forwarded-For",
            "public_url": "https://debrief.example.com",
        }
    }
    assert own.read_text() == text  # the user's file is read, never written
    bare = tomllib.loads(serve.sign_in_section([], "127.0.0.2"))["sign_in"]
    assert bare["trusted_proxies"] == ["127.0.0.2"]


def test_every_worker_serves_without_a_file_watcher_unless_told_otherwise(monkeypatch):
    # Streamlit's default watcher costs each new session ~110 ms of CPU (a watcher of every
    # imported module); a server's code changes only with a restart.
    for name in ("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "STREAMLIT_SERVER_RUN_ON_SAVE"):
        monkeypatch.delenv(name, raising=False)
    one = serve.single_command(["--server.port", "9000"])
    assert one[-6:] == [
        *("--server.fileWatcherType", "none", "--server.runOnSave", "false"),
        *("--server.port", "9000"),
    ]
    run = serve.Run(2, ["--theme.base", "dark"], "haproxy", threading.Event())
    try:
        assert run.args == [
            *("--server.fileWatcherType", "none", "--server.runOnSave", "false"),
            *("--theme.base", "dark"),
        ]
    finally:
        shutil.rmtree(run.folder)
    # what the command line or the environment says wins, and is not said twice
    assert serve.serving_options(["--server.fileWatcherType=auto"], {}) == [
        "--server.runOnSave",
        "false",
    ]
    assert serve.serving_options([], {"STREAMLIT_SERVER_RUN_ON_SAVE": "true"}) == [
        "--server.fileWatcherType",
        "none",
    ]


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(serve.haproxy_config(":8501", [40001, 40002], "127.0.0.2"))
    check = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "cookie debrief_worker insert" in config.read_text()
    assert "server w2 127.0.0.1:40002 cookie w2" in config.read_text()


@pytest.mark.e2e
@pytest.mark.slow
def test_without_haproxy_two_workers_fall_back_to_one_and_say_so(tmp_path):
    port = serve.free_port()
    # What scripts/run installs first, installed with every tool at hand: on a clean clone the
    # test suite's install does not cover the app's own stamp, and installing needs more tools
    # (touch, pip's) than the bare PATH below, which leaves out only HAProxy's neighbours.
    subprocess.run(
        ["bash", "-c", "source scripts/venv.sh && ensure_venv requirements.txt"],
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    bare_path = tmp_path / "bin"
    bare_path.mkdir()
    for tool in ("bash", "env", "cat", "sha256sum", "cut", "dirname", "python3"):
        if shutil.which(tool):
            (bare_path / tool).symlink_to(shutil.which(tool))
    launcher = subprocess.Popen(
        [str(ROOT / "scripts" / "run"), "--workers", "2", "--server.port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PATH": str(bare_path), "DEBRIEF_DB": str(tmp_path / "one.sqlite")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                    assert answer.read() == b"ok"
                    assert "X-Debrief-Worker" not in answer.headers  # no proxy in front
                    break
            except OSError:
                assert launcher.poll() is None and time.monotonic() < deadline
                time.sleep(0.25)
    finally:
        launcher.terminate()
        _, err = launcher.communicate(timeout=20)
    assert "2 workers need HAProxy, which is not installed" in err
    assert "running 1 worker instead" in err


def test_hostile_values_in_the_generated_files_are_quoted_or_refused(tmp_path, monkeypatch):
    # a quote, a backslash or a newline in the user's own values must not end the TOML string
    own = tmp_path / "secrets.toml"
    proxies = ["10.0.0.1", 'we"ird\\name', "it's", "line\nbreak"]
    url = 'https://debrief.example.com/a"b'
    own.write_text(
        "[sign_in]\n"
        f"trusted_proxies = [{', '.join(serve.toml_string(p) for p in proxies)}]\n"
        f"public_url = {serve.toml_string(url)}\n"
    )
    made = tomllib.loads(serve.sign_in_section([str(own)], "127.0.0.2"))["sign_in"]
    assert made["trusted_proxies"] == [*proxies, "127.0.0.2"]
    assert made["public_url"] == url
    # HAProxy's configuration: an address that would end a word, or a line, is refused
    for bind in ("0.0.0.0 :8501", ":8501\n    server evil 10.0.0.1:80", "#:8501", '"x":1'):
        with pytest.raises(SystemExit, match="not an address"):
            serve.haproxy_config(bind, [40001], "127.0.0.2")
    # ... before the run writes anything: no run folder (with its secrets file) is left behind
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with pytest.raises(SystemExit, match="not an address"):
        serve.Run(2, ["--server.address", "0.0.0.0 x"], "haproxy", threading.Event())
    assert not list((tmp_path / "tmp").iterdir())


class DyingRun(serve.Run):
    """The launcher's own restart logic, its workers a program that exits at once."""

    def worker_command(self, n: int) -> list[str]:
        return [serve.sys.executable, "-c", "import sys; sys.exit(3)"]


def dying_run() -> DyingRun:
    run = DyingRun(1, [], "haproxy", threading.Event())
    run.env = {**os.environ}
    return run


def test_a_worker_that_dies_at_once_is_restarted_after_a_growing_wait(monkeypatch):
    monkeypatch.setattr(serve, "BACKOFF", 0.1)
    run = dying_run()
    starts: list[float] = []
    started = run._start_worker

    def start(n: int) -> None:
        starts.append(time.monotonic())
        started(n)

    run._start_worker = start
    try:
        run._start_worker(0)
        with pytest.raises(SystemExit, match="died 5 times"):
            while time.monotonic() - starts[0] < 20:
                run._check()  # as often as possible: only the wait may space the restarts
                time.sleep(0.01)
    finally:
        run.stop()
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 4, gaps
    # at least 0.1, 0.2, 0.4, 0.8 s (and the time the worker took to die)
    assert all(gap >= 0.095 * 2**i for i, gap in enumerate(gaps)), gaps


def test_a_worker_s_port_taken_by_another_program_is_exchanged_or_named(monkeypatch):
    monkeypatch.setattr(serve, "BACKOFF", 0.05)
    run = dying_run()
    other = socket.socket()
    try:
        # taken between being chosen and the workers' start: exchanged, the proxy told
        other.bind(("127.0.0.1", run.ports[0]))
        other.listen()
        taken = run.ports[0]
        run.claim_ports()
        assert run.ports[0] != taken and not serve.port_taken(run.ports[0])
        assert f"127.0.0.1:{run.ports[0]} cookie w1" in run.config.read_text()
        assert f":{taken} " not in run.config.read_text()
        # taken while the worker runs: its deaths name the reason
        other.close()
        other = socket.socket()
        other.bind(("127.0.0.1", run.ports[0]))
        other.listen()
        run._start_worker(0)
        with pytest.raises(SystemExit) as ended:
            for _ in range(2000):
                run._check()
                time.sleep(0.01)
        assert f"its port {run.ports[0]} is in use by another program" in str(ended.value)
    finally:
        other.close()
        run.stop()


def test_children_run_in_their_own_group_and_die_with_the_launcher(tmp_path):
    # Own group: a terminal's Ctrl-C or hang-up reaches the launcher only, which stops them.
    child = serve.spawn([serve.sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert os.getpgid(child.pid) == child.pid
    finally:
        child.kill()
        child.wait()
    # A launcher killed outright (kill -9) takes its children with it (no preexec_fn needed).
    serve_py = str(ROOT / "scripts" / "serve.py")
    script = (
        "import importlib.util, sys, time\n"
        f"spec = importlib.util.spec_from_file_location('serve', {serve_py!r})\n"
        "serve = importlib.util.module_from_spec(spec); spec.loader.exec_module(serve)\n"
        "child = serve.spawn([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(child.pid, flush=True); time.sleep(60)\n"
    )
    launcher = subprocess.Popen([serve.sys.executable, "-c", script], stdout=subprocess.PIPE)
    pid = int(launcher.stdout.readline())
    time.sleep(0.3)  # the child's own Python has run its first lines and become `sleep`
    launcher.kill()
    launcher.wait()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        assert time.monotonic() < deadline, "the child outlived its launcher"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.mark.e2e
@pytest.mark.slow
def test_a_terminal_closing_stops_the_proxy_and_every_worker(tmp_path):
    # SIGHUP (the terminal closed): the launcher stops HAProxy and both workers and ends with
    # status 0, leaving no process and no run folder (running_workers checks all three).
    from cluster import running_workers

    with running_workers(tmp_path / "one.sqlite", workers=2, stop=signal.SIGHUP) as running:
        assert running.folder is not None and (running.folder / "haproxy.cfg").exists()
        for port in running.worker_ports:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                assert answer.read() == b"ok"


@pytest.mark.e2e
@pytest.mark.slow
def test_started_with_nohup_it_outlives_its_terminal(tmp_path):
    # `nohup scripts/run --workers 2 &`: SIGHUP ignored, as for one worker (which execs into
    # streamlit); the terminal closing leaves HAProxy and the workers serving.
    from cluster import running_workers

    with running_workers(tmp_path / "one.sqlite", workers=2, through=("nohup",)) as running:
        running.launcher.send_signal(signal.SIGHUP)
        time.sleep(2)
        assert running.launcher.poll() is None, "the launcher stopped on SIGHUP under nohup"
        with urllib.request.urlopen(f"{running.url}/_stcore/health") as answer:
            assert answer.read() == b"ok"
