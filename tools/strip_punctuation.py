"""Copy a folder of transcripts with the punctuation taken out, to measure the extractor on text
written the way people type chats and the way some speech-to-text services return it.

    python tools/strip_punctuation.py SRC DST [--commas] [--lower]

Every transcript (.vtt, .srt, .txt) of SRC is written to DST with the full stops, question and
exclamation marks that end a sentence removed (a figure's decimal point stays: "$1,200.50");
``--commas`` also removes the commas between words (not those inside "1,200"), ``--lower``
writes the spoken text in lower case. Timings, cue numbers and speaker names are kept, and the
gold files (.json) are copied unchanged, so ``python -m bridge_app eval DST`` and
``score_terms.py`` score the stripped copy against the same annotation.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

_STOP_RX = re.compile(r"[.!?]+(?=\s|$|[\"')\]])")
_COMMA_RX = re.compile(r",(?!\d)")
_TIMING_RX = re.compile(r"^\d[\d:.,]* --> ")
_VOICE_RX = re.compile(r"^(<v [^>]*>)(.*)$")
_NAMED_RX = re.compile(r"^([^:]{1,60}: )(.*)$")


def strip_text(text: str, *, commas: bool, lower: bool) -> str:
    text = _STOP_RX.sub("", text)
    if commas:
        text = _COMMA_RX.sub("", text)
    return text.lower() if lower else text


def map_spoken(line: str, change: Callable[[str], str]) -> str:
    """One line of a transcript with ``change`` applied to the spoken words only: timings, cue
    numbers and speaker names stay as they are."""
    if not line.strip() or line.strip() == "WEBVTT" or line.strip().isdigit():
        return line
    if _TIMING_RX.match(line):
        return line
    for rx in (_VOICE_RX, _NAMED_RX):
        m = rx.match(line)
        if m:
            return m.group(1) + change(m.group(2))
    return change(line)


def strip_line(line: str, *, commas: bool, lower: bool) -> str:
    """One line of a transcript; only the spoken words change."""
    return map_spoken(line, lambda text: strip_text(text, commas=commas, lower=lower))


def open_copy(src: Path, dst: Path) -> bool:
    """Make the copy's folder; False (with one line on stderr) when SRC is no folder or DST is
    SRC itself, since the originals are kept."""
    if not src.is_dir():
        print(f"error: {src} is not a folder", file=sys.stderr)
        return False
    if dst.resolve() == src.resolve():
        print("error: DST must differ from SRC (the originals are kept)", file=sys.stderr)
        return False
    dst.mkdir(parents=True, exist_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--commas", action="store_true", help="also remove commas between words")
    ap.add_argument("--lower", action="store_true", help="write the spoken text in lower case")
    args = ap.parse_args(argv)
    if not open_copy(args.src, args.dst):
        return 2
    written = 0
    for path in sorted(args.src.iterdir()):
        if path.suffix == ".json":
            shutil.copyfile(path, args.dst / path.name)
        elif path.suffix in {".vtt", ".srt", ".txt"}:
            lines = path.read_text(encoding="utf-8").splitlines()
            out = [strip_line(ln, commas=args.commas, lower=args.lower) for ln in lines]
            (args.dst / path.name).write_text("\n".join(out) + "\n", encoding="utf-8")
            written += 1
    print(f"{written} transcripts written to {args.dst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
