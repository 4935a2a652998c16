"""Sign-in: local login, refresh, logout, who-am-I, and OpenID Connect single sign-on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Caller, client_ip
from bridge_app.models.api import LoginRequest, PrincipalPublic, RefreshRequest, TokenResponse
from bridge_app.services.auth import oidc, password_login, sso_codes, tokens
from bridge_app.services.db import session_scope
from bridge_app.services.errors import AuthError, NotFound, ServiceError
from bridge_app.services.principal import Principal
from bridge_app.settings import get_settings

router = APIRouter(prefix="/v1/auth", tags=["auth"])
log = logging.getLogger("bridge.api.auth")


def _principal(p: Principal) -> PrincipalPublic:
    return PrincipalPublic.model_validate(
        {
            "user_id": p.user_id,
            "organization_id": p.organization_id,
            "role": p.role,
            "email": p.email,
        }
    )


def _tokens(pair: tokens.TokenPair) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        principal=_principal(pair.principal),
    )


T = TypeVar("T")


def _committing(fn: Callable[[Session], T]) -> T:
    """Run `fn(session)`, committing even when it raises (failed logins are recorded)."""
    error: ServiceError | None = None
    with session_scope() as session:
        try:
            return fn(session)
        except ServiceError as exc:
            error = exc
    raise error


@router.post("/login", response_model=TokenResponse)
async def login(body: LoginRequest, request: Request) -> TokenResponse:
    """Email + password → access token (short-lived) and refresh token; rate-limited,
    and the account locks after repeated failures."""
    ip = client_ip(request)

    def work() -> tokens.TokenPair:
        return _committing(
            lambda s: password_login.login(
                s,
                email=body.email,
                password=body.password,
                ip=ip,
                organization_slug=body.organization,
            )
        )

    return _tokens(await run_in_threadpool(work))


@router.post("/refresh", response_model=TokenResponse)
async def refresh(body: RefreshRequest, request: Request) -> TokenResponse:
    """Exchange a refresh token for a new pair (the old one stops working)."""
    ip = client_ip(request)

    def work() -> tokens.TokenPair:
        return _committing(lambda s: tokens.refresh(s, refresh_token=body.refresh_token, ip=ip))

    return _tokens(await run_in_threadpool(work))


@router.post("/logout", status_code=204, response_class=Response)
async def logout(body: RefreshRequest) -> Response:
    """Revoke a refresh token (access tokens expire on their own within minutes)."""

    def work() -> None:
        with session_scope() as session:
            tokens.logout(session, refresh_token=body.refresh_token)

    await run_in_threadpool(work)
    return Response(status_code=204)


@router.get("/me", response_model=PrincipalPublic)
async def me(principal: Caller) -> PrincipalPublic:
    """Who the token belongs to."""
    return _principal(principal)


# ------------------------------------------------------------------ OpenID Connect


@lru_cache(maxsize=4)
def _oauth(issuer: str, client_id: str, client_secret: str) -> Any:
    from authlib.integrations.starlette_client import OAuth

    oauth = OAuth()
    oauth.register(
        "oidc",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "timeout": 10},
    )
    return oauth.oidc


def oidc_client() -> Any:
    """Authlib's Starlette OIDC client for the configured provider (404 when none)."""
    settings = get_settings()
    if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID):
        raise NotFound("single sign-on is not configured")
    return _oauth(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)


UI_NEXT = "ui"
_NEXT_KEY = "bridge_next"


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


def _ui_redirect(**params: str) -> RedirectResponse:
    base = get_settings().PUBLIC_URL.rstrip("/")
    return RedirectResponse(f"{base}/sso?{urlencode(params)}", status_code=302)


@router.get("/oidc/login", response_class=RedirectResponse, status_code=302)
async def oidc_login(request: Request, next: str | None = None) -> Any:
    """Redirect to the identity provider (state and nonce kept in a signed cookie).

    `next=ui` (what the UI's "Sign in with SSO" button sends) makes the callback hand the
    session to the UI through a one-time code; without it the callback answers JSON.
    """
    client = oidc_client()
    request.session.pop(_NEXT_KEY, None)
    if next == UI_NEXT:
        request.session[_NEXT_KEY] = UI_NEXT
    redirect_uri = str(request.url_for("oidc_callback"))
    response = await client.authorize_redirect(request, redirect_uri)
    if next == UI_NEXT:
        # Binds the hand-off code to this browser (login CSRF); the UI reads it server-side.
        response.set_cookie(
            sso_codes.SSO_NONCE_COOKIE,
            sso_codes.new_nonce(),
            max_age=600,
            path="/",
            httponly=True,
            samesite="lax",
            secure=get_settings().is_production,
        )
    return response


@router.get(
    "/oidc/callback",
    response_model=TokenResponse,
    name="oidc_callback",
    responses={302: {"description": "UI sign-in: to `{PUBLIC_URL}/sso?code=…` (one-time)"}},
)
async def oidc_callback(request: Request) -> Any:
    """The provider's redirect back: the ID token is verified against the provider's JWKS
    (signature, iss, aud, exp, nonce) and the role is mapped from its claim.

    API clients get the token pair as JSON. When the login was started from the UI
    (`/oidc/login?next=ui`) and the caller does not ask for JSON, the answer is a 302 to
    `{PUBLIC_URL}/sso?code=…`: a one-time code valid 60 s that the UI redeems server-side
    (tokens never travel in a URL). Failures then go to `/sso?error=sso_failed`."""
    from authlib.integrations.base_client import OAuthError
    from joserfc.errors import JoseError

    to_ui = request.session.pop(_NEXT_KEY, None) == UI_NEXT and not _wants_json(request)
    client = oidc_client()
    try:
        try:
            token = await client.authorize_access_token(request)
        except (OAuthError, JoseError, ValueError, KeyError, TypeError) as exc:
            raise AuthError(f"single sign-on failed: {exc}") from exc
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise AuthError("single sign-on failed: the provider sent no ID token")
        issuer = str(claims.get("iss") or get_settings().OIDC_ISSUER)
        ip = client_ip(request)

        if to_ui:
            nonce = request.cookies.get(sso_codes.SSO_NONCE_COOKIE, "")

            def hand_off() -> str:
                principal = _committing(
                    lambda s: oidc.oidc_principal(s, issuer=issuer, claims=claims, ip=ip, via="ui")
                )
                return sso_codes.issue_login_code(principal, nonce=nonce)

            return _ui_redirect(code=await run_in_threadpool(hand_off))

        def work() -> tokens.TokenPair:
            return _committing(lambda s: oidc.oidc_login(s, issuer=issuer, claims=claims, ip=ip))

        return _tokens(await run_in_threadpool(work))
    except ServiceError as exc:
        if not to_ui:
            raise
        log.warning("single sign-on for the UI failed: %s", exc.message)
        if isinstance(exc, oidc.LinkRequired):
            return _ui_redirect(error="link_required")
        return _ui_redirect(error="sso_failed")


class LinkRequest(BaseModel):
    """The one-time `link_code` a callback answered with (409) for an existing account."""

    code: str = Field(min_length=16, max_length=128)


@router.post("/oidc/link", status_code=204, response_class=Response)
async def oidc_link(body: LinkRequest, request: Request, principal: Caller) -> Response:
    """Link a verified single sign-on identity to the signed-in account (explicit, once).

    A provider login whose email matches an existing account is never linked on its own:
    the callback answers 409 with a `link_code`, and the account's owner, signed in with
    its password, posts that code here."""
    ip = client_ip(request)

    def work() -> None:
        with session_scope() as session:
            oidc.link_identity(session, principal, code=body.code, ip=ip)

    await run_in_threadpool(work)
    return Response(status_code=204)
