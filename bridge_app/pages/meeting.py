"""One meeting: the transcript beside its extracted items, each with accept / reject / edit."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import bind, labelled, labelled_input, length, page, stage_steps
from bridge_app.state.meeting import MeetingState


def segment_view(seg: Any) -> rx.Component:
    highlighted = MeetingState.highlighted == seg.anchor
    return rx.box(
        rx.flex(
            rx.code(seg.time, size="1"),
            rx.text(seg.speaker, weight="bold", size="2"),
            spacing="2",
            align="center",
        ),
        rx.text(seg.text, size="2"),
        id=seg.anchor,
        custom_attrs={"data-highlighted": rx.cond(highlighted, "true", "false")},
        padding="0.4rem 0.6rem",
        border_radius="6px",
        background=rx.cond(highlighted, "var(--amber-a5)", "transparent"),
        outline=rx.cond(highlighted, "2px solid var(--amber-9)", "none"),
        class_name="segment",
    )


def transcript_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Transcript", size="4", as_="h2"),
            labelled_input(
                "Search the transcript",
                "transcript-search",
                MeetingState.transcript_query,
                MeetingState.set_transcript_query,
                placeholder="Words or speaker",
            ),
            rx.scroll_area(
                rx.vstack(rx.foreach(MeetingState.visible_segments, segment_view), spacing="1"),
                type="auto",
                scrollbars="vertical",
                style={"maxHeight": "70vh"},
                id="transcript",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def evidence_button(ev: Any) -> rx.Component:
    return rx.button(
        rx.icon("quote", size=12),
        ev.time,
        " ",
        ev.speaker,
        size="1",
        variant="ghost",
        on_click=bind(MeetingState.show_evidence, ev.anchor),
        title=ev.quote,
        aria_label="Show evidence at " + ev.time + " in the transcript",
        class_name="evidence-link",
    )


def item_card(item: Any) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.badge(item.confidence_pct, variant="outline", title="confidence"),
                rx.badge(
                    item.status,
                    color_scheme=rx.match(
                        item.status,
                        ("accepted", "green"),
                        ("rejected", "red"),
                        ("edited", "amber"),
                        "gray",
                    ),
                    class_name="review-status",
                ),
                rx.cond(item.superseded, rx.badge("superseded", color_scheme="orange")),
                rx.cond(item.conflicting, rx.badge("conflict", color_scheme="red")),
                rx.spacer(),
                rx.code(item.key, size="1"),
                spacing="2",
                align="center",
                wrap="wrap",
                width="100%",
            ),
            rx.text(
                item.statement,
                size="2",
                class_name="statement",
                text_decoration=rx.cond(item.superseded, "line-through", "none"),
            ),
            rx.cond(
                item.values_text != "", rx.text(item.values_text, size="1", color_scheme="gray")
            ),
            rx.cond(item.flags != "", rx.text(item.flags, size="1", color_scheme="orange")),
            rx.flex(rx.foreach(item.evidence, evidence_button), spacing="2", wrap="wrap"),
            rx.cond(
                MeetingState.can_edit,
                rx.flex(
                    rx.button(
                        "Accept",
                        size="1",
                        color_scheme="green",
                        on_click=bind(MeetingState.accept, item.id),
                        class_name="btn-accept",
                    ),
                    rx.button(
                        "Reject",
                        size="1",
                        color_scheme="red",
                        variant="soft",
                        on_click=bind(MeetingState.open_dialog, item.id, "reject"),
                        class_name="btn-reject",
                    ),
                    rx.button(
                        "Edit",
                        size="1",
                        variant="soft",
                        on_click=bind(MeetingState.open_dialog, item.id, "edit"),
                        class_name="btn-edit",
                    ),
                    spacing="2",
                    class_name="review-controls",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        custom_attrs={"data-item-id": item.id, "data-item-key": item.key, "data-kind": item.kind},
        class_name="item-card",
        width="100%",
        opacity=rx.cond(item.status == "rejected", "0.6", "1"),
    )


def group_view(group: Any) -> rx.Component:
    return rx.vstack(
        rx.heading(group.label, size="3", as_="h3"),
        rx.foreach(group.rows, item_card),
        spacing="2",
        width="100%",
    )


def review_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(MeetingState.dialog_action == "edit", "Edit item", "Reject item")
            ),
            rx.vstack(
                rx.cond(
                    MeetingState.dialog_action == "edit",
                    rx.vstack(
                        labelled(
                            "Statement",
                            rx.text_area(
                                id="dialog-statement",
                                value=MeetingState.dialog_statement,
                                on_change=MeetingState.set_dialog_statement,
                                rows="3",
                            ),
                            "dialog-statement",
                        ),
                        labelled(
                            "Values (JSON)",
                            rx.text_area(
                                id="dialog-values",
                                value=MeetingState.dialog_values,
                                on_change=MeetingState.set_dialog_values,
                                rows="3",
                                font_family="monospace",
                            ),
                            "dialog-values",
                        ),
                        width="100%",
                    ),
                ),
                labelled_input(
                    "Reason",
                    "dialog-reason",
                    MeetingState.dialog_reason,
                    MeetingState.set_dialog_reason,
                    placeholder="Why (kept in the audit log)",
                ),
                rx.cond(
                    MeetingState.dialog_error != "",
                    rx.text(MeetingState.dialog_error, color_scheme="red", role="alert"),
                ),
                rx.flex(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button("Save", on_click=MeetingState.submit_dialog, id="dialog-save"),
                    spacing="2",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        open=MeetingState.dialog_open,
        on_open_change=MeetingState.set_dialog_open,
    )


def meeting_page() -> rx.Component:
    return page(
        rx.cond(
            MeetingState.not_found,
            rx.callout.root(rx.callout.text("No such meeting."), color_scheme="red"),
            rx.vstack(
                rx.flex(
                    rx.vstack(
                        rx.heading(MeetingState.title, size="6", as_="h1", id="meeting-title"),
                        rx.text(
                            rx.cond(MeetingState.matter != "", MeetingState.matter + " · ", ""),
                            MeetingState.meeting_date,
                            " ",
                            MeetingState.participants,
                            size="2",
                            color_scheme="gray",
                        ),
                        spacing="1",
                    ),
                    rx.spacer(),
                    rx.link(
                        rx.button("Open the draft", id="open-draft", variant="surface"),
                        href="/draft?meeting=" + MeetingState.meeting_id,
                    ),
                    align="center",
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                stage_steps(MeetingState.steps),
                rx.cond(
                    MeetingState.failure != "",
                    rx.callout.root(rx.callout.text(MeetingState.failure), color_scheme="red"),
                ),
                rx.grid(
                    transcript_panel(),
                    rx.card(
                        rx.vstack(
                            rx.heading("Extracted items", size="4", as_="h2"),
                            rx.cond(
                                length(MeetingState.items) == 0,
                                rx.text(
                                    rx.cond(
                                        MeetingState.processing,
                                        "Extracting…",
                                        "No items were found.",
                                    ),
                                    color_scheme="gray",
                                ),
                            ),
                            rx.foreach(MeetingState.groups, group_view),
                            spacing="3",
                            width="100%",
                            id="items",
                        ),
                        width="100%",
                    ),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                review_dialog(),
                spacing="4",
                width="100%",
            ),
        ),
        on_mount=MeetingState.start_live,
        on_unmount=MeetingState.stop_live,
    )
