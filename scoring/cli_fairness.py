"""The command line's fairness command (issue 28, item 5): `demographics import`, a CSV file of
self-identified answers (and sources) recorded in one go (`scoring.demographics_csv`). Exit
codes as `scoring.cli`'s: 0 done, 1 refused or failed, 2 usage. Imports what it uses inside
the command, so that `python -m scoring --help` loads no database layer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from scoring.errors import DebriefError

SIGNS_IN = (
    "Signs in as --as EMAIL with the access code in $DEBRIEF_CODE (asked for at the terminal when"
    " it is not set); the same access rules apply as in the app."
)


def register(commands: Any) -> list[argparse.ArgumentParser]:
    """Add `demographics` (and its `import`) to the parser's subcommands; returns the parsers
    that take --db."""
    group = commands.add_parser(
        "demographics",
        help="self-identified answers: import a CSV file of them",
        description="Self-identified answers (EEO-style, the categories of [demographics] in"
        " the secrets file) are kept apart from the candidate's record and never shown per"
        " candidate: they count only in the adverse-impact figures of Insights.",
    )
    actions = group.add_subparsers(dest="demographics_command", required=True)
    load = actions.add_parser(
        "import",
        help="record the answers (and sources) in a CSV file, whole or not at all",
        description="A CSV file with a header: candidate (their id), one column per configured"
        " category, and optionally source (referral, agency, applied, other). An empty cell"
        " leaves what was recorded. Every row is checked before anything is written; a problem"
        " names the line and the column, never what a cell holds. Coordinators only. " + SIGNS_IN,
    )
    load.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    load.add_argument("--file", required=True, metavar="CSV", help="the file ('-': standard input)")
    return [load]


def dispatch(args: argparse.Namespace, out: TextIO, err: TextIO, access_code: Any) -> int | None:
    """Run the fairness command; None when `args` names another. `access_code` is
    `scoring.cli`'s (the code from $DEBRIEF_CODE or the terminal)."""
    if args.command != "demographics":
        return None
    return _import(args, out, err, access_code)


def _import(args: argparse.Namespace, out: TextIO, err: TextIO, access_code: Any) -> int:
    import sys

    from scoring import people
    from scoring.demographics_csv import CSV_MAX, import_answers
    from scoring.settings import SettingsProblem
    from scoring.store import Store

    try:
        if args.file == "-":
            text = sys.stdin.read(CSV_MAX + 1)
        else:
            with Path(args.file).open(encoding="utf-8-sig", newline="") as handle:
                text = handle.read(CSV_MAX + 1)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"demographics import: {args.file}: cannot be read ({type(exc).__name__})", file=err)
        return 1
    code = access_code("demographics import", err)
    if not code:
        return 1
    store = Store(args.db)
    try:
        person = people.sign_in(store, args.as_email, code, client="command line")
        done = import_answers(store, person, text)
    except (DebriefError, SettingsProblem) as exc:
        print(f"demographics import: {exc}", file=err)
        return 1
    print(done.summary(), file=out)
    return 0
