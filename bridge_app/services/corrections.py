"""Corrections of a meeting's transcript: a segment's text or speaker, a speaker named, two
speakers merged.

Each correction is made against the transcript version the person read (`version`; a stale
one is refused with 409) and is stored as the meeting's next input version: every segment is
copied into it (changed ones re-encrypted, the rest as they are), the earlier versions stay,
and the meeting goes back to `ingested` so the decision stage extracts the new version. The
pipeline then drafts and checks it as usual; the reviews of unchanged items carry over
(services/review_carryover.py). Audited with who, the old and new text (sealed under the
meeting's key) and the reason.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from bridge_app.core.stages import MeetingStatus, Stage
from bridge_app.models import Draft, Meeting, TranscriptSegment
from bridge_app.services import audit, audit_view, crypto
from bridge_app.services.db import get_owned
from bridge_app.services.errors import Conflict, Invalid, NotFound
from bridge_app.services.meeting_data import (
    audit_label,
    data_key,
    participants_of,
    seal_json,
    speaker_of,
)
from bridge_app.services.principal import Principal, require
from bridge_app.services.queries import owned
from bridge_app.services.queue import NextJob
from bridge_app.services.stages.transaction import insert_rows, now

MAX_TEXT = 10_000
MAX_SPEAKER = 200
MAX_REASON = 2000
# Failed after its transcript was in: the segments exist and a correction re-runs the rest.
CORRECTABLE_FAILURES = (Stage.decision, Stage.draft, Stage.qa)


@dataclass
class _Line:
    """One segment of the version being corrected: its row, and its speaker and text
    (decrypted; replaced where the correction changes them)."""

    row: TranscriptSegment
    speaker: str
    text: str
    changed: bool = False


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("a reason is required to correct the transcript")
    if len(reason) > MAX_REASON:
        raise Invalid(f"the reason is longer than {MAX_REASON} characters")
    return reason


def _speaker(name: str | None, what: str = "the speaker's name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(f"{what} cannot be empty")
    if len(name) > MAX_SPEAKER:
        raise Invalid(f"{what} is longer than {MAX_SPEAKER} characters")
    return name


def _open(
    session: Session, principal: Principal, meeting_id: uuid.UUID | str, version: int
) -> tuple[Meeting, bytes, list[_Line]]:
    """The meeting (locked) and its current version's segments, once the correction may be
    made: the person may review, the version is the current one and nothing is in flight."""
    require(principal, "review")
    meeting = owned(session, Meeting, meeting_id, principal.organization_id)
    session.refresh(meeting, with_for_update=True)
    if version != meeting.input_version:
        raise Conflict(
            f"the transcript has changed since you opened it: you corrected version {version}, "
            f"version {meeting.input_version} is current; reload it and make the correction "
            "again",
            current_version=meeting.input_version,
        )
    failed_after_transcript = (
        meeting.status == MeetingStatus.failed and meeting.failed_stage in CORRECTABLE_FAILURES
    )
    if meeting.status != MeetingStatus.ready and not failed_after_transcript:
        raise Conflict(
            f"the meeting is being processed ({meeting.status}); correct the transcript once it "
            "is ready"
        )
    pending = session.exec(
        select(Draft.id).where(
            Draft.meeting_id == meeting.id,
            col(Draft.current_version) < col(Draft.requested_version),
        )
    ).first()
    if pending is not None and not failed_after_transcript:
        raise Conflict("a draft version is being generated; correct the transcript once it is in")
    key = data_key(session, meeting)
    rows = session.exec(
        select(TranscriptSegment)
        .where(
            TranscriptSegment.meeting_id == meeting.id,
            TranscriptSegment.input_version == meeting.input_version,
        )
        .order_by(col(TranscriptSegment.position))
    ).all()
    if not rows:
        raise Conflict("the meeting has no transcript segments to correct")
    lines = [
        _Line(r, speaker_of(r, key), crypto.decrypt_text(key, r.text_ciphertext)) for r in rows
    ]
    return meeting, key, lines


def _speakers(lines: list[_Line]) -> list[str]:
    return list(dict.fromkeys(line.speaker for line in lines))


def _new_version(
    session: Session,
    principal: Principal,
    meeting: Meeting,
    key: bytes,
    lines: list[_Line],
    *,
    action: str,
    old: dict[str, str],
    new: dict[str, str],
    renamed: dict[str, str],
    reason: str,
    ip: str | None,
) -> NextJob:
    """Store the corrected lines as the next input version, audit it, and hand the new
    version to the decision stage."""
    previous, version = meeting.input_version, meeting.input_version + 1
    session.flush()  # the COPY below runs on the session's connection, after its pending work
    # One COPY for the whole version (a one-hour meeting has over a thousand segments).
    insert_rows(
        session,
        TranscriptSegment,
        (
            dict(
                organization_id=line.row.organization_id,
                meeting_id=line.row.meeting_id,
                input_version=version,
                position=line.row.position,
                segment_key=line.row.segment_key,
                speaker="",
                speaker_ciphertext=crypto.encrypt_text(key, line.speaker)
                if line.changed or line.row.speaker_ciphertext is None
                else line.row.speaker_ciphertext,
                start_s=line.row.start_s,
                end_s=line.row.end_s,
                text_ciphertext=crypto.encrypt_text(key, line.text)
                if line.changed
                else line.row.text_ciphertext,
            )
            for line in lines
        ),
    )
    participants = [renamed.get(p, p) for p in participants_of(meeting)]
    participants += [s for s in _speakers(lines) if s not in participants and s not in renamed]
    meeting.participants = []
    meeting.participants_ciphertext = seal_json(key, list(dict.fromkeys(participants)))
    meeting.input_version = version
    meeting.status = MeetingStatus.ingested
    meeting.failed_stage = None
    meeting.failure_reason = None
    meeting.updated_at = now()
    session.add(meeting)
    audit.append_for(
        session,
        principal,
        action=action,
        ip=ip,
        object_type="meeting",
        object_id=meeting.id,
        detail={
            "meeting_id": str(meeting.id),
            "object_name": f"{audit_label(meeting)} · transcript",
            "from_version": previous,
            "version": version,
            "segments": [line.row.position for line in lines if line.changed],
            "reason": reason,
            **audit_view.seal_change(key, old, new),
        },
    )
    session.flush()
    return NextJob(Stage.decision, meeting.id, version)


def correct_segment(
    session: Session,
    *,
    principal: Principal,
    meeting_id: uuid.UUID | str,
    version: int,
    position: int,
    text: str | None = None,
    speaker: str | None = None,
    reason: str | None = None,
    ip: str | None = None,
) -> tuple[Meeting, NextJob]:
    """Change one segment's text and/or speaker (reassigning it to another or a new speaker)."""
    require(principal, "review")
    reason = _reason(reason)
    if text is None and speaker is None:
        raise Invalid("a correction needs the segment's new text or its new speaker")
    if text is not None:
        text = text.strip()
        if not text:
            raise Invalid("the segment's text cannot be empty")
        if len(text) > MAX_TEXT:
            raise Invalid(f"the segment's text is longer than {MAX_TEXT} characters")
    if speaker is not None:
        speaker = _speaker(speaker)
    meeting, key, lines = _open(session, principal, meeting_id, version)
    line = next((x for x in lines if x.row.position == position), None)
    if line is None:
        raise NotFound(f"the transcript has no segment {position}")
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    label = f"segment {position}"
    if text is not None and text != line.text:
        old[f"{label} text"], new[f"{label} text"] = line.text, text
        line.text = text
    if speaker is not None and speaker != line.speaker:
        old[f"{label} speaker"], new[f"{label} speaker"] = line.speaker, speaker
        line.speaker = speaker
    if not new:
        raise Invalid("nothing changed: the segment already reads like that")
    line.changed = True
    job = _new_version(
        session,
        principal,
        meeting,
        key,
        lines,
        action="transcript.correct",
        old=old,
        new=new,
        renamed={},
        reason=reason,
        ip=ip,
    )
    return meeting, job


def rename_speaker(
    session: Session,
    *,
    principal: Principal,
    meeting_id: uuid.UUID | str,
    version: int,
    speaker: str,
    name: str,
    reason: str | None = None,
    ip: str | None = None,
) -> tuple[Meeting, NextJob]:
    """Name a speaker ("Speaker 1" → "Alice Morgan") in all of its segments."""
    require(principal, "review")
    reason = _reason(reason)
    name = _speaker(name, "the new name")
    meeting, key, lines = _open(session, principal, meeting_id, version)
    speakers = _speakers(lines)
    if speaker not in speakers:
        raise Invalid(f"the transcript has no speaker {speaker!r}")
    if name == speaker:
        raise Invalid("nothing changed: the speaker already has that name")
    if name in speakers:
        raise Invalid(f"{name!r} already speaks in this transcript; merge the two speakers instead")
    return meeting, _relabel(
        session,
        principal,
        meeting,
        key,
        lines,
        speaker,
        name,
        "transcript.rename_speaker",
        reason,
        ip,
    )


def merge_speakers(
    session: Session,
    *,
    principal: Principal,
    meeting_id: uuid.UUID | str,
    version: int,
    speaker: str,
    into: str,
    reason: str | None = None,
    ip: str | None = None,
) -> tuple[Meeting, NextJob]:
    """Give all of `speaker`'s segments to `into` (two labels that are one person)."""
    require(principal, "review")
    reason = _reason(reason)
    meeting, key, lines = _open(session, principal, meeting_id, version)
    speakers = _speakers(lines)
    for who in (speaker, into):
        if who not in speakers:
            raise Invalid(f"the transcript has no speaker {who!r}")
    if speaker == into:
        raise Invalid("choose two different speakers to merge")
    return meeting, _relabel(
        session,
        principal,
        meeting,
        key,
        lines,
        speaker,
        into,
        "transcript.merge_speakers",
        reason,
        ip,
    )


def _relabel(
    session: Session,
    principal: Principal,
    meeting: Meeting,
    key: bytes,
    lines: list[_Line],
    speaker: str,
    name: str,
    action: str,
    reason: str,
    ip: str | None,
) -> NextJob:
    for line in lines:
        if line.speaker == speaker:
            line.speaker, line.changed = name, True
    return _new_version(
        session,
        principal,
        meeting,
        key,
        lines,
        action=action,
        old={"speaker": speaker},
        new={"speaker": name},
        renamed={speaker: name},
        reason=reason,
        ip=ip,
    )


def transcript_for_editing(
    session: Session, organization_id: uuid.UUID, meeting_id: uuid.UUID | str
) -> dict[str, Any] | None:
    """The current version's number, speakers (with their segment counts) and segments, for
    the correction editor; None for a meeting outside the organization."""
    meeting = get_owned(session, Meeting, meeting_id, organization_id)
    if meeting is None or meeting.data_key_id is None:
        return None
    key = data_key(session, meeting)
    rows = session.exec(
        select(TranscriptSegment)
        .where(
            TranscriptSegment.meeting_id == meeting.id,
            TranscriptSegment.input_version == meeting.input_version,
        )
        .order_by(col(TranscriptSegment.position))
    ).all()
    speakers = [speaker_of(r, key) for r in rows]
    segments = [
        {
            "position": r.position,
            "speaker": who,
            "start": r.start_s,
            "text": crypto.decrypt_text(key, r.text_ciphertext),
        }
        for r, who in zip(rows, speakers, strict=True)
    ]
    return {
        "version": meeting.input_version,
        "status": meeting.status,
        "speakers": [{"name": name, "segments": n} for name, n in Counter(speakers).items()],
        "segments": segments,
    }
