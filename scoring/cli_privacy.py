"""The command line's privacy commands (issue 28): `subject-access`, `erase`, `hold` and
`retain` (see `scoring.cli` for the exit codes: 0 done, 1 refused or failed, 2 usage). Each
imports what it uses inside it, so that `python -m scoring --help` loads no database layer."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from scoring import cli_fairness
from scoring.errors import DebriefError

SIGNS_IN = (
    "Signs in as --as EMAIL with the access code in $DEBRIEF_CODE (asked for at the terminal when"
    " it is not set); the same access rules apply as in the app."
)


def register(commands: Any) -> list[argparse.ArgumentParser]:
    """Add the privacy commands to the parser's subcommands; returns their parsers (which take
    --db like the others)."""
    access = commands.add_parser(
        "subject-access",
        help="everything held about one candidate, as JSON (a subject-access request)",
        description="Everything Debrief holds about the candidate, as one JSON document: their"
        " data, sessions, scorecards and reviews about them, decisions, votes, feedback and every"
        " message to or about them, and the audit entries that name them. Coordinators only;"
        " the export is itself audited. " + SIGNS_IN,
    )
    access.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    access.add_argument("--candidate", type=int, required=True, metavar="ID")
    access.add_argument("--out", help="write to this file (default: standard output)")
    erase = commands.add_parser(
        "erase",
        help="erase a candidate: their data key destroyed, every personal text gone",
        description="Destroys the candidate's data key, removes their drafts, self-identified"
        " answers and the text of messages about them, and overwrites freed pages and the"
        " write-ahead log. They become 'Erased candidate #N' everywhere; scores, decisions and"
        " counts stay, as numbers, and `verify` still passes. Cannot be undone: asks for --yes."
        " Refused while a legal hold is on the candidate. " + SIGNS_IN,
    )
    erase.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    erase.add_argument("--candidate", type=int, required=True, metavar="ID")
    erase.add_argument(
        "--reason", required=True, help="why (kept after the erasure: never the candidate's name)"
    )
    erase.add_argument("--yes", action="store_true", help="yes, erase them: it cannot be undone")
    hold = commands.add_parser(
        "hold",
        help="place (or --lift) a legal hold on a candidate: it stops retention and erasure",
        description="A legal hold keeps a candidate's data past its retention date, and refuses"
        " their erasure, until it is lifted. " + SIGNS_IN,
    )
    hold.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    hold.add_argument("--candidate", type=int, required=True, metavar="ID")
    hold.add_argument("--reason", required=True)
    hold.add_argument("--lift", action="store_true", help="lift the hold instead")
    retain = commands.add_parser(
        "retain",
        help="erase the candidates whose retention period is over (the mail worker runs it daily)",
        description="Per the [retention] settings (days after the final decision or withdrawal,"
        " apart for hires): sends coordinators a week's notice of who will be erased, then erases"
        " those due, except anyone under a legal hold. --dry-run says what would happen and does"
        " nothing.",
    )
    retain.add_argument("--dry-run", action="store_true")
    return [access, erase, hold, retain, *cli_fairness.register(commands)]


def dispatch(
    args: argparse.Namespace, out: TextIO, err: TextIO, access_code: Any, emit: Any
) -> int | None:
    """Run a privacy command; None when `args` names another. `access_code` and `emit` are
    `scoring.cli`'s (the code from $DEBRIEF_CODE or the terminal; bytes to --out or stdout)."""
    _IO.update(access_code=access_code, emit=emit)
    if args.command == "demographics":
        return cli_fairness.dispatch(args, out, err, access_code)
    command = {
        "subject-access": _subject_access,
        "erase": _erase,
        "hold": _hold,
        "retain": _retain,
    }.get(args.command)
    return None if command is None else command(args, out, err)


_IO: dict[str, Any] = {}


def _signed_in(args: argparse.Namespace, err: TextIO) -> tuple[Any, Any] | None:
    from scoring import people
    from scoring.store import Store

    code = _IO["access_code"](args.command, err)
    if not code:
        return None
    store = Store(args.db)
    try:
        return store, people.sign_in(store, args.as_email, code, client="command line")
    except DebriefError as exc:
        print(f"{args.command}: {exc}", file=err)
        return None


def _subject_access(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring.subject_access import subject_access

    signed = _signed_in(args, err)
    if signed is None:
        return 1
    store, person = signed
    try:
        document = subject_access(store, person, args.candidate)
    except DebriefError as exc:
        print(f"subject-access: {exc}", file=err)
        return 1
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _IO["emit"](text.encode(), args.out, out, err)


def _erase(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring.erasure import erase

    if not args.yes:
        print(
            f"erase: candidate {args.candidate} would be erased for good: their name, email and"
            " every text about them. Run again with --yes to do it.",
            file=err,
        )
        return 2
    signed = _signed_in(args, err)
    if signed is None:
        return 1
    store, person = signed
    try:
        done = erase(store, person, args.candidate, args.reason)
    except DebriefError as exc:
        print(f"erase: {exc}", file=err)
        return 1
    print(done.summary(), file=out)
    return 0


def _hold(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring.retention import lift_hold, place_hold

    signed = _signed_in(args, err)
    if signed is None:
        return 1
    store, person = signed
    try:
        if args.lift:
            lift_hold(store, person, args.candidate, args.reason)
            print(f"candidate {args.candidate}: legal hold lifted", file=out)
        else:
            place_hold(store, person, args.candidate, args.reason)
            print(f"candidate {args.candidate}: legal hold placed", file=out)
    except DebriefError as exc:
        print(f"hold: {exc}", file=err)
        return 1
    return 0


def _retain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring.retention import retain
    from scoring.store import Store

    try:
        run = retain(Store(args.db), dry_run=args.dry_run)
    except DebriefError as exc:
        print(f"retain: {exc}", file=err)
        return 1
    print(run.summary(), file=out)
    return 0
