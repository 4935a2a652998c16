"""One meeting: transcript viewer, extracted items and their review."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import reflex as rx

from bridge_app.services import actions
from bridge_app.state import data
from bridge_app.state.auth import AuthState
from bridge_app.state.common import follow_live, read_db, run_db
from bridge_app.state.rows import ItemGroup, ItemRow, Segment, Step, item_row

POLL_S = 0.6
LIVE_MAX_S = 15 * 60
KIND_ORDER = ("decision", "agreed_term", "action_item", "open_question")


class MeetingState(AuthState):
    meeting_id: str = ""
    title: str = ""
    status: str = ""
    matter: str = ""
    meeting_date: str = ""
    participants: str = ""
    failure: str = ""
    warnings: list[str] = []
    steps: list[Step] = []
    has_draft: bool = False
    not_found: bool = False

    segments: list[Segment] = []
    items: list[ItemRow] = []
    transcript_query: str = ""
    highlighted: str = ""

    # the reject / edit dialog
    dialog_open: bool = False
    dialog_action: str = ""
    dialog_item_id: str = ""
    dialog_statement: str = ""
    dialog_values: str = ""
    dialog_reason: str = ""
    dialog_error: str = ""

    _live_generation: int = 0

    @rx.var
    def visible_segments(self) -> list[Segment]:
        query = self.transcript_query.strip().lower()
        if not query:
            return self.segments
        return [s for s in self.segments if query in s.text.lower() or query in s.speaker.lower()]

    @rx.var
    def groups(self) -> list[ItemGroup]:
        out = []
        for kind in KIND_ORDER:
            rows = sorted((i for i in self.items if i.kind == kind), key=lambda i: -i.confidence)
            if rows:
                out.append(ItemGroup(kind=kind, label=data.KIND_LABELS[kind], rows=rows))
        return out

    @rx.var
    def processing(self) -> bool:
        return self.status not in ("ready", "failed", "")

    def _apply_detail(self, detail: dict[str, Any]) -> None:
        summary = detail["meeting"]
        self._apply_summary(summary)
        self.segments = [Segment(**s) for s in detail["segments"]]
        self.items = [item_row(i) for i in detail["items"]]

    def _apply_summary(self, summary: dict[str, Any]) -> None:
        self.title = summary["title"]
        self.status = summary["status"]
        self.matter = summary["matter"]
        self.meeting_date = summary["date"]
        self.participants = summary["participants"]
        self.failure = summary["failure"]
        self.warnings = list(summary["warnings"])
        self.steps = [Step(**s) for s in summary["steps"]]
        self.has_draft = bool(summary["has_draft"])

    async def _load(self) -> bool:
        principal = await self.principal_for("read")
        if principal is None:
            return False
        detail = await read_db(data.meeting_detail, principal.organization_id, self.meeting_id)
        if detail is None:
            self.not_found = True
            self.title = ""
            self.segments, self.items = [], []
            return False
        self.not_found = False
        self._apply_detail(detail)
        return True

    @rx.event
    async def on_load(self) -> Any:
        if await self.current_principal() is None:
            return rx.redirect("/login")
        params = self.router.url.query_parameters
        self.meeting_id = str(params.get("id", ""))[:64]
        self.highlighted = str(params.get("seg", ""))[:130]
        self.transcript_query = ""
        self.dialog_open = False
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
        if self.highlighted:
            return self._scroll_to(self.highlighted, delay_ms=300)
        return None

    @rx.event
    def stop_live(self) -> None:
        self._live_generation += 1

    @rx.event(background=True)
    async def start_live(self) -> None:
        """While the pipeline runs, follow the status; reload the items when it moves."""
        await follow_live(self, self._live_tick, poll_s=POLL_S, max_s=LIVE_MAX_S)

    async def _live_tick(self) -> bool:
        principal = await self.principal_for("read")
        if principal is None or not self.meeting_id:
            return False
        summary = await read_db(data.meeting_status, principal.organization_id, self.meeting_id)
        if summary is None:
            return False
        if summary["status"] != self.status or (summary["status"] != "ready" and not self.items):
            await self._load()
        else:
            self._apply_summary(summary)
        return True

    # ------------------------------------------------------------------ transcript

    @rx.event
    def set_transcript_query(self, value: str) -> None:
        self.transcript_query = value[:200]

    @rx.event
    def show_evidence(self, anchor: str) -> Any:
        """Scroll the transcript to an item's evidence and highlight it."""
        self.transcript_query = ""
        self.highlighted = anchor
        return self._scroll_to(anchor)

    @staticmethod
    def _scroll_to(anchor: str, delay_ms: int = 50) -> Any:
        return rx.call_script(
            f"setTimeout(() => document.getElementById({json.dumps(anchor)})"
            f"?.scrollIntoView({{block: 'center'}}), {delay_ms})"
        )

    # ------------------------------------------------------------------ review

    async def _review(
        self,
        decision_id: str,
        action: str,
        statement: str | None = None,
        values: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> bool:
        principal = await self.principal_for("review")
        if principal is None:
            return False
        ip = self._client_ip()

        def work(session: Any) -> dict[str, Any]:
            actions.review_decision(
                session,
                principal=principal,
                decision_id=decision_id,
                action=action,  # type: ignore[arg-type]
                statement=statement,
                values=values,
                reason=reason,
                ip=ip,
            )
            return {}

        try:
            await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return False
        status = {"accept": "accepted", "reject": "rejected", "edit": "edited"}[action]
        self.items = [
            replace(
                i,
                status=status,
                statement=statement if statement is not None else i.statement,
            )
            if i.id == decision_id
            else i
            for i in self.items
        ]
        return True

    @rx.event
    async def accept(self, decision_id: str) -> None:
        if await self._review(str(decision_id), "accept"):
            self.notice = "Accepted."

    @rx.event
    async def open_dialog(self, decision_id: str, action: str) -> None:
        if await self.principal_for("review") is None:
            return
        item = next((i for i in self.items if i.id == decision_id), None)
        if item is None or action not in ("reject", "edit"):
            return
        self.dialog_item_id = item.id
        self.dialog_action = action
        self.dialog_statement = item.statement
        self.dialog_values = item.values_json
        self.dialog_reason = ""
        self.dialog_error = ""
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = bool(value)

    @rx.event
    def set_dialog_statement(self, value: str) -> None:
        self.dialog_statement = value[:5000]

    @rx.event
    def set_dialog_values(self, value: str) -> None:
        self.dialog_values = value[:5000]

    @rx.event
    def set_dialog_reason(self, value: str) -> None:
        self.dialog_reason = value[:2000]

    @rx.event
    async def submit_dialog(self) -> None:
        if not self.dialog_reason.strip():
            self.dialog_error = "Give a reason (it is kept in the audit log)."
            return
        statement: str | None = None
        values: dict[str, Any] | None = None
        if self.dialog_action == "edit":
            statement = self.dialog_statement
            current = next((i for i in self.items if i.id == self.dialog_item_id), None)
            if current is not None and self.dialog_values.strip() != current.values_json:
                try:
                    parsed = json.loads(self.dialog_values or "{}")
                except ValueError:
                    self.dialog_error = "The values are not valid JSON."
                    return
                if not isinstance(parsed, dict):
                    self.dialog_error = 'The values must be a JSON object, like {"fee": …}.'
                    return
                values = parsed
        ok = await self._review(
            self.dialog_item_id, self.dialog_action, statement, values, self.dialog_reason
        )
        if ok:
            self.dialog_open = False
            self.notice = "Rejected." if self.dialog_action == "reject" else "Saved your edit."
            if values is not None:
                await self._load()
        else:
            self.dialog_error = self.error
