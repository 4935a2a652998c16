"""The pipeline's stage bodies: load from PostgreSQL, call the pure core, persist.

Each `run_*` function is synchronous (the arq job runs it in a thread) and idempotent: it
checks the row's state first, replaces its own results for the input version, and writes the
results, the new status, a `stage_runs` row and an outbox row in ONE transaction. It returns
the next job to enqueue (or None); enqueueing happens after the commit, and a lost enqueue is
repaired by the reconciler.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.drafting import Draft as DraftDoc
from bridge_app.core.drafting import make_draft, pick_contract_type, regenerate, run_qa
from bridge_app.core.extraction import extract_items, supersede_across
from bridge_app.core.extraction.model import Evidence, Item
from bridge_app.core.transcript import parse_transcript
from bridge_app.core.transcript.model import Segment, Transcript, TranscriptError
from bridge_app.models import (
    ClauseProvenance,
    Decision,
    Draft,
    DraftVersion,
    Export,
    Matter,
    Meeting,
    QAFinding,
    StageRun,
    TranscriptSegment,
)
from bridge_app.services import crypto, metrics
from bridge_app.services.db import session_scope
from bridge_app.services.events import record_event
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import ObjectStore, get_store
from bridge_app.services.transcription import stage as transcription
from bridge_app.settings import get_settings

CONTRACT_TYPES = ("nda", "sow", "msa-amendment", "term-sheet", "order-form")


class PermanentStageError(Exception):
    """Bad input: retrying cannot help; the meeting is marked failed with this message."""


class UploadRejected(ValueError):
    """An upload that is refused before anything is stored (size, format, content)."""

    def __init__(self, code: str, message: str, *, line: int | None = None):
        self.code, self.message, self.line = code, message, line
        super().__init__(message)


@dataclass(frozen=True)
class RunInfo:
    """What arq tells a job about itself (for the stage_runs row)."""

    job_id: str
    attempt: int
    enqueued_at: datetime | None
    started_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------------------ helpers


def _record_run(
    session: Session,
    meeting: Meeting,
    stage: str,
    run: RunInfo,
    *,
    version: int,
    outcome: str,
    error: str | None = None,
    draft_id: uuid.UUID | None = None,
    export_id: uuid.UUID | None = None,
    slo: str | None = None,
    slo_start: datetime | None = None,
) -> StageRun:
    finished = _now()
    latency = (finished - slo_start).total_seconds() if slo and slo_start else None
    row = StageRun(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        draft_id=draft_id,
        export_id=export_id,
        stage=stage,
        input_version=version,
        job_id=run.job_id,
        attempt=run.attempt,
        outcome=outcome,
        error=error,
        enqueued_at=run.enqueued_at,
        started_at=run.started_at,
        finished_at=finished,
        slo=slo if latency is not None else None,
        slo_latency_s=latency,
    )
    session.add(row)
    metrics.STAGE_RUNS.labels(stage, outcome).inc()
    metrics.STAGE_DURATION.labels(stage, outcome).observe(
        (finished - run.started_at).total_seconds()
    )
    if latency is not None and slo:
        metrics.PIPELINE_LATENCY.labels(slo).observe(latency)
    return row


def _fail_meeting(
    session: Session,
    meeting: Meeting,
    stage: str,
    reason: str,
    run: RunInfo,
    version: int,
    **ids: Any,
) -> None:
    meeting.status = "failed"
    meeting.failed_stage = stage
    meeting.failure_reason = reason[:2000]
    meeting.updated_at = _now()
    session.add(meeting)
    _record_run(
        session, meeting, stage, run, version=version, outcome="failed", error=reason[:2000], **ids
    )
    record_event(
        session,
        organization_id=meeting.organization_id,
        event="stage.failed",
        payload={
            "meeting_id": str(meeting.id),
            "stage": stage,
            "reason": reason[:500],
            **{k: str(v) for k, v in ids.items() if v is not None},
        },
    )


def _set_status(session: Session, meeting: Meeting, status: str) -> None:
    meeting.status = status
    meeting.updated_at = _now()
    session.add(meeting)


def _meeting_key(session: Session, meeting: Meeting) -> bytes:
    if meeting.data_key_id is None:
        raise PermanentStageError("meeting has no data key")
    return crypto.load_data_key(session, meeting.data_key_id)


def source_object_key(meeting: Meeting) -> str:
    return f"{meeting.organization_id}/meetings/{meeting.id}/source/v{meeting.input_version}"


# ------------------------------------------------------------------------------ upload


def validate_upload(data: bytes, *, filename: str, redact: bool, fmt: str = "auto") -> Transcript:
    """Parse now so a bad file is refused with a clear message before anything is stored."""
    limit = get_settings().MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UploadRejected(
            "too_large", f"the file is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB"
        )
    try:
        return parse_transcript(data, filename=filename, format=fmt, redact=redact, max_bytes=limit)
    except TranscriptError as exc:
        raise UploadRejected(exc.code, exc.message, line=exc.line) from exc


def submit_meeting(
    session: Session,
    *,
    organization_id: uuid.UUID,
    user_id: uuid.UUID | None,
    filename: str,
    data: bytes,
    title: str,
    meeting_date: date | None = None,
    matter_name: str | None = None,
    intended_contract_type: str | None = None,
    redact: bool = False,
    idempotency_key: str | None = None,
    validate: bool = True,
    store: ObjectStore | None = None,
    speakers: tuple[str, bytes] | None = None,
) -> tuple[Meeting, bool]:
    """Store an upload (encrypted) and its meeting row; returns (meeting, created).

    The caller commits and then enqueues `NextJob("transcript", meeting.id, 1)`.
    With the same `idempotency_key`, the first meeting is returned and nothing is stored.
    """
    if idempotency_key:
        existing = session.exec(
            select(Meeting).where(
                Meeting.organization_id == organization_id,
                Meeting.idempotency_key == idempotency_key,
            )
        ).first()
        if existing is not None:
            return existing, False
    if intended_contract_type and intended_contract_type not in (*CONTRACT_TYPES, "auto"):
        raise UploadRejected(
            "bad_contract_type",
            f"unknown contract type '{intended_contract_type}'; "
            f"use one of {', '.join(CONTRACT_TYPES)}",
        )
    title = title.strip() or filename
    if len(title) > 300:
        raise UploadRejected("bad_title", "the title is longer than 300 characters")
    fmt: str | None = None
    recording = transcription.check_upload_or_reject(data, filename, speakers=speakers)
    if validate and recording is None:
        fmt = validate_upload(data, filename=filename, redact=redact).format
    matter_id = None
    if matter_name and matter_name.strip():
        matter = session.exec(
            select(Matter).where(
                Matter.organization_id == organization_id, Matter.name == matter_name.strip()
            )
        ).first()
        if matter is None:
            matter = Matter(organization_id=organization_id, name=matter_name.strip()[:200])
            session.add(matter)
            session.flush()
        matter_id = matter.id
    key_row = crypto.create_data_key(session, organization_id)
    meeting = Meeting(
        organization_id=organization_id,
        matter_id=matter_id,
        title=title,
        meeting_date=meeting_date,
        source_filename=filename[:300],
        source_format=fmt,
        source_size=len(data),
        intended_contract_type=None
        if intended_contract_type in (None, "", "auto")
        else intended_contract_type,
        redact=redact,
        data_key_id=key_row.id,
        idempotency_key=idempotency_key,
        created_by=user_id,
    )
    session.add(meeting)
    session.flush()
    meeting.source_object_key = source_object_key(meeting)
    if recording is not None:
        transcription.store_upload(
            store or get_store(), meeting, crypto.data_key(key_row), recording
        )
    else:
        (store or get_store()).put(
            meeting.source_object_key,
            crypto.encrypt(crypto.data_key(key_row), data),
            content_type="application/octet-stream",
        )
    session.add(meeting)
    session.flush()
    return meeting, True


# ------------------------------------------------------------------------------ stage 1


def run_ingest(
    meeting_id: uuid.UUID, version: int, run: RunInfo, store: ObjectStore | None = None
) -> NextJob | None:
    """Transcript stage: stored upload → normalized, encrypted segments."""
    step = transcription.transcribe_step(meeting_id, version, store)  # recordings: chunks first
    if step.stop:
        return step.next_job
    with session_scope() as session:
        meeting = session.get(Meeting, meeting_id, with_for_update=True)
        if meeting is None or meeting.input_version != version:
            return None
        if meeting.status == "ingested":
            return NextJob("decision", meeting.id, version)
        if meeting.status not in ("uploaded", "ingesting"):
            return None
        key = _meeting_key(session, meeting)
        try:
            transcript = transcription.transcript_for(meeting, key, store or get_store())
            if transcript is None:
                raw = crypto.decrypt(
                    key,
                    (store or get_store()).get(
                        meeting.source_object_key or source_object_key(meeting)
                    ),
                )
                transcript = parse_transcript(
                    raw,
                    filename=meeting.source_filename,
                    redact=meeting.redact,
                    max_bytes=get_settings().MAX_UPLOAD_BYTES,
                )
        except TranscriptError as exc:
            _fail_meeting(session, meeting, "transcript", f"{exc.code}: {exc}", run, version)
            return None
        session.execute(
            sa.delete(TranscriptSegment).where(col(TranscriptSegment.meeting_id) == meeting.id)
        )
        session.add_all(
            TranscriptSegment(
                organization_id=meeting.organization_id,
                meeting_id=meeting.id,
                position=i,
                segment_key=seg.segment_id[:300],
                speaker=seg.speaker[:200],
                start_s=seg.start,
                end_s=seg.end,
                text_ciphertext=crypto.encrypt_text(key, seg.text),
            )
            for i, seg in enumerate(transcript.segments)
        )
        meeting.source_format = transcript.format
        meeting.participants = list(transcript.participants)
        meeting.warnings = list(transcript.warnings)
        meeting.redaction_report = [r.to_dict() for r in transcript.redactions]
        _set_status(session, meeting, "ingested")
        _record_run(session, meeting, "transcript", run, version=version, outcome="succeeded")
        record_event(
            session,
            organization_id=meeting.organization_id,
            event="meeting.ingested",
            payload={
                "meeting_id": str(meeting.id),
                "input_version": version,
                "segments": len(transcript.segments),
                "format": transcript.format,
            },
        )
        return NextJob("decision", meeting.id, version)


# ------------------------------------------------------------------------------ stage 2


def load_segments(session: Session, meeting: Meeting, key: bytes | None = None) -> list[Segment]:
    """The meeting's segments, decrypted, in order."""
    key = key or _meeting_key(session, meeting)
    rows = session.exec(
        select(TranscriptSegment)
        .where(TranscriptSegment.meeting_id == meeting.id)
        .order_by(col(TranscriptSegment.position))
    ).all()
    return [
        Segment(
            index=r.position,
            speaker=r.speaker,
            start=r.start_s,
            end=r.end_s,
            text=crypto.decrypt_text(key, r.text_ciphertext),
            external_id=r.segment_key,
        )
        for r in rows
    ]


def _llm_client() -> Any:
    settings = get_settings()
    if settings.EXTRACTION_BACKEND != "llm" or not settings.LLM_BASE_URL:
        return None
    from bridge_app.services.llm import client_from_env

    return client_from_env()


def run_extract(meeting_id: uuid.UUID, version: int, run: RunInfo) -> NextJob | None:
    """Decision stage: segments → items (replacing this version's), and the meeting's draft."""
    with session_scope() as session:
        meeting = session.get(Meeting, meeting_id, with_for_update=True)
        if meeting is None or meeting.input_version != version:
            return None
        if meeting.status not in ("ingested", "extracting"):
            return _existing_draft_job(session, meeting) if meeting.status == "extracted" else None
        key = _meeting_key(session, meeting)
        segments = load_segments(session, meeting, key)
        settings = get_settings()
        items = extract_items(
            segments,
            meeting_date=meeting.meeting_date,
            backend=settings.EXTRACTION_BACKEND,
            llm_client=_llm_client(),
        )
        items = _link_to_matter(session, meeting, items)
        session.execute(
            sa.delete(Decision).where(
                col(Decision.meeting_id) == meeting.id, col(Decision.input_version) == version
            )
        )
        session.add_all(_decision_row(meeting, version, item, key) for item in items)
        _set_status(session, meeting, "extracted")
        draft = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).first()
        if draft is None:
            if meeting.intended_contract_type:
                ctype, reason, confidence = meeting.intended_contract_type, "chosen at upload", 1.0
            else:
                pick = pick_contract_type(items)
                ctype, reason, confidence = pick.type, pick.reason, pick.confidence
            draft = Draft(
                organization_id=meeting.organization_id,
                meeting_id=meeting.id,
                contract_type=ctype,
                type_reason=reason,
                type_confidence=confidence,
                created_by=meeting.created_by,
            )
            session.add(draft)
            session.flush()
        _record_run(
            session,
            meeting,
            "decision",
            run,
            version=version,
            outcome="succeeded",
            slo="meetingProcessing",
            slo_start=meeting.created_at,
        )
        record_event(
            session,
            organization_id=meeting.organization_id,
            event="decisions.extracted",
            payload={
                "meeting_id": str(meeting.id),
                "input_version": version,
                "items": len(items),
                "draft_id": str(draft.id),
            },
        )
        return NextJob("draft", draft.id, draft.requested_version)


def _link_to_matter(session: Session, meeting: Meeting, items: list[Item]) -> list[Item]:
    """A later meeting of the same matter supersedes the terms it changes.

    Earlier meetings' rows get `superseded_by = "<this meeting id>/<item key>"`; this meeting's
    items list the earlier ones as "<meeting id>/<item key>" in `supersedes`.
    """
    if meeting.matter_id is None:
        return items
    earlier = session.exec(
        select(Meeting).where(
            Meeting.matter_id == meeting.matter_id,
            Meeting.id != meeting.id,
            col(Meeting.created_at) < meeting.created_at,
            col(Meeting.status).in_(("extracted", "drafting", "drafted", "checking", "ready")),
        )
    ).all()
    rows: list[Decision] = []
    previous: list[Item] = []
    for other in earlier:
        other_key = _meeting_key(session, other)
        for row in session.exec(
            select(Decision).where(
                Decision.meeting_id == other.id,
                Decision.input_version == other.input_version,
                Decision.kind == "agreed_term",
            )
        ):
            item = decision_to_item(row, other_key)
            item.id = f"{other.id}/{row.item_key}"
            if item.superseded_by and "/" not in item.superseded_by:
                item.superseded_by = f"{other.id}/{item.superseded_by}"
            rows.append(row)
            previous.append(item)
    if not previous:
        return items
    linked = supersede_across(previous, items)
    for row, before, after in zip(rows, previous, linked[: len(previous)], strict=True):
        if after.superseded_by != before.superseded_by and after.superseded_by:
            row.superseded_by = f"{meeting.id}/{after.superseded_by}"[:200]
            session.add(row)
    return linked[len(previous) :]


def _existing_draft_job(session: Session, meeting: Meeting) -> NextJob | None:
    draft = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).first()
    if draft is None or draft.current_version >= draft.requested_version:
        return None
    return NextJob("draft", draft.id, draft.requested_version)


def _decision_row(meeting: Meeting, version: int, item: Item, key: bytes) -> Decision:
    content = {"statement": item.statement, "evidence": [e.to_dict() for e in item.evidence]}
    due: date | None = None
    if item.due:
        try:
            due = date.fromisoformat(item.due[:10])
        except ValueError:
            due = None
    return Decision(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        input_version=version,
        item_key=item.id[:64],
        kind=item.kind,
        content_ciphertext=crypto.encrypt(key, json.dumps(content).encode()),
        owner=(item.owner or None) and item.owner[:200],
        party=(item.party or None) and item.party[:200],
        due=due,
        values=item.values,
        confidence=min(1.0, max(0.0, float(item.confidence))),
        evidence_segment_keys=[e.segment_id for e in item.evidence],
        supersedes=list(item.supersedes),
        superseded_by=item.superseded_by,
        conflicts_with=list(item.conflicts_with),
    )


def decision_to_item(row: Decision, key: bytes) -> Item:
    """A stored decision as the core's Item, with the person's review applied."""
    content = json.loads(crypto.decrypt(key, row.content_ciphertext))
    statement = content["statement"]
    if row.edited_statement_ciphertext:
        statement = crypto.decrypt_text(key, row.edited_statement_ciphertext)
    return Item(
        id=row.item_key,
        kind=row.kind,  # type: ignore[arg-type]
        statement=statement,
        confidence=row.confidence,
        evidence=[Evidence(**e) for e in content.get("evidence", [])],
        owner=row.owner,
        party=row.party,
        due=row.due.isoformat() if row.due else None,
        values=dict(row.edited_values if row.edited_values is not None else row.values),
        supersedes=list(row.supersedes),
        superseded_by=row.superseded_by,
        conflicts_with=list(row.conflicts_with),
        review_status=row.review_status,  # type: ignore[arg-type]
    )


def load_items(session: Session, meeting: Meeting, key: bytes | None = None) -> list[Item]:
    key = key or _meeting_key(session, meeting)
    rows = session.exec(
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.input_version == meeting.input_version)
        .order_by(col(Decision.created_at), col(Decision.item_key))
    ).all()
    return [decision_to_item(r, key) for r in rows]


# ------------------------------------------------------------------------------ stage 3


def load_version_doc(session: Session, version: DraftVersion, key: bytes) -> DraftDoc:
    return DraftDoc.from_dict(json.loads(crypto.decrypt(key, version.body_ciphertext)))


def run_draft(
    draft_id: uuid.UUID, version: int, run: RunInfo, today: date | None = None
) -> NextJob | None:
    """Draft stage: items → a new immutable draft version with clause provenance."""
    with session_scope() as session:
        draft = session.get(Draft, draft_id, with_for_update=True)
        if draft is None:
            return None
        meeting = session.get(Meeting, draft.meeting_id, with_for_update=True)
        if meeting is None:
            return None
        existing = session.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.version == version
            )
        ).first()
        if existing is not None:
            return None if existing.qa_done else NextJob("qa", existing.id, 1)
        if version != draft.requested_version or draft.current_version >= version:
            return None
        key = _meeting_key(session, meeting)
        items = load_items(session, meeting, key)
        today = today or _now().date()
        previous = session.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
            )
        ).first()
        if previous is None:
            doc = make_draft(
                items,
                contract_type=draft.contract_type,  # type: ignore[arg-type]
                meeting_title=meeting.title,
                meeting_date=meeting.meeting_date or meeting.created_at.date(),
                today=today,
            )
            doc = replace(doc, version=version)
        else:
            old = load_version_doc(session, previous, key)
            doc = regenerate(old, items, contract_type=draft.contract_type, today=today)  # type: ignore[arg-type]
            doc = replace(doc, version=version, parent_version=previous.version)
        row = DraftVersion(
            organization_id=draft.organization_id,
            draft_id=draft.id,
            version=version,
            source="generated",
            body_ciphertext=crypto.encrypt(key, json.dumps(doc.to_dict()).encode()),
            created_by=draft.created_by,
        )
        session.add(row)
        session.flush()
        session.add_all(
            ClauseProvenance(
                organization_id=draft.organization_id,
                draft_version_id=row.id,
                clause_number=str(clause.number)[:16],
                clause_key=clause.key[:64],
                term=prov.term[:64],
                item_key=prov.item_id[:64],
                segment_keys=list(prov.segment_ids),
            )
            for clause in doc.clauses
            for prov in clause.provenance
        )
        draft.current_version = version
        draft.updated_at = _now()
        if draft.status == "approved":
            draft.status = "draft"  # a new text needs a new approval
        session.add(draft)
        _set_status(session, meeting, "drafted")
        _record_run(
            session, meeting, "draft", run, version=version, outcome="succeeded", draft_id=draft.id
        )
        record_event(
            session,
            organization_id=draft.organization_id,
            event="draft.created",
            payload={
                "meeting_id": str(meeting.id),
                "draft_id": str(draft.id),
                "version": version,
                "contract_type": draft.contract_type,
            },
        )
        return NextJob("qa", row.id, 1)


# ------------------------------------------------------------------------------ stage 4


def _owners(
    session: Session, version: DraftVersion | None
) -> tuple[Draft, Meeting] | tuple[None, None]:
    """The draft and meeting a version belongs to (None, None when either is gone)."""
    draft = session.get(Draft, version.draft_id) if version else None
    meeting = session.get(Meeting, draft.meeting_id) if draft else None
    return (draft, meeting) if draft and meeting else (None, None)


def run_check(
    version_id: uuid.UUID, _version: int, run: RunInfo, today: date | None = None
) -> NextJob | None:
    """QA stage: findings for one draft version (replacing earlier ones for it)."""
    with session_scope() as session:
        version = session.get(DraftVersion, version_id, with_for_update=True)
        if version is None or version.qa_done:
            return None
        draft, meeting = _owners(session, version)
        if draft is None or meeting is None:
            return None
        key = _meeting_key(session, meeting)
        doc = load_version_doc(session, version, key)
        findings = run_qa(doc, load_items(session, meeting, key), today=today or _now().date())
        session.execute(sa.delete(QAFinding).where(col(QAFinding.draft_version_id) == version.id))
        session.add_all(
            QAFinding(
                organization_id=version.organization_id,
                draft_version_id=version.id,
                code=f.code[:64],
                severity=f.severity,
                clause=f.clause,
                message=f.message,
                evidence={"refs": list(f.evidence), "data": f.data},
            )
            for f in findings
        )
        version.qa_done = True
        version.blocker_count = sum(1 for f in findings if f.severity == "blocker")
        session.add(version)
        if draft.current_version == version.version:
            _set_status(session, meeting, "ready")
        _record_run(
            session,
            meeting,
            "qa",
            run,
            version=version.version,
            outcome="succeeded",
            draft_id=draft.id,
            slo="draftGeneration",
            slo_start=draft.requested_at,
        )
        record_event(
            session,
            organization_id=version.organization_id,
            event="qa.completed",
            payload={
                "meeting_id": str(meeting.id),
                "draft_id": str(draft.id),
                "version": version.version,
                "findings": len(findings),
                "blockers": version.blocker_count,
            },
        )
        return None


# ------------------------------------------------------------------------------ stage 5


def run_export(
    export_id: uuid.UUID, _version: int, run: RunInfo, store: ObjectStore | None = None
) -> NextJob | None:
    """Export stage: render one draft version to a file in object storage."""
    from bridge_app.services.render import render

    store = store or get_store()
    with session_scope() as session:
        export = session.get(Export, export_id, with_for_update=True)
        if export is None or export.status == "done":
            return None
        version = session.get(DraftVersion, export.draft_version_id)
        draft, meeting = _owners(session, version)
        if version is None or draft is None or meeting is None:
            return None
        key = _meeting_key(session, meeting)
        doc = load_version_doc(session, version, key)
        data, content_type, extension = render(doc, export.format)
        object_key = f"{export.organization_id}/exports/{export.id}.{extension}"
        payload = data if store.encrypts_at_rest_itself else crypto.encrypt(key, data)
        stored = store.put(object_key, payload, content_type=content_type)
        export.status = "done"
        export.object_key = stored.key
        export.content_type = content_type
        export.size_bytes = len(data)
        export.sha256 = hashlib.sha256(data).hexdigest()
        export.finished_at = _now()
        session.add(export)
        _record_run(
            session,
            meeting,
            "export",
            run,
            version=version.version,
            outcome="succeeded",
            draft_id=draft.id,
            export_id=export.id,
            slo="export",
            slo_start=export.created_at,
        )
        record_event(
            session,
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


# ------------------------------------------------------------------------------ failures


StageRunner = Callable[[uuid.UUID, int, RunInfo], "NextJob | None"]

STAGE_RUNNERS: dict[str, StageRunner] = {
    "transcript": run_ingest,
    "decision": run_extract,
    "draft": run_draft,
    "qa": run_check,
    "export": run_export,
}


def mark_failed(stage: str, subject_id: uuid.UUID, version: int, reason: str, run: RunInfo) -> None:
    """Give up on a stage (bad input, or retries exhausted): the meeting says why."""
    with session_scope() as session:
        ids: dict[str, Any] = {}
        meeting: Meeting | None
        if stage in ("transcript", "decision"):
            meeting = session.get(Meeting, subject_id, with_for_update=True)
        elif stage == "draft":
            draft = session.get(Draft, subject_id)
            meeting = session.get(Meeting, draft.meeting_id) if draft else None
            ids["draft_id"] = subject_id
        elif stage == "qa":
            draft, meeting = _owners(session, session.get(DraftVersion, subject_id))
            ids["draft_id"] = draft.id if draft else None
        else:
            export = session.get(Export, subject_id, with_for_update=True)
            dv = session.get(DraftVersion, export.draft_version_id) if export else None
            draft, meeting = _owners(session, dv)
            if export is not None:
                export.status = "failed"
                export.error = reason[:2000]
                export.finished_at = _now()
                session.add(export)
                ids["export_id"] = export.id
        if meeting is None:
            return
        if stage == "export":
            # An export failing does not fail the meeting: it keeps its draft; report the run.
            _record_run(
                session,
                meeting,
                stage,
                run,
                version=version,
                outcome="failed",
                error=reason[:2000],
                **ids,
            )
            record_event(
                session,
                organization_id=meeting.organization_id,
                event="stage.failed",
                payload={"meeting_id": str(meeting.id), "stage": stage, "reason": reason[:500]},
            )
            return
        _fail_meeting(session, meeting, stage, reason, run, version, **ids)


def mark_started(stage: str, subject_id: uuid.UUID, version: int) -> None:
    """Show progress: the meeting moves to the stage's in-progress status (best effort)."""
    status = {"transcript": "ingesting", "decision": "extracting"}.get(stage)
    with session_scope() as session:
        if status:
            session.execute(
                sa.update(Meeting)
                .where(
                    col(Meeting.id) == subject_id,
                    col(Meeting.input_version) == version,
                    col(Meeting.status).in_(("uploaded", "ingested")),
                )
                .values(status=status, updated_at=_now())
            )
        elif stage == "draft":
            session.execute(
                sa.update(Meeting)
                .where(
                    col(Meeting.id)
                    == sa.select(col(Draft.meeting_id))
                    .where(col(Draft.id) == subject_id)
                    .scalar_subquery(),
                    col(Meeting.status).in_(("extracted", "ready", "drafted")),
                )
                .values(status="drafting", updated_at=_now())
            )
        elif stage == "qa":
            session.execute(
                sa.update(Meeting)
                .where(
                    col(Meeting.id)
                    == sa.select(col(Draft.meeting_id))
                    .join(DraftVersion, col(DraftVersion.draft_id) == col(Draft.id))
                    .where(col(DraftVersion.id) == subject_id)
                    .scalar_subquery(),
                    col(Meeting.status) == "drafted",
                )
                .values(status="checking", updated_at=_now())
            )


def retry_meeting(session: Session, meeting: Meeting) -> NextJob | None:
    """Re-enqueue a failed meeting at the stage that failed (the API's retry action)."""
    if meeting.status != "failed" or meeting.failed_stage is None:
        return None
    stage = meeting.failed_stage
    back_to = {"transcript": "uploaded", "decision": "ingested"}
    if stage in back_to:
        meeting.status = back_to[stage]
        job = NextJob(stage, meeting.id, meeting.input_version)
    else:
        draft = session.exec(select(Draft).where(Draft.meeting_id == meeting.id)).first()
        if draft is None:
            meeting.status = "ingested"
            job = NextJob("decision", meeting.id, meeting.input_version)
        else:
            # A new requested version gives the job a new id (the old one may be kept by arq).
            draft.requested_version = max(draft.requested_version, draft.current_version) + 1
            draft.requested_at = _now()
            session.add(draft)
            meeting.status = "extracted"
            job = NextJob("draft", draft.id, draft.requested_version)
    meeting.failed_stage = None
    meeting.failure_reason = None
    meeting.updated_at = _now()
    session.add(meeting)
    return job


def request_new_draft_version(session: Session, draft: Draft) -> NextJob:
    """Regenerate after decision edits: a new version number, so a new deterministic job id."""
    draft.requested_version = max(draft.requested_version, draft.current_version) + 1
    draft.requested_at = _now()
    draft.updated_at = _now()
    session.add(draft)
    return NextJob("draft", draft.id, draft.requested_version)
