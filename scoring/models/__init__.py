"""The records every room shares: one class for each kind of stored row that crosses modules,
defined once here and imported from here (issue 24: "record types live in one place").

- `people`: `Person`, someone who signs in;
- `facts`: what the permission table reads about each resource (`Organisation`, `Screen`,
  `OpeningFacts`, `Seat`, `CandidateFacts`, `SeatFacts`);
- `openings`: the `Opening`, a day's `SessionPlan`, a `Candidate` as one person may see them;
- `scorecards`: a `Scorecard` revision, its `CriterionEntry`, a `Draft` and its `DraftCriterion`;
- `status`: where a seat stands (`SeatStatus`, built from a seat-status row by `seat_status`), a
  `CandidateStatus` and the `StatusCounts` every screen shows;
- `decisions`: a recorded `DecisionRecord` and a committee member's `VoteRecord`.

A record here may build itself from a row it is handed (`Person.from_row`, `Opening.from_rows`,
`seat_status`, `draft_of`) but never reads one: this package imports only the pure core (no
store, no queries, no service), tests/test_models.py checks it. The old paths still work (each
module that defined a record re-exports it: `from scoring.scorecards import Scorecard`,
`from scoring.permissions import Person`, `from scoring.opening_record import Opening`, ...).

Views, not records, stay beside the one code that builds them:
- `Debrief`, `PanelCard`, `DebriefStatus`, `Preview`, `Recordable`, `Headline`, `Mark` in
  `scoring.debrief_view` (the open debrief as the page and every export draw it);
- `Insights` in `scoring.insights.records`, `Panel` in `scoring.insights.process`;
- `Summary` and its sections in `scoring.exports.summary`;
- `StatusPage` in `scoring.status`, `MyInterviews` and `Assignment` in `scoring.my_interviews`,
  `Sheet` in `scoring.scorecards`, `Pipeline` and `PipelineRow` in `scoring.pipeline`;
- `Granted` in `scoring.guards` (a guarded body's open connection, not a record);
- the clash rule's `Booking` and `Clash` in `scoring.clashes` (pure core).
"""
