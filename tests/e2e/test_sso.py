"""Single sign-on in a real browser: st.login against a local OIDC provider started by the test.
A verified email that belongs to a person signs them in; any other email is refused."""

import os
import secrets
import urllib.request

import pytest
from harness import ROOT, free_port, settle, streamlit_server, visit
from oidc_provider_mock import run_server_in_thread

from scoring.demo import build_demo
from scoring.rubric import load_catalog
from scoring.store import Store

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on localhost


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso")
    db = folder / "sso.sqlite"
    logins = build_demo(Store(db), load_catalog(ROOT / "rubrics"))
    port = free_port()
    with run_server_in_thread(port=0) as provider:
        issuer = f"http://localhost:{provider.server_port}"
        urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=10).read()
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "debrief-test"\n'
            'client_secret = "not-a-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        )
        with streamlit_server(
            db,
            port=port,
            extra_args=("--secrets.files", str(secrets_file)),
            extra_env={"AUTHLIB_INSECURE_TRANSPORT": "1"},
        ) as url:
            yield url, {x.email: x for x in logins}


def company_sign_in(page, url: str, email: str) -> None:
    visit(page, url)
    page.get_by_role("button", name="Sign in with your company account").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    settle(page)


def test_company_account_of_a_person_signs_them_in(sso_app, new_page):
    url, logins = sso_app
    interviewer = next(x for x in logins.values() if x.roles == ("interviewer",))
    page = new_page()
    company_sign_in(page, url, interviewer.email)
    page.get_by_role("heading", name="My interviews").wait_for()
    assert interviewer.name in page.locator("[data-testid=stSidebar]").inner_text()


def test_company_account_that_is_not_a_person_is_refused(sso_app, new_page):
    url, _ = sso_app
    page = new_page()
    company_sign_in(page, url, "stranger@example.com")
    refusal = page.get_by_text("is not a Debrief user here")
    refusal.wait_for()
    # shown as typed, not as a link: an invisible word joiner keeps the address from linking
    assert "stranger@example.com is not" in refusal.inner_text().replace("\u2060", "")
    assert page.get_by_role("button", name="Sign out", exact=True).count() == 0  # nobody in
    assert page.get_by_role("button", name="Sign out of the company account").is_visible()


def test_signed_in_person_without_the_role_gets_only_a_prompt_on_a_direct_url(sso_app, new_page):
    url, logins = sso_app
    interviewer = next(x for x in logins.values() if x.roles == ("interviewer",))
    page = new_page()
    company_sign_in(page, url, interviewer.email)
    page.get_by_role("heading", name="My interviews").wait_for()
    for path in ("people", "openings", "candidates", "interview_day", "status", "rubrics"):
        visit(page, f"{url}/{path}")  # a new request: the company-account cookie carries over
        page.get_by_text(f"You are signed in as {interviewer.name}, who is not").wait_for()
        main = page.locator("[data-testid=stMain]").inner_text()
        assert "example.org" not in main and "Candidate " not in main
