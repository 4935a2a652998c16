"""Property-based tests: random bytes and random well-formed files never crash or hang a parser.

"Never crash" means: the result is a Transcript or a TranscriptError, nothing else. Hypothesis
deadlines catch hangs (a parser stuck on one input fails the example).
"""

from __future__ import annotations

import json
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge_app.bench.parsing import Cue, build_docx, render
from bridge_app.core.transcript import SUPPORTED_FORMATS, TranscriptError, parse_transcript

from ._support import sample

# Fixed and small by default so the suite stays fast and reproducible; set
# TRANSCRIPT_FUZZ_EXAMPLES=5000 for a deeper, randomised run.
_DEEP = os.environ.get("TRANSCRIPT_FUZZ_EXAMPLES")
FAST = settings(
    max_examples=int(_DEEP) if _DEEP else 60,
    deadline=1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=not _DEEP,
)
FORMATS = st.sampled_from(["auto", *SUPPORTED_FORMATS])


def parses_or_rejects(data: bytes, fmt: str = "auto") -> None:
    try:
        transcript = parse_transcript(data, format=fmt)
    except TranscriptError as error:
        assert error.code and error.message
        return
    assert transcript.segments
    for index, segment in enumerate(transcript.segments):
        assert segment.index == index
        assert 0 <= segment.start <= segment.end
        assert segment.text == segment.text.strip() and segment.text
    assert set(transcript.participants) == {s.speaker for s in transcript.segments} - {""}


@FAST
@given(data=st.binary(max_size=4000), fmt=FORMATS)
def test_random_bytes(data, fmt):
    parses_or_rejects(data, fmt)


PREFIXES = [
    b"WEBVTT\n\n",
    b"WEBVTT\n\n1\n00:00:01.000 --> ",
    b"1\n00:00:01,000 --> 00:00:02,000\n",
    b"[00:00:01] ",
    b'{"segments": [',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"PK\x03\x04",
]


@FAST
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000), fmt=FORMATS)
def test_random_bytes_behind_format_signatures(prefix, body, fmt):
    parses_or_rejects(prefix + body, fmt)


TEXT_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        " --> ",
        "00:00:01.000",
        "01:02,5",
        "99:99:99",
        "<v Alice>",
        "</v>",
        "<b>",
        "NOTE",
        "WEBVTT",
        "Alice: ",
        "Bob (00:01:02): ",
        "[00:00:03] ",
        "Speaker 1  0:04",
        "&amp;",
        "{",
        "}",
        '"text": ',
        "1",
        "-->",
        "\r",
        "é",
        "\u0301",
    ]
)


@FAST
@given(pieces=st.lists(st.one_of(TEXT_PIECES, st.text(max_size=20)), max_size=60), fmt=FORMATS)
def test_random_text_made_of_format_tokens(pieces, fmt):
    parses_or_rejects("".join(pieces).encode("utf-8", "surrogatepass"), fmt)


@FAST
@given(
    cut=st.integers(min_value=0, max_value=10_000),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    name=st.sampled_from(
        ["teams.vtt", "zoom.vtt", "meeting.srt", "otter.txt", "recall.json", "meet_api.json"]
    ),
)
def test_mutated_samples(cut, flips, name):
    data = bytearray(sample(name))
    for position, value in flips:
        data[position % len(data)] = value
    parses_or_rejects(bytes(data[: max(1, cut % (len(data) + 1))]))


@FAST
@given(
    cut=st.integers(min_value=1, max_value=5000),
    flips=st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 255)), max_size=4),
)
def test_mutated_docx(cut, flips):
    data = bytearray(build_docx(["Ann Lee  0:01", "We agree.", "Raj Patel  0:05", "Signed."]))
    for position, value in flips:
        data[position % len(data)] = value
    parses_or_rejects(bytes(data[: min(len(data), cut)]))


# --- Random well-formed files: what goes in comes out ---------------------------------

NAMES = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,9})?", fullmatch=True).filter(
    lambda n: n.casefold() not in {"note", "notes", "re", "time", "date", "title", "topic"}
)
WORDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.,!?']{0,11}", fullmatch=True)


@st.composite
def meetings(draw):
    count = draw(st.integers(min_value=1, max_value=25))
    speakers = draw(st.lists(NAMES, min_size=1, max_size=4, unique_by=str.casefold))
    start = 0.0
    cues = []
    for _ in range(count):
        start += draw(st.integers(min_value=1, max_value=4000)) / 100
        length = draw(st.integers(min_value=1, max_value=3000)) / 100
        text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=12)))
        cues.append(
            Cue(draw(st.sampled_from(speakers)), round(start, 2), round(start + length, 2), text)
        )
    return cues


VARIANTS = [
    ("vtt", "teams"),
    ("vtt", "zoom"),
    ("srt", ""),
    ("txt", "colon"),
    ("txt", "bracket"),
    ("txt", "paren"),
    ("txt", "otter"),
    ("docx", ""),
    ("json", ""),
]


@FAST
@given(cues=meetings(), variant=st.sampled_from(VARIANTS))
def test_well_formed_files_round_trip(cues, variant):
    fmt, layout = variant
    transcript = parse_transcript(render(fmt, cues, variant=layout))
    assert transcript.format == fmt
    assert [s.text for s in transcript.segments] == [c.text for c in cues]
    assert [s.speaker for s in transcript.segments] == [c.speaker for c in cues]
    if fmt in ("vtt", "srt", "json"):
        assert [s.start for s in transcript.segments] == [c.start for c in cues]
        assert [s.end for s in transcript.segments] == [c.end for c in cues]


UNICODE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=40,
)


@FAST
@given(items=st.lists(st.tuples(UNICODE_TEXT, UNICODE_TEXT), min_size=1, max_size=10))
def test_generic_json_keeps_any_unicode_text(items):
    segments = [
        {"id": f"x{i}", "speaker": "Pat", "start": i, "end": i + 1, "text": text}
        for i, (text, _) in enumerate(items)
    ]
    transcript = parse_transcript(json.dumps({"segments": segments}).encode())
    assert [s.text for s in transcript.segments] == [
        unicodedata.normalize("NFC", text) for text, _ in items
    ]
    assert [s.external_id for s in transcript.segments] == [f"x{i}" for i in range(len(items))]
