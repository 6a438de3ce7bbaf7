"""Moved: after the hire is `scoring.insights.outcomes`, in the Insights package beside the
statistics and frames it reads. This module keeps the names its remaining callers use
(scoring/demo_history.py, tests/test_demo_history.py) until they import the package's module."""

from scoring.insights.outcomes import (  # noqa: F401 - re-exported for the callers above
    CAVEAT,
    MONTHS,
    RATING_FROM_MONTHS,
    RATING_SCALE,
    Hire,
    Outcome,
    hires,
    outcome_correlations,
    outcome_rows,
    rating_from,
    record_outcome,
    retention,
)
