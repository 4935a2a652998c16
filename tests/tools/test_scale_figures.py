"""tools/scale_figures.py: every price of a chat and its gold move by one factor, in order."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "scale_figures.py"

VTT = """WEBVTT

0
00:00:00.000 --> 00:00:05.000
<v seller>It's $4,800, bought it in 2015, 53K miles.

1
00:00:05.000 --> 00:00:10.000
<v buyer>I can do 4200.

2
00:00:10.000 --> 00:00:15.000
<v seller>Meet me at 4500 and it's yours.
"""
GOLD = {"agreement": {"price": 4500.0, "listing_price": 4800}, "turns": []}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=60
    )


def test_prices_scale_together_and_the_rest_stays(tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    (src / "c1.vtt").write_text(VTT, encoding="utf-8")
    (src / "c1.json").write_text(json.dumps(GOLD), encoding="utf-8")
    done = run(str(src), str(dst), "--seed", "3")
    assert done.returncode == 0, done.stderr
    text = (dst / "c1.vtt").read_text(encoding="utf-8")
    gold = json.loads((dst / "c1.json").read_text(encoding="utf-8"))
    factor = gold["scaled_by"]
    assert not 0.8 < factor < 1.25
    assert "2015" in text and "53K miles" in text and "00:00:05.000 --> 00:00:10.000" in text
    spoken = " ".join(line for line in text.splitlines() if line.startswith("<v"))
    figures = [float(x.replace(",", "")) for x in re.findall(r"\b\d[\d,]{3,}\b", spoken)]
    first, counter, agreed = [f for f in figures if f != 2015]
    assert first > agreed > counter  # the order of the offers is kept
    assert gold["agreement"]["price"] == agreed
    assert abs(agreed / 4500 - factor) < 0.03  # rounded as finely as it was written


def test_refuses_to_overwrite_the_source(tmp_path: Path) -> None:
    done = run(str(tmp_path), str(tmp_path))
    assert done.returncode == 2 and "must differ" in done.stderr
