"""Meetings: live list with stage progress, search and filters, and drag-and-drop upload."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import (
    bind,
    labelled,
    labelled_input,
    length,
    native_select,
    page,
    stage_steps,
)
from bridge_app.state.meetings import (
    CONTRACT_CHOICES,
    FORMAT_CHOICES,
    UPLOAD_ID,
    MeetingsState,
)

CONTRACT_LABELS = {
    "auto": "Pick from the meeting",
    "nda": "NDA",
    "sow": "Statement of work",
    "msa-amendment": "MSA amendment",
    "term-sheet": "Term sheet",
    "order-form": "Order form",
}
# Typed as Any: mypy cannot follow Reflex's event-callback types (see components.layout.bind).
PROGRESS_HANDLER: Any = MeetingsState.upload_progressed
FORMAT_LABELS = {"auto": "Detect from the file", "txt": "Plain text"}


def upload_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Upload a transcript or recording", size="4", as_="h2"),
            rx.upload.root(
                rx.vstack(
                    rx.icon("upload", size=28),
                    rx.text(
                        "Drop a transcript or recording here, or press Enter / click to choose"
                    ),
                    rx.text(
                        ".vtt .srt .txt .docx .json · .m4a .mp3 .wav .mp4 .webm .ogg · "
                        ".zip of one track per participant",
                        size="1",
                        color_scheme="gray",
                    ),
                    rx.foreach(
                        rx.selected_files(UPLOAD_ID),
                        lambda f: rx.badge(f, color_scheme="blue", id="selected-file"),
                    ),
                    align="center",
                    spacing="2",
                ),
                id=UPLOAD_ID,
                max_files=1,
                multiple=False,
                on_drop_rejected=MeetingsState.upload_rejected_by_browser,
                border="2px dashed var(--gray-a7)",
                border_radius="10px",
                padding="1.25rem",
                width="100%",
                cursor="pointer",
                tab_index=0,
                aria_label="Transcript file drop zone",
                # react-dropzone's own file input has no label: name it once it is there
                on_mount=rx.call_script(
                    "document.querySelectorAll('#transcript-upload input[type=file]')"
                    ".forEach(i => i.setAttribute('aria-label', 'Transcript file'))"
                ),
            ),
            rx.grid(
                labelled_input(
                    "Title",
                    "upload-title",
                    MeetingsState.title,
                    MeetingsState.set_title,
                    placeholder="Defaults to the file name",
                ),
                labelled_input(
                    "Meeting date (YYYY-MM-DD)",
                    "upload-date",
                    MeetingsState.meeting_date,
                    MeetingsState.set_meeting_date,
                    placeholder="2026-01-15",
                    input_mode="numeric",
                    auto_complete="off",
                ),
                labelled_input(
                    "Matter",
                    "upload-matter",
                    MeetingsState.matter,
                    MeetingsState.set_matter,
                    placeholder="Deal or engagement",
                ),
                labelled(
                    "Intended contract",
                    native_select(
                        CONTRACT_CHOICES,
                        MeetingsState.contract_type,
                        MeetingsState.set_contract_type,
                        "upload-contract",
                        CONTRACT_LABELS,
                    ),
                    "upload-contract",
                ),
                labelled(
                    "Format",
                    native_select(
                        FORMAT_CHOICES,
                        MeetingsState.source_format,
                        MeetingsState.set_source_format,
                        "upload-format",
                        FORMAT_LABELS,
                    ),
                    "upload-format",
                ),
                rx.flex(
                    rx.checkbox(
                        "Redact personal data (emails, phone numbers …)",
                        checked=MeetingsState.redact,
                        on_change=MeetingsState.set_redact,
                        id="upload-redact",
                    ),
                    align="end",
                ),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                MeetingsState.uploading,
                rx.vstack(
                    rx.text("Uploading… ", MeetingsState.upload_progress, "%", size="2"),
                    rx.progress(value=MeetingsState.upload_progress, max=100, id="upload-progress"),
                    width="100%",
                ),
            ),
            rx.cond(
                MeetingsState.upload_error != "",
                rx.callout.root(
                    rx.callout.text(MeetingsState.upload_error),
                    color_scheme="red",
                    role="alert",
                    id="upload-error",
                ),
            ),
            rx.cond(
                MeetingsState.upload_notice != "",
                rx.callout.root(
                    rx.callout.text(MeetingsState.upload_notice),
                    color_scheme="green",
                    role="status",
                    id="upload-notice",
                ),
            ),
            rx.cond(
                MeetingsState.duplicate_id != "",
                rx.callout.root(
                    rx.callout.text(
                        "The same file was uploaded before as ",
                        MeetingsState.duplicate_title,
                        ". ",
                        rx.link(
                            "Open the earlier meeting",
                            href="/meeting?id=" + MeetingsState.duplicate_id,
                            id="duplicate-link",
                        ),
                        " (this upload was kept as a separate meeting).",
                    ),
                    color_scheme="amber",
                    role="status",
                    id="upload-duplicate",
                ),
            ),
            rx.flex(
                rx.button(
                    "Upload",
                    id="upload-submit",
                    loading=MeetingsState.uploading,
                    on_click=bind(
                        MeetingsState.handle_upload,
                        rx.upload_files(
                            upload_id=UPLOAD_ID,
                            on_upload_progress=PROGRESS_HANDLER,
                        ),
                    ),
                ),
                rx.button(
                    "Clear",
                    variant="soft",
                    color_scheme="gray",
                    on_click=rx.clear_selected_files(UPLOAD_ID),
                ),
                spacing="2",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def meeting_row(row: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.link(row.title, href="/meeting?id=" + row.id, weight="medium"),
                rx.cond(row.matter != "", rx.text(row.matter, size="1", color_scheme="gray")),
                rx.cond(
                    row.failure != "",
                    rx.text(row.failure, size="1", color_scheme="red"),
                ),
                # On a phone the date columns are hidden: the dates move under the title.
                rx.text(
                    rx.cond(row.date != "", "Held " + row.date + " · ", ""),
                    "uploaded ",
                    row.created,
                    size="1",
                    color_scheme="gray",
                    display=rx.breakpoints(initial="block", md="none"),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.cond(
                row.review != "",
                rx.badge(
                    row.review,
                    color_scheme=rx.match(
                        row.review_tone,
                        ("red", "red"),
                        ("green", "green"),
                        ("blue", "blue"),
                        ("orange", "orange"),
                        "amber",
                    ),
                    class_name="review-state",
                    custom_attrs={"data-review": row.review},
                ),
                rx.text(rx.cond(row.status == "failed", "failed", "processing"), size="1"),
            )
        ),
        rx.table.cell(stage_steps(row.steps)),
        rx.table.cell(
            rx.text(row.date, size="2"), display=rx.breakpoints(initial="none", md="table-cell")
        ),
        rx.table.cell(
            rx.text(row.created, size="1", color_scheme="gray"),
            display=rx.breakpoints(initial="none", md="table-cell"),
        ),
        custom_attrs={"data-meeting-id": row.id, "data-status": row.status},
        class_name="meeting-row",
    )


def meetings_list() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Meetings", size="5", as_="h1"),
                rx.spacer(),
                rx.cond(
                    MeetingsState.processing_count > 0,
                    rx.badge(MeetingsState.processing_count, " processing", color_scheme="blue"),
                ),
                align="center",
                width="100%",
            ),
            rx.flex(
                rx.box(
                    labelled(
                        "Search",
                        rx.debounce_input(
                            rx.input(
                                id="meetings-search",
                                placeholder="Title or matter",
                                value=MeetingsState.search,
                                on_change=MeetingsState.set_search,
                            ),
                            debounce_timeout=250,
                        ),
                        "meetings-search",
                    ),
                    flex="1",
                    min_width="200px",
                ),
                rx.box(
                    labelled(
                        "Status",
                        native_select(
                            ["all", "processing", "ready", "failed"],
                            MeetingsState.status_filter,
                            MeetingsState.set_status_filter,
                            "meetings-status",
                            {
                                "all": "All",
                                "processing": "Processing",
                                "ready": "Ready",
                                "failed": "Failed",
                            },
                        ),
                        "meetings-status",
                    ),
                    width="180px",
                ),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Meeting"),
                            rx.table.column_header_cell("Review"),
                            rx.table.column_header_cell("Progress"),
                            rx.table.column_header_cell(
                                "Date", display=rx.breakpoints(initial="none", md="table-cell")
                            ),
                            rx.table.column_header_cell(
                                "Uploaded", display=rx.breakpoints(initial="none", md="table-cell")
                            ),
                        )
                    ),
                    rx.table.body(rx.foreach(MeetingsState.meetings, meeting_row)),
                    # Tighter cells on a phone, so the three columns fit 390 px.
                    size=rx.breakpoints(initial="1", md="2"),
                    width="100%",
                    id="meetings-table",
                ),
                overflow_x="auto",
                width="100%",
                tab_index=0,
                role="region",
                aria_label="Meetings",
            ),
            rx.cond(
                MeetingsState.loaded & (length(MeetingsState.meetings) == 0),
                rx.text("No meetings match.", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def meetings_page() -> rx.Component:
    return page(
        rx.cond(MeetingsState.can_edit, upload_form()),
        meetings_list(),
        on_mount=MeetingsState.start_live,
        on_unmount=MeetingsState.stop_live,
    )
