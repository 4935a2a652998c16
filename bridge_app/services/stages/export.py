"""Export stage: one draft version rendered (DOCX, PDF, Markdown, HTML) to object storage."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace

from bridge_app.models import DraftVersion, Export
from bridge_app.services import approval, crypto
from bridge_app.services.meeting_data import load_version_doc
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.transaction import StageTransaction, now, owners


def run(tx: StageTransaction, export_id: uuid.UUID, _version: int) -> NextJob | None:
    """Render the export's version in its format and store the file (encrypted unless the
    store encrypts at rest itself)."""
    # Loaded here, not at import: only the export worker needs python-docx, lxml and fpdf2.
    from bridge_app.services.render import render

    session = tx.session
    store = tx.store
    export = tx.lock(Export, export_id)
    if export is None or export.status == "done":
        return None
    version = session.get(DraftVersion, export.draft_version_id)
    draft, meeting = owners(session, version)
    if version is None or draft is None or meeting is None:
        return None
    key = tx.key(meeting)
    doc = load_version_doc(version, key)
    export.approved = approval.version_is_approved(draft, version.version)
    if export.approved:
        doc = replace(doc, approval=approval.approval_line(session, draft))
    data, content_type, extension = render(doc, export.format)
    object_key = f"{export.organization_id}/exports/{export.id}.{extension}"
    # Always encrypted here, before it leaves the process: the store's own encryption (S3
    # SSE) is a second layer, never the only one.
    payload = crypto.encrypt(key, data)
    stored = store.put(object_key, payload, content_type=content_type)
    export.status = "done"
    export.object_key = stored.key
    export.content_type = content_type
    export.size_bytes = len(data)
    export.sha256 = hashlib.sha256(data).hexdigest()
    export.finished_at = now()
    session.add(export)
    tx.succeeded(
        meeting,
        version=version.version,
        draft_id=draft.id,
        export_id=export.id,
        slo="export",
        slo_start=export.created_at,
        organization_id=export.organization_id,
        event="export.completed",
        payload={
            "meeting_id": str(meeting.id),
            "draft_id": str(draft.id),
            "export_id": str(export.id),
            "format": export.format,
            "version": version.version,
        },
    )
    return None
