"""Email: the settings, and the sender that delivers the outbox through the organisation's SMTP
server.

Settings live in ``.streamlit/secrets.toml`` (the file Streamlit reads too), so the app and the
command line read the same ones::

    [smtp]
    host = "smtp.example.com"
    port = 587                  # default: 465 for "ssl", 25 for "none", else 587
    security = "starttls"       # "none", "starttls" (default) or "ssl"
    user = "debrief@example.com"
    password = "..."
    from = "Debrief <debrief@example.com>"

    [app]
    url = "https://debrief.example.com"   # links in messages; or $DEBRIEF_URL
    timezone = "Europe/Berlin"            # times written in messages; default UTC

Without ``[smtp] host`` mail is off: messages still queue (nothing is lost) and the app shows
what would be sent.

The sender sends a message only to someone who may still get it: claiming a row, it checks its
recipient again (`scoring.outbox_recipients.withheld_row`: still active, still in the place the
message is written for, still allowed to see what it says); a message they may no longer get is
marked failed, "withdrawn: Ana Alvarez is no longer active", and the audit log says so.

The sender never sends a message twice: it claims one row (committed) before talking to the
server and marks it sent (committed) as soon as the server has accepted it. A sender killed in
between leaves that one row claimed; the next run gives it back to the queue once its claimant
is gone (same machine, process ended) or the claim is older than `CLAIM_TIMEOUT`. Failures are
retried with exponential backoff and recorded; after `MAX_ATTEMPTS`, or a permanent refusal
(5xx), the row is marked failed with the server's answer.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Literal

from scoring import audit
from scoring.outbox_recipients import withdraw, withheld_row
from scoring.queries import mail as Q
from scoring.settings import (
    SettingsProblem,
    one_line,
    read_secrets,
    secrets_path,
)
from scoring.store import Store, now_utc, parse_stamp, stamp

Security = Literal["none", "starttls", "ssl"]
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=2)


# ------------------------------------------------------------------------------------ settings


@dataclass(frozen=True)
class MailSettings:
    """How to reach the organisation's SMTP server."""

    host: str
    port: int
    security: Security = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "Debrief <debrief@localhost>"
    timeout: float = 30.0


def mail_settings(path: Path | None = None) -> MailSettings | None:
    """The [smtp] settings, or None when mail is off (no host)."""
    where = path or secrets_path()
    smtp = read_secrets(path).get("smtp") or {}
    host = str(smtp.get("host") or "").strip()
    if not host:
        return None
    security = str(smtp.get("security") or "starttls").lower()
    if security not in DEFAULT_PORTS:
        raise SettingsProblem(
            f"{where} [smtp] security: must be none, starttls or ssl (got {security!r})"
        )
    try:
        port = int(smtp.get("port") or DEFAULT_PORTS[security])
    except (TypeError, ValueError):
        raise SettingsProblem(
            f"{where} [smtp] port: must be a whole number (got {smtp.get('port')!r})"
        ) from None
    sender = str(smtp.get("from") or smtp.get("user") or "").strip()
    # Not `scoring.emails.check_email`, on purpose: that judges the addresses people type into
    # Debrief; this is the organisation's own sending address, which an internal relay may
    # keep on a domain (`debrief@mail.local`) that check refuses as reserved.
    if "@" not in parseaddr(sender)[1]:
        raise SettingsProblem(f"{where} [smtp] from: give the sender's address (got {sender!r})")
    return MailSettings(
        host=host,
        port=port,
        security=security,  # type: ignore[arg-type]
        user=str(smtp.get("user") or ""),
        password=str(smtp.get("password") or ""),
        sender=one_line(sender, 300),
    )


# ---------------------------------------------------------------------------------- the sender


def build_message(row: Any, settings: MailSettings) -> EmailMessage:
    """An outbox row as a MIME message: plain text and HTML, with the calendar attached."""
    # Headers are not folded below 998 characters: every subject stays on one line.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["From"] = settings.sender
    # An Address, not a formatted string: the policy quotes or encodes the name, whatever it
    # holds, so a name can never become a second recipient, a group or a header.
    message["To"] = Address(
        display_name=one_line(row["to_name"], 100), addr_spec=one_line(row["to_address"], 254)
    )
    message["Subject"] = one_line(row["subject"], 250)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "debrief"
    message["Message-ID"] = f"<outbox-{row['id']}.{row['created_at'][:10]}@{domain}>"
    message["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row["text_body"])
    message.add_alternative(row["html_body"], subtype="html")
    if row["ics"]:
        message.add_attachment(
            row["ics"],  # text: sent with its charset (utf-8), names as typed
            subtype="calendar",
            filename="invite.ics" if row["ics_method"] != "CANCEL" else "cancel.ics",
            params={"method": row["ics_method"]},
        )
    return message


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=ssl.create_default_context(),
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.security == "starttls":
            server.starttls(context=ssl.create_default_context())
    if settings.user:
        server.login(settings.user, settings.password)
    return server


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _gone(claimant: str | None) -> bool:
    """The process that claimed a row ran on this machine and has ended."""
    host, _, pid = (claimant or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most 2 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    returned: int = 0  # rows a dead sender had claimed, given back to the queue
    withdrawn: int = 0  # not sent: the recipient may no longer get them
    problems: list[str] = field(default_factory=list)


def _return_abandoned(store: Store, at: datetime) -> int:
    with store.write() as db:
        rows = db.execute(Q.CLAIMED).fetchall()
        abandoned = [
            r["id"]
            for r in rows
            if _gone(r["claimed_by"]) or parse_stamp(r["claimed_at"]) < at - CLAIM_TIMEOUT
        ]
        for row_id in abandoned:
            db.execute(Q.GIVE_BACK_CLAIM, [row_id])
        return len(abandoned)


def _claim(store: Store, at: datetime) -> tuple[Any | None, str | None]:
    """Take the next due message for this process; committed before anything is sent. Its
    recipient is checked again in the same transaction, as the database knows them now: a
    message queued before they were deactivated, or lost the role it was written for, is
    withdrawn instead (and audited). Returns (row, None) to send, (row, why) for a message
    withdrawn, or (None, None) when nothing is due."""
    with store.write() as db:
        row = db.execute(Q.NEXT_DUE, [stamp(at)]).fetchone()
        if row is None:
            return None, None
        reason = withheld_row(db, row)
        if reason is not None:
            withdraw(db, row["id"], reason)
            audit.record(
                db,
                None,
                "withdraw_mail",
                f"outbox:{row['id']}",
                at,
                recipient=row["recipient_id"],
                reason=reason,
            )
            return row, reason
        db.execute(
            Q.CLAIM,
            [_me(), stamp(at), row["id"]],
        )
        return row, None


def _settle(store: Store, row_id: int, at: datetime, error: str | None, permanent: bool) -> str:
    with store.write() as db:
        if error is None:
            db.execute(Q.MARK_SENT, [stamp(at), row_id])
            return "sent"
        attempts = db.execute(Q.ATTEMPTS, [row_id]).fetchone()[0]
        attempts += 1
        state = "failed" if permanent or attempts >= MAX_ATTEMPTS else "queued"
        db.execute(
            Q.MARK_UNSENT,
            [state, attempts, stamp(at + backoff(attempts)), one_line(error, 500), row_id],
        )
        return state


def send_outbox(
    store: Store,
    settings: MailSettings,
    *,
    limit: int = 500,
    now: Callable[[], datetime] = now_utc,
    pause: Callable[[], None] | None = None,
) -> SendReport:
    """Deliver what is due in the outbox, one message at a time, each exactly once, each only
    to a recipient who may still get it (the others are withdrawn, counted in `withdrawn`).
    Stops at the first connection failure (the server is down: the rest waits for the next
    run)."""
    report = SendReport(returned=_return_abandoned(store, now()))
    server: smtplib.SMTP | None = None
    try:
        for _ in range(limit):
            row, withdrawn = _claim(store, now())
            if row is None:
                break
            if withdrawn is not None:
                report.withdrawn += 1
                continue
            error, permanent, stop = None, False, False
            try:
                if server is None:
                    server = _connect(settings)
                message = build_message(row, settings)
                server.send_message(message, to_addrs=[row["to_address"]])
            except smtplib.SMTPRecipientsRefused as exc:
                error, permanent = f"refused: {exc.recipients}", True
            except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as exc:
                # our settings, not this message: it waits, and so does the rest
                error, stop = f"{exc.smtp_code} {exc.smtp_error!r}", True
            except smtplib.SMTPResponseException as exc:
                error = f"{exc.smtp_code} {exc.smtp_error!r}"
                permanent = 500 <= exc.smtp_code < 600
                stop = exc.smtp_code == 421
            except (OSError, smtplib.SMTPException) as exc:
                error, stop = f"{type(exc).__name__}: {exc}", True
            except ValueError as exc:  # not writable as a message (an impossible address)
                error, permanent = f"cannot be written as a message: {exc}", True
            if error and row["to_address"]:  # kept on the row: never the address itself
                error = re.sub(re.escape(row["to_address"]), "<address>", error, flags=re.I)
            state = _settle(store, row["id"], now(), error, permanent)
            if state == "sent":
                report.sent += 1
            else:
                report.problems.append(f"message {row['id']} to {row['to_address']}: {error}")
                report.failed += state == "failed"
                report.retried += state == "queued"
            if stop:
                if server is not None:
                    _quietly_close(server)
                    server = None
                break
            if pause:
                pause()
    finally:
        if server is not None:
            _quietly_close(server)
    return report


def _quietly_close(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()
