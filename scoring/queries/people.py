"""The queries behind people, their access codes and their sign-in sessions (`scoring.people`)."""

COUNT_PEOPLE = "SELECT COUNT(*) FROM people"
EMAIL_TAKEN = "SELECT 1 FROM people WHERE email = ? COLLATE NOCASE"
ADD_PERSON = "INSERT INTO people (name, email, roles, created_at) VALUES (?, ?, ?, ?)"
PERSON = "SELECT * FROM people WHERE id = ?"
PERSON_BY_EMAIL = "SELECT * FROM people WHERE email = ? COLLATE NOCASE"
EVERYONE = "SELECT * FROM people ORDER BY name COLLATE NOCASE"
SET_ACTIVE = "UPDATE people SET active = ? WHERE id = ?"

# The columns a coordinator may change, in the order they are set.
_CHANGEABLE = ("name", "roles")


def update_person(columns: list[str]) -> str:
    """Set these of a person's columns (`name`, `roles`, or both), each a placeholder, in that
    order, then the person's id."""
    unknown = [c for c in columns if c not in _CHANGEABLE]
    if unknown or not columns:
        raise ValueError(f"a person's changeable columns are {_CHANGEABLE}, not {columns}")
    sets = ", ".join(f"{column} = ?" for column in columns)
    return f"UPDATE people SET {sets} WHERE id = ?"


# The directory a page at a time: everyone, or those whose name or email contains the text (two
# LIKE placeholders, with `\` as the escape character).
_EVERY_ROW = "(1 = 1)"  # true on both engines (PostgreSQL has no 0/1 conditions)
_MATCHING = r"(name LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')"


def count_people(matching: bool) -> str:
    """How many people the directory lists (`matching`: only names or emails like the text)."""
    return f"SELECT COUNT(*) FROM people WHERE {_MATCHING if matching else _EVERY_ROW}"


def people_page(matching: bool) -> str:
    """One page of the directory by name (then id), its size and offset the last placeholders."""
    where = _MATCHING if matching else _EVERY_ROW
    return f"SELECT * FROM people WHERE {where} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?"


# ------------------------------------------------------------------------------- access codes

SET_CODE = """INSERT INTO access_codes (person_id, code_hash, salt, issued_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (person_id) DO UPDATE SET code_hash = excluded.code_hash,
             salt = excluded.salt, issued_at = excluded.issued_at,
             failed_attempts = 0, locked_until = NULL"""
CODE_OF = "SELECT * FROM access_codes WHERE person_id = ?"
DROP_CODE = "DELETE FROM access_codes WHERE person_id = ?"
# A code stored before the tagged format (a bare 32-byte scrypt hash), kept until it is used.
LEGACY_CODES_LEFT = "SELECT EXISTS (SELECT 1 FROM access_codes WHERE length(code_hash) = 32)"
REHASH_CODE = """UPDATE access_codes SET code_hash = ?, salt = ?
                 WHERE person_id = ? AND code_hash = ?"""

# ---------------------------------------------------------------------------- sign-in sessions

START_SESSION = (
    "INSERT INTO sign_in_sessions (token_hash, person_id, how, created_at, last_seen_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
# The session and its person in one read (every run of every page asks it): the person's own
# columns, and the session's times under names of their own (both tables have `created_at`).
SESSION = """SELECT p.id, p.name, p.email, p.roles, p.active, s.created_at AS session_created_at,
                    s.last_seen_at, s.ended_at
               FROM sign_in_sessions s JOIN people p ON p.id = s.person_id
               WHERE s.token_hash = ?"""
TOUCH_SESSION = "UPDATE sign_in_sessions SET last_seen_at = ? WHERE token_hash = ?"
END_SESSION = "UPDATE sign_in_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL"
END_SESSIONS_OF = (
    "UPDATE sign_in_sessions SET ended_at = ? WHERE person_id = ? AND ended_at IS NULL"
)
OPEN_SESSIONS_OF = "SELECT COUNT(*) FROM sign_in_sessions WHERE person_id = ? AND ended_at IS NULL"
