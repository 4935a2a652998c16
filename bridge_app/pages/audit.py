"""The audit log (admin), filterable by action, actor and object."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import labelled, page, refused
from bridge_app.state.audit import AuditState


def audit_row(e: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(e.when, size="1")),
        rx.table.cell(rx.text(e.who, size="2")),
        rx.table.cell(
            rx.vstack(
                rx.text(e.what, size="2"),
                rx.code(e.action, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.text(e.object, size="2", class_name="audit-object")),
        rx.table.cell(
            rx.vstack(
                rx.cond(e.change != "", rx.text(e.change, size="2", class_name="audit-change")),
                rx.cond(
                    e.reason != "",
                    rx.text("Reason: ", e.reason, size="1", class_name="audit-reason"),
                ),
                rx.cond(e.extra != "", rx.text(e.extra, size="1", color_scheme="gray")),
                spacing="1",
            )
        ),
        rx.table.cell(rx.text(e.ip, size="1")),
        class_name="audit-row",
    )


def audit_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Audit log", size="6", as_="h1"),
        rx.form(
            rx.flex(
                labelled(
                    "Action",
                    rx.input(name="action", id="audit-action", placeholder="e.g. decision."),
                    "audit-action",
                ),
                labelled("Actor email", rx.input(name="actor", id="audit-actor"), "audit-actor"),
                labelled(
                    "Object (name or id)",
                    rx.input(name="object", id="audit-object", placeholder="e.g. Fee"),
                    "audit-object",
                ),
                rx.flex(
                    rx.button("Filter", type="submit", id="audit-filter"),
                    rx.button(
                        "Clear", type="reset", variant="soft", on_click=AuditState.clear_filters
                    ),
                    spacing="2",
                    align="end",
                ),
                spacing="3",
                wrap="wrap",
                align="end",
            ),
            on_submit=AuditState.apply_filters,
            reset_on_submit=False,
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("When", "Who", "What", "Object", "Change and reason", "IP")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(AuditState.events, audit_row)),
                width="100%",
                size="1",
                id="audit-table",
            ),
            overflow_x="auto",
            width="100%",
            # a scrolling region must be reachable by keyboard (WCAG 2.1.1)
            tab_index=0,
            role="region",
            aria_label="Audit events",
        ),
        spacing="3",
        width="100%",
    )


def audit_page() -> rx.Component:
    return page(rx.cond(AuditState.is_admin, audit_body(), refused("see the audit log")))
