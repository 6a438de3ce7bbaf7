"""What one interviewer's flow costs the server, rerun by rerun, with AppTest (issue 25, point 3).

The flow of the 9 a.m. rush: sign in with email and access code (scrypt at production cost) on
the root page, which leads to My interviews; open the scorecard; a rerun that changes nothing;
choose every point, one rerun each; commit the feedback (a text commit, as autosave.js makes it);
press Submit; confirm in the dialog. For each rerun: SQL statements and connections opened
(`scoring.store.count_statements`), draft saves (statements writing the drafts table),
permission evaluations (calls of `scoring.permissions.why_not`, which `may` and `ensure` ask),
the messages the run sends the browser (each a wake-up of a server's event loop) and the CPU
the process spent (script thread and AppTest's own work; the scrypt pool included).
The same clicks on benchmarks/floor_app.py give AppTest's floor.

usage: .venv/bin/python benchmarks/scorecard_reruns.py [--repeat 3]
Printed: one line a rerun, the median over the repeats.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.chdir(ROOT)

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

from scoring import people, permissions  # noqa: E402
from scoring.store import count_statements  # noqa: E402

# A server compiles each page once for all its sessions; AppTest compiles it again on every run
# (a new ScriptCache each time), which would count the compiler as the page's cost.
_COMPILED = ScriptCache()
app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _COMPILED

# A server runs app.py on every rerun, which draws its navigation and runs the page (once
# app.py's first run has called st.navigation, for every session after). AppTest forgets that
# before each run and, seeing a pages/ folder, runs a switched-to page alone, without app.py.
_run_script = script_runner.ScriptRunner._run_script


def _as_a_server(self, *args, **kwargs):
    PagesManager.uses_pages_directory = False
    return _run_script(self, *args, **kwargs)


script_runner.ScriptRunner._run_script = _as_a_server

# AppTest reruns the whole script for every widget; a browser reruns only the fragment that holds
# the widget. While FRAGMENTS names one, a run is that fragment's rerun, as a browser asks it.
FRAGMENTS: list[str] = []
_RerunData = local_script_runner.RerunData


def _rerun_data(**fields):
    if FRAGMENTS:
        fields.update(fragment_id_queue=list(FRAGMENTS), is_fragment_scoped_rerun=True)
    return _RerunData(**fields)


local_script_runner.RerunData = _rerun_data

EVALUATIONS = [0]
_why_not = permissions.why_not


def _counted(*args, **kwargs):
    EVALUATIONS[0] += 1
    return _why_not(*args, **kwargs)


permissions.why_not = _counted  # `may` and `ensure` look it up in the module on every call

# Each message a run sends (a delta, a block, the run's start and end) costs a server a wake-up
# of its event loop and a websocket frame: counted as the browser would receive them.
MESSAGES = [0]
_enqueue = script_runner.ScriptRunner._enqueue_forward_msg


def _counted_message(self, msg):
    MESSAGES[0] += 1
    return _enqueue(self, msg)


script_runner.ScriptRunner._enqueue_forward_msg = _counted_message


def measure(rows: dict[str, list[tuple]], name: str, step) -> None:
    EVALUATIONS[0] = MESSAGES[0] = 0
    with count_statements() as seen:
        cpu = time.process_time()
        step()
        cpu = time.process_time() - cpu
    saves = sum(1 for s in seen.statements if "INTO drafts" in s)
    rows[name].append((cpu * 1000, len(seen), seen.connections, saves, EVALUATIONS[0], MESSAGES[0]))


def radio(at, key_part):
    return next(r for r in at.radio if r.key and r.key.endswith(key_part))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def app_flow(rows: dict[str, list[tuple]], path: Path) -> int:
    """The interviewer's flow on a fresh copy of the tests' world; returns the criteria count."""
    from world import build

    w = build(path)
    os.environ["DEBRIEF_DB"] = str(w.store.path)
    code = people.issue_code(w.store, w.coordinator, w.cy.id)
    seat = w.seats["cy"]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    measure(rows, "load: sign-in form", at.run)
    at.text_input(key="email_main").input("cy@example.com")
    at.text_input(key="code_main").input(code)
    measure(rows, "sign in -> My interviews", lambda: button(at, "Sign in").click().run())
    assert not at.exception, at.exception
    assert at.session_state["person_id"] == w.cy.id
    measure(rows, "My interviews rerun", at.run)
    at.query_params["assignment"] = str(seat)
    measure(rows, "open scorecard", lambda: at.switch_page("pages/scorecard.py").run())
    assert not at.exception, at.exception
    measure(rows, "rerun, nothing changed", at.run)
    FRAGMENTS[:] = fragments(at)[-1:]  # the form's, if the page has one: its widgets rerun it
    points = [
        r.key
        for r in at.radio
        if r.key and r.key.startswith(f"score_{seat}_") and not r.key.endswith("_overall")
    ]
    for key in points:
        measure(rows, "choose a point", lambda k=key: choose(at, k, -2))
    measure(rows, "choose the overall", lambda: choose(at, "_overall", 4))
    measure(
        rows,
        "commit the feedback",
        lambda: at.text_area(key=f"score_{seat}_feedback").input("Clean, tested code.").run(),
    )
    measure(rows, "press Submit", lambda: button(at, "Submit scorecard…").click().run())
    FRAGMENTS[:] = fragments(at)[-1:]  # the dialog, a fragment of its own, opened last
    measure(rows, "confirm", lambda: button(at, "Submit: it is final").click().run())
    FRAGMENTS.clear()
    assert not at.exception, at.exception
    assert any("submitted" in s.value.lower() for s in at.success), [s.value for s in at.success]
    return len(points)


def fragments(at) -> list[str]:
    """The fragments the last run registered, in their order."""
    storage = at._fragment_storage
    return sorted(storage._fragments, key=storage._registration_sequence_by_id.get)


def choose(at, key_part: str, index: int) -> None:
    widget = radio(at, key_part)
    widget.set_value(widget.options[index]).run()


def floor_flow(rows: dict[str, list[tuple]], criteria: int) -> None:
    os.environ["FLOOR_CRITERIA"] = str(criteria)
    at = AppTest.from_file(str(ROOT / "benchmarks" / "floor_app.py"), default_timeout=60)
    measure(rows, "load: sign-in form", at.run)
    at.text_input[0].input("cy@example.com")
    at.text_input[1].input("XXXX")
    measure(rows, "sign in", lambda: button(at, "Sign in").click().run())
    measure(rows, "open scorecard", lambda: button(at, "Score").click().run())
    for n in range(criteria):
        measure(rows, "choose a point", lambda n=n: at.radio(key=f"c{n}").set_value("3").run())
    measure(rows, "choose the overall", lambda: choose(at, "overall", 4))
    measure(rows, "commit the feedback", lambda: at.text_area(key="feedback").input("Clean.").run())
    measure(rows, "press Submit", lambda: button(at, "Submit scorecard…").click().run())
    FRAGMENTS[:] = fragments(at)[-1:]  # the dialog, a fragment of its own, opened last
    measure(rows, "confirm", lambda: button(at, "Submit: it is final").click().run())
    FRAGMENTS.clear()


def report(title: str, rows: dict[str, list[tuple]], repeat: int) -> float:
    print(f"\n{title} (median of {repeat}; a step done k times a flow is one line, per rerun)")
    print(f"{'rerun':<28} {'k':>2} {'CPU ms':>8} {'stmts':>6} {'conns':>6} {'saves':>6}", end="")
    print(f" {'perms':>6} {'msgs':>5}")
    total = 0.0
    for name, seen in rows.items():
        k = len(seen) // repeat
        columns = list(zip(*seen, strict=True))
        med = [statistics.median(c) for c in columns]
        total += med[0] * k
        print(
            f"{name:<28} {k:>2} {med[0]:>8.1f} {med[1]:>6.0f} {med[2]:>6.0f} {med[3]:>6.0f}"
            f" {med[4]:>6.0f} {med[5]:>5.0f}"
        )
    print(f"{'the whole flow':<28} {'':>2} {total:>8.0f} ms of CPU")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DEBRIEF_AUDIT_KEY", "scorecard-reruns-benchmark-key-0123456789")
    app: dict[str, list[tuple]] = defaultdict(list)
    floor: dict[str, list[tuple]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as folder:
        # A first flow of each warms up: imports, the world built once.
        criteria = app_flow(defaultdict(list), Path(folder) / "warm.sqlite")
        floor_flow(defaultdict(list), criteria)
        for n in range(args.repeat):
            app_flow(app, Path(folder) / f"flow-{n}.sqlite")
            floor_flow(floor, criteria)
    app_ms = report("The app", app, args.repeat)
    floor_ms = report("The floor (benchmarks/floor_app.py)", floor, args.repeat)
    print(f"\napp / floor: {app_ms / floor_ms:.1f}x")


if __name__ == "__main__":
    main()
