"""Approving a draft version, and keeping the approval honest.

Approval needs confirmation: every open QA warning acknowledged (by its id) and an optional
comment; the approver, time, comment and acknowledgements are stored on the draft and in the
audit log. Any later change to an item of the meeting marks the approval out of date (the
draft goes back to "draft" and says why), so an export can no longer claim to be approved
until someone approves again. Exports carry parties, type, version and status in their name.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from bridge_app.core.drafting.model import Draft as DraftDoc
from bridge_app.core.drafting.model import Finding
from bridge_app.core.extraction.model import Item
from bridge_app.core.review.findings import PlainFinding, plain_findings
from bridge_app.models import Draft, DraftVersion, Export, Meeting, QAFinding, User
from bridge_app.services import audit
from bridge_app.services.errors import Conflict, Invalid
from bridge_app.services.meeting_data import audit_label, data_key, finding_of
from bridge_app.services.principal import Principal, require

MAX_COMMENT = 2000


def _now() -> datetime:
    return datetime.now(UTC)


def finding_from_row(row: QAFinding, key: bytes) -> Finding:
    """A stored QA finding as the core's object (its message and evidence decrypted)."""
    message, evidence = finding_of(row, key)
    return Finding(
        code=row.code,
        severity=row.severity,  # type: ignore[arg-type]
        clause=row.clause,
        message=message,
        evidence=tuple(evidence.get("refs", ())),
        data=dict(evidence.get("data") or {}),
    )


def _key_of(session: Session, version: DraftVersion) -> bytes:
    draft = session.get(Draft, version.draft_id)
    meeting = session.get(Meeting, draft.meeting_id) if draft is not None else None
    if meeting is None:
        raise Conflict("the draft version has no meeting")
    return data_key(session, meeting)


def stored_findings(
    session: Session, version: DraftVersion, key: bytes | None = None
) -> list[Finding]:
    """A version's QA findings as the core's objects (``key``: the meeting's data key)."""
    rows = session.exec(
        select(QAFinding)
        .where(QAFinding.draft_version_id == version.id)
        .order_by(col(QAFinding.id))
    ).all()
    if not rows:
        return []
    key = key or _key_of(session, version)
    return [finding_from_row(r, key) for r in rows]


def warning_id(finding: PlainFinding) -> str:
    """A stable id of one open warning (what an approver acknowledges)."""
    raw = "|".join((*finding.codes, finding.target, finding.sentence))
    return "w-" + hashlib.sha256(raw.encode()).hexdigest()[:12]


def open_warnings(
    findings: list[Finding], doc: DraftDoc | None, items: list[Item]
) -> list[tuple[str, PlainFinding]]:
    """(id, finding) for each warning an approver must acknowledge."""
    if not any(f.severity == "warning" for f in findings) or doc is None:
        return []
    return [
        (warning_id(f), f) for f in plain_findings(findings, doc, items) if f.severity == "warning"
    ]


@dataclass(frozen=True)
class ApprovalView:
    """What the draft page and the API show about a draft's approval."""

    state: str  # "none" | "approved" | "outdated"
    version: int | None
    approver: str
    when: datetime | None
    comment: str
    outdated_reason: str
    acknowledged: tuple[str, ...] = ()  # the warning ids the approver acknowledged


def approval_view(session: Session, draft: Draft) -> ApprovalView:
    approver = ""
    if draft.approved_by is not None:
        user = session.get(User, draft.approved_by)
        approver = (user.full_name or user.email) if user else ""
        if user and user.full_name and user.email:
            approver = f"{user.full_name} ({user.email})"
    if draft.status == "approved":
        state = "approved"
    elif draft.approval_outdated_reason:
        state = "outdated"
    else:
        state = "none"
    return ApprovalView(
        state,
        draft.approved_version,
        approver,
        draft.approved_at,
        draft.approval_comment or "",
        draft.approval_outdated_reason or "",
        tuple(draft.approval_acknowledged or ()),
    )


def approve(
    session: Session,
    *,
    principal: Principal,
    draft: Draft,
    row: DraftVersion,
    warnings: list[tuple[str, PlainFinding]],
    acknowledged: list[str] | None,
    comment: str | None,
    ip: str | None,
) -> Draft:
    """Record the approval of `row` (the caller has checked QA finished without blockers)."""
    require(principal, "approve")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid(f"the comment is longer than {MAX_COMMENT} characters")
    given = set(acknowledged or ())
    unacknowledged = [f for wid, f in warnings if wid not in given]
    if unacknowledged:
        raise Conflict(
            f"acknowledge the {len(unacknowledged)} open warning(s) before approving: "
            + " ".join(f.sentence for f in unacknowledged[:3]),
            warnings=[wid for wid, f in warnings if wid not in given],
        )
    if draft.status == "approved" and draft.approved_version == row.version:
        return draft
    draft.status = "approved"
    draft.approved_by = principal.user_id
    draft.approved_at = _now()
    draft.approved_version = row.version
    draft.approval_comment = comment or None
    draft.approval_acknowledged = [wid for wid, _ in warnings]
    draft.approval_outdated_reason = None
    draft.updated_at = _now()
    session.add(draft)
    meeting = session.get(Meeting, draft.meeting_id)
    audit.append_for(
        session,
        principal,
        action="draft.approve",
        ip=ip,
        object_type="draft",
        object_id=draft.id,
        detail={
            "object_name": f"{draft.contract_type.upper()} of "
            + (audit_label(meeting) if meeting else ""),
            "version": row.version,
            "comment": comment,
            "acknowledged": [f.sentence for _, f in warnings],
        },
    )
    session.flush()
    return draft


def mark_outdated(
    session: Session,
    principal: Principal,
    *,
    meeting_id: uuid.UUID,
    what: str,
    ip: str | None = None,
) -> list[Draft]:
    """After a change to an item or clause: every approved draft of the meeting loses its
    approval (kept on record, marked out of date with `what` changed)."""
    drafts = session.exec(
        select(Draft).where(
            Draft.meeting_id == meeting_id,
            Draft.organization_id == principal.organization_id,
            Draft.status == "approved",
        )
    ).all()
    for draft in drafts:
        draft.status = "draft"
        draft.approval_outdated_reason = (
            f"{what} changed after approval of version {draft.approved_version}"
        )
        draft.updated_at = _now()
        session.add(draft)
        audit.append_for(
            session,
            principal,
            action="draft.approval_outdated",
            ip=ip,
            object_type="draft",
            object_id=draft.id,
            detail={"reason": draft.approval_outdated_reason, "version": draft.approved_version},
        )
    return list(drafts)


def version_is_approved(draft: Draft, version: int) -> bool:
    """Whether `version` of the draft carries a current (not out-of-date) approval."""
    return draft.status == "approved" and draft.approved_version == version


def approval_line(session: Session, draft: Draft) -> str:
    """The words an approved export prints instead of "Draft"."""
    view = approval_view(session, draft)
    when = view.when.strftime("%-d %B %Y %H:%M UTC") if view.when else ""
    line = f"approved by {view.approver or 'a reviewer'} on {when}".strip()
    return f"{line}; comment: {view.comment}" if view.comment else line


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "x"


def export_filename(
    doc: DraftDoc | None, draft: Draft, version: int, approved: bool, ext: str
) -> str:
    """``<party>_<party>_<type>_v<n>_<approved|draft>.<ext>``: what the file is, from its name."""
    parties = [p.name for p in doc.parties] if doc is not None else []
    names = "_".join(_slug(p) for p in parties[:2]) or "parties-missing"
    status = "approved" if approved else "draft"
    return f"{names}_{draft.contract_type}_v{version}_{status}.{ext}"


@dataclass(frozen=True)
class ReviewStatus:
    """Where a meeting's contract stands for the people reviewing it."""

    label: str  # "needs review", "blocked (3)", "approved", "exported", "approval out of date"
    tone: str  # a colour family: amber, red, green, blue, orange


def review_statuses(
    session: Session, meeting_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ReviewStatus]:
    """The review status of each meeting's (first) draft, once QA has checked its current
    version; meetings without a checked version are left out (their pipeline step shows)."""
    from bridge_app.core.review.findings import problem_count

    if not meeting_ids:
        return {}
    drafts: dict[uuid.UUID, Draft] = {}
    for d in session.exec(
        select(Draft).where(col(Draft.meeting_id).in_(meeting_ids)).order_by(col(Draft.created_at))
    ).all():
        drafts.setdefault(d.meeting_id, d)
    if not drafts:
        return {}
    versions = {
        (v.draft_id, v.version): v
        for v in session.exec(
            select(DraftVersion).where(
                col(DraftVersion.draft_id).in_([d.id for d in drafts.values()])
            )
        ).all()
    }
    current = {
        m: versions.get((d.id, d.current_version)) for m, d in drafts.items() if d.current_version
    }
    checked = {m: v for m, v in current.items() if v is not None and v.qa_done}
    version_ids = [v.id for v in checked.values()]
    version_of = {v.id: v for v in checked.values()}
    blockers: dict[uuid.UUID, list[Finding]] = {}
    exported: set[uuid.UUID] = set()
    if version_ids:
        keys: dict[uuid.UUID, bytes] = {}
        for r in session.exec(
            select(QAFinding).where(
                col(QAFinding.draft_version_id).in_(version_ids), QAFinding.severity == "blocker"
            )
        ).all():
            if r.draft_version_id not in keys:
                keys[r.draft_version_id] = _key_of(session, version_of[r.draft_version_id])
            blockers.setdefault(r.draft_version_id, []).append(
                finding_from_row(r, keys[r.draft_version_id])
            )
        exported = set(
            session.exec(
                select(Export.draft_version_id).where(
                    col(Export.draft_version_id).in_(version_ids),
                    Export.status == "done",
                    col(Export.approved).is_(True),
                )
            ).all()
        )
    out: dict[uuid.UUID, ReviewStatus] = {}
    for meeting_id, version in checked.items():
        draft = drafts[meeting_id]
        if version_is_approved(draft, version.version):
            out[meeting_id] = (
                ReviewStatus("exported", "blue")
                if version.id in exported
                else ReviewStatus("approved", "green")
            )
            continue
        count = problem_count(blockers.get(version.id, []), draft.contract_type, "blocker")
        if count:
            out[meeting_id] = ReviewStatus(f"blocked ({count})", "red")
        elif draft.approval_outdated_reason:
            out[meeting_id] = ReviewStatus("approval out of date", "orange")
        else:
            out[meeting_id] = ReviewStatus("needs review", "amber")
    return out
