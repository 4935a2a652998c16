"""The meeting page's terms checklist: each term the contract needs (found, missing, not
agreed) and the typed editor that sets one, with evidence picked from the transcript."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import (
    bind,
    labelled,
    labelled_input,
    length,
    native_select,
)
from bridge_app.core.review.terms import REVIEWER_ENTERED
from bridge_app.state.meeting import CURRENCY_OPTIONS, UNIT_OPTIONS, MeetingState

TERM_STATUS_COLORS = (("found", "green"), ("missing", "red"), ("not_agreed", "orange"))


def term_line(t: Any) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(t.label, weight="bold", size="2"),
            rx.cond(
                t.display != "",
                rx.text(t.display, size="2", class_name="term-value"),
            ),
            rx.cond(
                t.reviewer_entered,
                rx.text(
                    REVIEWER_ENTERED, size="1", color_scheme="orange", class_name="reviewer-entered"
                ),
            ),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.badge(
            t.status_label,
            color_scheme=rx.match(t.status, *TERM_STATUS_COLORS, "gray"),
            class_name="term-status",
        ),
        rx.cond(
            MeetingState.can_edit,
            rx.button(
                rx.cond(t.status == "found", "Correct", "Add"),
                size="1",
                variant="soft",
                on_click=bind(MeetingState.open_term, t.term),
                aria_label=rx.cond(t.status == "found", "Correct the ", "Add the ") + t.label,
                class_name="term-edit",
            ),
        ),
        id="term-" + t.term,
        custom_attrs={"data-term": t.term, "data-status": t.status},
        class_name="term-line",
        align="center",
        spacing="2",
        width="100%",
        padding="0.35rem 0",
        border_bottom="1px solid var(--gray-a4)",
    )


def field_input(
    label: str, name: str, value: Any, first: bool = False, **props: Any
) -> rx.Component:
    ident = "term-editor-first" if first else f"term-field-{name}"
    return labelled(
        label,
        rx.input(
            id=ident,
            value=value,
            on_change=lambda v: bind(MeetingState.set_term_field, name, v),
            custom_attrs={"data-field": name},
            **props,
        ),
        ident,
    )


def term_fields() -> rx.Component:
    kind = MeetingState.editor_kind
    return rx.match(
        kind,
        (
            "money",
            rx.flex(
                field_input(
                    "Amount",
                    "amount",
                    MeetingState.f_amount,
                    first=True,
                    placeholder="42000",
                    input_mode="decimal",
                ),
                rx.box(
                    labelled(
                        "Currency",
                        native_select(
                            CURRENCY_OPTIONS,
                            MeetingState.f_currency,
                            lambda v: bind(MeetingState.set_term_field, "currency", v),
                            "term-field-currency",
                        ),
                        "term-field-currency",
                    ),
                    min_width="7rem",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        ("date", field_input("Date", "date", MeetingState.f_date, first=True, type="date")),
        (
            "days",
            field_input(
                "Days to pay after invoice",
                "days",
                MeetingState.f_days,
                first=True,
                type="number",
                min="0",
                max="3650",
            ),
        ),
        (
            "duration",
            rx.flex(
                field_input(
                    "Number", "number", MeetingState.f_number, first=True, type="number", min="1"
                ),
                rx.box(
                    labelled(
                        "Unit",
                        native_select(
                            UNIT_OPTIONS,
                            MeetingState.f_unit,
                            lambda v: bind(MeetingState.set_term_field, "unit", v),
                            "term-field-unit",
                        ),
                        "term-field-unit",
                    ),
                    min_width="7rem",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        (
            "party",
            field_input(
                "Legal name of the " + MeetingState.editor_label.lower(),
                "name",
                MeetingState.f_name,
                first=True,
            ),
        ),
        (
            "list",
            labelled(
                "Deliverables, one per line",
                rx.text_area(
                    id="term-editor-first",
                    value=MeetingState.f_items,
                    on_change=lambda v: bind(MeetingState.set_term_field, "items", v),
                    rows="4",
                    custom_attrs={"data-field": "items"},
                ),
                "term-editor-first",
            ),
        ),
        field_input(
            "Governing law (country or state)",
            "law",
            MeetingState.f_law,
            first=True,
            placeholder="e.g. England and Wales",
        ),
    )


def term_editor() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Set the ", MeetingState.editor_label.lower(), size="3", as_="h3"),
            term_fields(),
            rx.box(
                rx.text("Evidence", weight="bold", size="2"),
                rx.cond(
                    MeetingState.evidence_count == 0,
                    rx.text(
                        "Tick the transcript lines that support this value. With none, it is "
                        "marked “" + REVIEWER_ENTERED + "” in the draft and its exports.",
                        size="1",
                        color_scheme="orange",
                        id="evidence-none",
                    ),
                    rx.vstack(
                        rx.foreach(
                            MeetingState.evidence_lines,
                            lambda seg: rx.text(
                                seg.time,
                                " ",
                                seg.speaker,
                                ": “",
                                seg.text,
                                "”",
                                size="1",
                                class_name="evidence-chosen",
                            ),
                        ),
                        spacing="1",
                    ),
                ),
                width="100%",
            ),
            labelled_input(
                "Reason",
                "term-reason",
                MeetingState.editor_reason,
                MeetingState.set_editor_reason,
                placeholder="Why (kept in the audit log)",
            ),
            rx.cond(
                MeetingState.editor_error != "",
                rx.text(
                    MeetingState.editor_error, color_scheme="red", role="alert", id="term-error"
                ),
            ),
            rx.flex(
                rx.button(
                    "Cancel", variant="soft", color_scheme="gray", on_click=MeetingState.close_term
                ),
                rx.button("Save term", on_click=MeetingState.save_term, id="term-save"),
                spacing="2",
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        id="term-editor",
        width="100%",
        style={"scrollMarginTop": "5rem"},
    )


def terms_panel() -> rx.Component:
    return rx.cond(
        length(MeetingState.terms) > 0,
        rx.card(
            rx.vstack(
                rx.heading(
                    "Terms the contract needs (",
                    MeetingState.contract_type,
                    ")",
                    size="4",
                    as_="h2",
                ),
                rx.text(
                    MeetingState.missing_count,
                    " still missing or not agreed.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(MeetingState.editor_open, term_editor()),
                rx.vstack(rx.foreach(MeetingState.terms, term_line), spacing="0", width="100%"),
                spacing="2",
                width="100%",
            ),
            id="terms",
            width="100%",
        ),
    )
