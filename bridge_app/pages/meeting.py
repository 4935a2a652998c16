"""One meeting: the transcript beside its extracted items, each with accept / reject / edit."""

from __future__ import annotations

from typing import Any, cast

import reflex as rx

from bridge_app.components.layout import (
    bind,
    labelled,
    labelled_input,
    length,
    page,
    stage_steps,
)
from bridge_app.components.transcript_editor import transcript_editor
from bridge_app.core.review.terms import REVIEWER_ENTERED
from bridge_app.pages.meeting_terms import terms_panel
from bridge_app.state.meeting import MeetingState


def segment_view(seg: Any) -> rx.Component:
    highlighted = MeetingState.highlighted == seg.anchor
    chosen = cast(Any, MeetingState.evidence_keys).contains(seg.key)
    return rx.box(
        rx.flex(
            rx.cond(
                MeetingState.editor_open,
                rx.el.input(
                    type="checkbox",
                    checked=chosen,
                    on_change=bind(MeetingState.toggle_evidence, seg.key),
                    aria_label="Use the line at "
                    + seg.time
                    + " by "
                    + seg.speaker
                    + " as evidence",
                    class_name="evidence-pick",
                    custom_attrs={"data-segment": seg.key},
                    style={"width": "1.1rem", "height": "1.1rem"},
                ),
            ),
            rx.code(seg.time, size="1"),
            rx.text(seg.speaker, weight="bold", size="2"),
            play_button(seg.track, seg.start, seg.time),
            spacing="2",
            align="center",
        ),
        rx.text(seg.text, size="2"),
        id=seg.anchor,
        custom_attrs={"data-highlighted": rx.cond(highlighted, "true", "false")},
        padding="0.4rem 0.6rem",
        border_radius="6px",
        background=rx.cond(
            highlighted, "var(--amber-a5)", rx.cond(chosen, "var(--accent-a3)", "transparent")
        ),
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
            rx.box(
                rx.vstack(rx.foreach(MeetingState.visible_segments, segment_view), spacing="1"),
                style={"maxHeight": "70vh", "overflowY": "auto"},
                id="transcript",
                # a scrolling region must be reachable by keyboard (WCAG 2.1.1)
                tab_index=0,
                role="region",
                aria_label="Transcript lines",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def play_button(track: Any, start: Any, time: Any) -> rx.Component:
    """▶ the recording from this moment (only when the meeting has one)."""
    return rx.cond(
        MeetingState.has_recording,
        rx.icon_button(
            rx.icon("play", size=12),
            size="1",
            variant="ghost",
            on_click=bind(MeetingState.play, track, start),
            aria_label="Play the recording from " + time,
            class_name="play-moment",
        ),
    )


def recording_player() -> rx.Component:
    return rx.cond(
        MeetingState.has_recording,
        rx.el.audio(
            id="recording-player",
            controls=True,
            preload="none",
            style={"width": "100%"},
            aria_label="Meeting recording",
        ),
    )


def evidence_button(ev: Any) -> rx.Component:
    return rx.fragment(play_button(ev.track, ev.start, ev.time), evidence_button_only(ev))


def evidence_button_only(ev: Any) -> rx.Component:
    return rx.button(
        rx.icon("quote", size=12),
        ev.time,
        " ",
        ev.speaker,
        size="1",
        variant="ghost",
        on_click=bind(MeetingState.show_evidence, ev.anchor),
        title=ev.quote,
        aria_label="Show evidence at " + ev.time + " by " + ev.speaker + " in the transcript",
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
                rx.cond(
                    item.reviewer_entered,
                    rx.badge(
                        REVIEWER_ENTERED, color_scheme="orange", class_name="reviewer-entered"
                    ),
                ),
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
                item.values_text != "",
                rx.text(item.values_text, size="1", color_scheme="gray", class_name="values"),
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
                        aria_label="Accept " + item.name,
                        class_name="btn-accept",
                    ),
                    rx.button(
                        "Reject",
                        size="1",
                        color_scheme="red",
                        variant="soft",
                        on_click=bind(MeetingState.open_dialog, item.id, "reject"),
                        aria_label="Reject " + item.name,
                        class_name="btn-reject",
                    ),
                    rx.button(
                        "Edit",
                        size="1",
                        variant="soft",
                        on_click=bind(MeetingState.open_dialog, item.id, "edit"),
                        aria_label="Edit " + item.name,
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
        id="item-" + item.key,
        outline=rx.cond(
            MeetingState.highlighted_item == item.key, "2px solid var(--amber-9)", "none"
        ),
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
                        rx.text(
                            "To change a term's value (fee, dates, parties, deliverables, "
                            "law), use the terms checklist: it takes typed values and the "
                            "transcript lines that support them.",
                            size="1",
                            color_scheme="gray",
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
                        "Open the draft",
                        href="/draft?meeting=" + MeetingState.meeting_id,
                        id="open-draft",
                        class_name="link-button",
                    ),
                    align="center",
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                stage_steps(MeetingState.steps),
                rx.cond(
                    MeetingState.progress != "",
                    rx.text(
                        "Transcribing the recording… ",
                        MeetingState.progress,
                        id="transcription-progress",
                        size="2",
                    ),
                ),
                recording_player(),
                rx.cond(
                    MeetingState.failure != "",
                    rx.callout.root(rx.callout.text(MeetingState.failure), color_scheme="red"),
                ),
                rx.grid(
                    transcript_panel(),
                    rx.vstack(
                        terms_panel(),
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
                        spacing="4",
                        width="100%",
                    ),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                transcript_editor(),
                review_dialog(),
                spacing="4",
                width="100%",
            ),
        ),
        on_mount=MeetingState.start_live,
        on_unmount=MeetingState.stop_live,
    )
