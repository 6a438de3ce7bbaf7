"""With [smtp] set, the running app delivers the outbox and queues reminders by itself: no cron
job needed for a small team (a real app server, a real SMTP server, a real browser)."""

import time
from datetime import UTC, datetime, timedelta
from mailbox import secrets_file, smtp_server

from harness import streamlit_server, visit

from scoring import openings
from world import build


def test_the_running_app_sends_the_invitation_of_a_new_session(tmp_path, new_page):
    world = build(tmp_path / "mail.sqlite")
    with smtp_server() as (inbox, port):
        env = {"DEBRIEF_SECRETS": str(secrets_file(tmp_path, port)), "DEBRIEF_SEND_EVERY": "1"}
        with streamlit_server(world.store.location, extra_env=env) as url:
            visit(new_page(), url)  # the first page view starts the app's sender
            alan = openings.add_candidate(
                world.store, world.coordinator, world.opening_id, "Alan Turing", ""
            )
            # a week ahead: a session already over would also bring its 'scorecard due' mail,
            # which names Alan too (a fixed date here broke on that very day)
            nine = (datetime.now(UTC) + timedelta(days=7)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            openings.schedule_session(world.store, world.coordinator, alan, 1, nine, [world.ana.id])
            deadline = time.monotonic() + 30
            while not [m for m in inbox.to("ana@example.com") if "Alan" in m["Subject"]]:
                assert time.monotonic() < deadline, [m["Subject"] for m in inbox.messages]
                time.sleep(0.2)
    (invitation,) = [m for m in inbox.to("ana@example.com") if "Alan" in m["Subject"]]
    assert any(part.get_content_type() == "text/calendar" for part in invitation.walk())
    # reminders too: the world's interviews ended days ago without scorecards
    assert any(
        "due" in m["Subject"].lower() or "overdue" in m["Subject"].lower() for m in inbox.messages
    ), [m["Subject"] for m in inbox.messages]
