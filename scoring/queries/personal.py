"""The statements of `scoring.personal` (data keys) and `scoring.erasure`."""

DATABASE_LIST = "PRAGMA database_list"
KEY = "SELECT kek_id, wrapped FROM candidate_keys WHERE candidate_id = ?"
ADD_KEY = (
    "INSERT INTO candidate_keys (candidate_id, kek_id, wrapped, created_at) VALUES (?, ?, ?, ?)"
)
KEYS = (
    "SELECT candidate_id, kek_id, wrapped FROM candidate_keys"
    " WHERE candidate_id IN (SELECT value FROM json_each(?))"
)
ERASED = "SELECT 1 FROM erasures WHERE candidate_id = ?"
