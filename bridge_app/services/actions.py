"""People's actions, shared by the API routes and the Reflex UI handlers: upload, review,
new draft, regenerate, approve, export, retry.

Every function is framework-free and keyword-only: it checks the principal's permission,
loads objects only inside the principal's organization (else NotFound), writes the change and
its audit event to the caller's session (upload opens its own transactions, to retry a lost
idempotency race), and returns the job to enqueue after the commit (`queue.NextJob`), if any.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bridge_app.core.review.terms import value_display
from bridge_app.core.stages import MeetingStatus, Stage, reached
from bridge_app.core.vocabulary import CONTRACT_TYPES, EXPORT_FORMATS
from bridge_app.models import ClauseProvenance, Decision, Draft, DraftVersion, Export, Meeting
from bridge_app.services import approval, audit, audit_view, crypto, queries
from bridge_app.services.db import get_owned, scoped, session_scope
from bridge_app.services.errors import Conflict, Invalid, NotFound, UploadRejected
from bridge_app.services.meeting_data import audit_label, data_key, load_items, load_version_doc
from bridge_app.services.principal import Principal, require
from bridge_app.services.queries import owned
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.runner import request_new_draft_version, retry_failed
from bridge_app.services.upload import earlier_identical, submit_meeting, validate_upload

ReviewAction = Literal["accept", "reject", "edit"]
MAX_REASON = 2000


def _now() -> datetime:
    return datetime.now(UTC)


def _meeting(session: Session, principal: Principal, meeting_id: uuid.UUID | str) -> Meeting:
    return owned(session, Meeting, meeting_id, principal.organization_id)


def _draft(session: Session, principal: Principal, draft_id: uuid.UUID | str) -> Draft:
    return owned(session, Draft, draft_id, principal.organization_id)


# ------------------------------------------------------------------------------ upload


@dataclass(frozen=True)
class Upload:
    """The outcome of an upload: the meeting, whether it is new, and the job to enqueue."""

    meeting: Meeting
    matter: str | None
    created: bool
    job: NextJob | None
    # An earlier meeting of the organization uploaded with identical bytes (warned about).
    duplicate_of: uuid.UUID | None = None


def upload_meeting(
    *,
    principal: Principal,
    filename: str,
    data: bytes,
    title: str = "",
    meeting_date: date | None = None,
    matter: str | None = None,
    contract_type: str | None = None,
    redact: bool = False,
    fmt: str = "auto",
    idempotency_key: str | None = None,
    ip: str | None = None,
    speakers: tuple[str, bytes] | None = None,
) -> Upload:
    """Store a transcript and its meeting (audited) in its own transaction.

    With a repeated `idempotency_key` the first meeting comes back (`created` False); when a
    concurrent upload with the same key wins the race, that one does. `fmt` other than "auto"
    forces the parser.
    """
    require(principal, "upload")
    if not data:
        raise UploadRejected("empty", "the file is empty")
    if fmt != "auto":
        validate_upload(data, filename=filename, redact=redact, fmt=fmt)
    for _attempt in range(2):
        try:
            with session_scope() as session:
                meeting, created = submit_meeting(
                    session,
                    organization_id=principal.organization_id,
                    user_id=principal.user_id,
                    filename=filename,
                    data=data,
                    title=title,
                    meeting_date=meeting_date,
                    matter_name=matter,
                    intended_contract_type=contract_type or None,
                    redact=redact,
                    idempotency_key=idempotency_key or None,
                    speakers=speakers,
                )
                if created:
                    audit.append_for(
                        session,
                        principal,
                        action="meeting.upload",
                        ip=ip,
                        object_type="meeting",
                        object_id=meeting.id,
                        detail={
                            "filename": filename,
                            "size": len(data),
                            "format": meeting.source_format,
                            "redact": redact,
                        },
                    )
                job = NextJob(Stage.transcript, meeting.id, meeting.input_version)
                matter_name = matter if meeting.matter_id else None
                earlier = earlier_identical(session, meeting) if created else None
                return Upload(
                    meeting,
                    matter_name,
                    created,
                    job if created else None,
                    earlier.id if earlier is not None else None,
                )
        except IntegrityError:
            if not idempotency_key:
                raise
            continue  # a concurrent upload with the same key won: return that one
    raise Invalid("the upload conflicted with a concurrent one; try again")


# ------------------------------------------------------------------------------ review


def review_decision(
    session: Session,
    *,
    principal: Principal,
    decision_id: uuid.UUID | str,
    action: ReviewAction,
    statement: str | None = None,
    values: dict[str, Any] | None = None,
    reason: str | None = None,
    ip: str | None = None,
) -> Decision:
    """Accept, reject or edit one extracted item; reject and edit need a reason."""
    require(principal, "review")
    decision = owned(session, Decision, decision_id, principal.organization_id)
    current = _meeting(session, principal, decision.meeting_id).input_version
    if decision.input_version != current:
        raise Conflict(
            "this item belongs to an earlier version of the transcript (it was corrected since); "
            "reload the meeting and review the current items"
        )
    if action not in ("accept", "reject", "edit"):
        raise Invalid("action must be accept, reject or edit")
    reason = (reason or "").strip()
    if action in ("reject", "edit") and not reason:
        raise Invalid(f"a reason is required to {action} a decision")
    if len(reason) > MAX_REASON:
        raise Invalid(f"the reason is longer than {MAX_REASON} characters")
    changed: list[str] = []
    old_values = dict(
        decision.edited_values if decision.edited_values is not None else decision.values
    )
    if action == "edit":
        if statement is None and values is None:
            raise Invalid("an edit needs a new statement or new values")
        if statement is not None:
            statement = statement.strip()
            if not statement:
                raise Invalid("the statement cannot be empty")
            key = data_key(session, _meeting(session, principal, decision.meeting_id))
            decision.edited_statement_ciphertext = crypto.encrypt_text(key, statement)
            changed.append("statement")
        if values is not None:
            if not isinstance(values, dict):
                raise Invalid("values must be an object")
            key = data_key(session, _meeting(session, principal, decision.meeting_id))
            decision.edited_values = None
            decision.edited_values_ciphertext = crypto.encrypt(
                key, json.dumps(dict(values), default=str).encode()
            )
            changed.append("values")
    status = {"accept": "accepted", "reject": "rejected", "edit": "edited"}[action]
    previous = decision.review_status
    decision.review_status = status
    decision.review_reason = reason or None
    decision.reviewed_by = principal.user_id
    decision.reviewed_at = _now()
    session.add(decision)
    meeting = _meeting(session, principal, decision.meeting_id)
    detail: dict[str, Any] = {
        "meeting_id": str(decision.meeting_id),
        "object_name": item_name(meeting, decision),
        "from": previous,
        "to": status,
        "reason": reason,
        "changed": changed,
    }
    if "values" in changed:
        detail.update(
            audit_view.seal_change(
                data_key(session, meeting),
                values_in_words(old_values),
                values_in_words(decision.edited_values or {}),
            )
        )
    audit.append_for(
        session,
        principal,
        action=f"decision.{action}",
        ip=ip,
        object_type="decision",
        object_id=decision.id,
        detail=detail,
    )
    if previous != status or changed:
        approval.mark_outdated(
            session,
            principal,
            meeting_id=decision.meeting_id,
            what=f"Item {detail['object_name']!r}",
            ip=ip,
        )
    session.flush()
    return decision


def item_name(meeting: Meeting, decision: Decision) -> str:
    """How the audit log names an item: the meeting, then what the item settles."""
    keys = list((decision.edited_values or decision.values or {}).keys())
    what = ", ".join(k.replace("_", " ") for k in keys) or decision.kind.replace("_", " ")
    return f"{audit_label(meeting)} · {what} ({decision.item_key})"


def values_in_words(values: dict[str, Any]) -> dict[str, str]:
    """An item's values as people read them (amounts with currency, dates in words)."""
    return {k.replace("_", " "): value_display(k, v) for k, v in (values or {}).items()}


def create_draft(
    session: Session,
    *,
    principal: Principal,
    meeting_id: uuid.UUID | str,
    contract_type: str,
    ip: str | None = None,
) -> tuple[Draft, NextJob]:
    """A new draft of another contract type for a meeting whose decisions are extracted."""
    require(principal, "review")
    meeting = _meeting(session, principal, meeting_id)
    if contract_type not in CONTRACT_TYPES:
        raise Invalid(
            f"unknown contract type '{contract_type}'; use one of " + ", ".join(CONTRACT_TYPES)
        )
    if meeting.status not in (*reached(Stage.decision), MeetingStatus.failed) or (
        meeting.status == MeetingStatus.failed
        and meeting.failed_stage in (Stage.transcript, Stage.decision)
    ):
        raise Conflict("the meeting's decisions are not extracted yet")
    draft = Draft(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        contract_type=contract_type,
        type_reason="chosen by a reviewer",
        type_confidence=1.0,
        created_by=principal.user_id,
    )
    session.add(draft)
    session.flush()
    audit.append_for(
        session,
        principal,
        action="draft.generate",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={"meeting_id": str(meeting.id), "contract_type": contract_type, "version": 1},
    )
    return draft, NextJob(Stage.draft, draft.id, draft.requested_version)


def request_regeneration(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    ip: str | None = None,
) -> tuple[Draft, NextJob]:
    """Ask for a new version of a draft (after decision edits)."""
    require(principal, "review")
    draft = _draft(session, principal, draft_id)
    session.refresh(draft, with_for_update=True)
    job = request_new_draft_version(session, draft)
    audit.append_for(
        session,
        principal,
        action="draft.generate",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={"meeting_id": str(draft.meeting_id), "version": job.version},
    )
    session.flush()
    return draft, job


def _version(session: Session, draft: Draft, number: int | None) -> DraftVersion:
    return queries.version(session, draft, number if number is not None else draft.current_version)


# Items the LLM backend extracted carry ids starting with this (core/extraction/llm.py).
MODEL_ITEM_PREFIX = "llm-"


def unreviewed_model_items(session: Session, draft: Draft, version: DraftVersion) -> list[str]:
    """Item keys feeding this version's clauses that the model proposed and no person has
    reviewed: a model's value must not reach an approved contract unseen (injected text in a
    transcript can steer it)."""
    meeting = session.get(Meeting, draft.meeting_id)
    if meeting is None:
        return []
    used = select(ClauseProvenance.item_key).where(ClauseProvenance.draft_version_id == version.id)
    rows = session.exec(
        select(Decision.item_key)
        .where(
            Decision.meeting_id == meeting.id,
            Decision.input_version == meeting.input_version,
            Decision.review_status == "proposed",
            col(Decision.item_key).startswith(MODEL_ITEM_PREFIX),
            col(Decision.item_key).in_(used),
        )
        .order_by(col(Decision.item_key))
    ).all()
    return list(dict.fromkeys(rows))


def approve_draft(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    version: int | None = None,
    comment: str | None = None,
    acknowledged: list[str] | None = None,
    ip: str | None = None,
) -> Draft:
    """Approve the current version; refused while QA is pending or reports blockers, and
    until every open warning is acknowledged (ids from `approval_warnings`)."""
    require(principal, "approve")
    draft = _draft(session, principal, draft_id)
    session.refresh(draft, with_for_update=True)
    if draft.current_version == 0:
        raise Conflict("the draft has no version yet")
    row = _version(session, draft, version)
    if row.version != draft.current_version:
        raise Conflict(
            f"version {row.version} is not the current version ({draft.current_version})"
        )
    if not row.qa_done:
        raise Conflict("QA has not finished for this version")
    if row.blocker_count > 0:
        raise Conflict(
            f"QA reports {row.blocker_count} blocker(s); resolve them before approving",
            blockers=row.blocker_count,
        )
    unreviewed = unreviewed_model_items(session, draft, row)
    if unreviewed:
        raise Conflict(
            f"{len(unreviewed)} value(s) in this draft come from the language model and nobody "
            "has reviewed them yet; accept, edit or reject them first: " + ", ".join(unreviewed),
            unreviewed=unreviewed,
        )
    return approval.approve(
        session,
        principal=principal,
        draft=draft,
        row=row,
        warnings=approval_warnings(session, draft, row),
        acknowledged=acknowledged,
        comment=comment,
        ip=ip,
    )


def approval_warnings(
    session: Session, draft: Draft, row: DraftVersion
) -> list[tuple[str, approval.PlainFinding]]:
    """The open warnings of a version, each with the id an approver acknowledges."""
    findings = approval.stored_findings(session, row)
    if not any(f.severity == "warning" for f in findings):
        return []
    meeting = session.get(Meeting, draft.meeting_id)
    assert meeting is not None
    key = data_key(session, meeting)
    return approval.open_warnings(
        findings, load_version_doc(row, key), load_items(session, meeting, key)
    )


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
    draft = _draft(session, principal, draft_id)
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
    row = _version(session, draft, version)
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


def retry(
    session: Session, *, principal: Principal, meeting_id: uuid.UUID | str, ip: str | None = None
) -> tuple[Meeting, NextJob]:
    """Re-run a failed meeting from the stage that failed (ops)."""
    require(principal, "operate")
    meeting = _meeting(session, principal, meeting_id)
    session.refresh(meeting, with_for_update=True)
    failed_stage = meeting.failed_stage
    job = retry_failed(session, meeting)
    if job is None:
        raise Conflict(f"only a failed meeting can be retried (it is {meeting.status})")
    audit.append_for(
        session,
        principal,
        action="meeting.retry",
        ip=ip,
        object_type="meeting",
        object_id=meeting.id,
        detail={"stage": failed_stage},
    )
    session.flush()
    return meeting, job


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
