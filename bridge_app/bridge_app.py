"""The Reflex application: UI pages plus the API mounted on the same backend."""

import reflex as rx

from bridge_app.api.main import api


def index() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.heading("AI Meeting Contract Bridge", size="7"),
            rx.text("Meeting transcripts in, traceable contracts out."),
            spacing="3",
        ),
        height="100vh",
    )


app = rx.App(api_transformer=api)
app.add_page(index, route="/", title="Meeting Contract Bridge")
