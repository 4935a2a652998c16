"""The playbook page (house positions, versioned) and a draft's contract tools (clause edits,
accepting blockers, counterparty DOCX import, redline DOCX)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import bind, labelled, labelled_input, page
from bridge_app.state.auth import AuthState
from bridge_app.state.contracts import DOCX_UPLOAD_ID, ContractsState

_SELECT_STYLE = {
    "padding": "0.35rem 0.5rem",
    "borderRadius": "6px",
    "border": "1px solid var(--gray-a7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "minHeight": "2rem",
    "width": "100%",
}


def dynamic_select(options: Any, value: Any, on_change: Any, id: str, labels: Any = None) -> Any:
    """A native select whose options come from a state list (``labels``: value → text)."""
    return rx.el.select(
        rx.foreach(
            options,
            lambda o: rx.el.option(labels[o] if labels is not None else o, value=o),
        ),
        value=value,
        on_change=on_change,
        id=id,
        style=_SELECT_STYLE,
    )


def playbook_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Playbook", size="6", as_="h1"),
        rx.text(
            "Your organization's house positions: the standard text and values drafting uses, "
            "what else legal accepts, and what is never acceptable (see docs/CONTRACTS.md).",
            size="2",
            color_scheme="gray",
        ),
        rx.text("In force: version ", ContractsState.playbook_version, id="playbook-version"),
        labelled(
            "Playbook (JSON)",
            rx.text_area(
                value=ContractsState.playbook_text,
                on_change=ContractsState.set_playbook_text,
                id="playbook-json",
                rows="24",
                width="100%",
                style={"fontFamily": "monospace", "fontSize": "0.85rem"},
                read_only=~AuthState.can_edit,
            ),
            "playbook-json",
        ),
        rx.cond(
            AuthState.can_edit,
            rx.flex(
                labelled_input(
                    "Note (what changed)",
                    "playbook-note",
                    ContractsState.playbook_note,
                    ContractsState.set_playbook_note,
                ),
                rx.button(
                    "Save new version", id="playbook-save", on_click=ContractsState.save_playbook
                ),
                spacing="3",
                align="end",
                width="100%",
            ),
        ),
        rx.heading("Versions", size="4", as_="h2"),
        rx.vstack(
            rx.foreach(
                ContractsState.playbook_versions,
                lambda v: rx.text(v, size="2", class_name="playbook-version-row"),
            ),
            id="playbook-versions",
            spacing="1",
        ),
        spacing="3",
        width="100%",
    )


def playbook_page() -> rx.Component:
    return page(playbook_body())


def _acceptable(f: Any) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.badge(
                f["severity"], color_scheme=rx.cond(f["severity"] == "blocker", "red", "amber")
            ),
            rx.text(f["message"], size="2"),
            rx.spacer(),
            rx.cond(
                (f["severity"] == "blocker") & AuthState.can_edit,
                rx.button(
                    "Accept",
                    size="1",
                    class_name="accept-finding",
                    on_click=bind(ContractsState.accept, f["key"]),
                ),
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        class_name="acceptable-finding",
        width="100%",
    )


def contract_body() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading("Contract tools", size="6", as_="h1"),
            rx.spacer(),
            rx.text("Current version ", ContractsState.draft_version, id="contract-version"),
            rx.button(
                "Refresh",
                size="1",
                variant="soft",
                on_click=ContractsState.refresh_contract,
                id="contract-refresh",
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Edit a clause", size="4", as_="h2"),
                rx.text(
                    "Your text replaces the generated clause in this and every later version "
                    "(regeneration keeps it); QA still checks the values it must show.",
                    size="2",
                    color_scheme="gray",
                ),
                labelled(
                    "Clause",
                    dynamic_select(
                        ContractsState.clause_keys,
                        ContractsState.clause_key,
                        ContractsState.pick_clause,
                        "clause-pick",
                        ContractsState.clause_labels,
                    ),
                    "clause-pick",
                ),
                labelled(
                    "Clause text",
                    rx.text_area(
                        value=ContractsState.clause_text,
                        on_change=ContractsState.set_clause_text,
                        id="clause-text",
                        rows="8",
                        width="100%",
                    ),
                    "clause-text",
                ),
                labelled_input(
                    "Reason",
                    "clause-reason",
                    ContractsState.clause_reason,
                    ContractsState.set_clause_reason,
                ),
                rx.flex(
                    rx.button(
                        "Keep my edit", id="clause-save", on_click=ContractsState.save_clause
                    ),
                    rx.button(
                        "Remove my edit",
                        variant="soft",
                        id="clause-remove",
                        on_click=ContractsState.remove_clause_edit,
                    ),
                    spacing="2",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Counterparty DOCX", size="4", as_="h2"),
                rx.text(
                    "Upload the counterparty's edited copy (tracked changes or plain edits). It "
                    "becomes the next version; QA flags every change that departs from the "
                    "meeting.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.upload.root(
                    rx.vstack(
                        rx.text("Drop the DOCX here, or click to choose it"),
                        rx.foreach(
                            rx.selected_files(DOCX_UPLOAD_ID),
                            lambda f: rx.badge(f, id="selected-docx"),
                        ),
                        align="center",
                    ),
                    id=DOCX_UPLOAD_ID,
                    max_files=1,
                    multiple=False,
                    accept={
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [
                            ".docx"
                        ]
                    },
                    border="2px dashed var(--gray-a7)",
                    border_radius="10px",
                    padding="1rem",
                    width="100%",
                    aria_label="Counterparty DOCX drop zone",
                    # react-dropzone's own file input has no label: name it once it is there
                    on_mount=rx.call_script(
                        f"document.querySelectorAll('#{DOCX_UPLOAD_ID} input[type=file]')"
                        ".forEach(i => i.setAttribute('aria-label', 'Counterparty DOCX file'))"
                    ),
                ),
                rx.button(
                    "Import as new version",
                    id="docx-import",
                    loading=ContractsState.importing,
                    on_click=bind(
                        ContractsState.import_docx, rx.upload_files(upload_id=DOCX_UPLOAD_ID)
                    ),
                ),
                rx.flex(
                    labelled(
                        "Redline from version",
                        dynamic_select(
                            ContractsState.draft_versions,
                            ContractsState.redline_from,
                            ContractsState.set_redline_from,
                            "redline-from",
                        ),
                        "redline-from",
                    ),
                    rx.button(
                        "Download redline DOCX (tracked changes)",
                        variant="soft",
                        id="redline-docx",
                        on_click=ContractsState.download_redline,
                    ),
                    spacing="3",
                    align="end",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        rx.heading("Playbook and counterparty findings", size="4", as_="h2"),
        rx.cond(
            AuthState.can_edit,
            labelled_input(
                "Reason for accepting",
                "accept-reason",
                ContractsState.accept_reason,
                ContractsState.set_accept_reason,
            ),
        ),
        rx.vstack(
            rx.foreach(ContractsState.acceptable, _acceptable), width="100%", id="acceptable"
        ),
        spacing="4",
        width="100%",
    )


def contract_page() -> rx.Component:
    return page(contract_body())
