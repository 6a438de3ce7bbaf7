"""Names that look like someone else's: letters of two alphabets in one name.

"Аna Alvarez" with a Cyrillic А reads exactly like "Ana Alvarez" and is someone else to the
database, the search and the mail. The coordinator who adds such a name is told, in words, so
they can check it is who they meant; nothing is refused (a name may be written in any script).

A name's scripts are those of its letters (digits, spaces, punctuation and accents belong to
none). Mixing is normal in a few cases, which are not marked: Japanese (Han, Hiragana, Katakana),
Korean (Hangul, Han), Chinese with Bopomofo, and any of these, or one script that shares no
look-alike letters with Latin (Arabic, Hebrew, Devanagari, ...), next to Latin ("Zhang 张伟").
Latin with Cyrillic, Greek, Armenian or Cherokee is marked: those alphabets have letters that
look like Latin ones. This is Unicode's "moderately restrictive" profile (UTS #39, 5.2), told
from the letters' Unicode names, since Python's unicodedata has no script property.
Letters written in an unusual form of an ordinary one (full-width ``Ａ``, mathematical ``𝐀``)
are marked too.
"""

from __future__ import annotations

import unicodedata

# Scripts with letters that are look-alikes of Latin ones (Cyrillic а, Greek ο, Armenian օ,
# Cherokee Ꭺ): mixed with Latin, they are what a spoofed name is made of.
CONFUSABLE_WITH_LATIN = frozenset({"Cyrillic", "Greek", "Armenian", "Cherokee"})
# Scripts that are written together in one language's names.
WRITTEN_TOGETHER = (
    frozenset({"Han", "Hiragana", "Katakana"}),  # Japanese
    frozenset({"Han", "Hangul"}),  # Korean
    frozenset({"Han", "Bopomofo"}),  # Chinese, with its phonetic letters
)
# The first words of Unicode names that are not the script's own name.
_SCRIPT_OF_WORD = {"CJK": "Han"}


def letter_script(letter: str) -> str | None:
    """The script of one letter, as Unicode names it ("Latin", "Cyrillic", "Han"), or None for
    what is not a letter of a script (digits, punctuation, spaces, accents, modifier letters)."""
    if unicodedata.category(letter) not in ("Lu", "Ll", "Lt", "Lo"):
        return None
    # An unusual form is of its ordinary letter's script: full-width Ａ and bold 𝐀 are Latin.
    ordinary = unicodedata.normalize("NFKC", letter)
    letter = ordinary[0] if ordinary and unicodedata.category(ordinary[0])[0] == "L" else letter
    words = unicodedata.name(letter, "").split()
    if words[:1] == ["HALFWIDTH"]:  # HALFWIDTH HANGUL LETTER ... without a composed form
        words = words[1:]
    if not words:
        return None
    return _SCRIPT_OF_WORD.get(words[0]) or words[0].title()


def scripts(text: str) -> list[str]:
    """The scripts of a text's letters, in the order they first appear."""
    found = (letter_script(c) for c in text)
    return list(dict.fromkeys(s for s in found if s))


def _mixed(found: list[str]) -> bool:
    """True when these scripts in one name are a mix that is not usual (see the module)."""
    others = set(found) - {"Latin"}
    if len(found) < 2 or any(others <= together for together in WRITTEN_TOGETHER):
        return False
    return len(others) > 1 or bool(others & CONFUSABLE_WITH_LATIN)


def _unusual_forms(text: str) -> list[str]:
    """Letters written in a compatibility form of an ordinary letter (``Ａ``, ``𝐀``, ``ﬁ``)."""
    return list(
        dict.fromkeys(
            c
            for c in text
            if unicodedata.category(c).startswith("L") and unicodedata.normalize("NFKC", c) != c
        )
    )


def lookalike_warnings(name: str, email: str = "") -> list[str]:
    """What a coordinator should check about a name (and its email) they have just added, in
    words, or nothing: ``This name mixes Latin and Cyrillic letters: check it is who you
    meant.`` One sentence per concern; the email's letters are looked at the same way."""
    warnings = []
    for what, text in (("name", name or ""), ("email address", email or "")):
        found = scripts(text)
        if _mixed(found):
            alphabets = " and ".join([", ".join(found[:-1]), found[-1]])
            warnings.append(
                f"This {what} mixes {alphabets} letters: check it is who you meant"
                f" (letters of different alphabets can look the same)."
            )
        unusual = _unusual_forms(text)
        if unusual:
            shown = ", ".join(f"{c} for {unicodedata.normalize('NFKC', c)}" for c in unusual[:3])
            warnings.append(
                f"This {what} has letters in an unusual form ({shown}): check it is who you meant."
            )
    return warnings
