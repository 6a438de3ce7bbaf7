"""Several hosts on one PostgreSQL: two `streamlit run` workers, each with its own `DEBRIEF_DB`
URL to the same database (one over TCP, one over the server's Unix socket), as two machines
behind a load balancer would be. What one interviewer submits on one host is what the other
sees, blind until their own is in, on the other; sign-in codes issued anywhere work everywhere."""

from urllib.parse import urlsplit, urlunsplit

import pytest
from harness import settle, sign_in, streamlit_server, visit
from test_blind_scoring import everything, open_scorecard, score_by_clicks, write_then_press

from scoring import people, scorecards
from world import _build

pytestmark = pytest.mark.e2e
BOS = "Bo-on-host-B: the index was wrong"


def score_as_bo(page) -> None:
    """Every point, a "No", and feedback of his own (score_by_clicks writes Ana's)."""
    radios = page.get_by_test_id("stRadio")
    for index in range(radios.count() - 1):
        radios.nth(index).locator("[role=radiogroup] label").first.click()
    radios.last.get_by_text("1 · No", exact=True).click()
    write_then_press(page, "Written feedback (required)", BOS, "Submit scorecard…")
    page.get_by_text("This scorecard is final").wait_for()
    settle(page)


def over_the_socket(url: str, folder) -> str:
    """The same database reached through the server's Unix socket instead of TCP."""
    parts = urlsplit(url)
    if folder is None:  # an existing server (DEBRIEF_TEST_PG): the same URL, another process
        return url
    query = f"host={folder}&port={parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username}@", query=query))


def test_two_hosts_on_one_database_share_every_submission_and_keep_it_blind(
    pg_url, pg_cluster, new_page
):
    world = _build(
        pg_url,
        strategy=None,
        reveal_rule="after_own",
        anonymise=False,
        forced_choice=False,
        manager_interviews=False,
    )
    codes = {
        who: people.issue_code(world.store, world.coordinator, world.person(who).id)
        for who in ("ana", "bo")
    }
    world.store.close()
    socket_url = over_the_socket(pg_url, pg_cluster.folder)
    with streamlit_server(pg_url) as host_a, streamlit_server(socket_url) as host_b:
        # Bo submits on host B
        bo = visit(new_page(), host_b)
        sign_in(bo, "bo@example.com", codes["bo"])
        open_scorecard(bo)
        score_as_bo(bo)
        # Ana, on host A, sees nothing of it until her own is in
        ana = visit(new_page(), host_a)
        sign_in(ana, "ana@example.com", codes["ana"])
        open_scorecard(ana)
        assert BOS not in everything(ana)
        score_by_clicks(ana)
        # then Bo's scorecard, written on the other host, opens on this one
        ana.get_by_text("Bo Berg").first.click()
        ana.get_by_text(BOS).first.wait_for()
        settle(ana)
    panel = scorecards.panel(world.store, world.ana, world.candidate_id)  # hers is in
    assert {c.interviewer_name: c.feedback for c in panel} == {
        "Ana Alvarez": "Strong, clear thinking.",
        "Bo Berg": BOS,
    }
