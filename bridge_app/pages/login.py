"""Sign in: a local account, or single sign-on when OIDC is configured."""

from __future__ import annotations

import reflex as rx

from bridge_app.components.layout import labelled
from bridge_app.state.auth import AuthState


def login_page() -> rx.Component:
    # A main landmark: the page's content is inside one (axe: landmark-one-main).
    return rx.el.main(
        rx.center(
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.heading("Meeting Contract Bridge", size="6", as_="h1"),
                        rx.text("Sign in to review meetings and drafts.", color_scheme="gray"),
                        labelled(
                            "Email",
                            rx.input(
                                name="email",
                                id="login-email",
                                type="email",
                                auto_complete="username",
                                required=True,
                                width="100%",
                            ),
                            "login-email",
                        ),
                        labelled(
                            "Password",
                            rx.input(
                                name="password",
                                id="login-password",
                                type="password",
                                auto_complete="current-password",
                                required=True,
                                width="100%",
                            ),
                            "login-password",
                        ),
                        rx.cond(
                            AuthState.login_error != "",
                            rx.callout.root(
                                rx.callout.text(AuthState.login_error),
                                color_scheme="red",
                                role="alert",
                                id="login-error",
                            ),
                        ),
                        rx.button(
                            "Sign in",
                            type="submit",
                            loading=AuthState.login_busy,
                            width="100%",
                            id="login-submit",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=AuthState.login,
                    reset_on_submit=False,
                ),
                rx.cond(
                    AuthState.sso_enabled,
                    rx.vstack(
                        rx.separator(),
                        rx.button(
                            "Sign in with SSO",
                            on_click=AuthState.start_sso,
                            variant="outline",
                            width="100%",
                            id="login-sso",
                        ),
                        spacing="3",
                        width="100%",
                        padding_top="0.75rem",
                    ),
                ),
                rx.cond(AuthState.login_ready, rx.box(id="login-ready", display="none")),
                width="min(420px, 92vw)",
                size="3",
            ),
            min_height="100vh",
            padding="1rem",
        )
    )
