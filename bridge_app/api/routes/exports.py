"""Exports: request a format (Idempotency-Key), status, download URL, and the signed local
file endpoint (`/v1/files/{key}`) that decrypts files for the local store."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import (
    Exporter,
    PoolDep,
    Reader,
    SessionDep,
    client_ip,
    enqueue,
)
from bridge_app.models import Draft, DraftVersion, Export, Meeting
from bridge_app.models.api import DownloadLink, ExportCreate, ExportPublic
from bridge_app.services import audit, crypto, export_actions, queries
from bridge_app.services.db import session_scope
from bridge_app.services.errors import NotFound
from bridge_app.services.meeting_data import data_key
from bridge_app.services.principal import Principal
from bridge_app.services.storage import ObjectNotFound, SignedDownloads, get_store

router = APIRouter(prefix="/v1", tags=["exports"])

DOWNLOAD_URL_SECONDS = 300


@router.post("/drafts/{draft_id}/exports", status_code=202, response_model=ExportPublic)
async def request_export(
    *,
    draft_id: uuid.UUID,
    body: ExportCreate,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
    principal: Exporter,
    pool: PoolDep,
) -> ExportPublic:
    """Render a version to DOCX, PDF, Markdown or HTML; 202 when queued, 200 when the
    Idempotency-Key was seen before."""
    ip = client_ip(request)

    def work() -> export_actions.ExportRequest:
        with session_scope() as session:
            return export_actions.request_export(
                session,
                principal=principal,
                draft_id=draft_id,
                version=body.version,
                fmt=body.format,
                idempotency_key=idempotency_key or None,
                ip=ip,
            )

    result = await run_in_threadpool(work)
    if result.created:
        await enqueue(pool, result.job)
    else:
        response.status_code = 200
    return ExportPublic.model_validate(result.export)


@router.get("/drafts/{draft_id}/exports", response_model=list[ExportPublic])
def list_exports(
    *,
    draft_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> list[ExportPublic]:
    """A draft's exports, newest first."""
    draft = queries.owned(session, Draft, draft_id, principal.organization_id)
    return [ExportPublic.model_validate(r) for r in queries.draft_exports(session, draft)]


def _load_export(session: Session, principal: Principal, export_id: uuid.UUID) -> Export:
    return queries.owned(session, Export, export_id, principal.organization_id)


@router.get("/exports/{export_id}", response_model=ExportPublic)
def get_export(
    *,
    export_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
) -> ExportPublic:
    """An export's status (pending, done, failed)."""
    return ExportPublic.model_validate(_load_export(session, principal, export_id))


@router.get("/exports/{export_id}/download", response_model=DownloadLink)
def download_link(
    *,
    export_id: uuid.UUID,
    request: Request,
    principal: Reader,
    session: SessionDep,
) -> DownloadLink:
    """A short-lived URL for the file (presigned S3, or a signed local URL); audited."""
    _load_export(session, principal, export_id)
    url, filename = export_actions.download_link(
        session, principal=principal, export_id=export_id, ip=client_ip(request)
    )
    return DownloadLink(url=url, expires_in=DOWNLOAD_URL_SECONDS, filename=filename)


@router.get(
    "/files/{key:path}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_file(
    *,
    key: str,
    request: Request,
    expires: Annotated[int, Query()],
    filename: Annotated[str, Query(max_length=300)],
    sig: Annotated[str, Query(max_length=200)],
) -> Response:
    """A file behind a signed, expiring local URL (decrypted with its meeting's data key)."""
    store = get_store()
    if not isinstance(store, SignedDownloads) or not store.verify(key, expires, filename, sig):
        raise NotFound("the link is not valid or has expired")
    ip = client_ip(request)

    def work() -> tuple[bytes, str]:
        with session_scope() as session:
            export = session.exec(select(Export).where(Export.object_key == key)).first()
            if export is None:
                raise NotFound("no such file")
            version = session.get(DraftVersion, export.draft_version_id)
            draft = session.get(Draft, version.draft_id) if version else None
            meeting = session.get(Meeting, draft.meeting_id) if draft else None
            if meeting is None:
                raise NotFound("no such file")
            try:
                blob = store.get(key)
            except ObjectNotFound as exc:
                raise NotFound("the file is gone") from exc
            data = crypto.decrypt(data_key(session, meeting), blob)
            audit.append(
                session,
                action="export.file_served",
                organization_id=export.organization_id,
                ip=ip,
                object_type="export",
                object_id=export.id,
                detail={
                    "filename": filename,
                    "object_name": filename,
                    "via": "signed-url",
                    "link_issued_to": queries.link_holder(session, export),
                },
            )
            return data, export.content_type or "application/octet-stream"

    data, content_type = await run_in_threadpool(work)
    safe = "".join(c for c in filename if c.isalnum() or c in "-_.") or "download"
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
