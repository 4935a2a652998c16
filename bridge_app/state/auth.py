"""Who is signed in. Tokens live only in backend vars (`_`-prefixed: never sent to the browser).

Every page state inherits from `AuthState`, and every event handler that reads or changes data
calls `await self.principal_for(permission)` first: the role is checked on the server for each
event, so an event forged in the browser is refused like a click on a hidden button.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import reflex as rx
from sqlmodel import Session

from bridge_app.services.auth import password_login, sso_codes, tokens
from bridge_app.services.errors import AuthError, ServiceError
from bridge_app.services.principal import PERMISSIONS, Principal
from bridge_app.state.common import friendly

REFRESH_MARGIN_S = 30


def _login(email: str, password: str, ip: str | None) -> tokens.TokenPair:
    from bridge_app.services.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            pair = password_login.login(session, email=email, password=password, ip=ip)
        except ServiceError:
            session.commit()  # the failed-login counter and its audit event are kept
            raise
        session.commit()
        return pair


def _redeem(code: str, ip: str | None) -> tokens.TokenPair:
    from bridge_app.services.db import session_scope

    with session_scope() as session:
        return sso_codes.redeem_login_code(session, code, ip=ip)


SSO_FAILED = "Single sign-on did not complete. Please try again."


def _refresh(refresh_token: str, ip: str | None) -> tokens.TokenPair:
    from bridge_app.services.db import session_scope

    with session_scope() as session:
        return tokens.refresh(session, refresh_token=refresh_token, ip=ip)


def _logout(refresh_token: str) -> None:
    from bridge_app.services.db import session_scope

    with session_scope() as session:
        tokens.logout(session, refresh_token=refresh_token)


class AuthState(rx.State):
    """Sign-in state and the permission check shared by every page state."""

    _access_token: str = ""
    _refresh_token: str = ""
    _expires_at: float = 0.0

    user_email: str = ""
    user_role: str = ""
    login_error: str = ""
    login_busy: bool = False
    sso_enabled: bool = False
    login_ready: bool = False
    # /sso: the one-time code exchange ("" while it runs or when it worked).
    sso_error: str = ""
    sso_done: bool = False
    _sso_code: str = ""
    # A refusal or failure of the last action, shown in the page's alert (never a traceback).
    error: str = ""
    notice: str = ""

    @rx.var
    def signed_in(self) -> bool:
        return self.user_role != ""

    @rx.var
    def can_edit(self) -> bool:
        return self.user_role in PERMISSIONS["review"]

    @rx.var
    def can_operate(self) -> bool:
        return self.user_role in PERMISSIONS["operate"]

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "admin"

    # ------------------------------------------------------------------ helpers

    def _client_ip(self) -> str | None:
        return self.router.session.client_ip or None

    def _clear(self) -> None:
        self._access_token = self._refresh_token = ""
        self._expires_at = 0.0
        self.user_email = self.user_role = ""

    def _apply(self, pair: tokens.TokenPair) -> None:
        self._access_token = pair.access_token
        self._refresh_token = pair.refresh_token
        self._expires_at = time.time() + pair.expires_in
        self.user_email = pair.principal.email
        self.user_role = pair.principal.role

    async def current_principal(self) -> Principal | None:
        """The signed-in principal (refreshing the access token when it is about to expire)."""
        if not self._access_token:
            return None
        if time.time() > self._expires_at - REFRESH_MARGIN_S and self._refresh_token:
            try:
                pair = await asyncio.to_thread(_refresh, self._refresh_token, self._client_ip())
            except ServiceError:
                self._clear()
                return None
            self._apply(pair)
        try:
            principal = tokens.decode_access_token(self._access_token)
        except AuthError:
            self._clear()
            return None
        self.user_role = principal.role
        return principal

    async def principal_for(self, permission: str = "read") -> Principal | None:
        """The principal if it holds `permission`; otherwise None and `error` says why."""
        principal = await self.current_principal()
        if principal is None:
            self.error = "Please sign in again."
            return None
        if not principal.can(permission):
            self.error = f"Your role ({principal.role}) may not do this."
            return None
        self.error = ""
        return principal

    def fail(self, exc: BaseException) -> None:
        self.error = friendly(exc)

    # ------------------------------------------------------------------ events

    @rx.event
    def load_login(self) -> Any:
        from bridge_app.settings import get_settings

        settings = get_settings()
        self.sso_enabled = bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)
        self.login_error = ""
        self.login_ready = True
        if self.signed_in:
            return rx.redirect("/meetings")
        return None

    @rx.event
    async def login(self, form: dict[str, Any]) -> Any:
        email = str(form.get("email") or "").strip()
        password = str(form.get("password") or "")
        if not email or not password:
            self.login_error = "Enter your email and password."
            return
        self.login_busy = True
        yield
        try:
            pair = await asyncio.to_thread(_login, email, password, self._client_ip())
        except ServiceError as exc:
            self.login_error = exc.message
            self.login_busy = False
            return
        except Exception as exc:
            self.login_error = friendly(exc)
            self.login_busy = False
            return
        self._apply(pair)
        self.login_error = ""
        self.login_busy = False
        yield rx.redirect("/meetings")

    @rx.event
    async def go_home(self) -> Any:
        """`/`: the meetings list when signed in, else the login page."""
        if await self.current_principal() is None:
            return rx.redirect("/login")
        return rx.redirect("/meetings")

    @rx.event
    def start_sso(self) -> Any:
        """To the identity provider, through the API's `/v1/auth/oidc/login?next=ui`.

        A full page load (`location.assign`), not `rx.redirect`: on a single-port deployment
        the API shares the UI's host and the client router would render its 404 page instead.
        """
        from bridge_app.settings import get_settings

        settings = get_settings()
        if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID):
            self.login_error = "Single sign-on is not configured."
            return None
        target = f"{settings.API_URL.rstrip('/')}/v1/auth/oidc/login?next=ui"
        return rx.call_script(f"window.location.assign({json.dumps(target)})")

    @rx.event
    async def redeem_sso(self) -> Any:
        """on_load of `/sso`: exchange the one-time code from the SSO callback for a session.

        The exchange happens here, on the server; the browser never holds a token. A code
        works once and for 60 s; anything else ends on a message with a way back to /login.
        """
        params = self.router.url.query_parameters
        code = str(params.get("code", "") or "")[:200]
        self.sso_done = False
        if code and code == self._sso_code and self.signed_in:
            # The same page loaded again (e.g. a reconnect) after the exchange worked.
            return rx.redirect("/meetings", replace=True)
        if not code:
            failed = params.get("error")
            self.sso_error = SSO_FAILED if failed else "This sign-in link has no code."
            self.sso_done = True
            return None
        self.sso_error = ""
        try:
            pair = await asyncio.to_thread(_redeem, code, self._client_ip())
        except ServiceError as exc:
            self.sso_error = f"Single sign-on could not finish: {exc.message}."
            self.sso_done = True
            return None
        except Exception as exc:
            self.sso_error = friendly(exc)
            self.sso_done = True
            return None
        self._sso_code = code
        self._apply(pair)
        self.login_error = ""
        self.sso_done = True
        return rx.redirect("/meetings", replace=True)

    @rx.event
    async def logout(self) -> Any:
        token = self._refresh_token
        self._clear()
        if token:
            try:
                await asyncio.to_thread(_logout, token)
            except Exception as exc:  # signing out locally must always work
                friendly(exc)
        return rx.redirect("/login")

    @rx.event
    def dismiss(self) -> None:
        self.error = ""
        self.notice = ""
