"""The transcript editor on the meeting page: correct one segment (text, speaker), name a
speaker, merge two. Shown to roles that may review; each save is a new transcript version."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import labelled, labelled_input
from bridge_app.state.auth import AuthState
from bridge_app.state.transcript import TranscriptState

SELECT_STYLE = {
    "padding": "0.35rem 0.5rem",
    "borderRadius": "6px",
    "border": "1px solid var(--gray-a7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "minHeight": "2rem",
    "width": "100%",
}


def _segment_picker() -> rx.Component:
    """The segments of the version shown, by time, speaker and first words."""
    return rx.el.select(
        rx.foreach(
            TranscriptState.lines, lambda line: rx.el.option(line.label, value=line.position)
        ),
        value=TranscriptState.position,
        on_change=TranscriptState.pick_line,
        id="correct-segment",
        style=SELECT_STYLE,
    )


def _names(value: Any, on_change: Any, id: str) -> rx.Component:
    return rx.el.select(
        rx.foreach(TranscriptState.speaker_names, lambda n: rx.el.option(n, value=n)),
        value=value,
        on_change=on_change,
        id=id,
        style=SELECT_STYLE,
    )


def _speaker_row(row: Any) -> rx.Component:
    return rx.list_item(row.name, " (", row.segments, " segments)", class_name="speaker-row")


def _speakers() -> rx.Component:
    return rx.vstack(
        rx.heading("Speakers", size="3", as_="h3"),
        rx.unordered_list(rx.foreach(TranscriptState.speakers, _speaker_row), id="speaker-list"),
        labelled(
            "Speaker",
            _names(TranscriptState.speaker_from, TranscriptState.set_speaker_from, "speaker-from"),
            "speaker-from",
        ),
        rx.flex(
            labelled_input(
                "Name them",
                "speaker-name",
                TranscriptState.speaker_name,
                TranscriptState.set_speaker_name,
                placeholder="e.g. Alice Morgan",
            ),
            rx.button("Rename speaker", on_click=TranscriptState.rename, id="rename-speaker"),
            align="end",
            spacing="2",
            width="100%",
        ),
        rx.flex(
            labelled(
                "…or merge them into",
                _names(TranscriptState.merge_into, TranscriptState.set_merge_into, "merge-into"),
                "merge-into",
            ),
            rx.button(
                "Merge speakers",
                on_click=TranscriptState.merge,
                id="merge-speakers",
                variant="soft",
            ),
            align="end",
            spacing="2",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def _segment() -> rx.Component:
    return rx.vstack(
        rx.heading("One segment", size="3", as_="h3"),
        labelled(
            "Segment",
            _segment_picker(),
            "correct-segment",
        ),
        labelled(
            "Text",
            rx.text_area(
                value=TranscriptState.text,
                on_change=TranscriptState.set_text,
                id="correct-text",
                rows="3",
                width="100%",
            ),
            "correct-text",
        ),
        labelled_input(
            "Speaker of this segment",
            "correct-speaker",
            TranscriptState.speaker,
            TranscriptState.set_speaker,
        ),
        rx.button("Save correction", on_click=TranscriptState.save_line, id="save-correction"),
        spacing="2",
        width="100%",
    )


def transcript_editor() -> rx.Component:
    """The "Correct the transcript" card (for roles that may review)."""
    return rx.cond(
        AuthState.can_edit,
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.heading("Correct the transcript", size="4", as_="h2"),
                    rx.spacer(),
                    rx.button(
                        rx.cond(TranscriptState.editing, "Close", "Correct the transcript"),
                        on_click=TranscriptState.toggle,
                        id="open-transcript-editor",
                        variant="outline",
                        size="2",
                    ),
                    align="center",
                    width="100%",
                ),
                rx.cond(
                    TranscriptState.message != "",
                    rx.callout.root(
                        rx.callout.text(TranscriptState.message),
                        color_scheme="green",
                        id="correction-notice",
                        role="status",
                    ),
                ),
                rx.cond(
                    TranscriptState.editing,
                    rx.vstack(
                        rx.text(
                            "Transcript version ",
                            TranscriptState.version,
                            ". A correction is kept as a new version (the original stays) "
                            "and the items, draft and QA are made again from it; reviews of "
                            "unchanged items carry over.",
                            size="2",
                            color_scheme="gray",
                            id="transcript-version",
                        ),
                        labelled_input(
                            "Reason (kept in the audit log)",
                            "correct-reason",
                            TranscriptState.reason,
                            TranscriptState.set_reason,
                            placeholder="Why is this correction right?",
                        ),
                        rx.grid(
                            _speakers(),
                            _segment(),
                            columns=rx.breakpoints(initial="1", md="2"),
                            spacing="4",
                            width="100%",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="transcript-editor",
        ),
    )
