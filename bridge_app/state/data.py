"""View models for the UI: the shared queries' rows shaped into the plain dicts pages show.

Framework-free and synchronous (state handlers call them through `asyncio.to_thread`). The
database work is `bridge_app.services.queries` (the same the API uses, scoped to the caller's
organization); writes go through `bridge_app.services.actions`. What is left here is shaping:
labels, times, anchors, step indicators, grouping.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from bridge_app.core.review.terms import (
    REVIEWER_ITEM_PREFIX,
    STATUS_LABELS,
    value_display,
)
from bridge_app.core.stages import STAGE_NAMES, STAGE_TABLE, MeetingStatus, progress
from bridge_app.core.vocabulary import TERM_KEYS
from bridge_app.models import Meeting
from bridge_app.services import approval, audit_view, meeting_data, meeting_list, queries
from bridge_app.services.db import get_owned
from bridge_app.services.meeting_list import STATUS_GROUPS, StatusGroup
from bridge_app.services.terms import meeting_checklist
from bridge_app.services.transcription.playback import (
    member_urls,
    segment_tracks,
    track_of_speaker,
)

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
    done, active = progress(status)
    if status == MeetingStatus.ready and exported:
        done = len(STAGE_TABLE)
    steps = []
    for index, spec in enumerate(STAGE_TABLE):
        state = "done" if index < done else "active" if index == active else "pending"
        if status == MeetingStatus.failed and failed_stage == spec.stage:
            state = "failed"
        steps.append({"label": spec.label, "state": state, "key": spec.stage.value})
    if status == MeetingStatus.failed and failed_stage in STAGE_NAMES:
        for step in steps[: STAGE_NAMES.index(failed_stage)]:
            step["state"] = "done"
    return steps


def list_meetings(
    session: Session, organization_id: uuid.UUID, *, search: str = "", status: str = "all"
) -> list[dict[str, Any]]:
    """Newest first, at most 200, with the stage steps and matter name."""
    group: StatusGroup = next((g for g in STATUS_GROUPS if g == status), "all")
    rows = meeting_list.meeting_rows(
        session, organization_id, search=search, status_group=group, limit=200
    )
    exported = queries.exported_meeting_ids(session, [m.id for m in rows])
    review = approval.review_statuses(session, [m.id for m in rows])
    return [
        {
            "id": str(m.id),
            "title": m.title,
            "matter": m.matter or "",
            "status": m.status,
            "review": review[m.id].label if m.id in review else "",
            "review_tone": review[m.id].tone if m.id in review else "gray",
            "date": m.meeting_date.isoformat() if m.meeting_date else "",
            "created": fmt_when(m.created_at),
            "format": m.source_format or "",
            "failure": (m.failure_reason or "")[:300],
            "steps": _flag_blocked(
                stage_steps(m.status, m.failed_stage, m.id in exported),
                review[m.id].label if m.id in review else "",
            ),
        }
        for m in rows
    ]


def _flag_blocked(steps: list[dict[str, str]], review: str) -> list[dict[str, str]]:
    """QA ran, but a draft with problems is not a green tick: its QA step says "blocked"."""
    if review.startswith("blocked"):
        for step in steps:
            if step["key"] == "qa" and step["state"] == "done":
                step["state"] = "blocked"
                step["label"] = f"QA: {review}"
    return steps


def meeting_summary(session: Session, meeting: Meeting) -> dict[str, Any]:
    drafts = queries.meeting_drafts(session, meeting)
    draft = drafts[0] if drafts else None
    return {
        "id": str(meeting.id),
        "title": meeting_data.title_of(meeting),
        "status": meeting.status,
        "matter": queries.matter_name(session, meeting) or "",
        "date": meeting.meeting_date.isoformat() if meeting.meeting_date else "",
        "format": meeting.source_format or "",
        "participants": ", ".join(meeting_data.participants_of(meeting)),
        "warnings": list(meeting.warnings),
        "failure": (meeting.failure_reason or "")[:500],
        "has_draft": bool(draft and draft.current_version),
        "steps": stage_steps(
            meeting.status,
            meeting.failed_stage,
            meeting.id in queries.exported_meeting_ids(session, [meeting.id]),
        ),
        "progress": f"{round(100 * meeting.transcription_progress)}%"
        if meeting.recording is not None
        and meeting.transcription_progress is not None
        and meeting.status in ("uploaded", "ingesting")
        else "",
    }


def meeting_detail(
    session: Session, organization_id: uuid.UUID, meeting_id: str
) -> dict[str, Any] | None:
    """Summary, decrypted transcript segments and the current input version's items."""
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None:
        return None
    tracks = segment_tracks(session, meeting)  # a corrected recording's speakers
    segments: list[dict[str, Any]] = [
        {
            "key": seg.segment_key,
            "anchor": segment_anchor(seg.segment_key),
            "speaker": seg.speaker or "Unknown",
            "time": fmt_ts(seg.start_s),
            "text": seg.text,
            "start": seg.start_s,
            "track": tracks.get(seg.segment_key, track_of_speaker(meeting, seg.speaker)),
        }
        for seg in queries.segments(session, meeting)
    ]
    times = {s["key"]: s["time"] for s in segments}
    items = [item_view(view, times) for view in queries.decisions(session, meeting)]
    for item in items:
        for ev in item.get("evidence", []):
            ev["track"] = tracks.get(ev["key"], track_of_speaker(meeting, ev["speaker"]))
    contract_type, terms = "", []
    if meeting.data_key_id is not None and meeting.status not in (
        MeetingStatus.uploaded,
        MeetingStatus.ingesting,
        MeetingStatus.ingested,
        MeetingStatus.extracting,
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
        f"{name.replace('_', ' ')}: {value_display(name, value)}"
        for name, value in values.items()
        if name in TERM_KEYS  # a term's negotiation history is not a value
    )


def item_view(view: queries.DecisionView, times: dict[str, str]) -> dict[str, Any]:
    """One extracted item as the meeting page shows it (evidence with times and anchors)."""
    d = view.row
    values = view.values
    evidence = [
        {
            "key": str(e.get("segment_id", "")),
            "anchor": segment_anchor(str(e.get("segment_id", ""))),
            "time": times.get(str(e.get("segment_id", "")), fmt_ts(float(e.get("start", 0)))),
            "speaker": str(e.get("speaker", "")),
            "quote": str(e.get("quote", ""))[:300],
            "start": float(e.get("start", 0) or 0),
        }
        for e in view.evidence
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
        "statement": view.statement,
        "confidence": round(float(d.confidence), 2),
        "confidence_pct": f"{round(float(d.confidence) * 100)}%",
        "status": d.review_status,
        "values_text": _values_text(values or {}),
        "owner": view.owner or "",
        "reviewer_entered": d.item_key.startswith(REVIEWER_ITEM_PREFIX) and not evidence,
        "name": f"{KIND_LABELS.get(d.kind, d.kind).rstrip('s').lower()} “{view.statement[:60]}”",
        "due": d.due.isoformat() if d.due else "",
        "superseded": bool(d.superseded_by),
        "conflicting": bool(d.conflicts_with),
        "flags": "; ".join(flags),
        "evidence": evidence,
    }


def recording_urls(
    session: Session, organization_id: uuid.UUID, meeting_id: str, user_id: uuid.UUID | None
) -> list[str]:
    """The member's signed playback links for the meeting's recording tracks ([] if none)."""
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None or user_id is None:
        return []
    return member_urls(meeting, user_id)


def meeting_status(
    session: Session, organization_id: uuid.UUID, meeting_id: str
) -> dict[str, Any] | None:
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    return None if meeting is None else meeting_summary(session, meeting)


# ------------------------------------------------------------------------------ ops


def recent_failures(session: Session, organization_id: uuid.UUID) -> list[dict[str, Any]]:
    """Failed meetings (retryable) and failed stage runs of the last day, newest first."""
    meetings = queries.failed_meetings(session, organization_id)
    out = [
        {
            "meeting_id": str(m.id),
            "title": meeting_data.title_of(m),
            "stage": m.failed_stage or "",
            "reason": (m.failure_reason or "")[:300],
            "when": fmt_when(m.updated_at),
            "retryable": True,
        }
        for m in meetings
    ]
    runs = queries.failed_runs(
        session, organization_id, since=datetime.now(UTC) - timedelta(days=1)
    )
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
    """The audit page's rows in words: filters match literal substrings; `object_id` matches
    an object's id or its name."""
    rows = queries.audit_events(
        session,
        organization_id,
        action=action,
        actor=actor,
        object_text=object_id,
        contains=True,
        limit=limit,
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
