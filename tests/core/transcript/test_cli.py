"""`python -m bridge_app ingest FILE ... --json`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_app.cli import main

from ._support import SAMPLES

REPO = Path(__file__).resolve().parents[3]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["ingest", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output(capsys):
    code, out, err = run_cli(capsys, str(SAMPLES / "teams.vtt"), "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["format"] == "vtt"
    assert result["participants"] == ["Maria Lopez", "Daniel Okafor", "Priya Raman"]
    assert result["warnings"] == []
    first = result["segments"][0]
    assert first["speaker"] == "Maria Lopez"
    assert first["id"] == first["external_id"] == "d1f0b3a2-7c4e-4c1b-9a51-0d2f7f1c9e10/11-0"
    assert (first["start"], first["end"]) == (3.12, 7.45)


def test_explicit_format_and_redaction(capsys, tmp_path):
    path = tmp_path / "call.log"
    path.write_text("Ana: write to ana@example.org\nBen: will do\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, str(path), "--format", "txt", "--redact", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["segments"][0]["text"] == "write to [EMAIL]"
    assert result["redactions"][0]["kind"] == "email"


def test_summary_without_json(capsys):
    code, out, _ = run_cli(capsys, str(SAMPLES / "otter.txt"))
    assert code == 0
    assert "format: txt" in out
    assert "participants: Speaker 1, Mei Chen, Luis Ortega" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "error: empty: the file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "error: binary: this file is a PNG image"),
        (
            b"WEBVTT\n\n1\n00:00:05.000 --> 00:00:01.000\nx\n",
            "error: end_before_start: the cue ends (00:00:01.000) before it starts "
            "(00:00:05.000) (line 4)",
        ),
    ],
)
def test_bad_input_exit_2_one_line(capsys, tmp_path, content, expected):
    path = tmp_path / "upload.vtt"
    path.write_bytes(content)
    code, out, err = run_cli(capsys, str(path), "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(expected)


def test_missing_file_and_directory(capsys, tmp_path):
    code, _, err = run_cli(capsys, str(tmp_path / "nope.vtt"), "--json")
    assert code == 2 and err.startswith("error: not_found:")
    code, _, err = run_cli(capsys, str(tmp_path), "--json")
    assert code == 2 and err.startswith("error: unreadable:")


def test_size_limit_option(capsys):
    code, _, err = run_cli(capsys, str(SAMPLES / "teams.vtt"), "--max-bytes", "100", "--json")
    assert code == 2 and err.startswith("error: too_large:")


def test_python_dash_m_entry_point(tmp_path):
    path = tmp_path / "bad.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:03,000 --> 00:00:0")
    result = subprocess.run(
        [sys.executable, "-m", "bridge_app", "ingest", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: truncated: the file ends in or right after a cue's timing line; "
        "it looks cut off (line 6)"
    ]
