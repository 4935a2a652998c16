"""Legal users' contract tools in the UI: the organization's playbook (edit, versions) and, per
draft, direct clause edits kept over regeneration, accepting playbook/counterparty blockers,
importing a counterparty's DOCX and downloading the redline as tracked changes. Writes go
through services/contracts.py, as the API's do."""

from __future__ import annotations

import json
import uuid
from typing import Any

import reflex as rx
from sqlmodel import Session, col, select

from bridge_app.core.drafting.playbook import DEFAULT_PLAYBOOK
from bridge_app.core.stages import Stage
from bridge_app.models import Draft, DraftVersion, PlaybookVersion, QAFinding
from bridge_app.services import contracts
from bridge_app.services.meeting_data import finding_of, load_version_doc
from bridge_app.services.queue import NextJob
from bridge_app.services.render.to_docx import render_redline_docx
from bridge_app.services.stages.runner import request_new_draft_version
from bridge_app.state.auth import AuthState
from bridge_app.state.common import enqueue, read_db, run_db

DOCX_UPLOAD_ID = "counterparty-docx"
MAX_DOCX_BYTES = 10 * 1024 * 1024


def _playbook_view(session: Session, organization_id: uuid.UUID) -> dict[str, Any]:
    row = contracts.playbook_row(session, organization_id)
    rows = session.exec(
        select(PlaybookVersion)
        .where(PlaybookVersion.organization_id == organization_id)
        .order_by(col(PlaybookVersion.version).desc())
    ).all()
    return {
        "version": row.version if row else 0,
        "body": json.dumps(row.body if row else DEFAULT_PLAYBOOK, indent=2),
        "versions": [
            f"v{r.version} · {r.created_at:%Y-%m-%d %H:%M} · {r.note or 'no note'}" for r in rows
        ],
    }


def _draft_view(session: Session, organization_id: uuid.UUID, draft_id: str) -> dict[str, Any]:
    draft = session.get(Draft, uuid.UUID(draft_id))
    if draft is None or draft.organization_id != organization_id or draft.current_version == 0:
        return {}
    key = contracts._meeting_key(session, draft)
    version, doc = contracts.current_doc(session, draft, key)
    overrides = contracts.overrides_of(session, draft, key)
    rows = session.exec(
        select(QAFinding).where(
            QAFinding.draft_version_id == version.id,
            col(QAFinding.code).in_(sorted(contracts.ACCEPTABLE)),
        )
    ).all()
    return {
        "version": draft.current_version,
        "qa_done": version.qa_done,
        "clauses": [
            {
                "key": c.key,
                "label": f"{c.number}. {c.heading}" + (" (edited)" if c.key in overrides else ""),
                "text": c.text,
            }
            for c in doc.clauses
        ],
        "acceptable": [
            {
                "key": contracts._row_key(r, key),
                "message": finding_of(r, key)[0],
                "severity": r.severity,
            }
            for r in rows
        ],
        "versions": [
            str(v)
            for v in session.exec(
                select(DraftVersion.version)
                .where(DraftVersion.draft_id == draft.id)
                .order_by(col(DraftVersion.version))
            ).all()
        ],
    }


class ContractsState(AuthState):
    # playbook page
    playbook_text: str = ""
    playbook_version: int = 0
    playbook_versions: list[str] = []
    playbook_note: str = ""
    # contract tools page
    draft_id: str = ""
    draft_version: int = 0
    clause_keys: list[str] = []
    clause_labels: dict[str, str] = {}
    clause_texts: dict[str, str] = {}
    clause_key: str = ""
    clause_text: str = ""
    clause_reason: str = ""
    acceptable: list[dict[str, str]] = []
    accept_reason: str = ""
    draft_versions: list[str] = []
    redline_from: str = ""
    importing: bool = False

    # ------------------------------------------------------------------ playbook

    @rx.event
    async def load_playbook(self) -> Any:
        principal = await self.principal_for("read")
        if principal is None:
            return rx.redirect("/login")
        try:
            view = await read_db(_playbook_view, principal.organization_id)
        except Exception as exc:
            self.fail(exc)
            return None
        self.playbook_text = view["body"]
        self.playbook_version = view["version"]
        self.playbook_versions = view["versions"]
        return None

    @rx.event
    def set_playbook_text(self, value: str) -> None:
        self.playbook_text = value

    @rx.event
    def set_playbook_note(self, value: str) -> None:
        self.playbook_note = value[:500]

    @rx.event
    async def save_playbook(self) -> Any:
        principal = await self.principal_for("review")
        if principal is None:
            return None
        try:
            body = json.loads(self.playbook_text)
        except json.JSONDecodeError as exc:
            self.error = f"The playbook is not valid JSON (line {exc.lineno}: {exc.msg})."
            return None
        if not isinstance(body, dict):
            self.error = "The playbook must be a JSON object with 'variables' and 'clauses'."
            return None
        ip, note = self._client_ip(), self.playbook_note

        def work(session: Session) -> int:
            row = contracts.save_playbook(session, principal=principal, body=body, note=note, ip=ip)
            return row.version

        try:
            version = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return None
        self.notice = f"Playbook version {version} saved; new drafts and regenerations use it."
        self.playbook_note = ""
        return ContractsState.load_playbook

    # ------------------------------------------------------------------ contract tools

    async def _load_draft(self) -> None:
        principal = await self.principal_for("read")
        if principal is None or not self.draft_id:
            return
        view = await read_db(_draft_view, principal.organization_id, self.draft_id)
        if not view:
            self.error = "No such draft, or it has no version yet."
            return
        self.draft_version = view["version"]
        self.clause_keys = [c["key"] for c in view["clauses"]]
        self.clause_labels = {c["key"]: c["label"] for c in view["clauses"]}
        self.clause_texts = {c["key"]: c["text"] for c in view["clauses"]}
        if self.clause_key not in self.clause_texts and self.clause_keys:
            self.clause_key = self.clause_keys[0]
        self.clause_text = self.clause_texts.get(self.clause_key, "")
        self.acceptable = view["acceptable"]
        self.draft_versions = view["versions"]
        if self.redline_from not in self.draft_versions and len(self.draft_versions) > 1:
            self.redline_from = self.draft_versions[-2]

    @rx.event
    async def load_contract(self) -> Any:
        if await self.current_principal() is None:
            return rx.redirect("/login")
        self.draft_id = str(self.router.page.params.get("draft", ""))[:64]
        try:
            uuid.UUID(self.draft_id)
        except ValueError:
            self.error = "Open this page from a draft (the link needs a draft id)."
            return None
        try:
            await self._load_draft()
        except Exception as exc:
            self.fail(exc)
        return None

    @rx.event
    async def refresh_contract(self) -> None:
        try:
            await self._load_draft()
        except Exception as exc:
            self.fail(exc)

    @rx.event
    def pick_clause(self, key: str) -> None:
        self.clause_key = key
        self.clause_text = self.clause_texts.get(key, "")

    @rx.event
    def set_clause_text(self, value: str) -> None:
        self.clause_text = value

    @rx.event
    def set_clause_reason(self, value: str) -> None:
        self.clause_reason = value[:500]

    @rx.event
    def set_accept_reason(self, value: str) -> None:
        self.accept_reason = value[:500]

    @rx.event
    def set_redline_from(self, value: str) -> None:
        self.redline_from = value

    async def _edit(self, text: str | None) -> None:
        principal = await self.principal_for("review")
        if principal is None:
            return
        ip, draft_id, key, reason = (
            self._client_ip(),
            self.draft_id,
            self.clause_key,
            self.clause_reason,
        )

        def work(session: Session) -> NextJob:
            draft = contracts.set_override(
                session,
                principal=principal,
                draft_id=draft_id,
                clause_key=key,
                text=text,
                reason=reason or ("edit removed" if text is None else ""),
                ip=ip,
            )
            return request_new_draft_version(session, draft)

        try:
            job = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return
        await enqueue(job)
        what = "kept" if text is not None else "removed"
        self.notice = f"Clause edit {what}: version {job.version} is being drafted."

    @rx.event
    async def save_clause(self) -> None:
        await self._edit(self.clause_text)

    @rx.event
    async def remove_clause_edit(self) -> None:
        await self._edit(None)

    @rx.event
    async def accept(self, finding_key: str) -> None:
        principal = await self.principal_for("approve")
        if principal is None:
            return
        ip, draft_id, reason = self._client_ip(), self.draft_id, self.accept_reason

        def work(session: Session) -> int:
            return contracts.accept_finding(
                session,
                principal=principal,
                draft_id=draft_id,
                finding_key=finding_key,
                reason=reason,
                ip=ip,
            )

        try:
            left = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return
        self.notice = f"Accepted. The current version has {left} blocker(s) left."
        self.accept_reason = ""
        await self._load_draft()

    @rx.event
    async def import_docx(self, files: list[rx.UploadFile]) -> None:
        principal = await self.principal_for("review")
        if principal is None:
            return
        if not files:
            self.error = "Choose the counterparty's DOCX first."
            return
        upload = files[0]
        data = await upload.read()
        if len(data) > MAX_DOCX_BYTES:
            self.error = "The document is larger than 10 MB."
            return
        ip, draft_id = self._client_ip(), self.draft_id
        filename = (upload.name or upload.filename or "counterparty.docx").rsplit("/", 1)[-1]

        def work(session: Session) -> NextJob:
            _draft, row = contracts.import_docx(
                session,
                principal=principal,
                draft_id=draft_id,
                data=data,
                filename=filename,
                ip=ip,
            )
            session.flush()
            return NextJob(Stage.qa, row.id, 1)

        self.importing = True
        try:
            job = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return
        finally:
            self.importing = False
        await enqueue(job)
        self.notice = (
            f"Imported {filename} as version {self.draft_version + 1}; QA is checking it "
            "against the meeting."
        )
        await self._load_draft()

    @rx.event
    async def download_redline(self) -> Any:
        principal = await self.principal_for("read")
        if principal is None or not self.redline_from:
            return None
        draft_id, old, new = self.draft_id, int(self.redline_from), self.draft_version

        def work(session: Session) -> bytes:
            draft = session.get(Draft, uuid.UUID(draft_id))
            if draft is None or draft.organization_id != principal.organization_id:
                raise contracts.NotFound("no such draft")
            key = contracts._meeting_key(session, draft)
            docs = []
            for number in (old, new):
                row = session.exec(
                    select(DraftVersion).where(
                        DraftVersion.draft_id == draft.id, DraftVersion.version == number
                    )
                ).one()
                docs.append(load_version_doc(row, key))
            return render_redline_docx(docs[0], docs[1])

        try:
            data = await read_db(work)
        except Exception as exc:
            self.fail(exc)
            return None
        return rx.download(data=data, filename=f"redline-v{old}-v{new}.docx")
