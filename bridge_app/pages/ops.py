"""Ops: dependency and worker health, queue depth over time, SLO compliance, failures."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import bind, length, page, refused
from bridge_app.state.ops import OpsState


def status_badge(status: Any) -> rx.Component:
    return rx.badge(
        status,
        color_scheme=rx.match(
            status, ("up", "green"), ("ok", "green"), ("degraded", "amber"), "red"
        ),
    )


def dep_row(d: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(d.name),
        rx.table.cell(status_badge(d.status)),
        rx.table.cell(d.latency),
        rx.table.cell(rx.text(d.detail, size="1", color_scheme="gray")),
        custom_attrs={"data-name": d.name, "data-status": d.status},
    )


def worker_row(d: Any) -> rx.Component:
    """A worker has no latency: three columns, each with a header (axe empty-table-header)."""
    return rx.table.row(
        rx.table.cell(d.name),
        rx.table.cell(status_badge(d.status)),
        rx.table.cell(rx.text(d.detail, size="1", color_scheme="gray")),
        custom_attrs={"data-name": d.name, "data-status": d.status},
    )


def table(headers: list[str], body: rx.Component, id: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(body),
            width="100%",
            size="1",
            id=id,
        ),
        overflow_x="auto",
        width="100%",
        tab_index=0,
        role="region",
        aria_label=" ".join(headers),
    )


def queue_row(q: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(q.name)),
        rx.table.cell(rx.text(q.depth, class_name="queue-depth")),
        custom_attrs={"data-queue": q.name},
    )


def slo_row(s: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(s.label),
        rx.table.cell(s.target),
        rx.table.cell(
            rx.badge(
                s.compliance,
                color_scheme=rx.cond(s.ok, "green", "red"),
                class_name="slo-compliance",
            )
        ),
        rx.table.cell(s.p95, class_name="slo-p95"),
        rx.table.cell(s.budget),
        rx.table.cell(s.counts),
        custom_attrs={"data-slo": s.name},
    )


def failure_row(f: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(f.title, href="/meeting?id=" + f.meeting_id)),
        rx.table.cell(f.stage),
        rx.table.cell(rx.text(f.reason, size="1")),
        rx.table.cell(rx.text(f.when, size="1")),
        rx.table.cell(
            rx.cond(
                f.retryable,
                rx.button(
                    "Retry",
                    size="1",
                    on_click=bind(OpsState.retry, f.meeting_id),
                    class_name="btn-retry",
                ),
            )
        ),
    )


def ops_body() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading("Operations", size="6", as_="h1"),
            rx.spacer(),
            rx.text("Overall: ", size="2"),
            status_badge(OpsState.overall),
            rx.text("updated ", OpsState.updated, size="1", color_scheme="gray"),
            spacing="2",
            align="center",
            width="100%",
        ),
        rx.grid(
            rx.card(
                rx.heading("Dependencies", size="4", as_="h2"),
                table(
                    ["Name", "Status", "Latency", "Detail"],
                    rx.foreach(OpsState.dependencies, dep_row),
                    "deps",
                ),
            ),
            rx.card(
                rx.heading("Workers", size="4", as_="h2"),
                table(
                    ["Queue", "Status", "Heartbeat"],
                    rx.foreach(OpsState.workers, worker_row),
                    "workers",
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            rx.card(
                rx.heading("Queue depth", size="4", as_="h2"),
                table(["Queue", "Waiting jobs"], rx.foreach(OpsState.queues, queue_row), "queues"),
            ),
            rx.card(
                rx.heading("Waiting jobs over time", size="4", as_="h2"),
                rx.recharts.area_chart(
                    rx.recharts.area(
                        data_key="total",
                        stroke="var(--accent-9)",
                        fill="var(--accent-a5)",
                        is_animation_active=False,
                    ),
                    rx.recharts.x_axis(data_key="t", tick={"fontSize": 10}),
                    rx.recharts.y_axis(allow_decimals=False, width=30),
                    rx.recharts.graphing_tooltip(),
                    data=OpsState.history,
                    height=180,
                    width="100%",
                ),
                id="queue-chart",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.card(
            rx.heading("SLO compliance (30 days)", size="4", as_="h2"),
            table(
                ["SLO", "Target", "Compliance", "p95", "Error budget left", "Within / total"],
                rx.foreach(OpsState.slos, slo_row),
                "slos",
            ),
            width="100%",
        ),
        rx.card(
            rx.heading("Recent failures", size="4", as_="h2"),
            rx.cond(
                length(OpsState.failures) == 0,
                rx.text("No failures in the last day.", size="2", color_scheme="gray"),
                table(
                    ["Meeting", "Stage", "Reason", "When", ""],
                    rx.foreach(OpsState.failures, failure_row),
                    "failures",
                ),
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def ops_page() -> rx.Component:
    return page(
        rx.cond(OpsState.can_operate, ops_body(), refused("open the ops page")),
        on_mount=OpsState.start_live,
        on_unmount=OpsState.stop_live,
    )
