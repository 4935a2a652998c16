"""Drafts: read, versions (decrypted, with provenance and QA findings), redline, regenerate,
approve."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from bridge_app.api.deps import (
    Approver,
    PoolDep,
    Reader,
    Reviewer,
    SessionDep,
    accept_job,
    client_ip,
    in_transaction,
)
from bridge_app.core.drafting.redline import redline_drafts, redline_html, redline_stats
from bridge_app.models import Draft, DraftVersion
from bridge_app.models.api import (
    ApprovalPublic,
    DraftApprove,
    DraftPublic,
    DraftVersionDetail,
    DraftVersionPublic,
    FindingPublic,
    JobAccepted,
    OpenWarning,
    RedlinePublic,
)
from bridge_app.services import approval, draft_actions, queries
from bridge_app.services.errors import Invalid
from bridge_app.services.principal import Principal

router = APIRouter(prefix="/v1", tags=["drafts"])


def load_draft(session: Session, principal: Principal, draft_id: uuid.UUID) -> Draft:
    """The draft if it belongs to the caller's organization, else 404."""
    return queries.owned(session, Draft, draft_id, principal.organization_id)


@router.get("/drafts/{draft_id}", response_model=DraftPublic)
def get_draft(
    *,
    draft_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> DraftPublic:
    """A draft's type, status and versions so far."""
    return DraftPublic.model_validate(load_draft(session, principal, draft_id))


@router.get("/drafts/{draft_id}/versions", response_model=list[DraftVersionPublic])
def list_versions(
    *,
    draft_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> list[DraftVersionPublic]:
    """Every version, oldest first."""
    draft = load_draft(session, principal, draft_id)
    return [DraftVersionPublic.model_validate(r) for r in queries.versions(session, draft)]


def _findings(session: Session, version: DraftVersion) -> list[FindingPublic]:
    return [FindingPublic.model_validate(r) for r in queries.findings(session, version)]


@router.get("/drafts/{draft_id}/versions/{version}", response_model=DraftVersionDetail)
def get_version(
    *,
    draft_id: uuid.UUID,
    version: int,
    principal: Reader,
    session: SessionDep,
) -> DraftVersionDetail:
    """One version: its clauses with provenance (decrypted) and its QA findings."""
    draft = load_draft(session, principal, draft_id)
    row = queries.version(session, draft, version)
    doc = queries.version_doc(session, draft, row)
    base = DraftVersionPublic.model_validate(row).model_dump()
    return DraftVersionDetail(**base, document=doc.to_dict(), findings=_findings(session, row))


@router.get("/drafts/{draft_id}/versions/{version}/findings", response_model=list[FindingPublic])
def get_findings(
    *,
    draft_id: uuid.UUID,
    version: int,
    principal: Reader,
    session: SessionDep,
) -> list[FindingPublic]:
    """QA findings of one version (blockers first)."""
    draft = load_draft(session, principal, draft_id)
    return _findings(session, queries.version(session, draft, version))


@router.get("/drafts/{draft_id}/redline", response_model=RedlinePublic)
def get_redline(
    *,
    draft_id: uuid.UUID,
    from_version: Annotated[int, Query(alias="from", ge=1)],
    to_version: Annotated[int, Query(alias="to", ge=1)],
    principal: Reader,
    session: SessionDep,
) -> RedlinePublic:
    """Word-level changes from one version to another."""
    draft = load_draft(session, principal, draft_id)
    if from_version == to_version:
        raise Invalid("pick two different versions")
    old = queries.version_doc(session, draft, queries.version(session, draft, from_version))
    new = queries.version_doc(session, draft, queries.version(session, draft, to_version))
    ops = redline_drafts(old, new)
    return RedlinePublic(
        from_version=from_version,
        to_version=to_version,
        stats=redline_stats(ops),
        ops=[op.to_dict() for op in ops],
        html=redline_html(ops),
    )


@router.post("/drafts/{draft_id}/regenerate", status_code=202, response_model=JobAccepted)
async def regenerate_draft(
    *,
    draft_id: uuid.UUID,
    request: Request,
    principal: Reviewer,
    pool: PoolDep,
) -> JobAccepted:
    """Queue a new version built from the current (reviewed) decisions."""
    ip = client_ip(request)
    return await accept_job(
        pool,
        lambda session: draft_actions.request_regeneration(
            session, principal=principal, draft_id=draft_id, ip=ip
        ),
    )


@router.post("/drafts/{draft_id}/approve", response_model=DraftPublic)
async def approve_draft(
    *,
    draft_id: uuid.UUID,
    body: DraftApprove,
    request: Request,
    principal: Approver,
) -> DraftPublic:
    """Approve the current version; 409 while QA is pending or reports blockers."""
    ip = client_ip(request)

    def work(session: Session) -> DraftPublic:
        draft = draft_actions.approve_draft(
            session,
            principal=principal,
            draft_id=draft_id,
            version=body.version,
            comment=body.comment,
            acknowledged=list(body.acknowledge),
            ip=ip,
        )
        return DraftPublic.model_validate(draft)

    return await in_transaction(work)


@router.get("/drafts/{draft_id}/approval", response_model=ApprovalPublic)
def get_approval(
    *,
    draft_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> ApprovalPublic:
    """The approval record and the current version's open warnings (to acknowledge)."""
    draft = load_draft(session, principal, draft_id)
    view = approval.approval_view(session, draft)
    warnings = []
    if draft.current_version:
        row = queries.version(session, draft, draft.current_version)
        warnings = draft_actions.approval_warnings(session, draft, row) if row.qa_done else []
    return ApprovalPublic(
        state=view.state,
        version=view.version,
        approver=view.approver,
        approved_at=view.when,
        comment=view.comment,
        outdated_reason=view.outdated_reason,
        acknowledged=list(view.acknowledged),
        open_warnings=[
            OpenWarning(id=wid, sentence=f.sentence, codes=list(f.codes)) for wid, f in warnings
        ],
    )
