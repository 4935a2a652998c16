"""The draft contract: numbered clauses with their sources, QA findings, versions, export."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.components.layout import bind, labelled, length, page
from bridge_app.pages.draft_approval import approval_record, approve_dialog
from bridge_app.state.draft import EXPORT_FORMATS, DraftState


def finding_view(f: Any) -> rx.Component:
    return rx.callout.root(
        rx.flex(
            rx.callout.text(rx.text.strong(f.severity_label, ": "), f.message),
            rx.match(
                f.fix_kind,
                (
                    "regenerate",
                    rx.button(
                        f.fix_label,
                        size="1",
                        variant="soft",
                        on_click=DraftState.regenerate,
                        class_name="fix-link",
                    ),
                ),
                (
                    "none",
                    rx.fragment(),
                ),
                rx.link(f.fix_label, href=f.fix_href, size="2", class_name="fix-link"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
            justify="between",
            width="100%",
        ),
        color_scheme=rx.match(f.severity, ("blocker", "red"), ("warning", "amber"), "blue"),
        size="1",
        custom_attrs={"data-severity": f.severity, "data-codes": f.codes},
        class_name="qa-finding",
    )


def placeholder_view(p: Any) -> rx.Component:
    return rx.cond(
        p.href != "",
        rx.link(
            rx.badge(p.text, color_scheme="orange"),
            href=p.href,
            aria_label="Fill in the " + p.label,
            class_name="placeholder",
        ),
        rx.badge(p.text, color_scheme="orange", class_name="placeholder"),
    )


def clause_view(c: Any) -> rx.Component:
    selected = DraftState.selected_clause == c.key
    return rx.box(
        rx.flex(
            rx.heading(c.number, ". ", c.heading, size="3", as_="h2"),
            rx.spacer(),
            rx.button(
                rx.icon("link", size=12),
                "Sources (",
                c.source_count,
                ")",
                size="1",
                variant=rx.cond(selected, "solid", "soft"),
                on_click=bind(DraftState.select_clause, c.key),
                aria_pressed=rx.cond(selected, "true", "false"),
                aria_label="Sources of clause "
                + c.number
                + " ("
                + c.source_count.to_string()
                + ")",
                class_name="clause-sources",
            ),
            align="center",
            width="100%",
            spacing="2",
        ),
        rx.text(c.text, size="2", white_space="pre-wrap", class_name="clause-text"),
        rx.cond(
            c.has_placeholders,
            rx.flex(
                rx.foreach(c.placeholders, placeholder_view),
                spacing="1",
                wrap="wrap",
            ),
        ),
        rx.foreach(c.findings, finding_view),
        id="clause-" + c.key,
        custom_attrs={"data-clause": c.key},
        style={"scrollMarginTop": "5rem"},
        on_mouse_enter=bind(DraftState.hover_clause, c.key),
        padding="0.6rem 0.75rem",
        border_radius="8px",
        border=rx.cond(selected, "2px solid var(--accent-8)", "1px solid var(--gray-a5)"),
        class_name="clause",
        width="100%",
    )


def source_view(s: Any) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(
                rx.text.strong(s.term),
                ": ",
                s.display,
                size="2",
            ),
            rx.cond(
                s.segment != "",
                rx.vstack(
                    rx.text("“", s.quote, "”", size="2", font_style="italic"),
                    rx.link(
                        rx.icon("clock", size=12),
                        " ",
                        s.time,
                        " ",
                        s.speaker,
                        " — show in transcript",
                        href="/meeting?id=" + DraftState.meeting_id + "&seg=" + s.anchor,
                        size="2",
                        class_name="source-link",
                    ),
                    spacing="1",
                ),
                rx.text(s.quote, size="1", color_scheme="orange", class_name="reviewer-entered"),
            ),
            spacing="1",
        ),
        size="1",
        width="100%",
        class_name="source",
    )


def export_view(e: Any) -> rx.Component:
    return rx.flex(
        rx.badge(e.label),
        rx.cond(
            e.status == "done",
            rx.button(
                rx.icon("download", size=14),
                "Download ",
                e.filename,
                " ",
                e.size,
                size="1",
                variant="soft",
                on_click=bind(DraftState.download, e.id),
                class_name="download-link",
                id="download-" + e.format,
                custom_attrs={"data-filename": e.filename},
            ),
            rx.cond(
                e.status == "failed",
                rx.text("failed: ", e.error, color_scheme="red", size="2"),
                rx.flex(rx.spinner(size="1"), rx.text("rendering…", size="2"), spacing="1"),
            ),
        ),
        spacing="2",
        align="center",
        custom_attrs={"data-format": e.format, "data-status": e.status},
        class_name="export-row",
    )


def defaults_view() -> rx.Component:
    return rx.cond(
        length(DraftState.defaults) > 0,
        rx.vstack(
            rx.heading("Template defaults nobody discussed", size="3", as_="h3"),
            rx.el.ul(
                rx.foreach(
                    DraftState.defaults,
                    lambda d: rx.el.li(
                        rx.link(d.sentence, href="#clause-" + d.clause, size="2"),
                        class_name="template-default",
                    ),
                ),
                style={"paddingLeft": "1.1rem", "margin": 0},
            ),
            spacing="1",
            width="100%",
            id="template-defaults",
        ),
    )


def toolbar() -> rx.Component:
    return rx.flex(
        rx.box(
            labelled(
                "Version",
                rx.el.select(
                    rx.foreach(
                        DraftState.versions,
                        lambda v: rx.el.option("Version " + v, value=v),
                    ),
                    value=DraftState.version,
                    on_change=DraftState.pick_version,
                    id="version-picker",
                    class_name="native-select",
                ),
                "version-picker",
            ),
            width="150px",
        ),
        rx.box(
            labelled(
                "Redline against",
                rx.el.select(
                    rx.el.option("(none)", value=""),
                    rx.foreach(
                        DraftState.other_versions,
                        lambda v: rx.el.option("Version " + v, value=v),
                    ),
                    value=DraftState.compare_to,
                    on_change=DraftState.pick_compare,
                    id="compare-picker",
                    class_name="native-select",
                ),
                "compare-picker",
            ),
            width="170px",
        ),
        rx.spacer(),
        rx.link(
            "Contract tools", href="/contract?draft=" + DraftState.draft_id, id="contract-tools"
        ),
        rx.cond(
            DraftState.can_edit,
            rx.flex(
                rx.button(
                    "Regenerate",
                    on_click=DraftState.regenerate,
                    variant="soft",
                    loading=DraftState.pending,
                    id="regenerate",
                ),
                rx.button(
                    "Approve…",
                    on_click=DraftState.open_approve,
                    disabled=~DraftState.can_approve,
                    color_scheme="green",
                    id="approve",
                ),
                *[
                    rx.button(
                        label,
                        on_click=bind(DraftState.export, fmt),
                        variant="outline",
                        id=f"export-{fmt}",
                        disabled=~DraftState.qa_done,
                    )
                    for fmt, label in EXPORT_FORMATS.items()
                ],
                spacing="2",
                wrap="wrap",
                align="end",
            ),
        ),
        spacing="3",
        wrap="wrap",
        align="end",
        width="100%",
    )


def draft_body() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.vstack(
                rx.heading(DraftState.title, size="6", as_="h1", id="draft-title"),
                rx.text(
                    DraftState.contract_type,
                    " · drafted from ",
                    rx.link(DraftState.meeting_title, href="/meeting?id=" + DraftState.meeting_id),
                    size="2",
                    color_scheme="gray",
                ),
                spacing="1",
            ),
            rx.spacer(),
            rx.badge(
                DraftState.status_label,
                size="2",
                id="draft-status",
                color_scheme=rx.match(
                    DraftState.approval_state, ("approved", "green"), ("outdated", "orange"), "gray"
                ),
                custom_attrs={"data-state": DraftState.approval_state},
            ),
            width="100%",
            align="center",
            spacing="3",
        ),
        toolbar(),
        rx.text(DraftState.approve_hint, size="2", id="approve-hint"),
        approval_record(),
        approve_dialog(),
        rx.cond(
            length(DraftState.exports) > 0,
            rx.flex(
                rx.foreach(DraftState.exports, export_view), spacing="4", wrap="wrap", id="exports"
            ),
        ),
        rx.cond(
            DraftState.show_redline & (DraftState.redline_html != ""),
            rx.card(
                rx.flex(
                    rx.heading("Redline", size="4", as_="h2"),
                    rx.spacer(),
                    rx.button("Close", size="1", variant="soft", on_click=DraftState.hide_redline),
                    width="100%",
                ),
                rx.box(
                    rx.html(DraftState.redline_html),
                    class_name="redline",
                    style={
                        "& ins": {"background": "var(--green-a4)", "textDecoration": "underline"},
                        "& del": {"background": "var(--red-a4)"},
                        "fontSize": "0.9rem",
                    },
                    id="redline",
                ),
                width="100%",
            ),
        ),
        rx.grid(
            rx.vstack(
                rx.foreach(DraftState.general_findings, finding_view),
                rx.foreach(DraftState.clauses, clause_view),
                spacing="2",
                width="100%",
                id="clauses",
            ),
            rx.box(
                rx.card(
                    rx.vstack(
                        rx.heading("Sources", size="4", as_="h2"),
                        rx.cond(
                            DraftState.selected_clause == "",
                            rx.text(
                                "Hover or click a clause to see the items and transcript "
                                "quotes it came from.",
                                size="2",
                                color_scheme="gray",
                            ),
                            rx.vstack(
                                rx.text(DraftState.selected_heading, weight="bold"),
                                rx.cond(
                                    length(DraftState.selected_sources) == 0,
                                    rx.text("Standard wording: no meeting source.", size="2"),
                                ),
                                rx.foreach(DraftState.selected_sources, source_view),
                                spacing="2",
                                width="100%",
                            ),
                        ),
                        rx.separator(),
                        rx.heading("QA findings", size="4", as_="h2"),
                        rx.cond(
                            ~DraftState.qa_done,
                            rx.flex(
                                rx.spinner(size="1"),
                                rx.text("QA is checking…", size="2"),
                                spacing="2",
                            ),
                            rx.cond(
                                length(DraftState.findings) == 0,
                                rx.text("No findings.", size="2"),
                            ),
                        ),
                        rx.foreach(DraftState.findings, finding_view),
                        defaults_view(),
                        spacing="2",
                        width="100%",
                        id="sources-panel",
                    ),
                    width="100%",
                ),
                position="sticky",
                top="4.5rem",
                align_self="start",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="3fr 2fr"),
            spacing="4",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def draft_page() -> rx.Component:
    return page(
        rx.cond(
            DraftState.not_found,
            rx.callout.root(rx.callout.text("No such meeting."), color_scheme="red"),
            rx.cond(
                DraftState.has_draft,
                draft_body(),
                rx.vstack(
                    rx.heading("Draft", size="6", as_="h1"),
                    rx.flex(
                        rx.spinner(),
                        rx.text("The draft is not ready yet; this page updates on its own."),
                        spacing="2",
                    ),
                ),
            ),
        ),
        on_mount=DraftState.start_live,
        on_unmount=DraftState.stop_live,
    )
