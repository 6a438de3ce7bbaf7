"""Insights: is our interviewing any good? Figures across candidates, each with its n and an
interval, on raw scores.

- **Reliability per rubric criterion**: Krippendorff's alpha (interval level, the `krippendorff`
  package) over the sessions that two or more interviewers scored, with a bootstrap interval over
  candidates and the range chance alone would give at the same n (alpha is 0 for chance by
  construction: it is 1 - observed disagreement / disagreement expected by chance).
- **Score distributions** per criterion and for the overall recommendation: the use of every
  point, floor and ceiling shares, "not assessed", and the share of overalls in the middle.
- **Interviewer calibration**: each interviewer's leniency (their mean offset from their
  co-interviewers on the same candidates, shrunk toward zero for small n), spread, extremes, time
  to submit, late rate and corrections after the reveal.

Who sees what is the permission table's. Process figures (`see_insights`, counting where
`count_in_insights` allows: the decision process's hire rate and days to decision, time to
submit per opening) are worked out from decisions and dates alone, by queries that read no
score. Score figures (`see_score_figures`: every table in `SCORE_TABLES` and the decision
process's panel columns) are the opening's hiring manager's only, over the candidates whose
scores they may read (`count_in_score_figures`): a coordinator never gets one, since an
aggregate over a small or changing set of scorecards is a score (subtract two readings and the
newest scores come out). One's own calibration (`see_own_calibration`) counts a candidate where
`see_scores` allows. A person with an unsubmitted seat on a candidate never sees a figure that
includes them. The statistics are pure functions over pandas frames; only `opening_insights`
and `own_calibration` touch the store, with a few set-based queries over the openings in scope.

The package, one job a module, each importing only those above it in this list:

- `limits`: the minimums and the rule of no interval on too few units;
- `statistics`: alpha, its bootstrap and chance range, shrinkage, Pearson and Fisher;
- `memo`: results kept in this process under a digest of their input (the engine's calls on
  each past panel, the score tables), so the first view after a write works out afresh only
  what the write changed;
- `frames`: what every figure reads (the seats' scorecards as data frames);
- `records`: the `Insights` record a view comes as;
- `figures`: agreement, the use of each scale, calibration;
- `after_reveal`: the corrections made once others' scores were seen;
- `process`: the decision process, the what-if and the thresholds;
- `outcomes`: after the hire (recording outcomes, and what predicted them);
- `headlines`: each section's opening sentence;
- `charts`: the Altair charts;
- `kept`: figures kept until something they read changes, shared between processes;
- `window`: what a view read of each candidate in its window, kept beside it so that a write
  about a few candidates reads again only theirs;
- `service`: who counts for whom, the reads on one snapshot, what is kept;
- `documents`: every table as rows and the view as one JSON document.

This module re-exports the public names, so `from scoring import insights` reads as before.
"""

from scoring.insights.charts import (
    PROCESS_SHARES,
    SWEEP_LINES,
    interval_chart,
    plain_records,
    process_shares,
    share_chart,
    sweep_chart,
)
from scoring.insights.documents import SCORE_TABLES, TABLES, document, full_document, table_rows
from scoring.insights.figures import (
    calibration,
    criterion_use,
    middle,
    overall_use,
    point_use,
    reliability,
)
from scoring.insights.frames import (
    independent_of,
    latest_of,
    latest_scorecards,
    seat_scorecards,
    submissions,
    with_criterion,
)
from scoring.insights.headlines import (
    SCORE_SECTIONS,
    SECTIONS,
    for_managers,
    headline,
    hires_headline,
)
from scoring.insights.limits import (
    BAR_STEPS,
    DEFAULT_OFFSET_SD,
    LENIENCY_PRIOR_SD,
    MIN_CANDIDATES_CALIBRATION,
    MIN_CANDIDATES_RELIABILITY,
    MIN_DECISIONS,
    MIN_HIRES,
    MIN_INTERVAL_UNITS,
    MIN_SCORES_DISTRIBUTION,
    RELIABLE_ALPHA,
    RESAMPLES,
    SEED,
    WINDOW,
    Z95,
    has_interval,
    no_interval,
    no_interval_note,
    share_interval,
    without_thin_intervals,
)
from scoring.insights.process import (
    DECIDED,
    PANEL_COLUMNS,
    SUBMISSION_COLUMNS,
    Panel,
    bar_sweep,
    decision_process,
    opening_thresholds,
    submission,
    what_if,
)
from scoring.insights.records import Insights
from scoring.insights.service import (
    headlines,
    insight_openings,
    may_see_own_calibration,
    may_see_score_figures,
    opening_insights,
    own_calibration,
    own_headline,
    with_rubric_id,
)
from scoring.insights.statistics import (
    alpha_interval,
    bootstrap_alpha,
    chance_range,
    fisher_interval,
    pearson,
    shrink,
)

__all__ = [
    "BAR_STEPS",
    "DECIDED",
    "DEFAULT_OFFSET_SD",
    "LENIENCY_PRIOR_SD",
    "MIN_CANDIDATES_CALIBRATION",
    "MIN_CANDIDATES_RELIABILITY",
    "MIN_DECISIONS",
    "MIN_HIRES",
    "MIN_INTERVAL_UNITS",
    "MIN_SCORES_DISTRIBUTION",
    "PANEL_COLUMNS",
    "PROCESS_SHARES",
    "RELIABLE_ALPHA",
    "RESAMPLES",
    "SCORE_SECTIONS",
    "SCORE_TABLES",
    "SECTIONS",
    "SEED",
    "SUBMISSION_COLUMNS",
    "SWEEP_LINES",
    "TABLES",
    "WINDOW",
    "Z95",
    "Insights",
    "Panel",
    "alpha_interval",
    "bar_sweep",
    "bootstrap_alpha",
    "calibration",
    "chance_range",
    "criterion_use",
    "decision_process",
    "document",
    "fisher_interval",
    "for_managers",
    "full_document",
    "has_interval",
    "headline",
    "headlines",
    "hires_headline",
    "independent_of",
    "insight_openings",
    "interval_chart",
    "latest_of",
    "latest_scorecards",
    "may_see_own_calibration",
    "may_see_score_figures",
    "middle",
    "no_interval",
    "no_interval_note",
    "opening_insights",
    "opening_thresholds",
    "overall_use",
    "own_calibration",
    "own_headline",
    "pearson",
    "plain_records",
    "point_use",
    "process_shares",
    "reliability",
    "seat_scorecards",
    "share_chart",
    "share_interval",
    "shrink",
    "submission",
    "submissions",
    "sweep_chart",
    "table_rows",
    "what_if",
    "with_criterion",
    "with_rubric_id",
    "without_thin_intervals",
]
