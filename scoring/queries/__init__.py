"""The queries layer: every SQL statement of the service, named, one module per concern.

Service modules (`scoring.scorecards`, `scoring.debrief`, ...) run statements from here and never
write SQL of their own; only `scoring.store` (the connection's pragmas), `scoring.migrations` (the
schema) and these modules hold SQL (tests/test_queries_layer.py counts). A statement is a named
constant, or a small function when its shape depends on an argument (a list of ids): no string
surgery on another statement, so reformatting one query never silently changes another.
"""


def marks(n: int) -> str:
    """`n` comma-separated placeholders for an `IN (...)` list (at least one)."""
    if n < 1:
        raise ValueError("an IN list needs at least one value")
    return ",".join("?" * n)
