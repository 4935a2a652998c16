"""Authentication: access and refresh tokens, password login, OIDC sign-in, SSO hand-off codes.

Access tokens are short-lived HS256 JWTs (only HS256 is accepted: `alg: none` and every other
algorithm are refused) carrying the user, organization and role, so checking a request costs
no database round trip. Refresh tokens are random strings stored only as their SHA-256; using
one rotates it, and presenting a revoked one revokes every token of that user (theft signal).
Logins are rate-limited per IP + email (Redis through `limits`) and lock the account after
repeated failures. Role changes and deactivation take effect at the next refresh.

JOSE work uses `joserfc` (Authlib's successor to the deprecated `authlib.jose`); single sign-on
uses Authlib's Starlette OIDC client (see `bridge_app.api.routes.auth`). Who may do what lives
in `bridge_app.services.principal`; the errors in `bridge_app.services.errors`.

Modules: `tokens` (JWTs, refresh tokens), `password_login` (password sign-in), `oidc` (ID-token
sign-in), `sso_codes` (one-time codes from the SSO callback to the UI).
"""
