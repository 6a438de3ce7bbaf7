"""scripts/run's launcher (scripts/serve.py) without starting workers: the arguments, the
generated [sign_in] (the user's own kept, the proxy added, the user's file untouched), and a
configuration that HAProxy itself accepts. And on a machine without HAProxy, N workers fall back
to one `streamlit run`, saying so (that one starts a server: e2e)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
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
