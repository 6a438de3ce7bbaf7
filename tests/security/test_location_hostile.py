"""A session's place or video link is typed by a coordinator and read by every interviewer (on
the Interview day screen, in the calendar invitation): whatever it holds stays one line of text.
A line break or a control character is refused, 1 MB is refused, and Markdown, HTML or a
calendar property smuggled into it is shown and sent as the characters typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from scoring import invites, openings
from scoring.errors import InvalidInput
from world import DAY, build, dump, page_as

HOSTILE = (
    "**Room 1** <img src=x onerror=alert(1)> [join](javascript:alert(1)) :red[now] $x$"
    " ## no; LOCATION:evil, \\n"
)


def session_of(w, who: str) -> int:
    with w.store.read() as db:
        return db.execute(
            "SELECT session_id FROM assignments WHERE id = ?", [w.seats[who]]
        ).fetchone()[0]


@pytest.mark.parametrize(
    "typed, why",
    [
        ("Room 1\nBEGIN:VEVENT", "must be one line"),
        ("Room 1\r\nX-EVIL:1", "must be one line"),
        ("Room\u20281", "must be one line"),
        ("Room\x001", "must be one line"),
        ("x" * 1_000_000, "1,000,000 characters; at most 1,000"),
    ],
)
def test_a_place_that_is_not_one_short_line_is_refused_and_nothing_written(tmp_path, typed, why):
    w = build(tmp_path / "w.sqlite")
    alan = openings.add_candidate(w.store, w.coordinator, w.opening_id, "Alan")
    before = dump(w.store)
    with pytest.raises(InvalidInput, match=rf"^location: {why}"):
        openings.change_location(w.store, w.coordinator, session_of(w, "ana"), typed)
    with pytest.raises(InvalidInput, match=r"^session.1: " + why):
        openings.schedule_day(
            w.store,
            w.coordinator,
            alan,
            [openings.SessionPlan(1, DAY.replace(day=21), (w.ana.id,), location=typed)],
        )
    assert dump(w.store) == before


def test_a_hostile_place_is_stored_shown_and_sent_as_typed(tmp_path, monkeypatch):
    w = build(tmp_path / "w.sqlite")
    openings.change_location(w.store, w.coordinator, session_of(w, "ana"), HOSTILE)
    assert openings.locations(w.store, w.coordinator, w.candidate_id)[session_of(w, "ana")] == (
        HOSTILE.strip()
    )
    page = page_as(w, "coordinator", "pages/interview_day.py", monkeypatch)
    assert not page.exception
    (day,) = [d for d in page.dataframe if "where" in d.value.columns]
    assert HOSTILE.strip() in list(day.value["where"])  # a table cell: text, never Markdown
    for element in [*page.markdown, *page.caption, *page.error, *page.warning]:
        assert "<img" not in element.value and "](javascript" not in element.value
    (place,) = [t for t in page.text_input if t.label == "Place or video link"]
    assert place.value == HOSTILE.strip()


def test_the_invitation_carries_a_hostile_place_as_one_escaped_location():
    ics = invites.session_event(
        uid="u@debrief",
        sequence=1,
        method="REQUEST",
        starts_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        ends_at=datetime(2026, 11, 20, 11, tzinfo=UTC),
        summary="Interview",
        description="About",
        url="https://debrief.example.org/scorecard?assignment=1",
        location=HOSTILE,
        organiser=("Cora", "cora@example.com"),
        attendee=("Ana", "ana@example.com"),
        stamped_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    unfolded = ics.replace("\r\n ", "")
    assert [line for line in unfolded.splitlines() if line.startswith("LOCATION")] == [
        "LOCATION:" + HOSTILE.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    ]
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["LOCATION"]) == HOSTILE
    assert "X-EVIL" not in ics and ics.count("BEGIN:VEVENT") == 1
