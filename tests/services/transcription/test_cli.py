"""`ingest`, `extract` and `draft` take recordings; bad ones exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge_app.cli import main
from tests import speech


@pytest.fixture(scope="module")
def tracks(tmp_path_factory: pytest.TempPathFactory, negotiation: speech.Conversation) -> Path:
    path = tmp_path_factory.mktemp("rec") / "negotiation.zip"
    path.write_bytes(speech.tracks_zip(negotiation))
    return path


def test_ingest_prints_speakers_from_track_names(
    tracks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(tracks), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["format"] == "recording"
    assert body["participants"] == ["Alice Morgan", "Bob Fischer"]
    assert any("Summit Logistics" in s["text"] for s in body["segments"])


def test_draft_from_a_recording_carries_the_agreed_terms(
    tracks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["draft", str(tracks), "--out", str(out), "--type", "sow"]
    assert main([*args, "--meeting-date", "2026-01-15", "--today", "2026-01-20"]) == 0
    text = (out / "draft.md").read_text()
    assert "38,000" in text
    assert "The Services start on 2 March 2026." in text
    assert "Blue River Analytics" in text and "Summit Logistics" in text


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_bad_recordings_exit_2_with_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    silent = tmp_path / "silent.wav"
    silent.write_bytes(speech.encode(speech.silence(2.0)))
    assert main([command, str(silent)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "silent" in captured.err
    fake = tmp_path / "call.m4a"
    fake.write_bytes(b"%PDF-1.4 not a recording at all" * 10)
    assert main([command, str(fake)]) == 2
    assert "could not be opened as audio" in capsys.readouterr().err
