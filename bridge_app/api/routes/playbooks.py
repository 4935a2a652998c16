"""Playbooks and legal users' contract work: house positions (versioned), direct clause edits
kept over regeneration, accepted blockers, counterparty DOCX import and the redline DOCX."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from bridge_app.api.deps import (
    Approver,
    PoolDep,
    Reader,
    Reviewer,
    SessionDep,
    accept_job,
    client_ip,
    enqueue,
    in_transaction,
)
from bridge_app.core.drafting.playbook import DEFAULT_PLAYBOOK
from bridge_app.core.stages import Stage
from bridge_app.models import Draft, DraftVersion, PlaybookVersion
from bridge_app.models.api import JobAccepted
from bridge_app.services import contracts, queries
from bridge_app.services.errors import Invalid
from bridge_app.services.meeting_data import load_version_doc
from bridge_app.services.queue import NextJob
from bridge_app.services.render.to_docx import render_redline_docx
from bridge_app.services.stages.transaction import request_new_draft_version

router = APIRouter(prefix="/v1", tags=["playbooks"])

MAX_DOCX_BYTES = 10 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PlaybookPublic(BaseModel):
    """A playbook version (version 0: the built-in positions, never stored)."""

    version: int
    body: dict[str, Any]
    note: str = ""
    created_at: datetime | None = None


class PlaybookUpdate(BaseModel):
    """A new playbook version: the whole document (see docs/CONTRACTS.md)."""

    body: dict[str, Any]
    note: str = Field(default="", max_length=500)


class ClauseEdit(BaseModel):
    """A legal user's text for one clause (null: drop the edit), and why."""

    clause_key: str = Field(min_length=1, max_length=64)
    text: str | None = Field(default=None, max_length=contracts.MAX_CLAUSE_CHARS)
    reason: str = Field(default="", max_length=500)


class FindingAccept(BaseModel):
    """Accept one blocker (by its key: code:clause:detail) with a reason."""

    finding_key: str = Field(min_length=3, max_length=200)
    reason: str = Field(min_length=1, max_length=500)


class AcceptedPublic(BaseModel):
    """The version's remaining blockers after the acceptance."""

    finding_key: str
    blockers: int


def _public(row: PlaybookVersion | None) -> PlaybookPublic:
    if row is None:
        return PlaybookPublic(version=0, body=DEFAULT_PLAYBOOK, note="built-in positions")
    return PlaybookPublic(
        version=row.version, body=row.body, note=row.note, created_at=row.created_at
    )


@router.get("/playbook", response_model=PlaybookPublic)
def get_playbook(*, principal: Reader, session: SessionDep) -> PlaybookPublic:
    """The caller's organization's playbook in force."""
    return _public(contracts.playbook_row(session, principal.organization_id))


@router.get("/playbook/versions", response_model=list[PlaybookPublic])
def list_playbook_versions(*, principal: Reader, session: SessionDep) -> list[PlaybookPublic]:
    """Every stored playbook version, newest first."""
    rows = session.exec(
        select(PlaybookVersion)
        .where(PlaybookVersion.organization_id == principal.organization_id)
        .order_by(col(PlaybookVersion.version).desc())
    ).all()
    return [_public(r) for r in rows]


@router.put("/playbook", response_model=PlaybookPublic)
async def put_playbook(
    *, body: PlaybookUpdate, request: Request, principal: Reviewer
) -> PlaybookPublic:
    """Store a new playbook version (admins and legal); 422 says what is wrong with it."""
    ip = client_ip(request)

    def work(session: Session) -> PlaybookPublic:
        row = contracts.save_playbook(
            session, principal=principal, body=body.body, note=body.note, ip=ip
        )
        return _public(row)

    return await in_transaction(work)


@router.put("/drafts/{draft_id}/clauses", status_code=202, response_model=JobAccepted)
async def edit_clause(
    *,
    draft_id: uuid.UUID,
    body: ClauseEdit,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
) -> JobAccepted:
    """Replace one clause's text, kept over every regeneration (``text`` null drops the edit
    and brings the generated text back), and queue the new version. Audited."""
    ip = client_ip(request)

    def work(session: Session) -> tuple[Draft, NextJob]:
        draft = contracts.set_override(
            session,
            principal=principal,
            draft_id=draft_id,
            clause_key=body.clause_key,
            text=body.text,
            reason=body.reason or ("edit removed" if body.text is None else ""),
            ip=ip,
        )
        return draft, request_new_draft_version(session, draft)

    return await accept_job(pool, work)


@router.post("/drafts/{draft_id}/findings/accept", response_model=AcceptedPublic)
async def accept_finding(
    *, draft_id: uuid.UUID, body: FindingAccept, request: Request, principal: Approver
) -> AcceptedPublic:
    """Accept a playbook or counterparty blocker of the current version with a reason."""
    ip = client_ip(request)

    def work(session: Session) -> AcceptedPublic:
        left = contracts.accept_finding(
            session,
            principal=principal,
            draft_id=draft_id,
            finding_key=body.finding_key,
            reason=body.reason,
            ip=ip,
        )
        return AcceptedPublic(finding_key=body.finding_key, blockers=left)

    return await in_transaction(work)


@router.post("/drafts/{draft_id}/import", status_code=202, response_model=JobAccepted)
async def import_docx(
    *,
    draft_id: uuid.UUID,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
    file: Annotated[UploadFile, File(description="the counterparty's edited DOCX")],
) -> JobAccepted:
    """A counterparty's edited DOCX (tracked changes or plain edits) as the next version; QA
    then flags every change that departs from the meeting."""
    data = await file.read(MAX_DOCX_BYTES + 1)
    if len(data) > MAX_DOCX_BYTES:
        raise Invalid(f"the document is larger than {MAX_DOCX_BYTES // (1024 * 1024)} MB")
    if not data:
        raise Invalid("the uploaded file is empty")
    ip = client_ip(request)

    def work(session: Session) -> tuple[Draft, DraftVersion]:
        draft, row = contracts.import_docx(
            session,
            principal=principal,
            draft_id=draft_id,
            data=data,
            filename=file.filename or "",
            ip=ip,
        )
        session.flush()
        return draft, row

    # Not accept_job: the 202 names the imported version, while the job (QA) has version 1.
    draft, row = await in_transaction(work)
    queued = await enqueue(pool, NextJob(Stage.qa, row.id, 1))
    return JobAccepted(id=draft.id, status=draft.status, version=row.version, enqueued=queued)


@router.get("/drafts/{draft_id}/redline.docx")
def redline_docx(
    *,
    draft_id: uuid.UUID,
    from_version: Annotated[int, Query(alias="from", ge=1)],
    to_version: Annotated[int, Query(alias="to", ge=1)],
    principal: Reader,
    session: SessionDep,
) -> Response:
    """The redline between two versions as a Word document with tracked changes."""
    draft = queries.owned(session, Draft, draft_id, principal.organization_id)
    if from_version == to_version:
        raise Invalid("pick two different versions")
    key = contracts._meeting_key(session, draft)
    docs = [
        load_version_doc(queries.version(session, draft, number), key)
        for number in (from_version, to_version)
    ]
    data = render_redline_docx(docs[0], docs[1])
    name = f"redline-v{from_version}-v{to_version}.docx"
    return Response(
        data,
        media_type=DOCX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
