"""`/sso?code=…`: the end of single sign-on. The state exchanges the one-time code on the
server and moves on to /meetings; a bad, used or expired code says so and links to /login."""

from __future__ import annotations

import reflex as rx

from bridge_app.state.auth import AuthState


def sso_page() -> rx.Component:
    # A main landmark: the page's content is inside one (axe: landmark-one-main).
    return rx.el.main(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading("Meeting Contract Bridge", size="6", as_="h1"),
                    rx.cond(
                        AuthState.sso_error != "",
                        rx.vstack(
                            rx.callout.root(
                                rx.callout.text(AuthState.sso_error),
                                color_scheme="red",
                                role="alert",
                                id="sso-error",
                            ),
                            rx.link("Back to sign in", href="/login", id="sso-back"),
                            spacing="3",
                            width="100%",
                        ),
                        rx.hstack(
                            rx.spinner(),
                            rx.text("Signing you in…", color_scheme="gray"),
                            spacing="2",
                            align="center",
                            id="sso-pending",
                        ),
                    ),
                    rx.cond(AuthState.sso_done, rx.box(id="sso-ready", display="none")),
                    spacing="3",
                    width="100%",
                ),
                width="min(420px, 92vw)",
                size="3",
            ),
            min_height="100vh",
            padding="1rem",
        )
    )
