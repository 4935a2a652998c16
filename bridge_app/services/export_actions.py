"""People's actions on exports, shared by the API routes and the Reflex UI handlers: request an
export of a draft version, and a short-lived download link for a finished one.

Framework-free and keyword-only like ``actions``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bridge_app.core.stages import Stage
from bridge_app.core.vocabulary import EXPORT_FORMATS
from bridge_app.models import Draft, DraftVersion, Export, Meeting
from bridge_app.services import approval, audit
from bridge_app.services.db import get_owned, scoped
from bridge_app.services.draft_actions import draft_version, owned_draft
from bridge_app.services.errors import Conflict, Invalid, NotFound
from bridge_app.services.meeting_data import data_key, load_version_doc
from bridge_app.services.principal import Principal, require
from bridge_app.services.queue import NextJob


@dataclass(frozen=True)
class ExportRequest:
    """The outcome of `request_export`: the row, whether it is new, and the job to enqueue."""

    export: Export
    created: bool
    job: NextJob | None


def request_export(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    version: int | None,
    fmt: str,
    idempotency_key: str | None = None,
    ip: str | None = None,
) -> ExportRequest:
    """Ask for a file of one draft version; the same idempotency key returns the first."""
    require(principal, "export")
    draft = owned_draft(session, principal, draft_id)
    if fmt not in EXPORT_FORMATS:
        raise Invalid(f"unknown format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}")
    if idempotency_key is not None and not (0 < len(idempotency_key) <= 200):
        raise Invalid("the Idempotency-Key must be 1 to 200 characters")
    if idempotency_key:
        existing = session.exec(
            scoped(Export, principal.organization_id).where(
                Export.idempotency_key == idempotency_key
            )
        ).first()
        if existing is not None:
            return ExportRequest(existing, False, None)
    row = draft_version(session, draft, version)
    if not row.qa_done:
        raise Conflict("QA has not finished for this version")
    export = Export(
        organization_id=draft.organization_id,
        draft_version_id=row.id,
        format=fmt,
        idempotency_key=idempotency_key,
        requested_by=principal.user_id,
    )
    try:
        with session.begin_nested():
            session.add(export)
            session.flush()
    except IntegrityError:
        existing = session.exec(
            scoped(Export, principal.organization_id).where(
                Export.idempotency_key == idempotency_key
            )
        ).first()
        if existing is None:
            raise
        return ExportRequest(existing, False, None)
    audit.append_for(
        session,
        principal,
        action="export.request",
        ip=ip,
        object_type="export",
        object_id=export.id,
        detail={"draft_id": str(draft.id), "version": row.version, "format": fmt},
    )
    return ExportRequest(export, True, NextJob(Stage.export, export.id, 1))


DOWNLOAD_URL_SECONDS = 300


def export_filename(session: Session, export: Export) -> str:
    """The file name of an export: parties, type, version and approval status."""
    version = session.get(DraftVersion, export.draft_version_id)
    draft = session.get(Draft, version.draft_id) if version else None
    ext = (export.object_key or "").rsplit(".", 1)[-1] or export.format
    if version is None or draft is None:
        return f"contract.{ext}"
    meeting = session.get(Meeting, draft.meeting_id)
    doc = load_version_doc(version, data_key(session, meeting)) if meeting else None
    return approval.export_filename(doc, draft, version.version, export.approved, ext)


def download_link(
    session: Session,
    *,
    principal: Principal,
    export_id: uuid.UUID | str,
    ip: str | None = None,
) -> tuple[str, str]:
    """(short-lived URL, file name) of a finished export; audited with the user."""
    from bridge_app.services.storage import get_store

    require(principal, "read")
    export = get_owned(session, Export, export_id, principal.organization_id)
    if export is None:
        raise NotFound("no such export")
    if export.status != "done" or not export.object_key:
        raise Conflict(f"the export is {export.status}; the file is not ready")
    filename = export_filename(session, export)
    url = get_store().download_url(
        export.object_key, filename=filename, expires_in=DOWNLOAD_URL_SECONDS
    )
    audit.append_for(
        session,
        principal,
        action="export.download",
        ip=ip,
        object_type="export",
        object_id=export.id,
        detail={"format": export.format, "filename": filename, "object_name": filename},
    )
    return url, filename
