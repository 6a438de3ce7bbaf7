"""The queries behind sign-in nonces shared by every server process (`scoring.nonces`)."""

ISSUE = "INSERT INTO sign_in_nonces (nonce_hash, sealed, expires_at) VALUES (?, ?, ?)"
# Deleted and returned in one statement, inside a write transaction: of two processes swapping
# the same nonce at once, the second finds no row.
TAKE = "DELETE FROM sign_in_nonces WHERE nonce_hash = ? RETURNING sealed, expires_at"
PRUNE = "DELETE FROM sign_in_nonces WHERE expires_at < ?"
COUNT = "SELECT count(*) FROM sign_in_nonces"
