"""Every supported format, from realistic sample files written for the project."""

from __future__ import annotations

import json

import pytest

from bridge_app.bench.parsing import SPEAKERS, build_docx, render, synthetic_meeting
from bridge_app.core.transcript import detect_format, parse_transcript

from ._support import sample, word_docx


def texts(transcript):
    return [s.text for s in transcript.segments]


def test_teams_vtt_voice_tags_ids_styling_notes():
    t = parse_transcript(sample("teams.vtt"), filename="teams.vtt")
    assert t.format == "vtt"
    assert len(t.segments) == 7
    first = t.segments[0]
    assert first.external_id == "d1f0b3a2-7c4e-4c1b-9a51-0d2f7f1c9e10/11-0"
    assert first.segment_id == first.external_id
    assert (first.speaker, first.start, first.end) == ("Maria Lopez", 3.12, 7.45)
    # Multi-line payloads are joined; styling tags and entities are gone.
    assert t.segments[1].text == (
        "Morning Maria. We reviewed the draft order form last night and we have two "
        "questions on pricing."
    )
    assert t.segments[2].text == "Sure, go ahead. Both are probably about the seat tiers."
    assert t.segments[3].speaker == "Priya Raman"  # <v.loud Priya Raman>
    assert "€42 per seat for 250 seats & keep" in t.segments[3].text
    assert t.segments[5].text == "Agreed. Please send the updated order form by Friday."
    # "maria lopez" is the same person: consistent case, one participant.
    assert t.segments[6].speaker == "Maria Lopez"
    assert t.participants == ("Maria Lopez", "Daniel Okafor", "Priya Raman")
    assert not any("NOTE" in s.text or "::cue" in s.text for s in t.segments)
    assert t.warnings == ()


def test_zoom_vtt_speaker_prefixes_and_numeric_ids():
    t = parse_transcript(sample("zoom.vtt"))
    assert [s.external_id for s in t.segments] == [str(i) for i in range(1, 8)]
    assert t.participants == ("Jonas Weber", "Aiko Tanaka", "Samuel Osei")
    assert t.segments[2].text.startswith("Right. From our side the pilot covers")
    assert t.segments[2].text.endswith("starting on the first of March.")
    assert all(":" not in s.text.split(" ")[0] for s in t.segments)


def test_google_meet_vtt_without_cue_ids():
    t = parse_transcript(sample("meet.vtt"))
    assert [s.external_id for s in t.segments] == [None] * 5
    assert [s.segment_id for s in t.segments] == ["s1", "s2", "s3", "s4", "s5"]
    assert t.participants == ("Lena Fischer", "Omar Haddad")
    assert t.segments[4].text == "That's acceptable for us."


def test_teams_graph_metadata_vtt():
    t = parse_transcript(sample("teams_metadata.vtt"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Ana Souza", "Let's finalize the SLA today."),
        ("Erik Nilsson", "We commit to 99.9 percent uptime with service credits."),
    ]


def test_srt_with_speaker_prefixes_markup_and_crlf():
    t = parse_transcript(sample("meeting.srt"), filename="meeting.srt")
    assert t.format == "srt"
    assert [s.external_id for s in t.segments] == ["1", "2", "3", "4", "5"]
    assert t.participants == ("Nora Lindqvist", "Rafael Costa")
    assert t.segments[1].text == "We need a mutual NDA, five years, covering the prototype designs."
    assert t.segments[2].text == "Mutual is fine. Five years works."
    assert t.segments[4].speaker == "Nora Lindqvist"  # ">> NORA LINDQVIST:" normalised
    assert (t.segments[0].start, t.segments[0].end) == (2.0, 6.5)


def test_txt_name_colon_with_continuation_lines():
    t = parse_transcript(sample("colon.txt"))
    assert t.format == "txt"
    assert t.participants == ("Grace Kim", "Victor Adeyemi", "Hannah Weiss")
    assert len(t.segments) == 8
    assert t.segments[3].text.endswith("Our AP team needs the PO number on every invoice.")
    assert "no timestamps" in " ".join(t.warnings)


def test_txt_bracket_timestamps():
    t = parse_transcript(sample("bracket.txt"))
    assert [s.start for s in t.segments] == [5, 12, 20, 26, 62, 75]
    # An utterance ends where the next one starts; the last one ends where it starts.
    assert [s.end for s in t.segments] == [12, 20, 26, 62, 75, 75]
    assert t.segments[4].text.endswith("That matches what the partners approved.")
    assert t.participants == ("Ines Moreau", "Kwame Mensah")


def test_txt_name_paren_timestamps():
    t = parse_transcript(sample("paren.txt"))
    assert [(s.speaker, s.start) for s in t.segments][:2] == [
        ("Sofia Rossi", 3.0),
        ("Ben Carter", 7.0),
    ]
    assert t.segments[4].text == "Right. Fixed fee of 85,000 dollars, paid in two instalments."


def test_txt_otter_headers_and_paragraphs():
    t = parse_transcript(sample("otter.txt"))
    assert t.participants == ("Speaker 1", "Mei Chen", "Luis Ortega")
    assert [s.start for s in t.segments] == [4, 11, 32, 45, 3727, 3735]
    assert t.segments[1].text == (
        "Thanks. So the main thing from our side is the onboarding timeline. We'd like the "
        "onboarding finished by the end of Q2. That gives our team time before the summer."
    )
    assert any("document header" in w for w in t.warnings)  # title/keywords skipped
    assert not any("Weekly Vendor Sync" in s.text for s in t.segments)


def test_txt_old_teams_timing_then_name_layout():
    text = (
        "0:0:0.0 --> 0:0:4.500\nAlice Brown\nWe should sign by the 30th.\n\n"
        "0:0:5.0 --> 0:0:8.0\nCarlos Diaz\nThe 30th is fine.\n"
    )
    t = parse_transcript(text.encode(), format="txt")
    assert [(s.speaker, s.start, s.end, s.text) for s in t.segments] == [
        ("Alice Brown", 0.0, 4.5, "We should sign by the 30th."),
        ("Carlos Diaz", 5.0, 8.0, "The 30th is fine."),
    ]


def test_txt_without_speakers_splits_paragraphs():
    t = parse_transcript(
        b"We met to discuss the pilot.\nIt went well.\n\nNext steps are pricing.\n"
    )
    assert texts(t) == ["We met to discuss the pilot. It went well.", "Next steps are pricing."]
    assert t.participants == ()
    assert any("no speaker" in w for w in t.warnings)


def test_teams_docx_header_lines_with_times():
    data = word_docx(
        [
            "Quarterly supplier review",
            "March 7, 2024, 2:00PM",
            "Joanna Nowak   0:03",
            "Let's confirm the rebate structure.",
            "Felix Braun   0:09",
            "Two percent above 1 million in annual volume.",
            "Joanna Nowak   0:21",
            "Agreed, two percent.",
        ]
    )
    assert detect_format(data) == "docx"
    t = parse_transcript(data, filename="Quarterly supplier review.docx")
    assert t.format == "docx"
    assert [(s.speaker, s.start, s.text) for s in t.segments] == [
        ("Joanna Nowak", 3.0, "Let's confirm the rebate structure."),
        ("Felix Braun", 9.0, "Two percent above 1 million in annual volume."),
        ("Joanna Nowak", 21.0, "Agreed, two percent."),
    ]


def test_google_meet_docx_with_periodic_timestamps_and_table():
    data = word_docx(
        [
            "Partnership call - Transcript",
            "Attendees",
            "Ama Boateng, Lucas Silva",
            "Transcript",
            "00:00:00",
            "Ama Boateng: Welcome. Today we settle the revenue share.",
            "Lucas Silva: We propose seventy thirty in your favour.",
            "00:05:00",
            "Ama Boateng: Seventy thirty is accepted.",
        ],
        table_rows=[("Lucas Silva: Great, I'll update the term sheet.", "")],
    )
    t = parse_transcript(data)
    assert t.participants == ("Ama Boateng", "Lucas Silva")
    assert [s.start for s in t.segments] == [0.0, 0.0, 300.0, 300.0]
    assert t.segments[-1].text == "Great, I'll update the term sheet."


def test_handwritten_minimal_docx_with_tabs():
    t = parse_transcript(build_docx(["Nia Roberts\t0:05", "Hello there."]))
    assert [(s.speaker, s.start, s.text) for s in t.segments] == [
        ("Nia Roberts", 5.0, "Hello there.")
    ]


def test_generic_json():
    t = parse_transcript(sample("generic.json"))
    assert t.format == "json"
    assert [s.external_id for s in t.segments] == [f"seg-00{i}" for i in range(1, 6)]
    assert t.segments[1].text.startswith("We can ship 500 units")
    assert (t.segments[1].start, t.segments[1].end) == (4.5, 9.8)


def test_generic_json_bare_list_and_milliseconds():
    data = json.dumps(
        [{"speaker": "A Person", "startMs": 1500, "endMs": 2500, "text": "Hi."}]
    ).encode()
    t = parse_transcript(data)
    assert (t.segments[0].start, t.segments[0].end) == (1.5, 2.5)


def test_recall_json_both_shapes():
    t = parse_transcript(sample("recall.json"))
    assert [(s.speaker, s.start, s.end, s.text) for s in t.segments] == [
        ("Chloe Martin", 1.02, 2.5, "Can we lock the launch date?"),
        ("Arjun Mehta", 3.1, 4.8, "September 15th works for us."),
        ("Chloe Martin", 5.2, 6.9, "Great, September 15th it is."),
    ]


def test_google_meet_api_json_absolute_times():
    t = parse_transcript(sample("meet_api.json"))
    assert [s.start for s in t.segments] == [0.0, 3.875, 10.875]
    assert t.segments[0].end == 3.375
    assert t.segments[0].external_id.endswith("entries/e-001")
    assert t.participants == ("P-Anna", "P-Ravi")  # Meet only gives participant ids


@pytest.mark.parametrize(
    ("fmt", "variant"),
    [
        ("vtt", "teams"),
        ("vtt", "zoom"),
        ("srt", ""),
        ("txt", "colon"),
        ("txt", "bracket"),
        ("txt", "paren"),
        ("txt", "otter"),
        ("docx", ""),
        ("json", ""),
    ],
)
def test_long_meeting_every_format(fmt, variant):
    """A generated one-hour meeting (1,000 cues, 4 speakers) survives every format."""
    meeting = synthetic_meeting()
    t = parse_transcript(render(fmt, meeting, variant=variant))
    assert t.format == fmt
    assert len(t.segments) == len(meeting)
    assert set(t.participants) == set(SPEAKERS)
    assert [s.text for s in t.segments] == [c.text for c in meeting]
    assert [s.speaker for s in t.segments] == [c.speaker for c in meeting]
    if fmt in ("vtt", "srt", "json"):
        assert [s.start for s in t.segments] == [c.start for c in meeting]
        assert [s.end for s in t.segments] == [c.end for c in meeting]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("teams.vtt", "vtt"),
        ("meeting.srt", "srt"),
        ("colon.txt", "txt"),
        ("bracket.txt", "txt"),
        ("generic.json", "json"),
        ("recall.json", "json"),
    ],
)
def test_detect_from_content_not_name(name, expected):
    data = sample(name)
    assert detect_format(data) == expected
    assert detect_format(data, filename="upload.bin") == expected
    t = parse_transcript(data, filename="misnamed.docx")
    assert t.format == expected
    assert "named like Word .docx" in t.warnings[0]


def test_srt_with_dot_decimal_is_still_srt():
    data = b"1\n00:00:01.000 --> 00:00:02.000\nA: hi\n\n2\n00:00:03.000 --> 00:00:04.000\nB: yo\n"
    assert detect_format(data) == "srt"


def test_headerless_vtt_is_read_with_warning():
    t = parse_transcript(b"00:00:01.000 --> 00:00:02.000\nHello\n", format="vtt")
    assert t.segments[0].text == "Hello"
    assert any("WEBVTT header" in w for w in t.warnings)


@pytest.mark.parametrize(
    ("encode", "warning"),
    [
        (lambda s: s.encode("utf-8"), None),
        (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), None),
        (lambda s: s.encode("utf-16"), None),  # with BOM
        (lambda s: b"\xfe\xff" + s.encode("utf-16-be"), None),
        (lambda s: s.encode("utf-16-le"), "UTF-16 without a byte-order mark"),
        (lambda s: s.encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings(encode, warning):
    text = (
        "WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.000\r\n"
        "<v José Müller>Café résumé – “fine”\r\n"
    )
    t = parse_transcript(encode(text))
    assert t.segments[0].speaker == "José Müller"
    assert t.segments[0].text == "Café résumé – “fine”"
    if warning:
        assert any(warning in w for w in t.warnings)
    else:
        assert t.warnings == ()


def test_unicode_is_nfc():
    decomposed = "Jose\u0301: Cafe\u0301 au lait\n"
    t = parse_transcript(decomposed.encode())
    assert t.segments[0].speaker == "José"
    assert t.segments[0].text == "Café au lait"


def test_speaker_case_is_consistent():
    t = parse_transcript(b"ALICE SMITH: one\nalice smith: two\nAlice Smith: three\nMcKay: four\n")
    assert [s.speaker for s in t.segments] == ["Alice Smith"] * 3 + ["McKay"]
    assert t.participants == ("Alice Smith", "McKay")


def test_backwards_and_overlapping_cues_are_warned_not_dropped():
    vtt = (
        "WEBVTT\n\na\n00:00:10.000 --> 00:00:15.000\n<v A>one\n\n"
        "b\n00:00:12.000 --> 00:00:14.000\n<v B>two overlaps\n\n"
        "c\n00:00:05.000 --> 00:00:06.000\n<v A>three goes back\n"
    )
    t = parse_transcript(vtt.encode())
    assert [s.external_id for s in t.segments] == ["a", "b", "c"]
    joined = " ".join(t.warnings)
    assert "go backwards), first at cue c" in joined
    assert "overlap the previous cue" in joined and "first at cue b" in joined


def test_to_dict_is_json_ready():
    t = parse_transcript(sample("zoom.vtt"))
    data = json.loads(json.dumps(t.to_dict()))
    assert set(data) >= {"format", "segments", "participants", "warnings"}
    assert data["segments"][0]["id"] == "1"
