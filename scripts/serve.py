"""Debrief on every core: N `streamlit run server.py` workers on one SQLite file, behind HAProxy.

usage: scripts/run [--workers N] [streamlit options...]      (scripts/run calls this)

- N defaults to the cores this process may use. `--workers 1` runs one `streamlit run server.py`
  as before, with no proxy at all (this process becomes it).
- The workers listen on 127.0.0.1 only, on free ports; HAProxy listens on `--server.port`
  (default 8501) and `--server.address` (default every interface), sends each new browser to
  the next worker and keeps it there with a cookie (`debrief_worker`), so a session's
  websocket, uploads, media and /api/session all reach the worker that holds the session.
- HAProxy connects to the workers from 127.0.0.2 and appends the browser's address to
  X-Forwarded-For; a generated secrets file (read after yours, which is never changed) sets
  `[sign_in] trusted_proxies` to your own list plus 127.0.0.2 and `client_header` to
  X-Forwarded-For, so the sign-in throttle counts each browser, not the proxy, and a program
  that connects to a worker directly (from 127.0.0.1) is not believed.
- Every worker gets the same `server.cookieSecret` (yours if you set one, else a random one
  for this run): Streamlit's XSRF and single sign-on cookies then hold on any worker.
- A worker that dies is restarted on its port, after 1 s, then 2, 4, 8 s (a worker that dies
  at once is not restarted in a tight loop); one that dies 5 times within a minute stops the
  whole run with exit status 1, as does HAProxy dying. A worker's port taken by another
  program in the meantime is named as the reason. Ctrl-C, SIGTERM or SIGHUP (the terminal
  closing) stops HAProxy and every worker; the children also get SIGTERM if this process is
  killed outright. The children run in their own process group: a terminal's Ctrl-C reaches
  this process only, which stops them in order.
- Without HAProxy installed (`apt-get install haproxy`), N > 1 says so and runs one worker.
- Every `streamlit run` (one worker too) serves as in production: no file watcher and no rerun
  on save (SERVING), unless the command line or the environment names these options. Streamlit's
  default watches every module the app imports, for every session, after every run.
Everything else on the command line goes to every `streamlit run`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg"
PROXY_SOURCE = "127.0.0.2"  # the address HAProxy connects to the workers from
CLIENT_HEADER = "X-Forwarded-For"
RESTARTS = 5  # deaths of one worker within RESTART_WINDOW that end the run
RESTART_WINDOW = 60.0
BACKOFF = 1.0  # seconds before a dead worker's first restart, doubled at each death since
BACKOFF_MOST = 8.0
# Streamlit's options for serving, not for editing the code: Streamlit's default file watcher
# gives every session its own watcher of every module the app imports (rebuilt after each run),
# and polls where watchdog is missing; a server's code changes only with a restart. The
# benchmarks run the floor with the same options.
SERVING = {"--server.fileWatcherType": "none", "--server.runOnSave": "false"}


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parse(argv: list[str]) -> tuple[int, list[str]]:
    """(workers, the arguments left for `streamlit run`)."""
    parser = argparse.ArgumentParser(prog="scripts/run", add_help=False)
    parser.add_argument("--workers", type=int, default=None)
    known, rest = parser.parse_known_args(argv)
    workers = cores() if known.workers is None else known.workers
    if workers < 1:
        raise SystemExit("scripts/run: --workers must be 1 or more")
    return workers, rest


def take_option(args: list[str], name: str) -> tuple[list[str], list[str]]:
    """The values of `--name V` / `--name=V` in `args`, and `args` without them."""
    values, left, i = [], [], 0
    while i < len(args):
        arg = args[i]
        if arg == name and i + 1 < len(args):
            values.append(args[i + 1])
            i += 2
            continue
        if arg.startswith(name + "="):
            values.append(arg.split("=", 1)[1])
        else:
            left.append(arg)
        i += 1
    return values, left


def serving_options(args: list[str], environ: dict[str, str] | None = None) -> list[str]:
    """SERVING's options that neither `args` nor the environment (STREAMLIT_SERVER_...) set."""
    environ = os.environ if environ is None else environ
    added = []
    for name, value in SERVING.items():
        option = name.removeprefix("--").split(".", 1)[1]
        variable = "STREAMLIT_SERVER_" + "".join(
            f"_{c}" if c.isupper() else c.upper() for c in option
        )
        if variable in environ or any(a == name or a.startswith(f"{name}=") for a in args):
            continue
        added += [name, value]
    return added


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_taken(port: int) -> bool:
    """Whether another program listens on 127.0.0.1:`port` (bound with SO_REUSEADDR, as a
    server binds, so a closed connection's TIME_WAIT does not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def toml_string(value: object) -> str:
    """`value` as a TOML basic string: quotes, backslashes and control characters escaped (a
    proxy's name or a URL with a quote in it must not end the string or break the file)."""
    out = []
    for c in str(value):
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def proxy_source() -> str:
    """127.0.0.2 where this system can connect from it (Linux routes all of 127/8 to lo)."""
    try:
        with socket.socket() as s:
            s.bind((PROXY_SOURCE, 0))
        return PROXY_SOURCE
    except OSError:
        print(
            f"scripts/run: cannot connect from {PROXY_SOURCE}; HAProxy uses 127.0.0.1, so a "
            "program on this machine could claim any client address to the sign-in throttle",
            file=sys.stderr,
        )
        return "127.0.0.1"


def default_secrets_files() -> list[str]:
    """Streamlit's own default list (it reads both, the project's last)."""
    return [str(Path.home() / ".streamlit" / "secrets.toml"), str(ROOT / ".streamlit/secrets.toml")]


def sign_in_section(files: list[str], source: str) -> str:
    """The generated `[sign_in]`: the user's own (from the last file that has one; Streamlit
    replaces a whole section, never merges it), plus the proxy as a trusted one."""
    own: dict = {}
    for name in files:
        path = Path(name)
        if path.is_file():
            try:
                found = tomllib.loads(path.read_text()).get("sign_in")
            except (OSError, tomllib.TOMLDecodeError):
                continue  # Streamlit itself will say what is wrong with it
            if isinstance(found, dict):
                own = found
    proxies = own.get("trusted_proxies") or []
    proxies = [proxies] if isinstance(proxies, str) else list(proxies)
    header = str(own.get("client_header") or CLIENT_HEADER)
    if header.lower() != CLIENT_HEADER.lower():
        print(
            f"scripts/run: your [sign_in] client_header is {header}; behind HAProxy the "
            f"workers read {CLIENT_HEADER} (a proxy in front of it must write that one)",
            file=sys.stderr,
        )
    lines = [
        "# Written by scripts/run for this run only: read after your own secrets files.",
        "[sign_in]",
        f"trusted_proxies = [{', '.join(toml_string(p) for p in [*proxies, source])}]",
        f"client_header = {toml_string(CLIENT_HEADER)}",
    ]
    if own.get("public_url"):
        lines.append(f"public_url = {toml_string(own['public_url'])}")
    return "\n".join(lines) + "\n"


def proxy_words(bind: str, source: str) -> None:
    """`bind` and `source` go into HAProxy's configuration as words, so a character that would
    end one (a space, a quote, a newline, a #) is refused rather than written."""
    for value in (bind, source):
        if not value or any(c.isspace() or c in "\"'#\\" for c in value):
            raise SystemExit(f"scripts/run: not an address HAProxy can listen on: {value!r}")


def haproxy_config(bind: str, ports: list[int], source: str) -> str:
    """The HAProxy configuration (its words checked: `proxy_words`)."""
    proxy_words(bind, source)
    servers = "\n".join(
        f"    server w{n} 127.0.0.1:{port} cookie w{n}" for n, port in enumerate(ports, 1)
    )
    return Template(TEMPLATE.read_text()).substitute(bind=bind, source=source, servers=servers)


# Run first in every child, then replaced by the child's own program (exec keeps it): on Linux
# the child gets SIGTERM when this launcher dies, even from a kill -9 (no orphans); a launcher
# already gone by then ends it at once. Done in the child's own Python rather than by Popen's
# preexec_fn, which is unsafe once this process runs threads (the output relays).
_DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "try: ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)\n"  # PR_SET_PDEATHSIG
    "except (AttributeError, OSError): pass\n"
    "if os.getppid() != int(sys.argv[1]): sys.exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def spawn(command: list[str], **options) -> subprocess.Popen:
    """Start `command` (its program an absolute path) as a child that dies with this process,
    in a process group of its own: a terminal's Ctrl-C or hang-up reaches the launcher, which
    stops the children itself (proxy and workers together, none left behind)."""
    shim = [sys.executable, "-S", "-c", _DIE_WITH_PARENT, str(os.getpid())]
    return subprocess.Popen([*shim, *command], process_group=0, **options)


# Streamlit's banner names the worker's own address, which nobody should open.
_BANNER = (b"You can now view your Streamlit app", b"URL: http://127.0.0.1:")


def _relay(name: str, stream) -> None:
    for line in iter(stream.readline, b""):
        if not line.strip() or any(part in line for part in _BANNER):
            continue
        sys.stdout.buffer.write(f"[{name}] ".encode() + line)
        sys.stdout.flush()


class Run:
    """The proxy and the workers of one run."""

    def __init__(self, workers: int, args: list[str], haproxy: str, stopping: threading.Event):
        ports, args = take_option(args, "--server.port")
        addresses, args = take_option(args, "--server.address")
        files, args = take_option(args, "--secrets.files")
        self.port = int(ports[-1]) if ports else 8501
        address = addresses[-1] if addresses else ""
        self.bind = f"{address}:{self.port}" if address else f":{self.port}"
        self.args = [*serving_options(args), *args]
        self.haproxy = haproxy
        self.source = source = proxy_source()
        proxy_words(self.bind, source)  # a bad address refused before anything is written
        self.folder = Path(tempfile.mkdtemp(prefix="debrief-run-"))  # 0700: the secret's home
        secrets_path = self.folder / "sign_in.toml"
        user_files = files or default_secrets_files()
        secrets_path.write_text(sign_in_section(user_files, source))
        self.secrets_args = [
            a for f in [*user_files, str(secrets_path)] for a in ("--secrets.files", f)
        ]
        self.ports = [free_port() for _ in range(workers)]
        self.config = self.folder / "haproxy.cfg"
        self.config.write_text(haproxy_config(self.bind, self.ports, source))
        self.env = {
            **os.environ,
            # one secret for every worker: Streamlit's XSRF cookie and st.login's cookie hold
            # on whichever worker a browser reaches
            "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
            or secrets.token_urlsafe(32),
            # uvicorn must not rewrite the peer from X-Forwarded-For: [sign_in] decides whom
            # to believe
            "FORWARDED_ALLOW_IPS": "",
            "STREAMLIT_SERVER_HEADLESS": "true",
        }
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.deaths: list[list[float]] = [[] for _ in range(workers)]
        self.restart_at: list[float | None] = [None] * workers  # a dead worker's next start
        self.proxy: subprocess.Popen | None = None
        self.stopping = stopping

    def worker_command(self, n: int) -> list[str]:
        return [
            *(sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py")),
            *self.args,
            *self.secrets_args,
            *("--server.port", str(self.ports[n]), "--server.address", "127.0.0.1"),
        ]

    def claim_ports(self) -> None:
        """Just before the workers start: a port another program took since it was chosen is
        exchanged for a free one (and the proxy's configuration written again)."""
        taken = [n for n, port in enumerate(self.ports) if port_taken(port)]
        for n in taken:
            self.ports[n] = free_port()
        if taken:
            self.config.write_text(haproxy_config(self.bind, self.ports, self.source))

    def _start_worker(self, n: int) -> None:
        self.restart_at[n] = None
        process = spawn(
            self.worker_command(n),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=_relay, args=(f"w{n + 1}", process.stdout), daemon=True).start()
        self.workers[n] = process

    def _healthy(self, port: int, host: str | None = "127.0.0.1") -> bool:
        host = host or self.bind.rsplit(":", 1)[0]
        try:
            url = f"http://{host}:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.read() == b"ok"
        except OSError:
            return False

    def start(self) -> None:
        check = subprocess.run(
            [self.haproxy, "-c", "-q", "-f", str(self.config)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise SystemExit(f"scripts/run: HAProxy refuses its configuration:\n{check.stderr}")
        self.claim_ports()
        for n in range(len(self.workers)):
            self._start_worker(n)
        deadline = time.monotonic() + 120
        while not all(self._healthy(p) for p in self.ports):
            if self.stopping.is_set() or time.monotonic() > deadline:
                raise SystemExit("scripts/run: the workers did not start")
            self._check()
            time.sleep(0.25)
        # the proxy after the workers: it then finds every one of them up
        self.proxy = spawn([self.haproxy, "-db", "-f", str(self.config)], cwd=self.folder)
        while not self._healthy(self.port, "localhost" if self.bind.startswith(":") else None):
            if self.stopping.is_set() or time.monotonic() > deadline:
                raise SystemExit("scripts/run: the workers did not start")
            self._check()
            time.sleep(0.1)
        shown = self.bind.split(":")[0] or "localhost"
        print(
            f"Debrief: http://{shown}:{self.port} ({len(self.workers)} workers behind HAProxy"
            f" on ports {', '.join(map(str, self.ports))} of 127.0.0.1)",
            flush=True,
        )

    def _check(self) -> None:
        """Restart a dead worker; end the run if one keeps dying or the proxy died."""
        if self.stopping.is_set():
            return  # the launcher is stopping them: stopping, not dying
        if self.proxy is not None and self.proxy.poll() is not None:
            raise SystemExit(f"scripts/run: HAProxy stopped (exit {self.proxy.returncode})")
        now = time.monotonic()
        for n, process in enumerate(self.workers):
            if process is None:
                if self.restart_at[n] is not None and now >= self.restart_at[n]:
                    self._start_worker(n)
                continue
            if process.poll() is None:
                continue
            self.deaths[n] = [t for t in self.deaths[n] if now - t < RESTART_WINDOW] + [now]
            # another program on the worker's port: the likeliest reason it cannot start
            why = (
                f"; its port {self.ports[n]} is in use by another program"
                if port_taken(self.ports[n])
                else ""
            )
            if len(self.deaths[n]) >= RESTARTS:
                raise SystemExit(
                    f"scripts/run: worker w{n + 1} died {RESTARTS} times within a minute"
                    f" (exit {process.returncode}{why}); stopping"
                )
            wait = min(BACKOFF * 2 ** (len(self.deaths[n]) - 1), BACKOFF_MOST)
            print(
                f"scripts/run: worker w{n + 1} stopped (exit {process.returncode}{why});"
                f" restarting in {wait:g} s",
                file=sys.stderr,
                flush=True,
            )
            self.workers[n] = None
            self.restart_at[n] = now + wait

    def watch(self) -> None:
        while not self.stopping.wait(0.5):
            self._check()

    def stop(self) -> None:
        self.stopping.set()
        children = [p for p in [self.proxy, *self.workers] if p is not None]
        for process in children:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def single(args: list[str]) -> None:
    """One worker, no proxy: exactly `streamlit run server.py ARGS` (this process becomes it)."""
    # The web server under Streamlit (uvicorn) would otherwise believe X-Forwarded-For from any
    # program on this machine; which proxy to believe is `[sign_in] trusted_proxies`' to say.
    os.environ["FORWARDED_ALLOW_IPS"] = os.environ.get("FORWARDED_ALLOW_IPS", "")
    os.chdir(ROOT)
    os.execv(sys.executable, single_command(args))


def single_command(args: list[str]) -> list[str]:
    """The one worker's `streamlit run server.py`, with SERVING's options the user left open."""
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py")]
    return [*command, *serving_options(args), *args]


def main(argv: list[str]) -> int:
    workers, args = parse(argv)
    haproxy = shutil.which("haproxy")
    if workers > 1 and haproxy is None:
        print(
            f"scripts/run: {workers} workers need HAProxy, which is not installed "
            "(sudo apt-get install haproxy); running 1 worker instead",
            file=sys.stderr,
            flush=True,
        )
        workers = 1
    if workers == 1:
        single(args)
    run = None
    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()

    # SIGHUP: the terminal closed; the workers and the proxy go with this process. Not when
    # started to outlive its terminal (`nohup scripts/run …`: SIGHUP ignored), as one worker does.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        if signum == signal.SIGHUP and signal.getsignal(signum) == signal.SIG_IGN:
            continue
        signal.signal(signum, stop)
    try:
        run = Run(workers, args, haproxy, stopping)
        run.start()
        run.watch()
        return 0
    except SystemExit as failure:
        if stopping.is_set() and "did not start" in str(failure):
            return 0  # stopped while starting
        print(failure, file=sys.stderr, flush=True)
        return 1
    finally:
        if run is not None:
            run.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
