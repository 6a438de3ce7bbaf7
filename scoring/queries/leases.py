"""The queries behind leases: one holder at a time for a named job (`scoring.leases`)."""

# Taken when free, expired, or already ours (a renewal); otherwise left as it is.
HOLD = """INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
          WHERE leases.holder = excluded.holder OR leases.until < ?"""
HOLDER = "SELECT holder, until FROM leases WHERE name = ?"
RELEASE = "DELETE FROM leases WHERE name = ? AND holder = ?"
