"""One meeting: transcript viewer, extracted items and their review."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import reflex as rx

from bridge_app.core.review.terms import CURRENCIES, DURATION_UNITS, REVIEWER_ENTERED
from bridge_app.services import actions, terms
from bridge_app.state import data
from bridge_app.state.auth import AuthState
from bridge_app.state.common import follow_live, read_db, run_db
from bridge_app.state.rows import ItemGroup, ItemRow, Segment, Step, TermLine, item_row

POLL_S = 0.6
LIVE_MAX_S = 15 * 60
KIND_ORDER = ("decision", "agreed_term", "action_item", "open_question")
CURRENCY_OPTIONS = list(CURRENCIES)
UNIT_OPTIONS = list(DURATION_UNITS)


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
    # Recordings: the transcription share while it runs, and this member's playback links.
    progress: str = ""
    recording_urls: list[str] = []

    segments: list[Segment] = []
    items: list[ItemRow] = []
    transcript_query: str = ""
    highlighted: str = ""

    # the reject / edit dialog
    dialog_open: bool = False
    dialog_action: str = ""
    dialog_item_id: str = ""
    dialog_statement: str = ""
    dialog_reason: str = ""
    dialog_error: str = ""

    # the terms checklist and its typed editor (evidence = selected transcript lines)
    contract_type: str = ""
    terms: list[TermLine] = []
    editor_term: str = ""
    editor_label: str = ""
    editor_kind: str = ""
    f_amount: str = ""
    f_currency: str = "USD"
    f_date: str = ""
    f_days: str = ""
    f_number: str = ""
    f_unit: str = "months"
    f_name: str = ""
    f_items: str = ""
    f_law: str = ""
    editor_reason: str = ""
    editor_error: str = ""
    evidence_keys: list[str] = []
    highlighted_item: str = ""

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
    def editor_open(self) -> bool:
        return self.editor_term != ""

    @rx.var
    def evidence_lines(self) -> list[Segment]:
        chosen = set(self.evidence_keys)
        return [s for s in self.segments if s.key in chosen]

    @rx.var
    def evidence_count(self) -> int:
        return len(self.evidence_keys)

    @rx.var
    def missing_count(self) -> int:
        return sum(1 for t in self.terms if t.status != "found")

    @rx.var
    def processing(self) -> bool:
        return self.status not in ("ready", "failed", "")

    def _apply_detail(self, detail: dict[str, Any]) -> None:
        summary = detail["meeting"]
        self._apply_summary(summary)
        self.segments = [Segment(**s) for s in detail["segments"]]
        self.items = [item_row(i) for i in detail["items"]]
        self.contract_type = detail.get("contract_type", "")
        self.terms = [TermLine(**t) for t in detail.get("terms", [])]

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
        self.progress = summary.get("progress", "")

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
        self.recording_urls = await read_db(
            data.recording_urls, principal.organization_id, self.meeting_id, principal.user_id
        )
        return True

    @rx.event
    async def on_load(self) -> Any:
        if await self.current_principal() is None:
            return rx.redirect("/login")
        params = self.router.url.query_parameters
        self.meeting_id = str(params.get("id", ""))[:64]
        self.highlighted = str(params.get("seg", ""))[:130]
        self.highlighted_item = str(params.get("item", ""))[:64]
        self.transcript_query = ""
        self.dialog_open = False
        self.editor_term = ""
        self.notice = ""  # a banner belongs to the page (and the job) that raised it
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
        wanted = str(params.get("term", ""))[:40]
        if wanted and any(t.term == wanted for t in self.terms):
            self._open_term(wanted)
            return self._scroll_to("term-editor", delay_ms=300, focus="term-editor-first")
        if self.highlighted_item:
            return self._scroll_to("item-" + self.highlighted_item, delay_ms=300)
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

    @rx.var
    def has_recording(self) -> bool:
        return len(self.recording_urls) > 0

    @rx.event
    def play(self, track: int, start: float) -> Any:
        """Play the recording from a moment (the speaker's own track when there is one)."""
        if not self.recording_urls:
            return None
        url = self.recording_urls[track if 0 <= track < len(self.recording_urls) else 0]
        return rx.call_script(
            "(function(){const a=document.getElementById('recording-player');"
            f"const src={json.dumps(url)};const t={max(float(start), 0.0):.3f};"
            "if(a.dataset.src!==src){a.src=src;a.dataset.src=src;}"
            "const go=()=>{a.currentTime=t;a.play();};"
            "if(a.readyState>=1){go();}else{a.addEventListener('loadedmetadata',go,{once:true});"
            "a.load();}})()"
        )

    @rx.event
    def show_evidence(self, anchor: str) -> Any:
        """Scroll the transcript to an item's evidence and highlight it."""
        self.transcript_query = ""
        self.highlighted = anchor
        return self._scroll_to(anchor)

    @staticmethod
    def _scroll_to(anchor: str, delay_ms: int = 50, focus: str = "") -> Any:
        focus_js = (
            f"document.getElementById({json.dumps(focus)})?.focus({{preventScroll: true}});"
            if focus
            else ""
        )
        return rx.call_script(
            f"setTimeout(() => {{document.getElementById({json.dumps(anchor)})"
            f"?.scrollIntoView({{block: 'center'}}); {focus_js}}}, {delay_ms})"
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
    def set_dialog_reason(self, value: str) -> None:
        self.dialog_reason = value[:2000]

    @rx.event
    async def submit_dialog(self) -> None:
        if not self.dialog_reason.strip():
            self.dialog_error = "Give a reason (it is kept in the audit log)."
            return
        statement = self.dialog_statement if self.dialog_action == "edit" else None
        ok = await self._review(
            self.dialog_item_id, self.dialog_action, statement, None, self.dialog_reason
        )
        if ok:
            self.dialog_open = False
            self.notice = "Rejected." if self.dialog_action == "reject" else "Saved your edit."
            await self._load()  # the checklist follows the review
        else:
            self.dialog_error = self.error

    # ------------------------------------------------------------------ terms checklist

    def _open_term(self, term: str) -> None:
        line = next((t for t in self.terms if t.term == term), None)
        if line is None:
            return
        self.editor_term, self.editor_label, self.editor_kind = line.term, line.label, line.kind
        self.f_amount = self.f_date = self.f_days = self.f_number = ""
        self.f_name = self.f_items = self.f_law = ""
        self.f_currency, self.f_unit = "USD", "months"
        if line.status == "found" and line.kind == "party":
            self.f_name = line.display
        if line.status == "found" and line.kind == "law":
            self.f_law = line.display
        if line.status == "found" and line.kind == "list":
            self.f_items = "\n".join(x.strip() for x in line.display.split(";"))
        self.editor_reason = ""
        self.editor_error = ""
        self.evidence_keys = []

    @rx.event
    async def open_term(self, term: str) -> Any:
        if await self.principal_for("review") is None:
            return None
        self._open_term(str(term))
        return self._scroll_to("term-editor", focus="term-editor-first")

    @rx.event
    def close_term(self) -> None:
        self.editor_term = ""
        self.evidence_keys = []

    @rx.event
    def toggle_evidence(self, key: str) -> None:
        key = str(key)[:300]
        if key in self.evidence_keys:
            self.evidence_keys = [k for k in self.evidence_keys if k != key]
        elif len(self.evidence_keys) < terms.MAX_EVIDENCE:
            self.evidence_keys = [*self.evidence_keys, key]

    @rx.event
    def set_term_field(self, name: str, value: str) -> None:
        if name in ("amount", "currency", "date", "days", "number", "unit", "name", "items", "law"):
            setattr(self, f"f_{name}", str(value)[:5000])

    @rx.event
    def set_editor_reason(self, value: str) -> None:
        self.editor_reason = value[:2000]

    @rx.event
    async def save_term(self) -> None:
        principal = await self.principal_for("review")
        if principal is None or not self.editor_term:
            return
        fields = {
            "amount": self.f_amount,
            "currency": self.f_currency,
            "date": self.f_date,
            "days": self.f_days,
            "number": self.f_number,
            "unit": self.f_unit,
            "name": self.f_name,
            "items": self.f_items,
            "law": self.f_law,
        }
        ip, meeting_id, term = self._client_ip(), self.meeting_id, self.editor_term
        evidence, reason = list(self.evidence_keys), self.editor_reason

        def work(session: Any) -> str:
            result = terms.set_term(
                session,
                principal=principal,
                meeting_id=meeting_id,
                term=term,
                fields=fields,
                segment_keys=evidence,
                reason=reason,
                ip=ip,
            )
            return result.display

        try:
            display = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            self.editor_error = self.error
            self.error = ""
            return
        support = "" if evidence else f" ({REVIEWER_ENTERED})"
        self.notice = (
            f"{self.editor_label} set to {display}{support}. Regenerate the draft to use it."
        )
        self.editor_term = ""
        self.evidence_keys = []
        await self._load()
