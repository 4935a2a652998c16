"""Segment and line bounds (issue 15, item 2) on the pure parser."""

from __future__ import annotations

import json

import pytest

from bridge_app.core.transcript import check_upload, parse_transcript
from bridge_app.core.transcript.limits import MAX_LINES, MAX_SEGMENTS
from bridge_app.core.transcript.model import TranscriptError


def test_too_many_segments_in_one_json_line() -> None:
    items = [
        {"speaker": "A", "start": i, "end": i + 0.5, "text": "x"} for i in range(MAX_SEGMENTS + 1)
    ]
    data = json.dumps(items).encode()
    assert data.count(b"\n") == 0
    with pytest.raises(TranscriptError) as info:
        parse_transcript(data)
    assert info.value.code == "too_many_segments"


def test_too_many_lines() -> None:
    with pytest.raises(TranscriptError) as info:
        parse_transcript(b"A: x\n" * (MAX_LINES + 1))
    assert info.value.code == "too_many_lines"


def test_check_upload_does_not_parse() -> None:
    # Content that the parser refuses passes the request's check (the worker reports it).
    assert check_upload(b"A: x\n" * (MAX_LINES + 1)) == "txt"
    with pytest.raises(TranscriptError):
        check_upload(b"")
