"""`eval DIR` on the business-meetings format: contract terms, parties, commitments (I/O here,
scoring in ``core/evaluation_terms.py``)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from bridge_app.core.evaluation_terms import (
    format_business,
    score_business_meeting,
    summarize_business,
)
from bridge_app.core.extraction import extract_items

TRANSCRIPT_EXTS = (".vtt", ".srt", ".txt", ".docx")


def _gold_files(root: Path) -> list[tuple[Path, Path, dict[str, Any]]]:
    out = []
    for jpath in sorted(root.glob("*.json")):
        try:
            gold = json.loads(jpath.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if not isinstance(gold, dict) or "terms" not in gold or "parties" not in gold:
            continue
        transcript = next(
            (jpath.with_suffix(e) for e in TRANSCRIPT_EXTS if jpath.with_suffix(e).is_file()), None
        )
        if transcript is not None:
            out.append((jpath, transcript, gold))
    return out


def evaluate_business_dir(root: Path, backend: str = "rules") -> dict[str, Any] | None:
    """Score every business meeting under ``root``; None when the folder has none."""
    from bridge_app.core.transcript import parse_transcript

    files = _gold_files(root)
    if not files:
        return None
    meetings = []
    for jpath, transcript, gold in files:
        segs = parse_transcript(transcript.read_bytes(), filename=transcript.name).segments
        md = gold.get("meeting_date")
        items = extract_items(
            segs, meeting_date=date.fromisoformat(md) if md else None, backend=backend
        )
        meetings.append(score_business_meeting(jpath.stem, items, gold))
    return {**summarize_business(meetings), "per_meeting": meetings}


def run_business(root: Path, args: argparse.Namespace) -> int | None:
    """The eval handler for this format, or None when ``root`` is not in it."""
    report = evaluate_business_dir(root, getattr(args, "backend", "rules"))
    if report is None:
        return None
    print(json.dumps(report, indent=2) if args.json else format_business(report))
    return 0
