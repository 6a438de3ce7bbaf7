"""Email addresses: one check for everyone's, by the `email-validator` library.

People, candidates added one by one and candidates imported from a file all go through
``check_email``. It accepts what a person writes as their address (``ana@example.com``,
``Grace.Hopper+jobs@Example.ORG``, ``élise@bücher.de``) and refuses everything that could become
something else on its way into a mail header, a calendar invitation, a CSV row or a screen: line
breaks (also U+2028 and U+2029), quotes, colons, angle brackets and display names
(``Ana <ana@example.com>``), IP addresses in brackets, invisible and direction-changing
characters, a domain without a dot or a reserved one (``localhost``, ``.test``). Nothing is
looked up: the domain is checked as written, not in the DNS (the app may run offline).
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from scoring.errors import InvalidInput
from scoring.text import EMAIL_MAX, check_length, shorten


def check_email(field: str, value: str | None) -> str:
    """The address as it is kept: trimmed and normalised (the domain in lower case, Unicode in
    its composed form, full-width letters of the domain folded), or InvalidInput naming the
    field and saying what is wrong, e.g. ``email: 'a\\nb@example.org' is not an email address:
    it contains invalid characters before the @-sign: U+000A``. The typed text is quoted with
    its invisible characters written out, so the message is one line whatever was typed."""
    typed = check_length(field, (value or "").strip(), EMAIL_MAX)
    try:
        checked = validate_email(typed, check_deliverability=False)
    except EmailNotValidError as problem:
        raise InvalidInput(
            f"{field}: {shorten(typed, 80)!r} is not an email address: {_words(problem)}"
        ) from None
    return checked.normalized


def _words(problem: EmailNotValidError) -> str:
    """The library's reason as the end of our sentence: "The email address contains invalid
    characters before the @-sign: ':'." becomes "it contains invalid characters before the
    @-sign: ':'"."""
    said = str(problem).strip().rstrip(".")
    said = said.removeprefix("The email address ")
    if said != str(problem).strip().rstrip("."):
        said = "it " + said
    return said[:1].lower() + said[1:]
