"""Legal users' contract work on the database: playbooks, clause overrides, accepted findings,
counterparty DOCX imports. The draft and QA stages call :func:`draft_inputs` and
:func:`qa_inputs` (one line each) to get the organization's playbook, the draft's overrides
and its accepted findings."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.drafting.model import Draft as DraftDoc
from bridge_app.core.drafting.playbook import DEFAULT, Playbook, PlaybookError, parse_playbook
from bridge_app.core.drafting.qa import ACCEPTABLE
from bridge_app.core.drafting.roundtrip import ImportError_, imported_version
from bridge_app.core.drafting.templates import compile_clause
from bridge_app.models import (
    ClauseOverride,
    Draft,
    DraftVersion,
    FindingAcceptance,
    Meeting,
    PlaybookVersion,
    QAFinding,
)
from bridge_app.services import audit, crypto
from bridge_app.services.docx_import import DocxUnreadable, read_clauses
from bridge_app.services.errors import Conflict, Invalid, NotFound
from bridge_app.services.meeting_data import add_version, data_key, finding_of, seal_json
from bridge_app.services.principal import Principal, require

MAX_CLAUSE_CHARS = 20_000


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ playbooks


def playbook_row(session: Session, organization_id: uuid.UUID) -> PlaybookVersion | None:
    """The organization's playbook in force (its newest version), None for the built-in one."""
    return session.exec(
        select(PlaybookVersion)
        .where(PlaybookVersion.organization_id == organization_id)
        .order_by(col(PlaybookVersion.version).desc())
        .limit(1)
    ).first()


def current_playbook(session: Session, organization_id: uuid.UUID) -> Playbook:
    """The parsed playbook in force."""
    row = playbook_row(session, organization_id)
    if row is None:
        return DEFAULT
    return parse_playbook(row.body, version=row.version)


def check_playbook(body: dict[str, Any]) -> Playbook:
    """Parse a playbook and compile its house clause texts; Invalid (422) says what is wrong."""
    try:
        playbook = parse_playbook(body)
        for key, text in playbook.clause_texts.items():
            try:
                compile_clause(text)
            except Exception as exc:  # jinja2 syntax errors: the message helps the editor
                raise PlaybookError(f"clause {key!r}: the text does not compile: {exc}") from None
    except PlaybookError as exc:
        raise Invalid(str(exc)) from None
    return playbook


def save_playbook(
    session: Session,
    *,
    principal: Principal,
    body: dict[str, Any],
    note: str = "",
    ip: str | None = None,
) -> PlaybookVersion:
    """A new playbook version for the caller's organization (admins and legal), audited."""
    require(principal, "review")
    check_playbook(body)
    # One writer at a time per organization, so versions never collide.
    digest = hashlib.sha256(f"playbook:{principal.organization_id}".encode()).digest()
    session.execute(
        sa.select(sa.func.pg_advisory_xact_lock(int.from_bytes(digest[:8], "big", signed=True)))
    )
    current = playbook_row(session, principal.organization_id)
    row = PlaybookVersion(
        organization_id=principal.organization_id,
        version=(current.version if current else 0) + 1,
        body=json.loads(json.dumps(body)),
        note=note[:500],
        created_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    audit.append_for(
        session,
        principal,
        action="playbook.update",
        ip=ip,
        object_type="playbook",
        object_id=row.id,
        detail={"version": row.version, "note": note[:200]},
    )
    return row


# ------------------------------------------------------------------ stage inputs


def _meeting_key(session: Session, draft: Draft) -> bytes:
    meeting = session.get(Meeting, draft.meeting_id)
    if meeting is None:
        raise Conflict("the draft's meeting is gone")
    return data_key(session, meeting)


def overrides_of(session: Session, draft: Draft, key: bytes) -> dict[str, dict[str, Any]]:
    """The draft's clause overrides, decrypted, as ``make_draft`` takes them."""
    rows = session.exec(select(ClauseOverride).where(ClauseOverride.draft_id == draft.id)).all()
    return {
        r.clause_key: {
            "text": crypto.decrypt_text(key, r.text_ciphertext),
            "by": r.created_by_email,
            "at": r.created_at.isoformat(),
            "reason": r.reason,
        }
        for r in rows
    }


def draft_inputs(session: Session, draft: Draft, key: bytes) -> dict[str, Any]:
    """Keyword arguments for ``make_draft`` / ``regenerate``: playbook and overrides."""
    return {
        "playbook": current_playbook(session, draft.organization_id),
        "overrides": overrides_of(session, draft, key),
    }


def acceptances_of(session: Session, draft_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The draft's accepted findings by finding key."""
    rows = session.exec(
        select(FindingAcceptance).where(FindingAcceptance.draft_id == draft_id)
    ).all()
    return {
        r.finding_key: {
            "by": r.accepted_by_email,
            "reason": r.reason,
            "at": r.created_at.isoformat(),
        }
        for r in rows
    }


def qa_inputs(session: Session, draft: Draft) -> dict[str, Any]:
    """Keyword arguments for ``run_qa``: playbook and accepted findings."""
    return {
        "playbook": current_playbook(session, draft.organization_id),
        "accepted": acceptances_of(session, draft.id),
    }


# ------------------------------------------------------------------ drafts


def owned_draft(session: Session, principal: Principal, draft_id: uuid.UUID | str) -> Draft:
    """The caller's organization's draft (locked), else 404."""
    draft = session.get(Draft, uuid.UUID(str(draft_id)), with_for_update=True)
    if draft is None or draft.organization_id != principal.organization_id:
        raise NotFound("no such draft")
    return draft


def current_doc(session: Session, draft: Draft, key: bytes) -> tuple[DraftVersion, DraftDoc]:
    """The draft's current version row and document."""
    row = session.exec(
        select(DraftVersion).where(
            DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
        )
    ).first()
    if row is None:
        raise Conflict("the draft has no version yet")
    return row, DraftDoc.from_dict(json.loads(crypto.decrypt(key, row.body_ciphertext)))


def set_override(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    clause_key: str,
    text: str | None,
    reason: str,
    ip: str | None = None,
) -> Draft:
    """Keep (or, with ``text`` None, drop) a legal user's text for one clause; audited. The
    caller then asks for a new version, which applies it (and every later regeneration does)."""
    require(principal, "review")
    draft = owned_draft(session, principal, draft_id)
    key = _meeting_key(session, draft)
    _, doc = current_doc(session, draft, key)
    if clause_key not in {c.key for c in doc.clauses}:
        raise NotFound(f"the draft has no clause {clause_key!r}")
    existing = session.exec(
        select(ClauseOverride).where(
            ClauseOverride.draft_id == draft.id, ClauseOverride.clause_key == clause_key
        )
    ).first()
    if text is None:
        if existing is None:
            raise NotFound(f"clause {clause_key!r} has no edit to remove")
        session.delete(existing)
        action = "clause.edit_removed"
    else:
        text = text.strip()
        if not text:
            raise Invalid("the clause text is empty; remove the edit instead")
        if len(text) > MAX_CLAUSE_CHARS:
            raise Invalid(f"a clause may have at most {MAX_CLAUSE_CHARS} characters")
        row = existing or ClauseOverride(
            organization_id=draft.organization_id,
            draft_id=draft.id,
            clause_key=clause_key,
            text_ciphertext=b"",
        )
        row.text_ciphertext = crypto.encrypt_text(key, text)
        row.reason = reason[:500]
        row.created_by = principal.user_id
        row.created_by_email = principal.email
        row.created_at = _now()
        session.add(row)
        action = "clause.edit"
    audit.append_for(
        session,
        principal,
        action=action,
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={"clause": clause_key, "reason": reason[:200]},
    )
    session.flush()
    return draft


def accept_finding(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    finding_key: str,
    reason: str,
    ip: str | None = None,
) -> int:
    """Accept a playbook or counterparty blocker with a reason (legal and admins), audited.

    The current version's findings with that key become warnings at once; later QA runs apply
    the acceptance too. Returns the version's remaining blocker count."""
    require(principal, "approve")
    if not reason.strip():
        raise Invalid("give a reason for accepting the finding")
    code = finding_key.split(":", 1)[0]
    if code not in ACCEPTABLE:
        raise Invalid(
            f"{code!r} findings cannot be accepted; only {', '.join(sorted(ACCEPTABLE))} can"
        )
    draft = owned_draft(session, principal, draft_id)
    key = _meeting_key(session, draft)
    version, _ = current_doc(session, draft, key)
    rows = [
        r
        for r in session.exec(
            select(QAFinding).where(
                QAFinding.draft_version_id == version.id, QAFinding.code == code
            )
        ).all()
        if _row_key(r, key) == finding_key
    ]
    if not rows:
        raise NotFound("the current version has no such finding")
    exists = session.exec(
        select(FindingAcceptance).where(
            FindingAcceptance.draft_id == draft.id, FindingAcceptance.finding_key == finding_key
        )
    ).first()
    if exists is None:
        session.add(
            FindingAcceptance(
                organization_id=draft.organization_id,
                draft_id=draft.id,
                finding_key=finding_key,
                reason=reason.strip()[:500],
                accepted_by=principal.user_id,
                accepted_by_email=principal.email,
            )
        )
    for r in rows:
        if r.severity == "blocker":
            r.severity = "warning"
            message, evidence = finding_of(r, key)
            accepted = f"{message} Accepted by {principal.email}: {reason.strip()[:300]}"
            r.message_ciphertext = seal_json(key, {"message": accepted, "evidence": evidence})
            session.add(r)
    session.flush()
    version.blocker_count = len(
        session.exec(
            select(QAFinding.id).where(
                QAFinding.draft_version_id == version.id, QAFinding.severity == "blocker"
            )
        ).all()
    )
    session.add(version)
    audit.append_for(
        session,
        principal,
        action="finding.accept",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={"finding": finding_key, "version": version.version, "reason": reason[:200]},
    )
    return version.blocker_count


def _row_key(row: QAFinding, key: bytes) -> str:
    data = (finding_of(row, key)[1] or {}).get("data") or {}
    detail = data.get("variable") or data.get("phrase") or data.get("term") or ""
    return f"{row.code}:{row.clause or ''}:{detail}"


def import_docx(
    session: Session,
    *,
    principal: Principal,
    draft_id: uuid.UUID | str,
    data: bytes,
    filename: str = "",
    ip: str | None = None,
) -> tuple[Draft, DraftVersion]:
    """A counterparty's edited DOCX as the draft's next version (QA is queued by the caller)."""
    require(principal, "review")
    draft = owned_draft(session, principal, draft_id)
    key = _meeting_key(session, draft)
    _, base = current_doc(session, draft, key)
    try:
        doc = imported_version(base, read_clauses(data))
    except (DocxUnreadable, ImportError_) as exc:
        raise Invalid(str(exc)) from None
    number = max(draft.current_version, draft.requested_version) + 1
    doc = DraftDoc.from_dict({**doc.to_dict(), "version": number})
    row = add_version(session, draft, doc, key, source="imported", created_by=principal.user_id)
    draft.current_version = number
    draft.requested_version = number
    draft.updated_at = _now()
    if draft.status == "approved":
        draft.status = "draft"
    session.add(draft)
    audit.append_for(
        session,
        principal,
        action="draft.import",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={
            "version": number,
            "filename": filename[:200],
            "changes": len(doc.counterparty_changes),
        },
    )
    return draft, row
