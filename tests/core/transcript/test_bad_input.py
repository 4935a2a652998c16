"""Bad input: each case gets a specific error code and a readable message, never a traceback."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bridge_app.bench.parsing import build_docx, render, synthetic_meeting
from bridge_app.core.transcript import TranscriptError, parse_transcript
from bridge_app.core.transcript.limits import DOCX_MAX_UNCOMPRESSED, MAX_LINE_CHARS

from ._support import sample

VTT_HEAD = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v A>hello\n\n"


def error_of(data: bytes, **kwargs) -> TranscriptError:
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, **kwargs)
    error = caught.value
    assert error.code and error.message
    assert "Traceback" not in str(error)
    return error


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_empty(data):
    assert error_of(data).code == "empty"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(50), "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"\x00\x01\x02\x03\x04binary\x00\xff\xfe" * 20, "binary data"),
        (bytes(range(1, 32)) * 10, "control characters"),
    ],
)
def test_binary_or_image(data, what):
    error = error_of(data, filename="meeting.vtt")
    assert error.code == "binary"
    assert what in error.message


def test_binary_even_with_explicit_format():
    assert error_of(b"GIF89a" + bytes(40), format="srt").code == "binary"


def test_docx_format_given_a_text_file():
    assert error_of(sample("zoom.vtt"), format="docx").code == "not_docx"


def test_docx_given_as_vtt():
    assert error_of(build_docx(["A: hi"]), format="vtt").code == "wrong_format"


@pytest.mark.parametrize(
    ("data", "fmt", "line"),
    [
        (VTT_HEAD.encode() + b"2\n00:00:03.000 --> 00:00:0", "auto", 8),
        (VTT_HEAD.encode() + b"2\n00:00:03.000 --> 00:00:04.000", "auto", 8),
        (VTT_HEAD.encode() + b"2\n00:00:03.0", "auto", 8),
        (b"1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2", "srt", 5),
        (b"1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:03,0", "srt", 6),
        (b'{"segments": [{"speaker": "A", "start": 0, "end": 1, "text": "hel', "auto", 1),
    ],
)
def test_truncated_files(data, fmt, line):
    error = error_of(data, format=fmt)
    assert error.code == "truncated"
    assert "cut off" in error.message
    assert error.line == line


def test_truncated_utf8_character():
    data = "Zoë: the café is booked\nJosé: ok ñ".encode()[:-1]
    assert error_of(data).code == "truncated"


def test_truncated_docx():
    data = render("docx", synthetic_meeting(50, 500))
    error = error_of(data[: len(data) // 2])
    assert error.code == "corrupt_docx"
    assert "incomplete" in error.message


def test_over_size_limit_default_25_mb():
    data = b"A: " + b"x" * (25 * 1024 * 1024)
    error = error_of(data)
    assert error.code == "too_large"
    assert "25.0 MB" in error.message


def test_size_limit_is_configurable():
    assert error_of(sample("zoom.vtt"), max_bytes=100).code == "too_large"
    assert parse_transcript(sample("zoom.vtt"), max_bytes=10_000).segments


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_docx_zip_bomb_total_size():
    bomb = _zip({"word/document.xml": b"<" + b"a" * (DOCX_MAX_UNCOMPRESSED + 10)})
    assert len(bomb) < 1_000_000  # tiny upload, huge expansion
    error = error_of(bomb, filename="minutes.docx")
    assert error.code == "zip_bomb"


def test_docx_zip_bomb_ratio():
    bomb = _zip({"word/document.xml": b" " * (8 * 1024 * 1024)})
    assert error_of(bomb).code == "zip_bomb"


def test_docx_zip_bomb_many_entries():
    bomb = _zip({f"word/media/{i}.xml": b"" for i in range(6000)})
    assert error_of(bomb).code == "zip_bomb"


DOCX_XXE = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Alice: &xxe;</w:t></w:r></w:p></w:body></w:document>"
)
DOCX_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("xml", [DOCX_XXE, DOCX_LAUGHS])
def test_docx_with_external_entities_or_entity_expansion(xml):
    error = error_of(build_docx([], document_xml=xml))
    assert error.code == "unsafe_xml"
    assert "/etc/passwd" not in error.message


def test_docx_malformed_xml():
    error = error_of(build_docx([], document_xml="<w:document><w:body>"))
    assert error.code == "corrupt_docx"


def test_zip_that_is_not_a_word_document():
    assert error_of(_zip({"notes.txt": b"A: hi"})).code == "not_docx"


def test_cue_ending_before_it_starts():
    data = VTT_HEAD + "2\n00:00:05.000 --> 00:00:04.000\n<v B>backwards\n"
    error = error_of(data.encode())
    assert error.code == "end_before_start"
    assert error.line == 8
    assert "(line 8)" in str(error)


def test_timestamp_beyond_48_hours():
    data = VTT_HEAD + "2\n99:00:00.000 --> 99:00:01.000\n<v B>late\n"
    error = error_of(data.encode())
    assert error.code == "timestamp_out_of_range"
    assert error.line == 8


def test_absurd_cue_duration():
    data = "1\n00:00:00,000 --> 07:00:00,000\nOne very long cue\n"
    error = error_of(data.encode())
    assert error.code == "absurd_duration"
    assert error.line == 2


@pytest.mark.parametrize(
    ("segment", "code"),
    [
        ({"start": -3, "end": 1}, "negative_timestamp"),
        ({"start": 0, "end": 1e12}, "timestamp_out_of_range"),
        ({"start": "soon", "end": 1}, "bad_timestamp"),
        ({"start": True, "end": 1}, "bad_timestamp"),
        ({"start": 10**400, "end": 1}, "bad_timestamp"),
    ],
)
def test_json_bad_times(segment, code):
    data = json.dumps({"segments": [{"speaker": "A", "text": "x"}, {"text": "y", **segment}]})
    error = error_of(data.encode())
    assert error.code == code
    assert error.cue == "item 2"


def test_json_nan_time():
    error = error_of(b'[{"speaker": "A", "start": NaN, "end": 1, "text": "x"}]')
    assert error.code == "bad_timestamp"


def test_bad_timestamp_mid_file_has_line():
    data = (
        VTT_HEAD
        + "2\n00:00:03.000 --> 00:61:00.000\n<v B>x\n\n3\n00:00:05.000 --> 00:00:06.000\nz\n"
    )
    error = error_of(data.encode())
    assert error.code == "bad_timestamp"
    assert error.line == 8


def test_line_of_10_mb():
    data = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n" + b"a" * (10 * 1024 * 1024) + b"\n"
    error = error_of(data)
    assert error.code == "line_too_long"
    assert error.line == 5
    assert f"{MAX_LINE_CHARS:,}" in error.message


def test_line_of_10_mb_in_plain_text():
    assert error_of(b"Alice: hi\n" + b"blah " * (2 * 1024 * 1024)).code == "line_too_long"


def test_json_segment_too_long():
    data = json.dumps(
        {"segments": [{"speaker": "A", "start": 0, "end": 1, "text": "a " * 200_000}]}
    )
    assert error_of(data.encode()).code == "segment_too_long"


def test_absurdly_long_cue_identifier():
    data = b"WEBVTT\n\n" + b"x" * 600 + b"\n00:00:01.000 --> 00:00:02.000\nhi\n"
    error = error_of(data)
    assert (error.code, error.line) == ("bad_cue", 4)


def test_invalid_utf8_is_located():
    data = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v José>Olá\n".encode()
        + b"bad \xff\xfe byte\n"
    )
    error = error_of(data)
    assert error.code == "invalid_utf8"
    assert error.line == 6


def test_invalid_utf16():
    assert error_of(b"\xff\xfe" + "WEBVTT\n".encode("utf-16-le") + b"\x00\xd8").code in (
        "truncated",
        "invalid_encoding",
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"segments": [1, 2]}', "bad_json_shape"),
        (b'{"title": "weekly"}', "unknown_json"),
        (b'{"segments": []}', "no_cues"),
        (b'{"segments": [{"text": "x",}]}', "bad_json"),
        (b"[" * 100_000 + b"]" * 100_000, "bad_json"),
        (b"WEBVTT\n\nNOTE nothing here\n", "no_cues"),
        (b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v A></v>\n", "no_text"),
    ],
)
def test_structurally_wrong(data, code):
    error = error_of(data)
    assert error.code == code


def test_json_error_has_line():
    error = error_of(b'{\n"segments": [\n{"text": "x" "y"}\n]\n}')
    assert (error.code, error.line) == ("bad_json", 3)


def test_srt_cue_number_must_be_a_number():
    data = b"1\n00:00:01,000 --> 00:00:02,000\nhi\n\nabc\n00:00:03,000 --> 00:00:04,000\nyo\n"
    error = error_of(data, format="srt")
    assert (error.code, error.line) == ("bad_cue", 5)


def test_unknown_options_are_errors():
    assert error_of(b"A: hi", format="pdf").code == "bad_option"
    assert error_of(b"A: hi", redact=True, redact_kinds=["dna"]).code == "bad_option"


def test_unexpected_failures_become_transcript_errors(monkeypatch):
    from bridge_app.core import transcript

    def boom(text, warnings):
        raise KeyError("parser bug")

    monkeypatch.setitem(transcript._TEXT_PARSERS, "txt", boom)
    error = error_of(b"Alice: hi")
    assert error.code == "unreadable"
    assert "KeyError" in error.message
