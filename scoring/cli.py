"""The command line: `python -m scoring decide|validate|schema`.

Exit codes: 0 done; 1 `validate` found problems; 2 the input or the call was wrong (one line on
stderr naming the field and what is wrong, nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from scoring.engine import InvalidCase, decide, parse_case
from scoring.rubric import load_catalog, rubric_json_schema


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def _decide(source: str, out: TextIO, err: TextIO) -> int:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{source}: cannot be read: {exc}", file=err)
        return 2
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        print(
            f"input: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=err
        )
        return 2
    try:
        decision = decide(parse_case(document))
    except InvalidCase as exc:
        print(str(exc).replace("\n", " "), file=err)
        return 2
    print(json.dumps(decision.to_json(), indent=2), file=out)
    return 0


def _validate(paths: list[str], out: TextIO, err: TextIO) -> int:
    catalog = load_catalog(*(paths or ["rubrics"]))
    for problem in catalog.problems:
        print(problem, file=err)
    for loop_id, why in catalog.held_back.items():
        print(f"loop '{loop_id}' not loaded: {why}", file=out)
    print(
        f"{len(catalog.rubrics)} rubrics and {len(catalog.loops)} loops loaded;"
        f" {len(catalog.problems)} problem{'s' if len(catalog.problems) != 1 else ''}",
        file=out,
    )
    return 1 if catalog.problems else 0


def main(
    argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one command; returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = _Parser(prog="python -m scoring", description="Debrief's core on the command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    decide_cmd = commands.add_parser("decide", help="apply a decision strategy to a case (JSON)")
    decide_cmd.add_argument("case", help="a JSON file, or - for standard input")
    validate_cmd = commands.add_parser("validate", help="check rubric and loop files")
    validate_cmd.add_argument("paths", nargs="*", help="files or folders (default: rubrics/)")
    commands.add_parser("schema", help="print the JSON Schema of the rubric format")
    args = parser.parse_args(argv)

    if args.command == "decide":
        return _decide(args.case, out, err)
    if args.command == "validate":
        return _validate(args.paths, out, err)
    print(json.dumps(rubric_json_schema(), indent=2), file=out)
    return 0
