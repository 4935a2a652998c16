"""The page shell: navigation by role, the alert line, and the stage progress indicator."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.state.auth import AuthState


def nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, size="3", weight="medium", underline="hover")


def navbar() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            rx.link(
                rx.heading("Meeting Contract Bridge", size="4"), href="/meetings", underline="none"
            ),
            rx.spacer(),
            rx.flex(
                nav_link("Meetings", "/meetings"),
                nav_link("Playbook", "/playbook"),
                rx.cond(AuthState.can_operate, nav_link("Ops", "/ops")),
                rx.cond(AuthState.is_admin, nav_link("Audit log", "/audit")),
                rx.text(
                    AuthState.user_email,
                    " (",
                    AuthState.user_role,
                    ")",
                    size="2",
                    color_scheme="gray",
                    id="whoami",
                ),
                rx.button("Sign out", on_click=AuthState.logout, variant="soft", size="2"),
                spacing="4",
                align="center",
                wrap="wrap",
            ),
            align="center",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        aria_label="Main",
        style={
            "padding": "0.75rem 1.25rem",
            "borderBottom": "1px solid var(--gray-a5)",
            "position": "sticky",
            "top": "0",
            "background": "var(--color-background)",
            "zIndex": "10",
        },
    )


def alerts() -> rx.Component:
    return rx.box(
        rx.cond(
            AuthState.error != "",
            rx.callout.root(
                rx.flex(
                    rx.callout.text(AuthState.error),
                    rx.spacer(),
                    rx.button("Dismiss", size="1", variant="ghost", on_click=AuthState.dismiss),
                    align="center",
                    width="100%",
                ),
                color_scheme="red",
                role="alert",
                id="page-error",
            ),
        ),
        rx.cond(
            AuthState.notice != "",
            rx.callout.root(
                rx.flex(
                    rx.callout.text(AuthState.notice),
                    rx.spacer(),
                    rx.button("Dismiss", size="1", variant="ghost", on_click=AuthState.dismiss),
                    align="center",
                    width="100%",
                ),
                color_scheme="green",
                role="status",
                id="page-notice",
            ),
        ),
        width="100%",
    )


def refused(what: str) -> rx.Component:
    """What a page shows a role that may not open it. Rendered from the role itself, not only
    from `error`, which any event of the session (a live poll still running for another page)
    may change at any moment."""
    return rx.cond(
        AuthState.error == "",
        rx.callout.root(
            rx.callout.text("Your role (", AuthState.user_role, f") may not {what}."),
            color_scheme="red",
            role="alert",
            id="page-error",
        ),
    )


def page(*children: Any, on_mount: Any = None, on_unmount: Any = None) -> rx.Component:
    """A signed-in page: the nav, alerts and the content (live polling tied to mount)."""
    return rx.box(
        navbar(),
        rx.el.main(
            rx.vstack(alerts(), *children, spacing="4", width="100%"),
            style={"padding": "1rem 1.25rem", "maxWidth": "1400px", "margin": "0 auto"},
        ),
        on_mount=on_mount,
        on_unmount=on_unmount,
        width="100%",
    )


def stage_steps(steps: Any) -> rx.Component:
    """The five-step progress indicator (Transcript → Decisions → Draft → QA → Export)."""

    def one(step: Any) -> rx.Component:
        return rx.badge(
            rx.match(
                step.state,
                ("done", rx.icon("check", size=12)),
                ("blocked", rx.icon("triangle_alert", size=12)),
                ("active", rx.spinner(size="1")),
                ("failed", rx.icon("x", size=12)),
                rx.icon("circle", size=12),
            ),
            step.label,
            color_scheme=rx.match(
                step.state,
                ("done", "green"),
                ("blocked", "amber"),
                ("active", "blue"),
                ("failed", "red"),
                "gray",
            ),
            variant=rx.cond(step.state == "pending", "outline", "soft"),
            custom_attrs={"data-step": step.key, "data-state": step.state},
            aria_label=step.label + ": " + step.state,
        )

    return rx.flex(rx.foreach(steps, one), spacing="1", wrap="wrap", class_name="stage-steps")


def labelled(label: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=html_for, style={"fontSize": "0.85rem", "fontWeight": 500}),
        control,
        spacing="1",
        width="100%",
    )


def labelled_input(label: str, id: str, value: Any, on_change: Any, **props: Any) -> rx.Component:
    """A text input bound to a state var, with its label (the id ties the two together)."""
    props.setdefault("width", "100%")  # as wide as its column, so placeholders fit
    return labelled(label, rx.input(id=id, value=value, on_change=on_change, **props), id)


def native_select(
    options: list[str], value: Any, on_change: Any, id: str, labels: dict[str, str] | None = None
) -> rx.Component:
    labels = labels or {}
    return rx.el.select(
        *[rx.el.option(labels.get(o, o), value=o) for o in options],
        value=value,
        on_change=on_change,
        id=id,
        style={
            "padding": "0.35rem 0.5rem",
            "borderRadius": "6px",
            "border": "1px solid var(--gray-a7)",
            "background": "var(--color-surface)",
            "color": "var(--gray-12)",
            "minHeight": "2rem",
            "width": "100%",
        },
    )


# mypy cannot follow Reflex's event-callback typing (a TypeVarTuple in `rx.event`), nor see
# that a state class attribute is a Var in page code; these two helpers keep pages typed.
def bind(handler: Any, *args: Any) -> Any:
    """`State.handler(arg, …)`: an event spec with arguments."""
    return handler(*args)


def length(var: Any) -> Any:
    """The length of a list var, as a var."""
    return var.length()
