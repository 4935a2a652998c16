"""JSON transcripts: our documented generic shape and the shapes of common meeting tools.

Accepted shapes (times in seconds unless the key says milliseconds):

1. Generic (documented for our users)::

       {"segments": [{"id": "c1", "speaker": "Alice", "start": 0.0, "end": 2.5, "text": "Hi"}]}

   ``id`` is optional; a bare top-level list of such objects and the key ``utterances``
   (the shape of the project's reference data) are accepted too.
2. Recall.ai bot transcripts: a list of ``{"participant": {"id", "name"}, "words": [{"text",
   "start_timestamp": {"relative": s}, "end_timestamp": {"relative": s}}]}``, and the older
   ``{"speaker": "Name", "words": [{"text", "start_time", "end_time"}]}`` form.
3. Google Meet REST API ``conferenceRecords.transcripts.entries.list`` responses:
   ``{"transcriptEntries": [{"name", "participant", "text", "startTime", "endTime"}]}`` with
   RFC 3339 times (made relative to the first entry; ``name`` becomes the external id).
4. Microsoft Teams: the Graph API delivers transcripts as WebVTT (see vtt.py); JSON objects with
   the Teams metadata keys ``speakerName``/``spokenText`` are read here as well.
   Zoom delivers its cloud-recording transcripts as WebVTT (see vtt.py); JSON records that use
   ``user_name``/``username``/``speaker_name`` for the speaker are accepted by the same rules.

Time values may be numbers, numeric strings, clock strings (``"00:01:02.500"``), ISO
date-times, or ``{"relative": s}`` objects. Keys ending in ``Ms``/``_ms`` are milliseconds.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .model import TranscriptError
from .normalize import RawCue
from .timecode import parse_clock, parse_iso_datetime

_LIST_KEYS = ("segments", "utterances", "transcriptEntries", "entries", "results", "items")
_TEXT_KEYS = ("text", "spokenText", "transcript", "content", "utterance")
_SPEAKER_KEYS = ("speaker", "speakerName", "speaker_name", "user_name", "username", "userName")
_START_KEYS = (
    ("start", 1.0),
    ("start_time", 1.0),
    ("startTime", 1.0),
    ("start_timestamp", 1.0),
    ("startMs", 0.001),
    ("start_ms", 0.001),
    ("startOffset", 1.0),
    ("begin", 1.0),
)
_END_KEYS = (
    ("end", 1.0),
    ("end_time", 1.0),
    ("endTime", 1.0),
    ("end_timestamp", 1.0),
    ("endMs", 0.001),
    ("end_ms", 0.001),
    ("endOffset", 1.0),
)
_WORD_TEXT_KEYS = ("text", "word", "punctuated_word")

SHAPE_HELP = (
    'expected {"segments": [{"speaker", "start", "end", "text"}]}, a list of such objects, '
    "a Recall.ai transcript or a Google Meet transcriptEntries response"
)


class _Time:
    """A time value before absolute date-times are made relative to the meeting start."""

    __slots__ = ("absolute", "seconds")

    def __init__(self, seconds: float | None = None, absolute: datetime | None = None):
        self.seconds = seconds
        self.absolute = absolute


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        stripped = text.rstrip()
        if stripped and stripped[-1] not in "}]":
            raise TranscriptError(
                "truncated",
                f"the JSON ends before it is complete ({exc.msg}); the file looks cut off",
                line=exc.lineno,
            ) from None
        raise TranscriptError(
            "bad_json", f"the JSON is invalid: {exc.msg}", line=exc.lineno
        ) from None
    except RecursionError:
        raise TranscriptError(
            "bad_json", "the JSON is nested too deeply to be a transcript"
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise TranscriptError("bad_json", f"the JSON holds an unreadable value ({exc})") from None


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return list(data[key])
        inner = data.get("transcript")
        if isinstance(inner, list):
            return inner
        if isinstance(inner, dict):
            return _items(inner)
    raise TranscriptError(
        "unknown_json", "the JSON is not a transcript shape we know: " + SHAPE_HELP
    )


def _time(value: Any, scale: float, ref: str) -> _Time | None:
    if value is None:
        return None
    if isinstance(value, dict):
        for key in ("relative", "seconds", "value"):
            if key in value:
                return _time(value[key], scale, ref)
        if "absolute" in value:
            return _time(value["absolute"], scale, ref)
        return None
    if isinstance(value, bool):
        raise TranscriptError("bad_timestamp", "a time is true/false instead of a number", cue=ref)
    if isinstance(value, (int, float)):
        try:
            return _Time(seconds=float(value) * scale)
        except OverflowError:
            raise TranscriptError(
                "bad_timestamp", "a time is an absurdly large number", cue=ref
            ) from None
    if isinstance(value, str):
        text = value.strip()
        try:
            return _Time(seconds=float(text) * scale)
        except ValueError:
            pass
        if text.endswith("s") and text[:-1].replace(".", "", 1).isdigit():
            return _Time(seconds=float(text[:-1]))  # protobuf Duration style "12.5s"
        clock = parse_clock(text)
        if clock is not None:
            return _Time(seconds=clock)
        moment = parse_iso_datetime(text)
        if moment is not None:
            return _Time(absolute=moment)
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise TranscriptError("bad_timestamp", f"cannot read the time {shown!r}", cue=ref)
    raise TranscriptError("bad_timestamp", "a time is not a number or a string", cue=ref)


def _first_time(
    item: dict[str, Any], keys: tuple[tuple[str, float], ...], ref: str
) -> _Time | None:
    for key, scale in keys:
        if key in item:
            return _time(item[key], scale, ref)
    return None


def _speaker(item: dict[str, Any]) -> str:
    for key in _SPEAKER_KEYS:
        value = item.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return f"Speaker {value}"
    participant = item.get("participant")
    if isinstance(participant, dict):
        for key in ("name", "display_name", "displayName"):
            if isinstance(participant.get(key), str):
                return str(participant[key])
        if participant.get("id") is not None:
            return f"Participant {participant['id']}"
    if isinstance(participant, str):
        return participant
    return ""


def _text(item: dict[str, Any], words: list[Any]) -> str:
    for key in _TEXT_KEYS:
        value = item.get(key)
        if isinstance(value, str):
            return value
    parts = []
    for word in words:
        if isinstance(word, dict):
            for key in _WORD_TEXT_KEYS:
                if isinstance(word.get(key), str):
                    parts.append(word[key])
                    break
        elif isinstance(word, str):
            parts.append(word)
    return " ".join(parts)


def _external_id(item: dict[str, Any]) -> str | None:
    for key in ("id", "name", "cue_id"):
        value = item.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()[:200]
    return None


def parse_json(text: str, warnings: list[str]) -> list[RawCue]:
    """Parse any of the JSON shapes documented above into raw cues."""
    items = _items(_load(text))
    if not items:
        raise TranscriptError("no_cues", "the JSON transcript has no segments")
    cues: list[RawCue] = []
    times: list[tuple[_Time | None, _Time | None]] = []
    for position, item in enumerate(items, start=1):
        ref = f"item {position}"
        if not isinstance(item, dict):
            raise TranscriptError(
                "bad_json_shape", f"segment {position} is not an object; " + SHAPE_HELP, cue=ref
            )
        raw_words = item.get("words")
        words: list[Any] = raw_words if isinstance(raw_words, list) else []
        start = _first_time(item, _START_KEYS, ref)
        end = _first_time(item, _END_KEYS, ref)
        word_dicts = [w for w in words if isinstance(w, dict)]
        if start is None and word_dicts:
            start = _first_time(word_dicts[0], _START_KEYS, ref)
        if end is None and word_dicts:
            end = _first_time(word_dicts[-1], _END_KEYS, ref)
        # Google Meet's "name" is the entry's resource name, a fine id; elsewhere "name" may
        # be a person, so it is only an id when it looks like a resource path.
        external_id = _external_id(item)
        if external_id is not None and "id" not in item and "/" not in external_id:
            external_id = None
        cues.append(RawCue(None, _speaker(item), None, None, _text(item, words), external_id, ref))
        times.append((start, end))

    moments = [t.absolute for pair in times for t in pair if t is not None and t.absolute]
    base = min(moments) if moments else None
    if base is not None:
        try:
            for moment in moments:
                _ = moment - base
        except TypeError:
            raise TranscriptError(
                "bad_timestamp", "the JSON mixes date-times with and without a time zone"
            ) from None
        warnings.append("absolute date-times were made relative to the first entry")

    for cue, (start, end) in zip(cues, times, strict=True):
        cue.start = _seconds(start, base)
        cue.end = _seconds(end, base)
        if isinstance(cue.speaker, str) and cue.speaker.startswith("conferenceRecords/"):
            cue.speaker = cue.speaker.rsplit("/", 1)[-1]
    if any(c.speaker.startswith("Participant ") for c in cues):
        warnings.append("some speakers are only known by participant id")
    return cues


def _seconds(value: _Time | None, base: datetime | None) -> float | None:
    if value is None:
        return None
    if value.absolute is not None and base is not None:
        return (value.absolute - base).total_seconds()
    return value.seconds
