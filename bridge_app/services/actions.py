"""People's actions on meetings, shared by the API routes and the Reflex UI handlers: upload,
review, retry. The actions on drafts (new draft, regenerate, approve) are in
``draft_actions``, export and download in ``export_actions``.

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
from sqlmodel import Session

from bridge_app.core.review.terms import value_display
from bridge_app.core.stages import Stage
from bridge_app.models import Decision, Meeting
from bridge_app.services import approval, audit, audit_view, crypto
from bridge_app.services.db import session_scope
from bridge_app.services.errors import Conflict, Invalid, UploadRejected
from bridge_app.services.meeting_data import audit_label, data_key
from bridge_app.services.principal import Principal, require
from bridge_app.services.queries import owned
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.runner import retry_failed
from bridge_app.services.upload import earlier_identical, submit_meeting, validate_upload

ReviewAction = Literal["accept", "reject", "edit"]
MAX_REASON = 2000


def _now() -> datetime:
    return datetime.now(UTC)


def owned_meeting(session: Session, principal: Principal, meeting_id: uuid.UUID | str) -> Meeting:
    return owned(session, Meeting, meeting_id, principal.organization_id)


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
    current = owned_meeting(session, principal, decision.meeting_id).input_version
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
            key = data_key(session, owned_meeting(session, principal, decision.meeting_id))
            decision.edited_statement_ciphertext = crypto.encrypt_text(key, statement)
            changed.append("statement")
        if values is not None:
            if not isinstance(values, dict):
                raise Invalid("values must be an object")
            key = data_key(session, owned_meeting(session, principal, decision.meeting_id))
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
    meeting = owned_meeting(session, principal, decision.meeting_id)
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
            # People read this on the draft page: what kind of item, never its key or id.
            what=f"An item ({decision.kind.replace('_', ' ')})",
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


def retry(
    session: Session, *, principal: Principal, meeting_id: uuid.UUID | str, ip: str | None = None
) -> tuple[Meeting, NextJob]:
    """Re-run a failed meeting from the stage that failed (ops)."""
    require(principal, "operate")
    meeting = owned_meeting(session, principal, meeting_id)
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
