"""A meeting's draft contract: versions, clause sources, QA findings, redline, approve, export."""

from __future__ import annotations

import json
import uuid
from typing import Any

import reflex as rx

from bridge_app.services import draft_actions, export_actions
from bridge_app.state import draft_data
from bridge_app.state.auth import AuthState
from bridge_app.state.common import enqueue, follow_live, read_db, run_db
from bridge_app.state.rows import (
    ClauseRow,
    DefaultRow,
    ExportRow,
    FindingRow,
    Source,
    WarningRow,
    clause_row,
)

POLL_S = 0.5
LIVE_MAX_S = 10 * 60
EXPORT_FORMATS = {"docx": "DOCX", "pdf": "PDF", "md": "Markdown"}


class DraftState(AuthState):
    meeting_id: str = ""
    meeting_title: str = ""
    meeting_status: str = ""
    draft_id: str = ""
    contract_type: str = ""
    type_reason: str = ""
    draft_status: str = ""
    current_version: int = 0
    pending: bool = False
    not_found: bool = False
    has_draft: bool = False

    versions: list[str] = []
    version: str = ""
    compare_to: str = ""
    redline_html: str = ""
    show_redline: bool = False

    title: str = ""
    clauses: list[ClauseRow] = []
    findings: list[FindingRow] = []
    general_findings: list[FindingRow] = []
    blockers: int = -1
    qa_done: bool = False
    exports: list[ExportRow] = []
    exporting: list[str] = []

    selected_clause: str = ""

    defaults: list[DefaultRow] = []
    # the approval record, and the confirmation dialog (open warnings to acknowledge)
    approval_state: str = "none"
    approved_version: int = 0
    approver: str = ""
    approved_when: str = ""
    approval_comment: str = ""
    outdated_reason: str = ""
    warnings: list[WarningRow] = []
    approve_open: bool = False
    acknowledged: list[str] = []
    approve_comment: str = ""
    approve_error: str = ""
    # the banner a running job raised: it ends when the job ends
    _job_notice: str = ""

    _live_generation: int = 0

    @rx.var
    def selected_sources(self) -> list[Source]:
        for clause in self.clauses:
            if clause.key == self.selected_clause:
                return clause.sources
        return []

    @rx.var
    def selected_heading(self) -> str:
        for clause in self.clauses:
            if clause.key == self.selected_clause:
                return f"{clause.number}. {clause.heading}"
        return ""

    @rx.var
    def is_current(self) -> bool:
        return self.version == str(self.current_version)

    @rx.var
    def can_approve(self) -> bool:
        return (
            self.qa_done
            and self.blockers == 0
            and self.is_current
            and self.draft_status != "approved"
            and not self.pending
        )

    @rx.var
    def all_acknowledged(self) -> bool:
        return all(w.id in self.acknowledged for w in self.warnings)

    @rx.var
    def status_label(self) -> str:
        if self.approval_state == "approved":
            return f"approved (version {self.approved_version})"
        if self.approval_state == "outdated":
            return "approval out of date"
        return "draft"

    @rx.var
    def approve_hint(self) -> str:
        if self.approval_state == "approved" and self.is_current:
            return f"Version {self.approved_version} is approved."
        if self.approval_state == "outdated" and not self.pending and self.qa_done:
            if self.blockers > 0:
                return (
                    f"The approval is out of date and approval is blocked: {self.blockers} "
                    "problem(s) must be fixed."
                )
            return "The approval is out of date: approve again before exporting as approved."
        if self.pending:
            return "A new version is being drafted."
        if not self.qa_done:
            return "QA is still checking this version."
        if not self.is_current:
            return "Only the current version can be approved."
        if self.blockers > 0:
            return f"Approval is blocked: {self.blockers} problem(s) must be fixed first."
        return "No blockers: this version can be approved."

    @rx.var
    def other_versions(self) -> list[str]:
        return [v for v in self.versions if v != self.version]

    async def _load(self) -> bool:
        principal = await self.principal_for("read")
        if principal is None:
            return False
        version = int(self.version) if self.version.isdigit() else None
        detail = await read_db(
            draft_data.draft_detail, principal.organization_id, self.meeting_id, version
        )
        if detail is None:
            self.not_found = True
            return False
        self.not_found = False
        meeting = detail["meeting"]
        self.meeting_title = meeting["title"]
        self.meeting_status = meeting["status"]
        draft = detail["draft"]
        self.has_draft = draft is not None and bool(detail.get("versions"))
        if draft is None:
            self.clauses, self.findings, self.exports = [], [], []
            return True
        self.draft_id = draft["id"]
        self.contract_type = draft["contract_type"]
        self.type_reason = draft["type_reason"]
        self.draft_status = draft["status"]
        self.current_version = int(draft["current_version"])
        self.pending = bool(draft["pending"])
        self.versions = list(detail.get("versions", []))
        if "version" not in detail:
            return True
        self.version = str(detail["version"])
        self.title = detail["title"]
        self.clauses = [clause_row(c) for c in detail["clauses"]]
        self.findings = [FindingRow(**f) for f in detail["findings"]]
        self.general_findings = [FindingRow(**f) for f in detail["general_findings"]]
        self.blockers = int(detail["blockers"])
        self.qa_done = bool(detail["qa_done"])
        self.exports = [ExportRow(**e) for e in detail["exports"]]
        self.exporting = [e.format for e in self.exports if e.status == "pending"]
        self.defaults = [DefaultRow(**d) for d in detail["defaults"]]
        record = detail["approval"]
        self.approval_state = record["state"]
        self.approved_version = int(record["version"])
        self.approver = record["approver"]
        self.approved_when = record["when"]
        self.approval_comment = record["comment"]
        self.outdated_reason = record["outdated_reason"]
        self.warnings = [WarningRow(**w) for w in detail["warnings"]]
        if (
            self._job_notice
            and self.notice == self._job_notice
            and not (self.pending or self.exporting or not self.qa_done)
        ):
            self.notice = ""  # the job the banner announced has ended
            self._job_notice = ""
        if self.show_redline and self.compare_to:
            await self._load_redline(principal.organization_id)
        return True

    async def _load_redline(self, organization_id: uuid.UUID) -> None:
        if not (self.compare_to.isdigit() and self.version.isdigit()):
            self.redline_html = ""
            return
        old, new = sorted((int(self.compare_to), int(self.version)))
        self.redline_html = await read_db(
            draft_data.redline, organization_id, self.meeting_id, old, new
        )

    @rx.event
    async def on_load(self) -> Any:
        if await self.current_principal() is None:
            return rx.redirect("/login")
        self.meeting_id = str(self.router.url.query_parameters.get("meeting", ""))[:64]
        self.version = ""
        self.selected_clause = ""
        self.show_redline = False
        self.compare_to = ""
        self.redline_html = ""
        self.approve_open = False
        self.notice = ""  # a banner from another page does not follow here
        self._job_notice = ""
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
        return None

    @rx.event
    def stop_live(self) -> None:
        self._live_generation += 1

    @rx.event(background=True)
    async def start_live(self) -> None:
        """Follow a draft being regenerated, QA running and exports rendering."""
        await follow_live(self, self._live_tick, poll_s=POLL_S, max_s=LIVE_MAX_S)

    async def _live_tick(self) -> bool:
        busy = (
            self.pending
            or (self.has_draft and not self.qa_done)
            or bool(self.exporting)
            or (not self.has_draft and self.meeting_status not in ("failed", ""))
        )
        if not busy:
            return True
        if self.pending:
            self.version = ""  # follow the newest version
        return bool(await self._load())

    # ------------------------------------------------------------------ viewing

    @rx.event
    async def pick_version(self, value: str) -> None:
        if await self.principal_for("read") is None:
            return
        self.version = value
        self.selected_clause = ""
        if self.compare_to == value:
            self.compare_to = ""
            self.show_redline = False
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)

    @rx.event
    async def pick_compare(self, value: str) -> None:
        principal = await self.principal_for("read")
        if principal is None:
            return
        self.compare_to = value
        self.show_redline = bool(value)
        try:
            await self._load_redline(principal.organization_id)
        except Exception as exc:
            self.fail(exc)

    @rx.event
    def hide_redline(self) -> None:
        self.show_redline = False
        self.compare_to = ""

    @rx.event
    def select_clause(self, key: str) -> None:
        self.selected_clause = key

    @rx.event
    def hover_clause(self, key: str) -> None:
        self.selected_clause = key

    # ------------------------------------------------------------------ actions

    @rx.event
    async def regenerate(self) -> None:
        principal = await self.principal_for("review")
        if principal is None or not self.draft_id:
            return
        ip, draft_id = self._client_ip(), self.draft_id

        def work(session: Any) -> Any:
            _draft, job = draft_actions.request_regeneration(
                session, principal=principal, draft_id=draft_id, ip=ip
            )
            return job

        try:
            job = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return
        await enqueue(job)
        self.pending = True
        self.notice = self._job_notice = f"Regenerating: version {job.version} is being drafted."

    @rx.event
    async def open_approve(self) -> None:
        if await self.principal_for("approve") is None:
            return
        self.acknowledged = []
        self.approve_comment = ""
        self.approve_error = ""
        self.approve_open = True

    @rx.event
    def set_approve_open(self, value: bool) -> None:
        self.approve_open = bool(value)

    @rx.event
    def toggle_acknowledge(self, warning_id: str) -> None:
        wid = str(warning_id)[:40]
        if wid in self.acknowledged:
            self.acknowledged = [w for w in self.acknowledged if w != wid]
        else:
            self.acknowledged = [*self.acknowledged, wid]

    @rx.event
    def set_approve_comment(self, value: str) -> None:
        self.approve_comment = value[:2000]

    @rx.event
    async def approve(self) -> None:
        principal = await self.principal_for("approve")
        if principal is None or not self.draft_id:
            return
        ip, draft_id = self._client_ip(), self.draft_id
        version = int(self.version) if self.version.isdigit() else None
        acknowledged, comment = list(self.acknowledged), self.approve_comment

        def work(session: Any) -> None:
            draft_actions.approve_draft(
                session,
                principal=principal,
                draft_id=draft_id,
                version=version,
                comment=comment,
                acknowledged=acknowledged,
                ip=ip,
            )

        try:
            await run_db(work)
        except Exception as exc:
            self.fail(exc)
            self.approve_error, self.error = self.error, ""
            return
        self.approve_open = False
        self.notice = f"Version {self.version} approved."
        await self._load()

    @rx.event
    async def download(self, export_id: str) -> Any:
        """Issue the file's short-lived link (audited with this user) and follow it."""
        principal = await self.principal_for("read")
        if principal is None:
            return None
        ip = self._client_ip()

        def work(session: Any) -> str:
            url, _filename = export_actions.download_link(
                session, principal=principal, export_id=str(export_id), ip=ip
            )
            return url

        try:
            url = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return None
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    async def export(self, fmt: str) -> None:
        principal = await self.principal_for("export")
        if principal is None or not self.draft_id:
            return
        if fmt not in EXPORT_FORMATS:
            self.error = "Unknown export format."
            return
        ip, draft_id = self._client_ip(), self.draft_id
        version = int(self.version) if self.version.isdigit() else None

        def work(session: Any) -> Any:
            return export_actions.request_export(
                session,
                principal=principal,
                draft_id=draft_id,
                version=version,
                fmt=fmt,
                idempotency_key=f"ui-{uuid.uuid4().hex}",
                ip=ip,
            ).job

        try:
            job = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return
        await enqueue(job)
        self.exporting = [*self.exporting, fmt]
        self.exports = [
            ExportRow(format=fmt, label=EXPORT_FORMATS[fmt], status="pending"),
            *[e for e in self.exports if e.format != fmt],
        ]
        self.notice = self._job_notice = f"Exporting {EXPORT_FORMATS[fmt]}…"
