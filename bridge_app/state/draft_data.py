"""The draft page's data: a meeting's draft versions, one version's clauses with their
sources, plain QA findings and exports, the approval, and redlines between versions (blocking;
the state runs these in a thread)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from bridge_app.core.drafting import Draft as DraftDoc
from bridge_app.core.drafting.redline import redline_drafts, redline_html
from bridge_app.core.review.findings import SEVERITY_LABELS, plain_findings, template_defaults
from bridge_app.core.review.terms import (
    REVIEWER_ENTERED,
    missing_term_of,
)
from bridge_app.models import Draft, DraftVersion, Meeting
from bridge_app.services import approval, meeting_data, queries
from bridge_app.services.db import get_owned
from bridge_app.services.errors import NotFound
from bridge_app.services.meeting_data import load_items
from bridge_app.state.data import fmt_ts, fmt_when, meeting_summary, segment_anchor


def _export_rows(
    session: Session, version: DraftVersion, doc: DraftDoc, draft: Draft
) -> list[dict[str, Any]]:
    """The newest export per format (download links are issued, and audited, on click)."""
    rows = queries.version_exports(session, version)
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


def draft_detail(
    session: Session, organization_id: uuid.UUID, meeting_id: str, version: int | None = None
) -> dict[str, Any] | None:
    """The meeting's draft: versions, one version's clauses with sources, findings, exports."""
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None:
        return None
    drafts = queries.meeting_drafts(session, meeting)
    draft = drafts[0] if drafts else None
    base: dict[str, Any] = {"meeting": meeting_summary(session, meeting), "draft": None}
    if draft is None:
        return base
    versions = queries.versions(session, draft)
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
    doc = queries.version_doc(session, draft, chosen)
    key = meeting_data.data_key(session, meeting)
    items = load_items(session, meeting, key)
    findings = approval.stored_findings(session, chosen, key)
    plain = plain_findings(findings, doc, items)
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
            for wid, f in approval.open_warnings(findings, doc, items)
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
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    drafts = queries.meeting_drafts(session, meeting) if meeting else []
    if not drafts:
        return ""
    try:
        docs = [
            queries.version_doc(session, drafts[0], queries.version(session, drafts[0], n))
            for n in (old, new)
        ]
    except NotFound:
        return ""
    return redline_html(redline_drafts(*docs))
