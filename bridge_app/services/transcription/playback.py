"""Playing a recording: signed, expiring, per-user links, and byte ranges decrypted on demand.

An ``<audio>`` element cannot send the API's bearer token, so a signed-in member first asks
for a link (an authenticated, audited API call); the link names the user, the meeting and the
track, expires, and is signed with a key derived from JWT_SECRET. Every request on it checks
again that the user is an active member of the meeting's organization.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlmodel import col, select

from bridge_app.models import TranscriptSegment
from bridge_app.services.meeting_data import data_key, speaker_of
from bridge_app.settings import Settings, get_settings

LINK_SECONDS = 30 * 60
#: A range request serves at most this much at a time (a browser asks again for more).
MAX_RANGE_BYTES = 4 * 1024 * 1024
_RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(ValueError):
    """The Range header asks for bytes the file does not have."""


def _key(settings: Settings) -> bytes:
    return hashlib.sha256(b"bridge-recording-link|" + settings.JWT_SECRET.encode()).digest()


def _sign(meeting_id: uuid.UUID, track: int, user_id: uuid.UUID, expires: int, key: bytes) -> str:
    message = f"{meeting_id}|{track}|{user_id}|{expires}".encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()[:43]


def link_path(
    meeting_id: uuid.UUID,
    track: int,
    user_id: uuid.UUID,
    *,
    now: float | None = None,
    settings: Settings | None = None,
) -> str:
    """``/v1/recordings/{meeting}/{track}?user=…&expires=…&sig=…`` (relative to the API URL)."""
    settings = settings or get_settings()
    expires = int((now if now is not None else time.time()) + LINK_SECONDS)
    sig = _sign(meeting_id, track, user_id, expires, _key(settings))
    query = urlencode({"user": str(user_id), "expires": expires, "sig": sig})
    return f"/v1/recordings/{meeting_id}/{track}?{query}"


def verify(
    meeting_id: uuid.UUID,
    track: int,
    user_id: uuid.UUID,
    expires: int,
    sig: str,
    *,
    now: float | None = None,
    settings: Settings | None = None,
) -> bool:
    settings = settings or get_settings()
    if (now if now is not None else time.time()) > expires:
        return False
    keys = [settings.JWT_SECRET, *filter(None, settings.JWT_OLD_SECRETS.split(","))]
    for secret in keys:
        key = hashlib.sha256(b"bridge-recording-link|" + secret.strip().encode()).digest()
        expected = _sign(meeting_id, track, user_id, expires, key).encode()
        if hmac.compare_digest(expected, sig.encode("utf-8", "replace")):
            return True
    return False


def track_of_speaker(meeting: Any, speaker: str) -> int:
    """The track a speaker's words are on (their own in a per-participant ZIP, else 0)."""
    for index, track in enumerate((meeting.recording or {}).get("tracks", [])):
        if track.get("name") and track.get("name") == speaker:
            return index
    return 0


def segment_tracks(session: Any, meeting: Any) -> dict[str, int]:
    """Segment key → its track, for a per-participant recording whose transcript was corrected:
    a named, merged or reassigned speaker's words are still on the track the transcription
    took them from (version 1's speaker), not on the track of their new name. Empty when the
    speakers are as transcribed (`track_of_speaker` is right then)."""
    tracks = (meeting.recording or {}).get("tracks", [])
    names = {t["name"]: i for i, t in enumerate(tracks) if t.get("name")}
    if len(tracks) < 2 or not names or meeting.input_version == 1:
        return {}
    key = data_key(session, meeting)
    rows = session.exec(
        select(TranscriptSegment).where(
            col(TranscriptSegment.meeting_id) == meeting.id,
            col(TranscriptSegment.input_version) == 1,
        )
    ).all()
    return {row.segment_key: names[who] for row in rows if (who := speaker_of(row, key)) in names}


def member_urls(meeting: Any, user_id: uuid.UUID, settings: Settings | None = None) -> list[str]:
    """Absolute playback links of every track for one signed-in member ([] without audio)."""
    settings = settings or get_settings()
    tracks = (meeting.recording or {}).get("tracks", [])
    base = settings.API_URL.rstrip("/")
    return [base + link_path(meeting.id, i, user_id, settings=settings) for i in range(len(tracks))]


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive
    partial: bool

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def byte_range(header: str | None, size: int) -> ByteRange:
    """The bytes to send for a ``Range`` header (one range; the whole file when absent)."""
    if not header:
        return ByteRange(0, size - 1, partial=False)
    match = _RANGE_RE.match(header.strip())
    if match is None or size == 0:
        raise RangeNotSatisfiable("only one byte range (bytes=start-end) is supported")
    first, last = match.groups()
    if not first:  # suffix: the last N bytes
        if not last:
            raise RangeNotSatisfiable("empty range")
        start = max(size - int(last), 0)
        end = size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable(f"the range starts past the end of the {size}-byte file")
    end = min(end, start + MAX_RANGE_BYTES - 1)
    return ByteRange(start, end, partial=True)
