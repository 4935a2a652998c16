"""The draft page's approval: the record of who approved which version (and whether it is
still current), and the dialog that asks for confirmation, acknowledgements and a comment."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import bind, labelled, length
from bridge_app.state.draft import DraftState


def approval_record() -> rx.Component:
    return rx.cond(
        DraftState.approval_state != "none",
        rx.callout.root(
            rx.callout.text(
                rx.cond(
                    DraftState.approval_state == "approved",
                    rx.fragment(
                        "Version ",
                        DraftState.approved_version,
                        " approved by ",
                        DraftState.approver,
                        " on ",
                        DraftState.approved_when,
                        ".",
                    ),
                    rx.fragment(
                        "Approval out of date: ",
                        DraftState.outdated_reason,
                        " (approved by ",
                        DraftState.approver,
                        " on ",
                        DraftState.approved_when,
                        "). Approve again before exporting as approved.",
                    ),
                ),
                rx.cond(
                    DraftState.approval_comment != "",
                    rx.fragment(" Comment: “", DraftState.approval_comment, "”"),
                ),
            ),
            color_scheme=rx.cond(DraftState.approval_state == "approved", "green", "orange"),
            id="approval-record",
            custom_attrs={"data-state": DraftState.approval_state},
        ),
    )


def warning_ack(w: Any) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            checked=DraftState.acknowledged.contains(w.id),  # type: ignore[attr-defined]
            on_change=bind(DraftState.toggle_acknowledge, w.id),
            class_name="ack",
            style={"width": "1.1rem", "height": "1.1rem", "flexShrink": "0"},
        ),
        rx.text(w.sentence, size="2"),
        style={"display": "flex", "gap": "0.5rem", "alignItems": "flex-start"},
        class_name="ack-row",
    )


def approve_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Approve version ", DraftState.version),
            rx.dialog.description(
                "Approval is recorded with your name, the time and your comment. Any later "
                "change to an item or clause marks it out of date.",
                size="2",
            ),
            rx.vstack(
                rx.cond(
                    length(DraftState.warnings) > 0,
                    rx.vstack(
                        rx.text("Acknowledge each open warning:", weight="bold", size="2"),
                        rx.foreach(DraftState.warnings, warning_ack),
                        spacing="2",
                        width="100%",
                        id="approve-warnings",
                    ),
                    rx.text("QA reports no open warnings.", size="2"),
                ),
                labelled(
                    "Comment",
                    rx.text_area(
                        id="approve-comment",
                        value=DraftState.approve_comment,
                        on_change=DraftState.set_approve_comment,
                        rows="3",
                    ),
                    "approve-comment",
                ),
                rx.cond(
                    DraftState.approve_error != "",
                    rx.text(DraftState.approve_error, color_scheme="red", role="alert"),
                ),
                rx.flex(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button(
                        "Approve",
                        on_click=DraftState.approve,
                        disabled=~DraftState.all_acknowledged,
                        color_scheme="green",
                        id="approve-confirm",
                    ),
                    spacing="2",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        open=DraftState.approve_open,
        on_open_change=DraftState.set_approve_open,
    )
