"""The audit log (admin), filterable by action, actor and object."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import labelled, page, refused
from bridge_app.state.audit import AuditState


def audit_row(e: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(e.when, size="1")),
        rx.table.cell(e.actor),
        rx.table.cell(rx.code(e.action)),
        rx.table.cell(rx.text(e.object, size="1")),
        rx.table.cell(rx.text(e.ip, size="1")),
        rx.table.cell(rx.text(e.detail, size="1", color_scheme="gray")),
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
                labelled("Object id", rx.input(name="object", id="audit-object"), "audit-object"),
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
                            for h in ("When", "Actor", "Action", "Object", "IP", "Detail")
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
        ),
        spacing="3",
        width="100%",
    )


def audit_page() -> rx.Component:
    return page(rx.cond(AuditState.is_admin, audit_body(), refused("see the audit log")))
