"""A recording through the real workers: chunked transcription with live progress, a crash
that resumes from the last finished chunk, speakers from the track names, and the agreed
terms in the draft.

Audio: a two-voice negotiation synthesised with espeak-ng, one track per participant.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from bridge_app.core.stages import Stage
from bridge_app.models import Draft, DraftVersion, Meeting, StageRun, TranscriptSegment
from bridge_app.services import corrections, crypto
from bridge_app.services.db import get_engine, session_scope
from bridge_app.services.meeting_data import load_segments, participants_of, speaker_of
from bridge_app.services.queue import NextJob
from bridge_app.services.upload import submit_meeting
from tests import speech
from tests.api.support import make_org
from tests.jobs.conftest import Workers, _enqueue, run, wait_for, wait_status

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.usefixtures("redis_clean")]

# Small chunks and a tiny budget: every job hands over after one chunk, so continuations,
# progress and resumption are all exercised on 37 s of audio per track.
TRANSCRIPT_ENV = {
    "BRIDGE_JOB_TIMEOUT_S": "20",  # a killed job is picked up again ~30 s later
    "TRANSCRIPTION_CHUNK_S": "12",
    "TRANSCRIPTION_JOB_BUDGET_S": "0.1",
}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The upload (here) plans the chunks, so it needs the workers' chunk size too."""
    from bridge_app.settings import get_settings

    monkeypatch.setenv("TRANSCRIPTION_CHUNK_S", TRANSCRIPT_ENV["TRANSCRIPTION_CHUNK_S"])
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _submit(org_id: uuid.UUID, data: bytes, filename: str) -> uuid.UUID:
    with session_scope(get_engine()) as session:
        meeting, _ = submit_meeting(
            session,
            organization_id=org_id,
            user_id=None,
            filename=filename,
            data=data,
            title="Analytics SOW call",
            meeting_date=date(2026, 1, 15),
            intended_contract_type="sow",
        )
        job = NextJob(Stage.transcript, meeting.id, meeting.input_version)
    run(_enqueue(job))
    return meeting.id


def _meeting(meeting_id: uuid.UUID) -> Meeting:
    with Session(get_engine()) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        session.expunge(meeting)
        return meeting


def _checkpoints(storage: Path, meeting: Meeting) -> dict[str, int]:
    folder = storage / str(meeting.organization_id) / "meetings" / str(meeting.id)
    return {p.name: p.stat().st_mtime_ns for p in folder.rglob("chunks/c*")}


def test_a_track_zip_becomes_a_draft_with_the_agreed_terms(
    workers: Workers, worker_env: dict[str, str], org
) -> None:
    conv = speech.conversation()
    archive = speech.tracks_zip(conv)
    workers.start("transcript", **TRANSCRIPT_ENV)
    workers.start_all(("decision", "draft", "qa", "maintenance"))
    meeting_id = _submit(org.id, archive, "sow-call.zip")
    storage = Path(worker_env["LOCAL_STORAGE_DIR"])

    # Live progress: a share strictly between 0 and 1 is committed while the stage runs.
    first = _meeting(meeting_id)
    total_chunks = sum(len(t["cuts"]) - 1 for t in first.recording["tracks"])  # type: ignore[index]
    assert total_chunks >= 6
    seen = wait_for(
        lambda: (p := _meeting(meeting_id).transcription_progress) and 0 < p < 0.75 and p,
        240,
        "partial transcription progress",
        interval=0.05,
    )
    # A crash mid-recording: the worker dies; its replacement redoes no finished chunk.
    workers.kill("transcript")
    before = _checkpoints(storage, first)
    assert 0 < len(before) < total_chunks
    workers.start("transcript", **TRANSCRIPT_ENV)
    wait_status(meeting_id, "ready", timeout=300)

    meeting = _meeting(meeting_id)
    after = _checkpoints(storage, meeting)
    assert len(after) == total_chunks
    assert all(after[name] == mtime for name, mtime in before.items()), "a chunk was redone"
    assert meeting.transcription_progress == 1.0 and seen < 1.0
    # Participants are encrypted at rest (security): read them as the app does.
    assert participants_of(meeting) == ["Alice Morgan", "Bob Fischer"]

    with Session(get_engine()) as session:
        key = crypto.load_data_key(session, meeting.data_key_id)  # type: ignore[arg-type]
        segments = session.exec(
            select(TranscriptSegment)
            .where(TranscriptSegment.meeting_id == meeting_id)
            .order_by(col(TranscriptSegment.position))
        ).all()
        # Speakers are encrypted at rest too: read them as the app does.
        texts = [
            (speaker_of(s, key), crypto.decrypt_text(key, s.text_ciphertext)) for s in segments
        ]
        assert {who for who, _ in texts} == {"Alice Morgan", "Bob Fischer"}
        assert any(who == "Bob Fischer" and "Summit Logistics" in text for who, text in texts)
        assert any(who == "Alice Morgan" and "Blue River" in text for who, text in texts)
        assert [s.start_s for s in segments] == sorted(s.start_s for s in segments)
        runs = session.exec(
            select(StageRun).where(
                StageRun.meeting_id == meeting_id, StageRun.stage == "transcript"
            )
        ).all()
        assert [r.outcome for r in runs] == ["succeeded"]
        draft = session.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        version = session.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
            )
        ).one()
        doc = json.loads(crypto.decrypt(key, version.body_ciphertext))
    body = json.dumps(doc)
    assert "38,000" in body
    assert "2 March 2026" in body
    assert "Blue River Analytics" in body and "Summit Logistics" in body

    # At rest the recording is ciphertext only: no stored object holds the tracks' bytes.
    stored = [p.read_bytes() for p in storage.rglob("*") if p.is_file()]
    assert stored and not any(b"ftyp" in blob or b"Lavf" in blob for blob in stored)


def test_a_recording_with_no_speech_fails_its_meeting_saying_so(workers: Workers, org) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    hum = (rng.standard_normal(16_000 * 3) * 0.01).astype(np.float32)
    workers.start("transcript", **TRANSCRIPT_ENV)
    meeting_id = _submit(org.id, speech.encode(hum), "hum.wav")
    wait_status(meeting_id, "failed", timeout=120)
    meeting = _meeting(meeting_id)
    assert meeting.failed_stage == "transcript"
    assert "no recognisable speech" in (meeting.failure_reason or "")


def _draft_body(meeting_id: uuid.UUID) -> tuple[int, str]:
    with Session(get_engine()) as session:
        meeting = session.get(Meeting, meeting_id)
        draft = session.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        version = session.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.version == draft.current_version
            )
        ).one()
        key = crypto.load_data_key(session, meeting.data_key_id)  # type: ignore[union-attr,arg-type]
        return draft.current_version, crypto.decrypt(key, version.body_ciphertext).decode()


def _correct(action: Any, meeting_id: uuid.UUID, **kwargs: Any) -> None:
    """One correction as the UI makes it, its job enqueued; waits until the re-run is done."""
    with session_scope(get_engine()) as session:
        _, job = action(session, meeting_id=meeting_id, reason="checked the recording", **kwargs)
    run(_enqueue(job))
    wait_for(lambda: _meeting(meeting_id).input_version == job.version, 10, "the new version")
    wait_status(meeting_id, "ready", timeout=120)


def _lines(meeting_id: uuid.UUID) -> list[Any]:
    with session_scope(get_engine()) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        return load_segments(session, meeting)


def test_a_corrected_segment_of_a_recording_changes_the_draft(workers: Workers) -> None:
    """One mixed track: every segment is "Speaker 1" until a person names the speakers; then
    correcting the agreed price in the text re-runs extraction, drafting and QA on the
    workers, and the draft changes."""
    legal = make_org("Correcting").principals["legal"]
    workers.start("transcript", **TRANSCRIPT_ENV)
    workers.start_all(("decision", "draft", "qa", "maintenance"))
    meeting_id = _submit(
        legal.organization_id, speech.encode(speech.conversation().mix), "call.wav"
    )
    wait_status(meeting_id, "ready", timeout=240)
    assert {line.speaker for line in _lines(meeting_id)} == {"Speaker 1"}
    first_version, first_body = _draft_body(meeting_id)
    assert "38,000" not in first_body  # one voice agreeing with itself is no agreement

    _correct(
        corrections.rename_speaker,
        meeting_id,
        principal=legal,
        version=1,
        speaker="Speaker 1",
        name="Alice Morgan",
    )
    accepted = next(x for x in _lines(meeting_id) if "works for us" in x.text and "38" in x.text)
    _correct(
        corrections.correct_segment,
        meeting_id,
        principal=legal,
        version=2,
        position=accepted.index,
        speaker="Bob Fischer",
    )
    lines = _lines(meeting_id)
    assert {x.speaker for x in lines} == {"Alice Morgan", "Bob Fischer"}
    named_version, named_body = _draft_body(meeting_id)
    assert named_version > first_version and "38,000" in named_body

    _correct(
        corrections.correct_segment,
        meeting_id,
        principal=legal,
        version=3,
        position=accepted.index,
        text=accepted.text.replace("38", "42"),
    )
    last_version, last_body = _draft_body(meeting_id)
    assert last_version > named_version
    assert "42,000" in last_body and "38,000" not in last_body
    assert _meeting(meeting_id).input_version == 4
