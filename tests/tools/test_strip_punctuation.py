"""tools/strip_punctuation.py: the stripped copy keeps timings, speakers, figures and gold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "strip_punctuation.py"

VTT = """WEBVTT

1
00:00:00.000 --> 00:00:05.000
<v seller>Hi. Are you buying? It's $1,200.50, firm!

2
00:00:05.000 --> 00:00:09.000
<v buyer>Well, I can do 1,100. Deal?
"""
TXT = "Dana Reyes: Net 30, please. We start on March 2.\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=60
    )


def test_stops_go_and_everything_else_stays(tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    (src / "a.vtt").write_text(VTT)
    (src / "a.json").write_text('{"agreed_price": 1100}')
    (src / "b.txt").write_text(TXT)
    done = run(str(src), str(dst))
    assert done.returncode == 0, done.stderr
    out = (dst / "a.vtt").read_text()
    assert "00:00:00.000 --> 00:00:05.000" in out
    assert "<v seller>Hi Are you buying It's $1,200.50, firm\n" in out
    assert "<v buyer>Well, I can do 1,100 Deal\n" in out
    assert (dst / "a.json").read_text() == '{"agreed_price": 1100}'
    assert (dst / "b.txt").read_text() == "Dana Reyes: Net 30, please We start on March 2\n"
    assert (src / "a.vtt").read_text() == VTT  # the originals are untouched


def test_commas_and_lower_case(tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    (src / "a.vtt").write_text(VTT)
    assert run(str(src), str(dst), "--commas", "--lower").returncode == 0
    out = (dst / "a.vtt").read_text()
    assert "<v buyer>well i can do 1,100 deal\n" in out
    assert "<v seller>hi are you buying it's $1,200.50 firm\n" in out


def test_bad_folders_exit_2_with_one_line(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "nope"), str(tmp_path / "out"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "not a folder" in missing.stderr
    same = run(str(tmp_path), str(tmp_path))
    assert same.returncode == 2 and "DST must differ" in same.stderr
