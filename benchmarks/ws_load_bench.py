"""The 9 a.m. rush, driven at the server without browsers: N interviewers sign in, open their
scorecard, set every point, write the feedback and submit it, all at once, speaking Streamlit's
own websocket protocol to a real `streamlit run server.py` with its own SQLite file; and the same
N users on the bare one-form page benchmarks/floor_app.py, the floor, and on the same page
drawing the scorecard's own form, the form floor.

usage: .venv/bin/python benchmarks/ws_load_bench.py [--users 30 60 100] [--workers 1 2]
           [--rounds K] [--priority] [--only app|floor] [--keep FOLDER] [--step-timeout SECONDS]

Why not browsers: on a small machine N Chromium sessions take the cores from the server they
measure (benchmarks/load_bench.py, kept for what a browser sees, spends more CPU in the browsers
than in the server). Here each user is one websocket and a few HTTP requests from one asyncio
loop; the driver's own CPU is printed with the figures.

What each user does, as Streamlit's frontend does it (streamlit/proto: BackMsg, ForwardMsg):
  load      GET / (index.html and the XSRF cookie), /_stcore/health and /_stcore/host-config,
            then the websocket /_stcore/stream (subprotocol "streamlit" plus the XSRF token, the
            browser's Origin and cookies) and a first `rerun_script`, until the sign-in form is
            drawn. Static files (the JavaScript bundle) are left out: a browser has them cached,
            and they are the same for the app and the floor.
  sign_in   the Email and Access code text inputs of the form set and "Sign in" pressed (one
            `rerun_script` carrying the form's values and the button's trigger), until the run
            chain ends on the signed-in page. The app lands on My interviews in that chain (its
            start page switches there), with a "Score" link to the seat.
  cookie    (app only) the POST /api/session the page's script makes, with its one-time nonce
            read from the drawn <script>, as a browser does: it costs the server a request.
  open      "Score": on the app a page link (a `rerun_script` naming pages/scorecard.py's page
            script hash with ?assignment=ID), on the floor a button; until the form is drawn.
  point     one choice a criterion (the first point) and the overall recommendation ("4 · Yes"),
            each its own rerun (on the app each saves the draft); one sample per choice.
  feedback  "Written feedback (required)" committed three times, growing, as the page's autosave
            sends a box being typed in; one sample per commit.
  submit    "Submit scorecard…" pressed, until the confirmation dialog is drawn.
  confirm   "Submit: it is final" pressed inside the dialog (a fragment run, then the whole page),
            until the page says "This scorecard is final".
  flow      one user's whole rush, from pressing Sign in to the final state.
Every step is timed from sending the request to the run chain finishing (the ForwardMsg
`script_finished` that ends it: successfully, or a fragment run's end); `cookie` and `load` to
their last answer. Widget ids are found in the deltas by label or key, as a client would; every
rerun carries all the widget values a browser would hold (WidgetStates), the page's script hash
and query string, and the hashes of the cached messages.

The floor's flow: the same steps on floor_app.py, with as many criteria as the app's seats
have on average ($FLOOR_CRITERIA; `floor_criteria`: the world's rubrics have 6, 5, 5 and 4, so
the floor has 5 and sets as many points in all as the app, not 6 a user): a one-form sign-in
(2 runs: the submit, then its st.rerun), a "Score" button (2 runs), one rerun a choice and a
feedback commit, Submit (1 run, the dialog) and the dialog's confirm (a fragment run, then the
page). The app: sign-in 2 runs (the button's callback signs in
and switches to My interviews; the run it replaces draws nothing but still counts), open 1 run,
then the same count. No database, no rubric, no draft: what the
flow costs there is Streamlit's share.

The form floor: the same steps again on floor_app.py with $FLOOR_FORM=same, which draws the
scorecard's own form (each criterion's name and description, its radio with an anchor under each
point and an evidence box; the overall, the feedback, the bar with its line and two buttons) in
a fragment, as the app does, and still reads and saves nothing. The bare floor draws a quarter
of the elements: against it, the app's ratio counts Streamlit drawing the product's form as the
app's own work; against the form floor, what is left is the app's own (sign-in, its database,
rules, saving, the page around the form).

The app runs as it is served: through `scripts/run --workers N --server.port P` (N = 1: one
`streamlit run server.py`, no proxy), with the Streamlit options scripts/run gives its workers
(scripts/serve.py SERVING: no file watcher); the floor runs on one `streamlit run` with the same
options. Server CPU is user + system time from /proc over the load and the rush, summed over
the server's processes: every descendant of the launcher and whatever listens on the port (the
proxy), with its descendants.

The driver's CPU is printed too, per user flow over the rush, with where the machine's CPU went
over the rush: the server (and how many cores that was), the driver, other programs (on a shared
machine, what the server could not have) and idle. With one worker the driver and the other
programs mostly fit on the second core; with two workers on two cores every CPU-second they
take is the workers', so the 2-worker figure is only as good as the machine is quiet. Linux
also shares the cores between sessions (autogroups) first: on a busy machine the benchmark's
processes together get one session's share, and two workers no more than one. `--priority` (root)
puts the benchmark in a session of its own ahead of the rest, for about a dedicated machine's
figures; `--rounds K` alternates the worker counts K times and gives the median ratio.
RSS: the summed resident memory after warming up, its peak (sampled every 0.25 s) and after the
rush. Afterwards every seat must hold exactly one submitted scorecard: a lost or doubled
submission exits with status 1, as does a user who failed a step.

The floor always runs on one `streamlit run` process (scripts/run starts the app only).

The targets (issue 25): server CPU per user flow at most 3x the floor's (the summary gives the
ratio to both floors); with 2 workers on this
2-core machine, the 60-user burst's p95 at most 0.6x the 1-worker p95; every submission lands
exactly once at every size.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import os
import re
import resource
import shutil
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import httpx  # noqa: E402
from harness import free_port, running_streamlit  # noqa: E402
from load_bench import Interviewer, build_world, submissions  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from ws_client import Socket  # noqa: E402

from scoring import people, scorecards  # noqa: E402
from scoring.store import Store  # noqa: E402

STEPS = ("load", "sign_in", "cookie", "open", "point", "feedback", "submit", "confirm", "flow")
TICKS = os.sysconf("SC_CLK_TCK")
FEEDBACK = ("Clear thinking", "Clear thinking, good tests.", "Clear thinking, good tests. Hire.")
FINAL = "This scorecard is final"
NONCE = re.compile(r'"X-Debrief-Nonce": "([^"]+)"')
ENDS_A_CHAIN = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
WIDGETS = {"text_input", "text_area", "radio", "button", "checkbox", "selectbox"}
# One TLS context for every tab's HTTP client: httpx otherwise builds one per client, loading the
# CA bundle (27 ms of CPU each, 1.6 s for 60 users), though the driver speaks plain http.
TLS = ssl.create_default_context()
# httpcore looks for sniffio on every request (`import sniffio` inside a function); where it is
# not installed, each failed import searched sys.path again (~1.5 ms of CPU a request). Marked
# missing once, the import fails at once and httpcore takes asyncio, as it did.
try:
    import sniffio  # noqa: F401
except ImportError:
    sys.modules["sniffio"] = None  # type: ignore[assignment]


class StepFailed(Exception):
    """A step did not reach what a user would see next."""


# ---------------------------------------------------------------------------------- a user's tab


@dataclass
class Drawn:
    """One element of the page as the last run drew it."""

    kind: str  # the Element's type ("radio", "button", ...), or "block:<type>"
    proto: Any
    fragment_id: str
    path: tuple[int, ...]  # where it is drawn (the delta path)
    run_id: str  # the script run that drew it


class Tab:
    """One browser tab at the protocol level: its cookies, its websocket, the page as drawn, and
    the widget values a browser would hold and send with every rerun."""

    def __init__(self, base: str, timeout: float):
        self.base = base
        self.timeout = timeout
        # trust_env off: no proxy from the environment between the driver and the local server
        self.http = httpx.AsyncClient(base_url=base, timeout=timeout, verify=TLS, trust_env=False)
        self.ws: Socket | None = None
        self.page_hash = ""
        self.query = ""
        self.drawn: dict[tuple[int, ...], Drawn] = {}
        self.values: dict[str, WidgetState] = {}
        self.form_of: dict[str, str] = {}  # widget id -> its form, for a form's held values
        self.submitted_forms: set[str] = set()
        self.cache: dict[str, ForwardMsg] = {}  # the frontend's message cache, by hash
        self.ends: asyncio.Queue[int | None] = asyncio.Queue()
        self.problems: list[str] = []
        self.runs = 0  # script runs the server started for this tab (new_session messages)
        self.run_id = ""
        self.run_fragments: set[str] = set()
        self.worker = ""  # which worker the proxy sent this tab to (X-Debrief-Worker), if any

    # -- the connection

    async def load(self) -> None:
        """What a browser does opening the address, until the first run has drawn."""
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            answer = await self.http.get(path)
            answer.raise_for_status()
            self.worker = self.worker or answer.headers.get("X-Debrief-Worker", "")
        token = self.http.cookies.get("_streamlit_xsrf") or ""
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies.jar)
        # no pings: a busy server answers late, and the browser does not ping either
        self.ws = await Socket.connect(
            self.base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit", *([token] if token else [])],
            origin=self.base,
            headers={"Cookie": cookie} if cookie else {},
            on_message=self._on_message,
            on_close=lambda: self.ends.put_nowait(None),  # whoever waits learns it is gone
            timeout=self.timeout,
        )
        await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        await self.http.aclose()

    def _on_message(self, frame: bytes) -> None:
        message = ForwardMsg()
        try:
            message.ParseFromString(frame)
            self._receive(message)
        except Exception as exc:  # the step that waits says what went wrong
            self.problems.append(f"reading a message: {type(exc).__name__}: {exc}")
            self.ws.close()

    def _receive(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "ref_hash":  # a message the client said it has cached: take it from there
            cached = self.cache.get(message.ref_hash)
            if cached is None:
                self.problems.append(f"unknown cached message {message.ref_hash}")
                return
            full = ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(message.metadata)
            message, kind = full, cached.WhichOneof("type")
        elif message.metadata.cacheable:
            self.cache[message.hash] = message
        if kind == "new_session":
            self.runs += 1
            self.page_hash = message.new_session.page_script_hash
            self.run_id = message.metadata.run.script_run_id
            self.run_fragments = set(message.metadata.run.fragment_ids)
            if not self.run_fragments:  # a run of the whole page draws it anew
                self.drawn = {}
        elif kind == "delta":
            self._draw(message)
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "page_not_found":
            self.problems.append(f"page not found: {message.page_not_found.page_name}")
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self._forget_gone_widgets()
            elif message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                # as the frontend does: what the fragment drew before and not now is gone
                self.drawn = {
                    path: d
                    for path, d in self.drawn.items()
                    if d.fragment_id not in self.run_fragments or d.run_id == self.run_id
                }
            self.ends.put_nowait(message.script_finished)

    def _draw(self, message: ForwardMsg) -> None:
        delta = message.delta
        path = tuple(message.metadata.delta_path)
        if delta.WhichOneof("type") == "add_block":
            block = delta.add_block
            kind = f"block:{block.WhichOneof('type')}"
            self.drawn[path] = Drawn(kind, block, delta.fragment_id, path, self.run_id)
            return
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        proto = getattr(element, kind)
        self.drawn[path] = Drawn(kind, proto, delta.fragment_id, path, self.run_id)
        if kind == "exception":
            self.problems.append(f"exception drawn: {proto.type}: {proto.message[:200]}")
        if kind in ("text_input", "text_area", "radio"):
            self._hold_initial(kind, proto)

    def _hold_initial(self, kind: str, proto: Any) -> None:
        """The value a browser's widget holds once drawn: its default, or the value the script
        set (session state)."""
        if proto.form_id:
            self.form_of[proto.id] = proto.form_id
        if proto.id in self.values and not proto.set_value:
            return
        if kind == "radio":
            if proto.set_value and proto.HasField("raw_value"):
                value = proto.raw_value
            elif proto.HasField("default"):
                value = proto.options[proto.default]
            else:
                return
        elif proto.set_value and proto.HasField("value"):
            value = proto.value
        elif proto.HasField("default"):
            value = proto.default
        else:
            return
        self.values[proto.id] = WidgetState(id=proto.id, string_value=value)

    def _forget_gone_widgets(self) -> None:
        """As the frontend does when a whole run ends: widgets no longer drawn lose their state."""
        alive = {d.proto.id for d in self.drawn.values() if d.kind in WIDGETS}
        for gone in set(self.values) - alive:
            del self.values[gone]

    # -- what a user does

    async def rerun(
        self,
        *,
        trigger: str | None = None,
        fragment_id: str = "",
        page_hash: str | None = None,
        query: str | None = None,
    ) -> None:
        """Send a `rerun_script` as the frontend does, and wait for its run chain to end."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query if query is None else query
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.fragment_id = fragment_id
        for widget_id, value in self.values.items():
            form = self.form_of.get(widget_id)
            if form is None or form in self.submitted_forms:  # a form holds its values till sent
                state.widget_states.widgets.append(value)
        if trigger:
            state.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        state.cached_message_hashes.extend(self.cache)
        context = state.context_info
        context.timezone, context.timezone_offset, context.locale = "UTC", 0, "en-US"
        context.url = f"{self.base}/?{state.query_string}" if state.query_string else self.base
        context.is_embedded, context.color_scheme = False, "light"
        while not self.ends.empty():
            self.ends.get_nowait()
        if query is not None:
            self.query = query
        self.ws.send(message.SerializeToString())
        while True:
            try:
                status = await asyncio.wait_for(self.ends.get(), self.timeout)
            except TimeoutError:
                raise StepFailed(f"no end of the run within {self.timeout:.0f} s") from None
            if status is None:
                raise StepFailed("; ".join(["the websocket closed", *self.problems]))
            if status in ENDS_A_CHAIN:
                break
        if self.problems:
            raise StepFailed("; ".join(self.problems))

    def find(self, kind: str, label: str | None = None, *, key: str | None = None) -> Drawn:
        """The first drawn element of `kind` with this label (or whose widget key ends so)."""
        for drawn in self.all(kind):
            if label is not None and drawn.proto.label != label:
                continue
            if key is not None and not drawn.proto.id.endswith(key):
                continue
            return drawn
        raise StepFailed(f"no {kind} {label or key!r} drawn; the page shows: {self.text()}")

    def all(self, kind: str) -> list[Drawn]:
        """The drawn elements of `kind`, in the page's order (only those sorted)."""
        return [d for _, d in sorted((p, d) for p, d in self.drawn.items() if d.kind == kind)]

    def outside_dialogs(self, elements: list[Drawn]) -> list[Drawn]:
        dialogs = [d.path for d in self.drawn.values() if d.kind == "block:dialog"]
        return [e for e in elements if not any(e.path[: len(p)] == p != e.path for p in dialogs)]

    def text(self) -> str:
        words = []
        for path in sorted(self.drawn):
            proto = self.drawn[path].proto
            words.append(getattr(proto, "body", "") or getattr(proto, "label", ""))
        return " ".join(" ".join(words).split())[-400:]

    def set_value(self, widget: Drawn, value: str) -> None:
        self.values[widget.proto.id] = WidgetState(id=widget.proto.id, string_value=value)

    async def press(self, button: Drawn) -> None:
        """Press a button (a form's submit button sends the form's held values with it)."""
        if button.proto.is_form_submitter:
            self.submitted_forms.add(button.proto.form_id)
        await self.rerun(trigger=button.proto.id, fragment_id=button.fragment_id)

    async def choose(self, radio: Drawn, option: str) -> None:
        self.set_value(radio, option)
        await self.rerun(fragment_id=radio.fragment_id)


# ---------------------------------------------------------------------------------- the flow


@dataclass
class Run:
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    failures: list[str] = field(default_factory=list)
    users: int = 0
    cpu: float = 0.0
    cpu_by_process: dict[str, float] = field(default_factory=dict)
    driver_cpu: float = 0.0  # the driver's own CPU over the load and the rush
    driver_rush_cpu: float = 0.0  # ... over the rush only (from the start to the last flow)
    rss_idle: float = 0.0
    rss_peak: float = 0.0
    rss_after: float = 0.0
    wall: float = 0.0
    workers: int = 1
    script_runs: list[int] = field(default_factory=list)  # per user flow
    rush: dict[str, float] = field(default_factory=dict)  # Rush.figures()
    load: str = ""  # the machine's load averages (1, 5, 15 minutes) as the rush ended
    landed_wrong: bool = False  # a seat without exactly one submitted scorecard
    # per worker (X-Debrief-Worker): [users, points chosen, script runs] over the rush
    split: dict[str, list[int]] = field(default_factory=dict)
    worker_cpu: dict[str, float] = field(default_factory=dict)  # the rush's CPU-s per worker


async def sign_in(tab: Tab, who: Interviewer) -> None:
    email = tab.find("text_input", "Email")
    code = tab.find("text_input", "Access code")
    tab.set_value(email, who.email)
    tab.set_value(code, who.code)
    await tab.press(tab.find("button", "Sign in"))
    if any(d.proto.label == "Access code" for d in tab.all("text_input")):
        raise StepFailed(f"still at the sign-in form: {tab.text()}")


async def keep_cookie(tab: Tab) -> bool:
    """The page's cookie request, if it drew one (the app does after a sign-in)."""
    for drawn in tab.all("html"):
        found = NONCE.search(drawn.proto.body)
        if found:
            headers = {"X-Debrief-Nonce": found.group(1), "Origin": tab.base}
            headers["Referer"] = tab.base + "/"
            try:
                answer = await tab.http.post("/api/session", headers=headers)
            except httpx.TransportError:
                # a kept-alive connection the server (or the proxy) closed meanwhile: a browser
                # sends the request again on a new one; the nonce was not used
                answer = await tab.http.post("/api/session", headers=headers)
            if answer.status_code != 200:
                raise StepFailed(f"POST /api/session answered {answer.status_code}")
            return True
    return False


async def open_scorecard(tab: Tab, who: Interviewer) -> None:
    links = [d for d in tab.all("page_link") if d.proto.label == "Score"]
    if links:  # the app: My interviews links each seat's scorecard
        link = next(
            (d for d in links if d.proto.query_string == f"assignment={who.assignment_id}"), None
        )
        if link is None:
            raise StepFailed(f"no Score link to assignment {who.assignment_id}: {tab.text()}")
        await tab.rerun(page_hash=link.proto.page_script_hash, query=link.proto.query_string)
    else:  # the floor: a button
        await tab.press(tab.find("button", "Score"))
    tab.find("button", "Submit scorecard…")


def radios(tab: Tab) -> list[Drawn]:
    return tab.outside_dialogs(tab.all("radio"))


async def submit(tab: Tab) -> None:
    await tab.press(tab.find("button", "Submit scorecard…"))
    if not tab.all("block:dialog"):
        raise StepFailed(f"no confirmation dialog: {tab.text()}")


async def confirm(tab: Tab) -> None:
    await tab.press(tab.find("button", "Submit: it is final"))
    if not any(FINAL in d.proto.body for d in tab.all("alert")):
        raise StepFailed(f"not final: {tab.text()}")


async def rush(
    tab: Tab, who: Interviewer, run: Run, start: asyncio.Event, leave_unsubmitted: bool
) -> None:
    """One user's flow once every user has loaded; each step's time goes to `run.times`."""
    await start.wait()

    async def timed(step: str, action) -> None:
        began = time.monotonic()
        try:
            await action
        except (StepFailed, OSError, httpx.HTTPError) as exc:
            raise StepFailed(f"{who.email} {step}: {type(exc).__name__}: {exc}") from None
        run.times[step].append(time.monotonic() - began)

    began, runs_before = time.monotonic(), tab.runs
    share = run.split.setdefault(tab.worker or "-", [0, 0, 0])
    share[0] += 1
    try:
        await timed("sign_in", sign_in(tab, who))
        cookie_began = time.monotonic()
        try:
            if await keep_cookie(tab):
                run.times["cookie"].append(time.monotonic() - cookie_began)
        except (StepFailed, httpx.HTTPError) as exc:
            # counted as a failure; the user goes on, as the page does when its fetch fails
            run.failures.append(f"{who.email} cookie: {type(exc).__name__}: {exc}"[:700])
        await timed("open", open_scorecard(tab, who))
        for index in range(len(radios(tab))):
            radio = radios(tab)[index]
            options = list(radio.proto.options)
            overall = radio.proto.id.endswith("overall")
            choice = ("4 · Yes" if "4 · Yes" in options else options[-1]) if overall else options[0]
            await timed("point", tab.choose(radio, choice))
            share[1] += 1
        for text in FEEDBACK:
            feedback = tab.find("text_area", "Written feedback (required)")
            tab.set_value(feedback, text)
            await timed("feedback", tab.rerun(fragment_id=feedback.fragment_id))
        if leave_unsubmitted:
            return
        await timed("submit", submit(tab))
        await timed("confirm", confirm(tab))
    except StepFailed as failed:
        run.failures.append(str(failed)[:700])
        return
    finally:
        share[2] += tab.runs - runs_before
    run.times["flow"].append(time.monotonic() - began)
    run.script_runs.append(tab.runs - runs_before)


def deal(workers: list[str], weights: list[float]) -> list[int]:
    """Which user each tab takes, once every tab has loaded: `workers` names the worker each
    tab landed on (X-Debrief-Worker; "" with one worker), `weights` the work each user's flow
    asks (the choices their scorecard has). Returns, for each tab in order, a user's index.

    Every worker keeps as many users as it has tabs, and gets the same work a tab as the others
    as nearly as whole users allow: the heaviest users go first, each to the worker with the
    least work a tab so far that has a tab free. Why: the proxy sends new tabs round-robin in
    the order they arrive, and the world's seats come in a cycle (a candidate's four interviews,
    of 6, 5, 5 and 4 criteria); taking users in tab order gave one worker every 6- and
    5-criteria seat and the other every 5- and 4-criteria one: 195 points against 165 in a
    60-user rush, 14% more CPU on the first worker, whose last users then set the 2-worker p95."""
    if len(workers) != len(weights):
        raise ValueError(f"{len(workers)} tabs for {len(weights)} users")
    free: dict[str, list[int]] = {}
    for tab, worker in enumerate(workers):
        free.setdefault(worker, []).append(tab)
    work = dict.fromkeys(free, 0.0)
    tabs = {worker: len(held) for worker, held in free.items()}
    given: dict[str, list[int]] = {worker: [] for worker in free}
    # the heaviest first; among equals, in the users' own order (stable)
    for user in sorted(range(len(weights)), key=lambda u: -weights[u]):
        worker = min(
            (w for w in free if len(given[w]) < tabs[w]),
            key=lambda w: (work[w] / tabs[w], len(given[w]) - tabs[w]),
        )
        given[worker].append(user)
        work[worker] += weights[user]
    # on each worker the users start in their own order, not the heaviest first (as with one
    # worker, where every user stays on their own tab)
    order = [0] * len(workers)
    for worker, users in given.items():
        for tab, user in zip(free[worker], sorted(users), strict=True):
            order[tab] = user
    return order


def choices_per_seat(world: Path, interviewers: list[Interviewer]) -> list[int]:
    """The choices each interviewer's scorecard asks for (a point per criterion and the overall
    recommendation), read from the world as the app would show it."""
    store = Store(world)
    with store.read() as db:
        whose = dict(db.execute("SELECT id, interviewer_id FROM assignments").fetchall())
    return [
        len(
            scorecards.sheet(
                store, people.get_person(store, whose[who.assignment_id]), who.assignment_id
            ).rubric.criteria
        )
        + 1
        for who in interviewers
    ]


def floor_criteria(choices: list[int]) -> int:
    """The floor's criteria: as many as the app's seats have on average (each seat's `choices`
    count the overall recommendation too), so both set as many points in all. The world's first
    seat has 6 criteria, the average 5: the floor set 7 choices a user against the app's 6."""
    return max(1, round(statistics.mean(choices)) - 1)


async def drive(
    url: str,
    interviewers: list[Interviewer],
    run: Run,
    timeout: float,
    skip: int,
    mark: Callable[[str], None] = lambda _: None,
    weights: list[float] | None = None,
):
    """Every user loads (all at once), then all go at once; the tabs stay open till the end.
    `mark("start")` and `mark("end")` are called as the rush starts and ends. Once loaded, the
    users are dealt to the tabs so that every worker has the same work (`deal`, by `weights`:
    each user's work; by default all alike)."""
    tabs = [Tab(url, timeout) for _ in interviewers]
    try:

        async def load(tab: Tab, who: Interviewer) -> bool:
            began = time.monotonic()
            try:
                await tab.load()
                tab.find("text_input", "Access code")
            except (StepFailed, OSError, httpx.HTTPError) as exc:
                run.failures.append(f"{who.email} load: {type(exc).__name__}: {exc}"[:700])
                return False
            run.times["load"].append(time.monotonic() - began)
            return True

        loaded = await asyncio.gather(
            *(load(t, w) for t, w in zip(tabs, interviewers, strict=True))
        )
        start = asyncio.Event()
        # a tab that failed to load leaves its user out (the landing check counts them)
        ready = [tab for tab, ok in zip(tabs, loaded, strict=True) if ok]
        users = [n for n, ok in enumerate(loaded) if ok]
        weight = weights or [1.0] * len(interviewers)
        dealt = deal([tab.worker for tab in ready], [weight[n] for n in users])
        flows = [
            asyncio.create_task(
                rush(tab, interviewers[n], run, start, n >= len(interviewers) - skip)
            )
            for tab, n in zip(ready, (users[d] for d in dealt), strict=True)
        ]
        # What the load made stays till the end: out of the garbage collector's way (its full
        # passes over every tab's drawn page took ~0.25 s of the driver's CPU in a 60-user rush).
        gc.freeze()
        mark("start")
        start.set()
        try:
            await asyncio.gather(*flows)
        finally:
            mark("end")
            gc.unfreeze()
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)


def _own_cpu() -> float:
    """This process's CPU seconds so far (user + system, every thread)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


async def warm_up(url: str, times: int, timeout: float) -> None:
    """A few users load the first page, so that the server's first-run imports (on every
    worker) are not counted as the burst's."""
    for _ in range(times):
        tab = Tab(url, timeout)
        try:
            await tab.load()
        finally:
            await tab.close()


# ---------------------------------------------------------------------------------- the server


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(roots: set[int]) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if fields:
            parents[int(stat.parent.name)] = int(fields[1])
    found = set(roots)
    while True:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            return found
        found |= more


def _listening_on(port: int) -> set[int]:
    """The processes holding a listening socket on `port` (a proxy that daemonised itself)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "0A":
                inodes.add(f"socket:[{parts[9]}]")
    pids = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if os.readlink(fd) in inodes:
                pids.add(int(fd.parent.parent.name))
        except OSError:
            continue
    return pids


@dataclass
class Server:
    """The server's processes: one `streamlit run`, or scripts/run's workers and proxy."""

    url: str
    launcher: subprocess.Popen
    port: int
    pids: set[int] = field(default_factory=set)

    def find_processes(self) -> set[int]:
        roots = {self.launcher.pid} | _listening_on(self.port)
        self.pids |= {pid for pid in _descendants(roots) if pid != os.getpid()}
        return self.pids

    def cpu(self) -> dict[int, float]:
        seconds = {}
        for pid in self.find_processes():
            fields = _stat(pid)
            if fields:
                seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        return seconds

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
            total += int(found.group(1)) if found else 0
        return total / 1024


def _cmdline(pid: int) -> list[str]:
    try:
        return [
            w.decode(errors="replace")
            for w in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if w
        ]
    except OSError:
        return []


def worker_names(pids: set[int]) -> dict[int, str]:
    """Each worker's pid -> its name in the proxy (w1, w2, ...: X-Debrief-Worker), read from
    the HAProxy configuration the launcher wrote (`server wN 127.0.0.1:PORT`) and each worker's
    `--server.port`."""
    by_port: dict[str, str] = {}
    for pid in pids:
        words = _cmdline(pid)
        if "-f" in words and "haproxy" in " ".join(words[:1]):
            with suppress(OSError, IndexError):
                config = Path(words[words.index("-f") + 1]).read_text()
                by_port.update(
                    (port, name)
                    for name, port in re.findall(r"^\s*server (\S+) [^:\s]+:(\d+)", config, re.M)
                )
    names = {}
    for pid in pids:
        words = _cmdline(pid)
        if "streamlit" in words and "--server.port" in words:
            port = words[len(words) - 1 - words[::-1].index("--server.port") + 1]
            if port in by_port:
                names[pid] = by_port[port]
    return names


def _name(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    shown = " ".join(w.decode(errors="replace") for w in words if w)
    return f"{pid} {shown[:60]}"


def serving_options() -> list[str]:
    """The Streamlit options scripts/run gives every worker (no file watcher, ...): the floor
    runs with the same ones."""
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    return [part for option in serve.SERVING.items() for part in option]


@contextmanager
def server(script: Path, db: Path, workers: int, env: dict[str, str]) -> Iterator[Server]:
    """The app as it is served, through `scripts/run --workers N --server.port P` (N = 1: one
    `streamlit run server.py`, no proxy); another script (the floor) through `streamlit run
    SCRIPT` with scripts/run's options."""
    if script != ROOT / "server.py":
        with running_streamlit(script, db, env=env, args=tuple(serving_options())) as (url, pr):
            port = int(url.rsplit(":", 1)[1])
            yield Server(f"http://127.0.0.1:{port}", pr, port)
        return
    port = free_port()
    environment = {
        **os.environ,
        "DEBRIEF_DB": str(db),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
        **env,
    }
    log = open(db.with_suffix(f".run-{workers}.log"), "w")  # noqa: SIM115 - closed below
    launcher = subprocess.Popen(
        [str(ROOT / "scripts" / "run"), "--workers", str(workers), "--server.port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    found = Server(f"http://127.0.0.1:{port}", launcher, port)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{found.url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if launcher.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"scripts/run --workers {workers} did not start: see {log.name}")
            time.sleep(0.25)
        found.find_processes()
        yield found
    finally:
        everyone = found.find_processes()
        launcher.terminate()
        try:
            launcher.wait(timeout=15)
        except subprocess.TimeoutExpired:
            launcher.kill()
        for pid in everyone - {launcher.pid}:  # what the launcher left running, by its pid
            if _stat(pid) is not None:
                with suppress(OSError):
                    os.kill(pid, 15)
        log.close()


def _machine() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine so far, every core (/proc/stat)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = ticks
    return (user + nice + system + irq + softirq + steal) / TICKS, (idle + iowait) / TICKS


class Rush:
    """Where the machine's CPU went between the rush's start and end: the server, the driver,
    and everything else on the machine (other programs: on a shared machine, what the server
    could not have)."""

    def __init__(self, target: Server):
        self.target = target
        self.at: dict[str, tuple[float, dict[int, float], float, tuple[float, float]]] = {}

    def mark(self, moment: str) -> None:
        self.at[moment] = (time.monotonic(), self.target.cpu(), _own_cpu(), _machine())

    def per_worker(self) -> dict[str, float]:
        """Each worker's CPU-s over the rush, by its name in the proxy (w1, w2, ...)."""
        if not {"start", "end"} <= set(self.at):
            return {}
        (_, server0, _, _), (_, server1, _, _) = self.at["start"], self.at["end"]
        names = worker_names(set(server1))
        return {
            name: server1[pid] - server0.get(pid, 0.0)
            for pid, name in sorted(names.items(), key=lambda kv: kv[1])
        }

    def figures(self) -> dict[str, float]:
        if not {"start", "end"} <= set(self.at):
            return {}
        (t0, server0, own0, (busy0, idle0)), (t1, server1, own1, (busy1, idle1)) = (
            self.at["start"],
            self.at["end"],
        )
        server = sum(seconds - server0.get(pid, 0.0) for pid, seconds in server1.items())
        return {
            "wall": t1 - t0,
            "server": server,
            "driver": own1 - own0,
            "others": max(0.0, (busy1 - busy0) - server - (own1 - own0)),
            "idle": idle1 - idle0,
        }


class Spy:
    """`py-spy record` on each worker over the rush (--spy FOLDER): one raw (collapsed stacks)
    file a worker, named after it, to compare where each worker's CPU went."""

    def __init__(self, target: Server, folder: Path | None, label: str):
        self.target, self.folder, self.label = target, folder, label
        self.spies: list[subprocess.Popen] = []

    def mark(self, moment: str) -> None:
        if self.folder is None:
            return
        if moment == "start":
            pids = self.target.find_processes()
            names = worker_names(pids) or {
                pid: "w1" for pid in pids if "streamlit" in _cmdline(pid)
            }
            spy = ROOT / ".venv" / "bin" / "py-spy"
            for pid, name in sorted(names.items(), key=lambda kv: kv[1]):
                out = self.folder / f"{self.label}-{name}-{pid}.txt"
                command = [str(spy), "record", "-p", str(pid), "-s", "-r", "50", "--gil"]
                command += ["--format", "raw", "-o", str(out)]
                self.spies.append(
                    subprocess.Popen(
                        command,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
        elif moment == "end":
            for spy in self.spies:
                spy.send_signal(2)
            for spy in self.spies:
                try:
                    spy.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    spy.kill()


class PeakMemory:
    """Samples the summed RSS of the server's processes while the rush runs."""

    def __init__(self, target: Server):
        self.target, self.peak, self.stop = target, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.stop.wait(0.25):
            self.peak = max(self.peak, self.target.rss_mb())

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stop.set()
        self.thread.join()


def measure(
    script: Path,
    db: Path,
    interviewers: list[Interviewer],
    workers: int,
    env: dict[str, str],
    timeout: float,
    skip: int = 0,
    spy: Path | None = None,
    weights: list[float] | None = None,
) -> Run:
    run = Run(users=len(interviewers), workers=workers)
    with server(script, db, workers, env) as target:
        try:
            asyncio.run(warm_up(target.url, 2 * workers, timeout))
        except (StepFailed, OSError, httpx.HTTPError) as exc:
            run.failures.append(f"warming up: {type(exc).__name__}: {exc}"[:700])
            return run
        time.sleep(1)
        target.find_processes()
        run.rss_idle = target.rss_mb()
        before = target.cpu()
        driver_before = _own_cpu()
        began = time.monotonic()
        rush = Rush(target)
        spies = Spy(target, spy, f"rush-{len(interviewers)}-{workers}w")

        def mark(moment: str) -> None:
            if moment == "end":
                rush.mark(moment)
                spies.mark(moment)
            else:
                spies.mark(moment)
                rush.mark(moment)

        with PeakMemory(target) as peak:
            asyncio.run(drive(target.url, interviewers, run, timeout, skip, mark, weights))
            run.wall = time.monotonic() - began
            time.sleep(1)  # the last runs' clean-up and the closed sessions
        run.driver_cpu = _own_cpu() - driver_before
        after = target.cpu()
        spent = {pid: after.get(pid, 0.0) - before.get(pid, 0.0) for pid in after}
        run.cpu = sum(spent.values())
        run.cpu_by_process = {_name(pid): s for pid, s in spent.items() if s >= 0.05}
        run.rss_after = target.rss_mb()
        run.rush = rush.figures()
        run.worker_cpu = rush.per_worker()
        run.load = ", ".join(f"{a:.2f}" for a in os.getloadavg())
        run.driver_rush_cpu = run.rush.get("driver", 0.0)
        run.rss_peak = max(peak.peak, run.rss_after, run.rss_idle)
    return run


# ---------------------------------------------------------------------------------- the check


def landing(db: Path, interviewers: list[Interviewer]) -> dict[str, int]:
    """Each seat whose count of submitted scorecards is not exactly one: email -> count."""
    landed = submissions(db)
    return {
        who.email: landed.get(who.assignment_id, 0)
        for who in interviewers
        if landed.get(who.assignment_id, 0) != 1
    }


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (its WAL included), through SQLite's backup, with the
    audit key kept beside it (Debrief signs its history with it)."""
    with sqlite3.connect(source) as read, sqlite3.connect(target) as write:
        read.backup(write)
    read.close()
    write.close()
    key = Path(f"{source}.audit-key")
    if key.exists():
        shutil.copyfile(key, f"{target}.audit-key")
        os.chmod(f"{target}.audit-key", 0o600)


# ---------------------------------------------------------------------------------- reporting


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


FORM_FLOOR = "form floor"  # the floor drawing the scorecard's own form (floor_app.py, FLOOR_FORM)


def report(count: int, runs: dict[str, Run]) -> None:
    names = list(runs)
    print(f"\n{count} users at once")
    print("step      " + "".join(f"{n + ' p50':>14}{n + ' p95':>14}" for n in names), end="")
    print(f"{'p95 app/floor':>15}" if {"app", "floor"} <= set(names) else "")
    for step in STEPS:
        if not any(runs[n].times[step] for n in names):
            continue
        line = f"{step:<10}"
        for name in names:
            times = runs[name].times[step]
            line += f"{p(times, 0.5):>13.2f}s{p(times, 0.95):>13.2f}s"
        if {"app", "floor"} <= set(names) and runs["floor"].times[step]:
            ratio = p(runs["app"].times[step], 0.95) / p(runs["floor"].times[step], 0.95)
            line += f"{ratio:>14.1f}x"
        print(line)
    for name, run in runs.items():
        print(
            f"{name}: server CPU {run.cpu:.1f} s over {run.wall:.1f} s wall,"
            f" {run.cpu / count:.3f} s per user flow ({run.workers} worker(s));"
            f" RSS idle {run.rss_idle:.0f} MB, peak {run.rss_peak:.0f} MB,"
            f" after {run.rss_after:.0f} MB; driver CPU {run.driver_cpu:.1f} s"
            f" ({1000 * run.driver_rush_cpu / count:.0f} ms per user flow, the rush only);"
            f" script runs per user flow {statistics.median(run.script_runs or [0]):.0f}"
        )
        if run.rush:
            print(
                "  the rush ({wall:.1f} s from the start to the last flow's end): server"
                " {server:.1f} CPU-s ({cores:.2f} cores), driver {driver:.1f}, other programs"
                " on the machine {others:.1f}, idle {idle:.1f} (`uptime` {load})".format(
                    **run.rush,
                    cores=run.rush["server"] / max(run.rush["wall"], 1e-9),
                    load=run.load,
                )
            )
        if run.split or run.worker_cpu:
            split = "; ".join(
                f"{w} {users} users, {points} points, {runs} script runs"
                + (f", {run.worker_cpu[w]:.1f} CPU-s" if w in run.worker_cpu else "")
                for w, (users, points, runs) in sorted(run.split.items())
            )
            print(f"  per worker (X-Debrief-Worker) over the rush: {split}")
        if len(run.cpu_by_process) > 1:
            for process, seconds in sorted(run.cpu_by_process.items(), key=lambda kv: -kv[1]):
                print(f"    {seconds:7.1f} s  {process}")
        for failure in run.failures:
            print(f"  FAILED {failure}")


def summary(results: dict[int, list[dict[str, Run]]], workers: list[int]) -> None:
    """The issue's table: the floor beside the app, and the targets' ratios; a line a round,
    with the CPU-seconds other programs took during each rush, and the rounds' median ratio."""
    extra = [w for w in workers if w != 1]
    print("\nsummary (flow: one user's sign-in to final; CPU: all server processes)")
    head = (
        f"{'users':>5} | {'app p50 / p95':>17} | {'floor p50 / p95':>17} |"
        f" {'server CPU app / floor':>22} | {'per flow app / floor':>20} | {'ratio':>6}"
        f" | {'form floor per flow':>19} | {'ratio':>6}"
    )
    for w in extra:
        head += f" | {f'app {w}w p50 / p95':>17} | {f'{w}w/1w p95':>9}"
    if extra:
        head += f" | {'others in rush 1w / ' + '/'.join(f'{w}w' for w in extra):>24}"
    print(head)

    def flow(run: Run | None) -> str:
        if run is None:
            return "-"
        return f"{p(run.times['flow'], 0.5):.1f} / {p(run.times['flow'], 0.95):.1f} s"

    nan = float("nan")
    for count, rounds in results.items():
        floor = rounds[0].get("floor")
        form_floor = rounds[0].get(FORM_FLOOR)
        per_form = form_floor.cpu / count if form_floor and form_floor.cpu else nan
        ratios: dict[int, list[float]] = {w: [] for w in extra}
        for runs in rounds:
            app = runs.get("app")
            cpu = f"{app.cpu if app else nan:.1f} / {floor.cpu if floor else nan:.1f} s"
            per_app = app.cpu / count if app else nan
            per_floor = floor.cpu / count if floor and floor.cpu else nan
            line = (
                f"{count:>5} | {flow(app):>17} | {flow(floor):>17} | {cpu:>22} |"
                f" {f'{per_app:.3f} / {per_floor:.3f} s':>20} | {per_app / per_floor:>5.1f}x"
                f" | {f'{per_form:.3f} s':>19} | {per_app / per_form:>5.1f}x"
            )
            for w in extra:
                other = runs.get(f"app {w}w")
                ratio = (
                    p(other.times["flow"], 0.95) / p(app.times["flow"], 0.95)
                    if other and app
                    else nan
                )
                ratios[w].append(ratio)
                line += f" | {flow(other):>17} | {ratio:>8.2f}x"
            if extra:
                others = [
                    runs[n].rush.get("others", nan) if n in runs else nan
                    for n in ["app", *(f"app {w}w" for w in extra)]
                ]
                line += f" | {' / '.join(f'{o:.1f}' for o in others) + ' CPU-s':>24}"
            print(line)
        for w, found in ratios.items():
            found = [r for r in found if r == r]  # a round whose run failed has none
            if len(found) > 1:
                shown = ", ".join(f"{r:.2f}" for r in found)
                print(
                    f"{count:>5} users, {w}w/1w p95 over {len(found)} rounds: median"
                    f" {statistics.median(found):.2f}x ({shown})"
                )
    print(
        "targets: server CPU per user flow app/floor <= 3x; with 2 workers the 60-user p95"
        " <= 0.6x the 1-worker p95; every submission lands exactly once"
    )


# ---------------------------------------------------------------------------------- main


PRIORITY = -19


def take_priority() -> str:
    """Put this process (and so the servers it starts) in a new session, which Linux schedules
    as a group of its own (autogroup), and give that group priority. Linux shares the cores
    between such groups first: without this, the benchmark's driver, workers and proxy together
    get one group's share, however many workers there are, when other programs are busy."""
    try:
        os.setsid()
    except OSError:  # already a session or group leader: a child of `setsid` starts anew
        if os.environ.get("WS_LOAD_BENCH_SESSION") != "1":
            os.environ["WS_LOAD_BENCH_SESSION"] = "1"
            sys.stdout.flush()
            os.execvp("setsid", ["setsid", "--wait", sys.executable, *sys.argv])
    try:
        Path("/proc/self/autogroup").write_text(str(PRIORITY))
        group = Path("/proc/self/autogroup").read_text().strip()
    except OSError as exc:
        return f"no priority taken ({exc}): the figures share the machine with the rest"
    if not group:  # the kernel put this process in no autogroup (autogroups off, a cgroup)
        return "no priority taken (no autogroup here): the figures share the machine with the rest"
    return (
        f"this benchmark's processes are {group}, ahead of the machine's other programs:"
        " the figures are about those of a machine serving only Debrief"
    )


def run_app(
    folder: Path,
    world: Path,
    interviewers: list[Interviewer],
    w: int,
    options,
    weights: list[float] | None = None,
) -> Run:
    """One run of the app with `w` workers on a fresh copy of the world, its landing checked;
    `weights`: each user's work, to deal them evenly to the workers."""
    count = len(interviewers)
    db = folder / f"rush-{count}-{w}w.sqlite"
    for leftover in folder.glob(f"rush-{count}-{w}w.*"):
        leftover.unlink()
    copy_database(world, db)  # a fresh copy of the world for each run
    name = "app" if w == 1 else f"app {w}w"
    try:
        run = measure(
            ROOT / "server.py",
            db,
            interviewers,
            w,
            {},
            options.step_timeout,
            skip=options.leave_unsubmitted,
            spy=options.spy,
            weights=weights,
        )
    except RuntimeError as failed:
        print(f"\n{name}, {count} users: {failed}", file=sys.stderr)
        raise
    wrong = landing(db, interviewers)
    landed = sum(submissions(db).values())
    print(
        f"\n{name}, {count} users: submissions: {landed} scorecards for {count} seats;"
        + (f" NOT exactly once: {wrong}" if wrong else " every one landed once")
    )
    run.landed_wrong = bool(wrong)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[30, 60, 100])
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="app server processes; N > 1 through scripts/run --workers N",
    )
    parser.add_argument("--only", choices=["app", "floor"])
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the app's worker counts this many times, alternating (1w, 2w, 1w, 2w, ...);"
        " the summary gives each round's 2w/1w p95 and their median (on a shared machine one"
        " pair is at the mercy of what else runs)",
    )
    parser.add_argument(
        "--spy",
        type=Path,
        help="py-spy record each app worker over the rush into this folder (raw stacks; only"
        " samples holding the GIL, so a wait on a lock or a sleep is not counted as work)",
    )
    parser.add_argument("--keep", type=Path, help="keep the databases and logs in this folder")
    parser.add_argument("--step-timeout", type=float, default=600.0, help="seconds a step may take")
    parser.add_argument(
        "--priority",
        action="store_true",
        help="run the benchmark (driver, servers, proxy) in a scheduling group of its own ahead"
        " of the machine's other programs (Linux autogroup nice -19; needs root): on a shared"
        " machine, about what a machine serving only Debrief would show",
    )
    # For the test of the landing check: the last K users of every app run never press Submit.
    parser.add_argument("--leave-unsubmitted", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    workers = sorted(set(options.workers))
    scheduling = "shared with the machine's other programs (see 'others in rush')"
    if options.priority:
        scheduling = take_priority()
    print(f"scheduling: {scheduling}")
    status = 0
    results: dict[int, list[dict[str, Run]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for count in options.users:
            rounds: list[dict[str, Run]] = []
            world = folder / f"world-{count}.sqlite"
            for leftover in folder.glob(f"world-{count}.*"):
                leftover.unlink()
            interviewers, _ = build_world(world, count)
            weights = choices_per_seat(world, interviewers)
            criteria = floor_criteria(weights)
            for turn in range(options.rounds):
                runs: dict[str, Run] = {}
                if options.only != "app" and turn == 0:
                    runs["floor"] = measure(
                        ROOT / "benchmarks" / "floor_app.py",
                        folder / f"floor-{count}.sqlite",
                        interviewers,
                        1,
                        {"FLOOR_CRITERIA": str(criteria)},
                        options.step_timeout,
                    )
                    runs[FORM_FLOOR] = measure(
                        ROOT / "benchmarks" / "floor_app.py",
                        folder / f"form-floor-{count}.sqlite",
                        interviewers,
                        1,
                        {"FLOOR_CRITERIA": str(criteria), "FLOOR_FORM": "same"},
                        options.step_timeout,
                    )
                if options.only != "floor":
                    for w in workers:
                        try:
                            runs["app" if w == 1 else f"app {w}w"] = run_app(
                                folder, world, interviewers, w, options, weights
                            )
                        except RuntimeError:  # the server did not start: the next run may
                            status = 1
                if options.rounds > 1:
                    print(f"\nround {turn + 1} of {options.rounds}", end="")
                report(count, runs)
                rounds.append(runs)
                status |= any(run.failures for run in runs.values())
                status |= any(run.landed_wrong for run in runs.values())
            results[count] = rounds
    summary(results, workers)
    print(f"scheduling: {scheduling}")
    return status


if __name__ == "__main__":
    sys.exit(main())
