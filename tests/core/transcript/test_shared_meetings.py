"""Round-trip every real meeting in ../shared/data: one segment per cue, cue ids kept."""

from __future__ import annotations

import json
import re

import pytest

from bridge_app.core.transcript import parse_transcript

from ._support import SHARED_DATA

MEETINGS = sorted((SHARED_DATA / "meetings").glob("*/*.vtt")) if SHARED_DATA.is_dir() else []
_CUE_ID_RE = re.compile(r"^(?P<id>[^\n]+)\n\d[\d:.]* --> ", re.MULTILINE)

pytestmark = pytest.mark.skipif(not MEETINGS, reason="shared meeting data is not available")


@pytest.mark.parametrize("path", MEETINGS, ids=lambda p: p.stem)
def test_shared_vtt_round_trip(path):
    data = path.read_bytes()
    text = data.decode("utf-8")
    cue_ids = _CUE_ID_RE.findall(text)
    assert len(cue_ids) == text.count(" --> ")  # every cue in the data has an identifier

    transcript = parse_transcript(data, filename=path.name)

    assert transcript.format == "vtt"
    assert len(transcript.segments) == len(cue_ids)
    assert [s.external_id for s in transcript.segments] == cue_ids
    assert all(s.speaker.startswith("Speaker ") for s in transcript.segments)
    assert all(s.text and "<v" not in s.text for s in transcript.segments)
    assert set(transcript.participants) == {s.speaker for s in transcript.segments}

    # The companion JSON (the corpus's own utterances) agrees on ids, speakers, times, text.
    companion = path.with_suffix(".json")
    if companion.exists():
        utterances = json.loads(companion.read_text(encoding="utf-8"))["utterances"]
        assert [u["id"] for u in utterances] == cue_ids
        for segment, utterance in zip(transcript.segments, utterances, strict=True):
            assert segment.speaker == f"Speaker {utterance['speaker']}"
            assert segment.start == pytest.approx(utterance["start"], abs=0.0015)
            assert segment.end == pytest.approx(utterance["end"], abs=0.0015)
            assert segment.text == " ".join(utterance["text"].split())


@pytest.mark.parametrize("path", MEETINGS[:3], ids=lambda p: p.stem)
def test_shared_json_parses_to_the_same_segments(path):
    from_vtt = parse_transcript(path.read_bytes())
    from_json = parse_transcript(path.with_suffix(".json").read_bytes())
    assert [s.external_id for s in from_json.segments] == [s.external_id for s in from_vtt.segments]
    assert [s.text for s in from_json.segments] == [s.text for s in from_vtt.segments]
