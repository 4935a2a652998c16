"""Recordings: playback links for signed-in members, and the audio itself with byte ranges.

The audio stays encrypted at rest (1 MiB parts under the meeting's data key); each request
decrypts only the parts its range covers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlmodel import select
from starlette.concurrency import run_in_threadpool

from bridge_app.api.deps import Reader, SessionDep, client_ip
from bridge_app.models import Meeting, Membership, User
from bridge_app.services import audit, crypto
from bridge_app.services.db import get_owned, session_scope
from bridge_app.services.errors import NotFound
from bridge_app.services.storage import get_store
from bridge_app.services.transcription import playback
from bridge_app.services.transcription.stage import track_reader

router = APIRouter(prefix="/v1", tags=["recordings"])

CHUNK = 1024 * 1024


class RecordingTrack(BaseModel):
    index: int
    name: str | None
    filename: str
    duration_s: float
    content_type: str
    url: str


class RecordingLinks(BaseModel):
    """Where to play each track of a meeting's recording (links expire)."""

    expires_in: int
    duration_s: float
    speakers_from: str | None
    tracks: list[RecordingTrack]


@router.get("/meetings/{meeting_id}/recording", response_model=RecordingLinks)
def recording_links(
    *, meeting_id: uuid.UUID, request: Request, principal: Reader, session: SessionDep
) -> RecordingLinks:
    """Signed playback links for the caller (404 when the meeting has no recording)."""
    meeting = get_owned(session, Meeting, meeting_id, principal.organization_id)
    if meeting is None:
        raise NotFound("no such meeting")
    if meeting.recording is None or principal.user_id is None:
        raise NotFound("this meeting has no recording")
    tracks = [
        RecordingTrack(
            index=index,
            name=entry.get("name"),
            filename=entry.get("filename", ""),
            duration_s=entry.get("duration_s", 0.0),
            content_type=entry.get("content_type", "application/octet-stream"),
            url=playback.link_path(meeting.id, index, principal.user_id),
        )
        for index, entry in enumerate(meeting.recording.get("tracks", []))
    ]
    audit.append_for(
        session,
        principal,
        action="recording.link",
        ip=client_ip(request),
        object_type="meeting",
        object_id=meeting.id,
        detail={"tracks": len(tracks)},
    )
    return RecordingLinks(
        expires_in=playback.LINK_SECONDS,
        duration_s=meeting.recording.get("duration_s", 0.0),
        speakers_from=meeting.recording.get("speakers_from"),
        tracks=tracks,
    )


@router.get(
    "/recordings/{meeting_id}/{track}",
    response_class=Response,
    responses={200: {"content": {"audio/*": {}}}, 206: {"content": {"audio/*": {}}}},
)
async def play_recording(
    *,
    meeting_id: uuid.UUID,
    track: Annotated[int, Path(ge=0, le=64)],
    user: Annotated[uuid.UUID, Query()],
    expires: Annotated[int, Query()],
    sig: Annotated[str, Query(max_length=100, pattern=r"^[A-Za-z0-9_\-]+={0,2}$")],
    range_header: Annotated[str | None, Header(alias="Range", max_length=200)] = None,
) -> Response:
    """The track's audio, decrypted; honours one ``Range`` (206) as media players send."""
    if not playback.verify(meeting_id, track, user, expires, sig):
        raise NotFound("the link is not valid or has expired")

    def open_track() -> tuple[Any, dict[str, Any]]:
        with session_scope() as session:
            meeting = session.get(Meeting, meeting_id)
            member = session.exec(
                select(Membership)
                .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
                .where(
                    Membership.user_id == user,
                    Membership.organization_id == (meeting.organization_id if meeting else None),
                    User.is_active == True,  # noqa: E712
                )
            ).first()
            if meeting is None or member is None or meeting.data_key_id is None:
                raise NotFound("no such recording")
            tracks = (meeting.recording or {}).get("tracks", [])
            if track >= len(tracks):
                raise NotFound("no such recording")
            key = crypto.load_data_key(session, meeting.data_key_id)
            return track_reader(meeting, track, key, get_store())

    reader, entry = await run_in_threadpool(open_track)
    size = reader.size
    try:
        wanted = playback.byte_range(range_header, size)
    except playback.RangeNotSatisfiable:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    headers = {
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Length": str(wanted.end - wanted.start + 1),
    }
    content_type = entry.get("content_type", "application/octet-stream")
    if wanted.partial:
        data = await run_in_threadpool(reader.read_range, wanted.start, wanted.end)
        headers["Content-Range"] = wanted.content_range(size)
        return Response(data, status_code=206, media_type=content_type, headers=headers)

    def whole() -> Iterator[bytes]:
        reader.seek(0)
        while block := reader.read(CHUNK):
            yield block

    return StreamingResponse(whole(), media_type=content_type, headers=headers)
