"""Signing in at the front door, in a real browser: the server runs the person's first screen
straight away (issue 25). The form's button signs in before its run draws anything and switches
there, so the server neither draws the sign-in page again only to leave it nor runs the root page
only to switch: one navigation after Enter is pressed in the form, none of the sign-in page,
and the cookie still set (its request is drawn on that first screen)."""

from harness import settle, streamlit_server, visit

from scoring import people
from world import build


def test_signing_in_runs_the_first_screen_at_once(tmp_path, new_page):
    world = build(tmp_path / "front-door.sqlite")
    code = people.issue_code(world.store, world.coordinator, world.ana.id)
    with streamlit_server(world.store.location) as url:
        page = new_page()
        received: list[bytes] = []

        def heard(frame) -> None:
            received.append(frame if isinstance(frame, bytes) else frame.encode())

        page.on("websocket", lambda socket: socket.on("framereceived", heard))
        visit(page, url)
        before = len(received)
        # as a person does it: key by key, the code last, then Enter (no click on the button)
        page.get_by_role("textbox", name="Email").click()
        page.keyboard.type("ana@example.com", delay=20)
        page.get_by_role("textbox", name="Access code").click()
        page.keyboard.type(code, delay=20)
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="My interviews").wait_for()
        settle(page)
        assert page.url.endswith("/my_interviews")
        sent = b"".join(received[before:])
        assert b"Interview-day scoring" not in sent  # the sign-in page is not drawn again
        # Every navigation message names every screen (hidden ones too): one run's worth.
        assert sent.count(b"interview_day") == 1
        for _ in range(100):  # the cookie, through the request drawn on My interviews
            if any(c["name"] == "debrief_session" for c in page.context.cookies()):
                break
            page.wait_for_timeout(100)
        else:
            raise AssertionError("no sign-in cookie")
