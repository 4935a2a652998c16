"""Transcript stage: the stored upload → normalized, encrypted transcript segments."""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from sqlmodel import col

from bridge_app.core.stages import MeetingStatus, Stage
from bridge_app.core.transcript import parse_transcript
from bridge_app.core.transcript.model import Transcript, TranscriptError
from bridge_app.models import Meeting, TranscriptSegment
from bridge_app.services import crypto
from bridge_app.services.meeting_data import seal_json
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.transaction import StageTransaction
from bridge_app.services.transcription import stage as transcription
from bridge_app.services.upload import source_object_key
from bridge_app.settings import get_settings


def _replace_original_with_redacted(
    tx: StageTransaction, meeting: Meeting, key: bytes, transcript: Transcript
) -> None:
    """With redaction on, the unredacted upload must not outlive the ingest: the stored
    object becomes the redacted segments (the JSON transcript format, so a re-run of this
    stage reads it back the same)."""
    redacted = [
        {"id": s.segment_id, "speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text}
        for s in transcript.segments
    ]
    tx.store.put(
        meeting.source_object_key or source_object_key(meeting),
        crypto.encrypt(key, json.dumps(redacted, ensure_ascii=False).encode()),
        content_type="application/octet-stream",
    )


def run(tx: StageTransaction, meeting_id: uuid.UUID, version: int) -> NextJob | None:
    """Parse the meeting's upload of input `version` and store its segments."""
    session = tx.session
    meeting = tx.lock(Meeting, meeting_id)
    if meeting is None or meeting.input_version != version:
        return None
    if meeting.status == MeetingStatus.ingested:
        return NextJob(Stage.decision, meeting.id, version)
    if meeting.status not in (MeetingStatus.uploaded, MeetingStatus.ingesting):
        return None
    key = tx.key(meeting)
    try:
        # A recording's chunks were transcribed before this transaction (runner.run_stage).
        transcript = transcription.transcript_for(meeting, key, tx.store)
        if transcript is None:
            raw = crypto.decrypt(
                key, tx.store.get(meeting.source_object_key or source_object_key(meeting))
            )
            transcript = parse_transcript(
                raw,
                filename=meeting.source_filename,
                redact=meeting.redact,
                max_bytes=get_settings().MAX_UPLOAD_BYTES,
            )
    except TranscriptError as exc:
        tx.failed(meeting, f"{exc.code}: {exc}", version=version)
        return None
    tx.replace(
        sa.delete(TranscriptSegment).where(
            col(TranscriptSegment.meeting_id) == meeting.id,
            col(TranscriptSegment.input_version) == version,
        ),
        (
            dict(
                organization_id=meeting.organization_id,
                meeting_id=meeting.id,
                input_version=version,
                position=i,
                segment_key=seg.segment_id[:300],
                speaker_ciphertext=crypto.encrypt_text(key, seg.speaker[:200]),
                start_s=seg.start,
                end_s=seg.end,
                text_ciphertext=crypto.encrypt_text(key, seg.text),
            )
            for i, seg in enumerate(transcript.segments)
        ),
        model=TranscriptSegment,
    )
    meeting.source_format = transcript.format
    if meeting.redact:
        _replace_original_with_redacted(tx, meeting, key, transcript)
    meeting.participants = []
    meeting.participants_ciphertext = seal_json(key, list(transcript.participants))
    meeting.warnings = list(transcript.warnings)
    meeting.redaction_report = [r.to_dict() for r in transcript.redactions]
    tx.set_status(meeting, MeetingStatus.ingested)
    session.add(meeting)
    tx.succeeded(
        meeting,
        version=version,
        event="meeting.ingested",
        payload={
            "meeting_id": str(meeting.id),
            "input_version": version,
            "segments": len(transcript.segments),
            "format": transcript.format,
        },
    )
    return NextJob(Stage.decision, meeting.id, version)
