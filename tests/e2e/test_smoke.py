"""Quick checks of the app shell: the login page, a refused login, the meetings list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Users, login, shot

pytestmark = pytest.mark.e2e


def test_login_refuses_a_wrong_password_then_signs_in(
    app_url: str, users: Users, page: Any
) -> None:
    page.goto(f"{app_url}/login")
    page.wait_for_selector("#login-ready", state="attached")
    shot(page, "login")
    page.fill("#login-email", users.legal)
    page.fill("#login-password", "not-the-password")
    page.click("#login-submit")
    error = page.wait_for_selector("#login-error")
    assert "wrong email or password" in error.inner_text().lower()
    login(page, app_url, users.legal)
    assert page.locator("#whoami").inner_text().startswith(users.legal)
    page.wait_for_selector("#meetings-table")
