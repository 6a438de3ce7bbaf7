"""The queries behind the sign-in throttle and the hourly tally of failures (`scoring.throttle`)."""

COUNT = "SELECT failures, last_failure_at FROM sign_in_throttle WHERE who = ? AND client = ?"
BUMP = """INSERT INTO sign_in_throttle (who, client, failures, next_allowed_at, last_failure_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (who, client) DO UPDATE SET failures = excluded.failures,
             next_allowed_at = excluded.next_allowed_at,
             last_failure_at = excluded.last_failure_at"""
FORGET = "DELETE FROM sign_in_throttle WHERE last_failure_at < ?"
CLEAR = "DELETE FROM sign_in_throttle WHERE who = ? AND client = ?"
TALLY = (
    "INSERT INTO sign_in_failures (hour, kind, failures) VALUES (?, ?, 1)"
    " ON CONFLICT (hour, kind) DO UPDATE SET failures = sign_in_failures.failures + 1"
)
FORGET_HOURS = "DELETE FROM sign_in_failures WHERE hour < ?"
BY_HOUR = "SELECT hour, kind, failures FROM sign_in_failures WHERE hour >= ? ORDER BY hour, kind"
