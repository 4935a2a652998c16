"""Single sign-on in the browser: "Sign in with SSO" → the loopback provider (auto-approves)
→ the API's callback → `/sso?code=…` → /meetings, signed in with the role from the claim.

The code in the URL is single-use: opening the same link again shows a clear refusal with a
way back to /login. No token ever appears in a URL.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bridge_app.models import Organization
from bridge_app.services.db import get_engine, session_scope
from tests.e2e.conftest import Users, shot

pytestmark = pytest.mark.e2e


def org_slug(org_id: uuid.UUID) -> str:
    with session_scope(get_engine()) as session:
        org = session.get(Organization, org_id)
        assert org is not None
        return org.slug


def test_sso_signs_in_with_mapped_role_and_code_is_single_use(
    app_url: str, users: Users, oidc_provider: Any, browser: Any, page: Any
) -> None:
    email = f"sso-{uuid.uuid4().hex[:8]}@e2e.test"
    oidc_provider.sign_with = None
    oidc_provider.next_claims = {
        "sub": f"e2e-{uuid.uuid4().hex}",
        "email": email,
        "name": "E2E Sso",
        "email_verified": True,
        "bridge_org": "e2e",  # OIDC_ORG_MAP maps it to the users' organization
        "bridge_role": "legal",
    }
    urls: list[str] = []
    page.on("framenavigated", lambda frame: urls.append(frame.url))
    page.on("request", lambda request: urls.append(request.url))

    page.goto(f"{app_url}/login")
    page.wait_for_selector("#login-ready", state="attached")
    page.click("#login-sso")
    page.wait_for_url(f"{app_url}/meetings", timeout=30_000)
    page.wait_for_selector("#meetings-table")
    assert page.locator("#whoami").inner_text() == f"{email} (legal)"
    shot(page, "sso-signed-in")

    sso_urls = [u for u in urls if u.startswith(f"{app_url}/sso?code=")]
    assert sso_urls, urls
    assert any("/v1/auth/oidc/login?next=ui" in u for u in urls)
    assert not any("token" in u.lower() or "eyJ" in u for u in urls), urls

    # Signed in for real: a reload keeps the session (the state holds the tokens).
    page.reload()
    page.wait_for_selector("#meetings-table")

    # The same code again, in a fresh browser: refused, with a link back to /login.
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    try:
        other = context.new_page()
        other.goto(sso_urls[0])
        error = other.wait_for_selector("#sso-error", timeout=20_000)
        assert "already used" in error.inner_text()
        shot(other, "sso-code-reused")
        other.click("#sso-back")
        other.wait_for_url(f"{app_url}/login")
        other.wait_for_selector("#login-ready", state="attached")
    finally:
        context.close()


def test_sso_without_a_code_explains_and_links_to_login(app_url: str, page: Any) -> None:
    page.goto(f"{app_url}/sso?code=not-a-real-code-at-all-0123456789")
    error = page.wait_for_selector("#sso-error")
    assert "invalid, expired or was already used" in error.inner_text()
    assert page.locator("#sso-back").get_attribute("href") == "/login"
    page.goto(f"{app_url}/sso?error=sso_failed")
    assert "did not complete" in page.wait_for_selector("#sso-error").inner_text()
