"""Read models for the UI: plain dicts built from the database, scoped to one organization.

Framework-free and synchronous (state handlers call them through `asyncio.to_thread`). Every
query filters by the caller's organization; writes go through the services (review, pipeline).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.drafting import Draft as DraftDoc
from bridge_app.core.review.findings import SEVERITY_LABELS, plain_findings, template_defaults
from bridge_app.core.review.terms import (
    REVIEWER_ENTERED,
    REVIEWER_ITEM_PREFIX,
    STATUS_LABELS,
    missing_term_of,
    value_display,
)
from bridge_app.models import (
    Decision,
    Draft,
    DraftVersion,
    Export,
    Matter,
    Meeting,
    StageRun,
    TranscriptSegment,
)
from bridge_app.services import approval, audit_view, crypto
from bridge_app.services.db import get_owned, scoped
from bridge_app.services.meeting_data import load_items
from bridge_app.services.terms import meeting_checklist

STAGE_LABELS = ("Transcript", "Decisions", "Draft", "QA", "Export")
STAGE_KEYS = ("transcript", "decision", "draft", "qa", "export")
# status → (stages done, stage in progress or None)
_PROGRESS: dict[str, tuple[int, int | None]] = {
    "uploaded": (0, None),
    "ingesting": (0, 0),
    "ingested": (1, None),
    "extracting": (1, 1),
    "extracted": (2, None),
    "drafting": (2, 2),
    "drafted": (3, None),
    "checking": (3, 3),
    "ready": (4, None),
}
STATUS_FILTERS = ("all", "processing", "ready", "failed")
KIND_LABELS = {
    "decision": "Decisions",
    "action_item": "Action items",
    "agreed_term": "Agreed terms",
    "open_question": "Open questions",
}


def fmt_ts(seconds: float) -> str:
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    return (
        f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        if hours
        else f"{rest // 60:02d}:{rest % 60:02d}"
    )


def fmt_when(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def segment_anchor(segment_key: str) -> str:
    """A DOM id for a transcript segment (keys may hold any character)."""
    return "seg-" + "".join(c if c.isalnum() else "-" for c in segment_key)[:120]


def stage_steps(status: str, failed_stage: str | None, exported: bool) -> list[dict[str, str]]:
    """The five-step indicator: each step's label and state (done/active/pending/failed)."""
    done, active = _PROGRESS.get(status, (0, None))
    if status == "ready" and exported:
        done = 5
    steps = []
    for index, label in enumerate(STAGE_LABELS):
        state = "done" if index < done else "active" if index == active else "pending"
        if status == "failed" and failed_stage == STAGE_KEYS[index]:
            state = "failed"
        steps.append({"label": label, "state": state, "key": STAGE_KEYS[index]})
    if status == "failed" and failed_stage in STAGE_KEYS:
        failed_at = STAGE_KEYS.index(failed_stage)
        for step in steps[:failed_at]:
            step["state"] = "done"
    return steps


def _status_filter(query: Any, status: str) -> Any:
    column = col(Meeting.status)
    if status == "ready":
        return query.where(column == "ready")
    if status == "failed":
        return query.where(column == "failed")
    if status == "processing":
        return query.where(column.not_in(("ready", "failed")))
    return query


def list_meetings(
    session: Session, organization_id: uuid.UUID, *, search: str = "", status: str = "all"
) -> list[dict[str, Any]]:
    """Newest first, at most 200, with the stage steps and matter name."""
    query = (
        select(Meeting, Matter.name)
        .join(Matter, col(Matter.id) == col(Meeting.matter_id), isouter=True)
        .where(Meeting.organization_id == organization_id)
    )
    if search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(
            sa.or_(col(Meeting.title).ilike(pattern), col(Matter.name).ilike(pattern))
        )
    query = _status_filter(query, status).order_by(col(Meeting.created_at).desc()).limit(200)
    rows = session.exec(query).all()
    ids = [m.id for m, _ in rows]
    exported: set[uuid.UUID] = set()
    if ids:
        exported = set(
            session.exec(
                select(Draft.meeting_id)
                .join(DraftVersion, col(DraftVersion.draft_id) == col(Draft.id))
                .join(Export, col(Export.draft_version_id) == col(DraftVersion.id))
                .where(col(Draft.meeting_id).in_(ids), Export.status == "done")
            ).all()
        )
    review = approval.review_statuses(session, ids)
    return [
        {
            "id": str(m.id),
            "title": m.title,
            "matter": matter or "",
            "status": m.status,
            "review": review[m.id].label if m.id in review else "",
            "review_tone": review[m.id].tone if m.id in review else "gray",
            "date": m.meeting_date.isoformat() if m.meeting_date else "",
            "created": fmt_when(m.created_at),
            "format": m.source_format or "",
            "failure": (m.failure_reason or "")[:300],
            "steps": stage_steps(m.status, m.failed_stage, m.id in exported),
        }
        for m, matter in rows
    ]


def _key(session: Session, meeting: Meeting) -> bytes | None:
    if meeting.data_key_id is None:
        return None
    return crypto.load_data_key(session, meeting.data_key_id)


def meeting_summary(session: Session, meeting: Meeting) -> dict[str, Any]:
    matter = session.get(Matter, meeting.matter_id) if meeting.matter_id else None
    draft = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).first()
    return {
        "id": str(meeting.id),
        "title": meeting.title,
        "status": meeting.status,
        "matter": matter.name if matter else "",
        "date": meeting.meeting_date.isoformat() if meeting.meeting_date else "",
        "format": meeting.source_format or "",
        "participants": ", ".join(meeting.participants),
        "warnings": list(meeting.warnings),
        "failure": (meeting.failure_reason or "")[:500],
        "has_draft": bool(draft and draft.current_version),
        "steps": stage_steps(meeting.status, meeting.failed_stage, False),
    }


def meeting_detail(
    session: Session, organization_id: uuid.UUID, meeting_id: str
) -> dict[str, Any] | None:
    """Summary, decrypted transcript segments and the current input version's items."""
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None:
        return None
    key = _key(session, meeting)
    segments: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    if key is not None:
        for row in session.exec(
            select(TranscriptSegment)
            .where(TranscriptSegment.meeting_id == meeting.id)
            .order_by(col(TranscriptSegment.position))
        ).all():
            segments.append(
                {
                    "key": row.segment_key,
                    "anchor": segment_anchor(row.segment_key),
                    "speaker": row.speaker or "Unknown",
                    "time": fmt_ts(row.start_s),
                    "text": crypto.decrypt_text(key, row.text_ciphertext),
                }
            )
        times = {s["key"]: s["time"] for s in segments}
        decisions = session.exec(
            select(Decision)
            .where(
                Decision.meeting_id == meeting.id,
                Decision.organization_id == organization_id,
                Decision.input_version == meeting.input_version,
            )
            .order_by(col(Decision.confidence).desc(), col(Decision.item_key))
        ).all()
        for d in decisions:
            items.append(_item_dict(d, key, times))
    contract_type, terms = "", []
    if key is not None and meeting.status not in (
        "uploaded",
        "ingesting",
        "ingested",
        "extracting",
    ):
        contract_type, rows = meeting_checklist(session, meeting)
        terms = [
            {
                "term": r.term,
                "label": r.label,
                "kind": r.kind,
                "status": r.status,
                "status_label": STATUS_LABELS[r.status],
                "display": r.display,
                "reviewer_entered": r.reviewer_entered,
            }
            for r in rows
        ]
    return {
        "meeting": meeting_summary(session, meeting),
        "segments": segments,
        "items": items,
        "contract_type": contract_type,
        "terms": terms,
    }


def _values_text(values: dict[str, Any]) -> str:
    """An item's values in words: "fee: EUR 42,000.00; deliverable: Route model; …"."""
    return "; ".join(
        f"{name.replace('_', ' ')}: {value_display(name, value)}" for name, value in values.items()
    )


def _item_dict(d: Decision, key: bytes, times: dict[str, str]) -> dict[str, Any]:
    content = json.loads(crypto.decrypt(key, d.content_ciphertext))
    statement = content.get("statement", "")
    if d.edited_statement_ciphertext:
        statement = crypto.decrypt_text(key, d.edited_statement_ciphertext)
    values = d.edited_values if d.edited_values is not None else d.values
    evidence = [
        {
            "key": str(e.get("segment_id", "")),
            "anchor": segment_anchor(str(e.get("segment_id", ""))),
            "time": times.get(str(e.get("segment_id", "")), fmt_ts(float(e.get("start", 0)))),
            "speaker": str(e.get("speaker", "")),
            "quote": str(e.get("quote", ""))[:300],
        }
        for e in content.get("evidence", [])
    ]
    flags = []
    if d.superseded_by:
        flags.append(f"superseded by {d.superseded_by}")
    if d.conflicts_with:
        flags.append("conflicts with " + ", ".join(d.conflicts_with))
    return {
        "id": str(d.id),
        "key": d.item_key,
        "kind": d.kind,
        "kind_label": KIND_LABELS.get(d.kind, d.kind),
        "statement": statement,
        "confidence": round(float(d.confidence), 2),
        "confidence_pct": f"{round(float(d.confidence) * 100)}%",
        "status": d.review_status,
        "values_text": _values_text(values or {}),
        "reviewer_entered": d.item_key.startswith(REVIEWER_ITEM_PREFIX) and not evidence,
        "name": f"{KIND_LABELS.get(d.kind, d.kind).rstrip('s').lower()} “{statement[:60]}”",
        "owner": d.owner or "",
        "due": d.due.isoformat() if d.due else "",
        "superseded": bool(d.superseded_by),
        "conflicting": bool(d.conflicts_with),
        "flags": "; ".join(flags),
        "evidence": evidence,
    }


def meeting_status(
    session: Session, organization_id: uuid.UUID, meeting_id: str
) -> dict[str, Any] | None:
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    return None if meeting is None else meeting_summary(session, meeting)


# ------------------------------------------------------------------------------ drafts


def _export_rows(
    session: Session, version: DraftVersion, doc: DraftDoc, draft: Draft
) -> list[dict[str, Any]]:
    """The newest export per format (download links are issued, and audited, on click)."""
    rows = session.exec(
        select(Export)
        .where(Export.draft_version_id == version.id)
        .order_by(col(Export.created_at).desc())
    ).all()
    out = []
    seen: set[str] = set()
    for e in rows:
        if e.format in seen:
            continue
        seen.add(e.format)
        ext = (e.object_key or "").rsplit(".", 1)[-1] or e.format
        out.append(
            {
                "id": str(e.id),
                "format": e.format,
                "label": e.format.upper() if e.format != "md" else "Markdown",
                "status": e.status,
                "filename": approval.export_filename(doc, draft, version.version, e.approved, ext)
                if e.status == "done"
                else "",
                "approved": e.approved,
                "size": f"{(e.size_bytes or 0) / 1024:.1f} KB" if e.size_bytes else "",
                "error": (e.error or "")[:200],
            }
        )
    return out


def load_doc(session: Session, meeting: Meeting, version: DraftVersion) -> DraftDoc:
    key = _key(session, meeting)
    if key is None:
        raise ValueError("meeting has no data key")
    return DraftDoc.from_dict(json.loads(crypto.decrypt(key, version.body_ciphertext)))


def draft_detail(
    session: Session, organization_id: uuid.UUID, meeting_id: str, version: int | None = None
) -> dict[str, Any] | None:
    """The meeting's draft: versions, one version's clauses with sources, findings, exports."""
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None:
        return None
    draft = session.exec(
        scoped(Draft, organization_id).where(Draft.meeting_id == meeting.id)
    ).first()
    base: dict[str, Any] = {"meeting": meeting_summary(session, meeting), "draft": None}
    if draft is None:
        return base
    versions = session.exec(
        select(DraftVersion)
        .where(DraftVersion.draft_id == draft.id)
        .order_by(col(DraftVersion.version))
    ).all()
    base["draft"] = {
        "id": str(draft.id),
        "contract_type": draft.contract_type,
        "type_reason": draft.type_reason,
        "status": draft.status,
        "current_version": draft.current_version,
        "requested_version": draft.requested_version,
        "pending": draft.requested_version > draft.current_version,
    }
    base["versions"] = [str(v.version) for v in versions]
    if not versions:
        return base
    chosen = next((v for v in versions if v.version == version), versions[-1])
    doc = load_doc(session, meeting, chosen)
    items = load_items(session, meeting)
    plain = plain_findings(approval.stored_findings(session, chosen), doc, items)
    meeting_href = f"/meeting?id={meeting.id}"

    def fix_href(kind: str, target: str) -> str:
        if kind == "term":
            return f"{meeting_href}&term={target}"
        if kind == "item":
            return f"{meeting_href}&item={target}"
        if kind == "clause":
            return f"#clause-{target}"
        return ""

    finding_rows = [
        {
            "severity": f.severity,
            "severity_label": SEVERITY_LABELS.get(f.severity, f.severity),
            "clause": f.clause or "",
            "message": f.sentence,
            "fix_kind": f.fix,
            "fix_label": f.fix_label,
            "fix_href": fix_href(f.fix, f.target),
            "codes": " ".join(f.codes),
        }
        for f in plain
    ]
    by_clause: dict[str, list[dict[str, str]]] = {}
    for row in finding_rows:
        by_clause.setdefault(row["clause"], []).append(row)
    clauses = []
    for c in doc.clauses:
        sources = []
        for p in c.provenance:
            for q in p.quotes or ():
                sources.append(
                    {
                        "item": p.item_id,
                        "term": p.term.replace("_", " "),
                        "display": p.display,
                        "segment": q.segment_id,
                        "anchor": segment_anchor(q.segment_id),
                        "time": fmt_ts(q.start),
                        "speaker": q.speaker or "Unknown",
                        "quote": q.quote[:300],
                        "reviewer_entered": False,
                    }
                )
            if not p.quotes:
                sources.append(
                    {
                        "item": p.item_id,
                        "term": p.term.replace("_", " "),
                        "display": p.display,
                        "segment": "",
                        "anchor": "",
                        "time": "",
                        "speaker": "",
                        "quote": REVIEWER_ENTERED,
                        "reviewer_entered": True,
                    }
                )
        placeholders = []
        for text in c.placeholders:
            label = text.split(":", 1)[-1].rstrip("]").strip()
            term = missing_term_of(label, draft.contract_type)
            placeholders.append(
                {
                    "text": text,
                    "label": label,
                    "href": f"{meeting_href}&term={term}" if term else "",
                }
            )
        clauses.append(
            {
                "key": c.key,
                "number": c.number,
                "heading": c.heading,
                "text": c.text,
                "placeholders": placeholders,
                "has_placeholders": bool(placeholders),
                "sources": sources,
                "source_count": len(sources),
                "findings": by_clause.get(c.key, []),
            }
        )
    view = approval.approval_view(session, draft)
    warnings = []
    if chosen.qa_done and chosen.version == draft.current_version:
        warnings = [
            {"id": wid, "sentence": f.sentence}
            for wid, f in approval.open_warnings(
                approval.stored_findings(session, chosen), doc, items
            )
        ]
    base.update(
        {
            "version": chosen.version,
            "title": doc.title,
            "clauses": clauses,
            "findings": finding_rows,
            "general_findings": by_clause.get("", []),
            "blockers": sum(1 for f in plain if f.severity == "blocker") if chosen.qa_done else -1,
            "qa_done": chosen.qa_done,
            "exports": _export_rows(session, chosen, doc, draft),
            "defaults": [
                {"clause": key, "sentence": sentence}
                for key, sentence in template_defaults(doc, items)
            ],
            "approval": {
                "state": view.state,
                "version": view.version or 0,
                "approver": view.approver,
                "when": fmt_when(view.when),
                "comment": view.comment,
                "outdated_reason": view.outdated_reason,
            },
            "warnings": warnings,
        }
    )
    return base


def redline(
    session: Session, organization_id: uuid.UUID, meeting_id: str, old: int, new: int
) -> str:
    """The word-level redline HTML fragment between two versions ('' when unavailable)."""
    from bridge_app.core.drafting.redline import redline_drafts, redline_html

    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None:
        return ""
    draft = session.exec(
        scoped(Draft, organization_id).where(Draft.meeting_id == meeting.id)
    ).first()
    if draft is None:
        return ""
    rows = {
        v.version: v
        for v in session.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, col(DraftVersion.version).in_((old, new))
            )
        ).all()
    }
    if old not in rows or new not in rows:
        return ""
    return redline_html(
        redline_drafts(load_doc(session, meeting, rows[old]), load_doc(session, meeting, rows[new]))
    )


# ------------------------------------------------------------------------------ ops


def recent_failures(session: Session, organization_id: uuid.UUID) -> list[dict[str, Any]]:
    """Failed meetings (retryable) and failed stage runs of the last day, newest first."""
    meetings = session.exec(
        scoped(Meeting, organization_id)
        .where(Meeting.status == "failed")
        .order_by(col(Meeting.updated_at).desc())
        .limit(20)
    ).all()
    out = [
        {
            "meeting_id": str(m.id),
            "title": m.title,
            "stage": m.failed_stage or "",
            "reason": (m.failure_reason or "")[:300],
            "when": fmt_when(m.updated_at),
            "retryable": True,
        }
        for m in meetings
    ]
    since = datetime.now(UTC) - timedelta(days=1)
    runs = session.exec(
        scoped(StageRun, organization_id)
        .where(StageRun.outcome == "failed", col(StageRun.finished_at) >= since)
        .order_by(col(StageRun.finished_at).desc())
        .limit(20)
    ).all()
    failed_ids = {m.id for m in meetings}
    for r in runs:
        if r.meeting_id in failed_ids:
            continue
        out.append(
            {
                "meeting_id": str(r.meeting_id),
                "title": f"{r.stage} run",
                "stage": r.stage,
                "reason": (r.error or "")[:300],
                "when": fmt_when(r.finished_at),
                "retryable": False,
            }
        )
    return out


def audit_events(
    session: Session,
    organization_id: uuid.UUID,
    *,
    action: str = "",
    actor: str = "",
    object_id: str = "",
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Audit rows in words; `object_id` matches an object's id or its name."""
    rows = audit_view.find_events(
        session, organization_id, action=action, actor=actor, object_text=object_id, limit=limit
    )
    open_key = audit_view.key_opener(session, organization_id)
    return [
        {
            "id": str(r.id),
            "when": fmt_when(r.created_at),
            "actor": r.actor_email or "",
            "action": r.action,
            "object": f"{r.object_type or ''} {r.object_id or ''}".strip(),
            "ip": r.ip or "",
            "detail": "",
            **audit_view.describe(r, open_key),
        }
        for r in rows
    ]
