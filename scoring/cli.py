"""The command line: `python -m scoring COMMAND` (decide, validate, schema, init, demo, export,
insights, funnel, verify, backup, restore, adopt-key, rekey, migrate-to, permissions, remind, send).

Exit codes: 0 done; 1 `validate` found problems, `init`/`demo` met a database that already
has people, or `migrate-to` refused or could not prove its copy; 2 the input or the call was
wrong (one line on stderr naming the field and what is wrong, nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

# Each command imports what it uses, inside it: `--help`, `decide` and `validate` never load
# the database layer, and nothing here loads pandas (tests/test_imports.py pins it).
from scoring import cli_history, cli_privacy
from scoring.errors import DebriefError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def _decide(source: str, out: TextIO, err: TextIO) -> int:
    from scoring.engine import InvalidCase, decide, parse_case

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
    from scoring.rubric import load_catalog

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


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring import people
    from scoring.store import Store

    store = Store(args.db)
    name = args.name or args.coordinator.split("@")[0].replace(".", " ").title()
    try:
        person, code = people.create_first_coordinator(store, name, args.coordinator)
    except DebriefError as exc:
        print(f"{store.shown}: {exc}", file=err)
        return 1
    print(f"Database: {store.shown}", file=out)
    print(f"First coordinator: {person.name} <{person.email}>", file=out)
    print(f"Access code (shown once): {code}", file=out)
    return 0


def _demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring import people
    from scoring.demo import build_demo
    from scoring.rubric import load_catalog
    from scoring.store import Store

    store = Store(args.db)
    catalog = load_catalog(args.rubrics)
    if not catalog.ok:
        for problem in catalog.problems:
            print(problem, file=err)
        return 1
    try:
        logins = build_demo(store, catalog)
    except DebriefError as exc:
        print(f"{store.shown}: {exc}", file=err)
        return 1
    print(f"Demo organisation written to {store.shown}. Sign in with:", file=out)
    width = max(len(login.email) for login in logins)
    for login in logins:
        roles = people.roles_in_words(login.roles)
        print(f"  {login.email:<{width}}  {login.code}  {login.name} ({roles})", file=out)
    return 0


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:

    from scoring import exports, people
    from scoring.store import Store

    if (args.candidate is None) == (args.opening is None):
        print("export: give either --candidate ID or --opening ID", file=err)
        return 2
    allowed = ("md", "html", "pdf", "json") if args.candidate is not None else ("csv", "json")
    if args.format not in allowed:
        print(f"export: --format must be one of {', '.join(allowed)} here", file=err)
        return 2
    code = _access_code("export", err)
    if not code:
        return 2
    store = Store(args.db)
    try:
        person = people.sign_in(store, args.as_email, code, client="command line")
        if args.candidate is not None:
            drawn = args.format in exports.DRAWN
            data = exports.render(
                exports.summary(store, person, args.candidate, charts=drawn), args.format
            )
        else:
            rows = (exports.decision_rows if args.what == "decisions" else exports.scorecard_rows)(
                store, person, args.opening
            )
            text = exports.to_csv(rows) if args.format == "csv" else exports.to_json(rows)
            data = text.encode()
    except DebriefError as exc:
        print(f"export: {exc}", file=err)
        return 1
    return _emit(data, args.out, out, err)


def _emit(data: bytes, path: str | None, out: TextIO, err: TextIO) -> int:
    """An export's bytes to the file `path` (saying how many on stderr), else to stdout."""
    if path:
        Path(path).write_bytes(data)
        print(f"{path}: {len(data):,} bytes", file=err)
    elif hasattr(out, "buffer"):
        out.buffer.write(data)
        out.flush()
    else:
        out.write(data.decode("utf-8", errors="replace"))
    return 0


def _insights(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:

    from scoring import exports, insights, people
    from scoring.store import Store

    if args.format == "csv" and args.table not in insights.TABLES:
        print(f"insights: --table must be one of {', '.join(insights.TABLES)}", file=err)
        return 2
    code = _access_code("insights", err)
    if not code:
        return 2
    store = Store(args.db)
    try:
        person = people.sign_in(store, args.as_email, code, client="command line")
        document = insights.full_document(store, person, args.opening)
    except DebriefError as exc:
        print(f"insights: {exc}", file=err)
        return 1
    if args.format == "json":
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    elif args.table in insights.SCORE_TABLES and not document["score_figures"]:
        # an empty file would read as "no data"; say why there is none for this person
        print(f"insights: {document['scores_withheld_why']}", file=err)
        return 1
    else:
        text = exports.to_csv(document[args.table])
    return _emit((text if text.endswith("\n") else text + "\n").encode(), args.out, out, err)


def _funnel(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring import exports, people
    from scoring.insights.funnel import funnel
    from scoring.store import Store

    code = _access_code("funnel", err)
    if not code:
        return 2
    store = Store(args.db)
    try:
        person = people.sign_in(store, args.as_email, code, client="command line")
        found = funnel(store, person, args.opening)
    except DebriefError as exc:
        print(f"funnel: {exc}", file=err)
        return 1
    if args.format == "json":
        text = json.dumps(found.to_json(), indent=2, ensure_ascii=False)
    else:
        text = exports.to_csv(found.rows())
    return _emit((text if text.endswith("\n") else text + "\n").encode(), args.out, out, err)


def _access_code(command: str, err: TextIO) -> str:
    """The access code from $DEBRIEF_CODE, or asked for at the terminal; "" (having said what
    to do) when there is neither."""
    import os

    code = os.environ.get("DEBRIEF_CODE") or _prompt_code(err)
    if not code:
        words = "set DEBRIEF_CODE to your access code (or run it in a terminal)"
        print(f"{command}: {words}", file=err)
    return code


def _prompt_code(err: TextIO) -> str:
    """Ask for the access code without echoing it, when there is a terminal to ask at. (Never
    an option: a command line shows in the process list.)"""
    import getpass

    if not sys.stdin.isatty():
        return ""
    return getpass.getpass("Access code: ", stream=err)


def _migrate_to(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import os

    from scoring.paths import DEFAULT_PATH, is_url

    if not is_url(args.url):
        print(f"migrate-to: the target must be a postgresql:// URL (got {args.url!r})", file=err)
        return 2
    given = os.environ.get("DEBRIEF_DB")
    source = args.db or (given if given and not is_url(given) else str(DEFAULT_PATH))
    from scoring.migrate_to import Refused, migrate_to, said

    try:
        outcome = migrate_to(source, args.url)
    except Refused as exc:
        print(f"migrate-to: {exc}", file=err)
        return 1
    print(said(outcome), file=out if outcome.committed else err, end="")
    return 0 if outcome.committed else 1


def _remind(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring.outbox import queue_due_reminders
    from scoring.store import Store

    queued = queue_due_reminders(Store(args.db))
    print(f"{queued} reminder{'s' if queued != 1 else ''} queued", file=out)
    return 0


def _send(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from scoring.mail import SettingsProblem, mail_settings, send_outbox
    from scoring.outbox import waiting
    from scoring.settings import secrets_path
    from scoring.store import Store

    store = Store(args.db)
    try:
        settings = mail_settings(Path(args.secrets) if args.secrets else None)
    except SettingsProblem as exc:
        print(f"send: {exc}", file=err)
        return 2
    if settings is None:
        where = args.secrets or secrets_path() or ".streamlit/secrets.toml"
        print(
            f"send: mail is off (no [smtp] host in {where});"
            f" {waiting(store)['queued']} messages wait in the outbox",
            file=err,
        )
        return 2
    report = send_outbox(store, settings, limit=args.limit)
    print(
        f"{report.sent} sent, {report.retried} to retry, {report.failed} failed"
        + (f", {report.returned} given back from a stopped sender" if report.returned else ""),
        file=out,
    )
    for problem in report.problems[:20]:
        print(problem, file=err)
    return 1 if report.problems else 0


def main(
    argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one command; returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = _Parser(prog="python -m scoring", description="Debrief's core on the command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    decide_cmd = commands.add_parser(
        "decide",
        help="apply a decision strategy to a case (JSON)",
        description="Apply a decision strategy to a case (JSON) and print the decision (JSON)."
        " A strategy without force_map forces by the book's default (a weak no or an undecided"
        " score goes to the scale's minimum, a yes stays as written); without bar_mode a"
        " committee's bar is advisory (a flag and a reason; the votes decide). The output's"
        " parameters and contracts state the rules applied. See the README, 'The decision"
        " engine'.",
    )
    decide_cmd.add_argument("case", help="a JSON file, or - for standard input")
    validate_cmd = commands.add_parser("validate", help="check rubric and loop files")
    validate_cmd.add_argument("paths", nargs="*", help="files or folders (default: rubrics/)")
    commands.add_parser("schema", help="print the JSON Schema of the rubric format")
    commands.add_parser(
        "permissions",
        help="print the permission table's actions and matrix (Markdown, as in the README)",
    )
    init_cmd = commands.add_parser("init", help="create the database and the first coordinator")
    init_cmd.add_argument("--coordinator", required=True, metavar="EMAIL")
    init_cmd.add_argument("--name", help="their name (default: from the email)")
    demo_cmd = commands.add_parser("demo", help="fill an empty database with a demo organisation")
    demo_cmd.add_argument("--rubrics", default="rubrics", help="rubric folder (default: rubrics/)")
    export_cmd = commands.add_parser(
        "export",
        help="a candidate's decision summary, or an opening's decisions or scorecards",
        description="Signs in as --as EMAIL with the access code in $DEBRIEF_CODE (asked for at"
        " the terminal when it is not set); the same access rules apply as in the app.",
    )
    export_cmd.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    export_cmd.add_argument("--candidate", type=int, metavar="ID")
    export_cmd.add_argument("--opening", type=int, metavar="ID")
    export_cmd.add_argument("--what", choices=["decisions", "scorecards"], default="decisions")
    export_cmd.add_argument("--format", required=True, choices=["md", "html", "pdf", "json", "csv"])
    export_cmd.add_argument("--out", help="write to this file (default: standard output)")
    insights_cmd = commands.add_parser(
        "insights",
        help="an opening's insights: reliability, distributions, calibration, decisions",
        description="Signs in as --as EMAIL with the access code in $DEBRIEF_CODE (asked for at"
        " the terminal when it is not set); the same access rules apply as in the app and for"
        " export. JSON holds every table; CSV one (--table).",
    )
    insights_cmd.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    insights_cmd.add_argument(
        "--opening", type=int, action="append", required=True, metavar="ID", help="repeatable"
    )
    insights_cmd.add_argument("--format", required=True, choices=["json", "csv"])
    insights_cmd.add_argument(
        "--table", default="reliability", help="the table for CSV (default: reliability)"
    )
    insights_cmd.add_argument("--out", help="write to this file (default: standard output)")
    funnel_cmd = commands.add_parser(
        "funnel",
        help="an opening's funnel: per stage entered, advanced, rejected, withdrawn, pending",
        description="Per stage of the opening's process: candidates entered, advanced, rejected,"
        " withdrawn and pending (entered is always the sum of the other four), the pass-through"
        " with its 95% interval, days in the stage, provisional rejections and spot-check"
        " agreement; counts and dates, no score and no name. Signs in as --as EMAIL with the"
        " access code in $DEBRIEF_CODE (asked for at the terminal when it is not set): the"
        " coordinator and the opening's hiring manager. JSON is one document; CSV a row per"
        " stage.",
    )
    funnel_cmd.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
    funnel_cmd.add_argument("--opening", type=int, required=True, metavar="ID")
    funnel_cmd.add_argument("--format", required=True, choices=["json", "csv"])
    funnel_cmd.add_argument("--out", help="write to this file (default: standard output)")
    verify_cmd = commands.add_parser(
        "verify", help="check the history: the signed audit chain, snapshots, every invariant"
    )
    verify_cmd.add_argument(
        "--since",
        metavar="BACKUP",
        help="a backup file (SQLite, or PostgreSQL's pg_dump) or the ID:HASH its backup printed:"
        " has history been rewritten since?",
    )
    backup_cmd = commands.add_parser(
        "backup",
        help="copy the database (SQLite's online backup, or pg_dump on PostgreSQL; safe while in"
        " use) and verify the copy",
    )
    backup_cmd.add_argument("file", help="the backup file to write (must not exist)")
    restore_cmd = commands.add_parser(
        "restore", help="replace the database with a backup, once the backup verifies"
    )
    restore_cmd.add_argument("file", help="the backup file to restore")
    restore_cmd.add_argument("--yes", action="store_true", help="replace a database in use")
    adopt_cmd = commands.add_parser(
        "adopt-key",
        help="seal the audit entries written before the audit key (once, if you trust them)",
    )
    rekey_cmd = commands.add_parser(
        "rekey",
        help="seal the history under a new audit key ($DEBRIEF_NEW_AUDIT_KEY, or a new random"
        " one); needs the old key",
    )
    migrate_cmd = commands.add_parser(
        "migrate-to",
        help="copy a SQLite database into an empty PostgreSQL one, and prove the copy",
        description="Copies every row of the SQLite file (--db) into the empty PostgreSQL"
        " database at URL, ids, audit chain and all, in one transaction; before committing,"
        " proves it: verify on the copy under the same audit key, every row equal, and the"
        " JSON export of every opened debrief equal. Nothing is written when it refuses or the"
        " proof fails. Stop the app first.",
    )
    migrate_cmd.add_argument("url", metavar="URL", help="postgresql://user@host/database")
    migrate_cmd.add_argument(
        "--db",
        metavar="SOURCE",
        help="the SQLite file to copy (default: $DEBRIEF_DB when it is a file, else"
        " data/debrief.sqlite)",
    )
    privacy_cmds = cli_privacy.register(commands)
    remind_cmd = commands.add_parser(
        "remind", help="queue 'scorecard due' and 'overdue' reminders (each once)"
    )
    send_cmd = commands.add_parser(
        "send", help="deliver the outbox through the [smtp] server in .streamlit/secrets.toml"
    )
    send_cmd.add_argument("--secrets", help="the secrets file (default: .streamlit/secrets.toml)")
    send_cmd.add_argument("--limit", type=int, default=500, help="at most this many messages")
    for command in (
        init_cmd,
        demo_cmd,
        export_cmd,
        insights_cmd,
        funnel_cmd,
        verify_cmd,
        backup_cmd,
        restore_cmd,
        adopt_cmd,
        rekey_cmd,
        remind_cmd,
        send_cmd,
        *privacy_cmds,
    ):
        command.add_argument(
            "--db",
            help="the database: a SQLite file or a postgresql:// URL (default: $DEBRIEF_DB or"
            " data/debrief.sqlite)",
        )
    args = parser.parse_args(argv)

    if args.command == "decide":
        return _decide(args.case, out, err)
    if args.command == "validate":
        return _validate(args.paths, out, err)
    if args.command == "init":
        return _init(args, out, err)
    if args.command == "demo":
        return _demo(args, out, err)
    if args.command == "export":
        return _export(args, out, err)
    if args.command == "insights":
        return _insights(args, out, err)
    if args.command == "funnel":
        return _funnel(args, out, err)
    if args.command == "verify":
        return cli_history.verify_command(args, out, err)
    if args.command == "backup":
        return cli_history.backup_command(args, out, err)
    if args.command == "restore":
        return cli_history.restore_command(args, out, err)
    if args.command == "adopt-key":
        return cli_history.adopt_key_command(args, out, err)
    if args.command == "rekey":
        return cli_history.rekey_command(args, out, err)
    if args.command == "migrate-to":
        return _migrate_to(args, out, err)
    if args.command == "remind":
        return _remind(args, out, err)
    if args.command == "send":
        return _send(args, out, err)
    privacy = cli_privacy.dispatch(args, out, err, _access_code, _emit)
    if privacy is not None:
        return privacy
    if args.command == "permissions":
        from scoring.matrix import document

        print(document(), end="", file=out)
        return 0
    from scoring.rubric import rubric_json_schema

    print(json.dumps(rubric_json_schema(), indent=2), file=out)
    return 0
