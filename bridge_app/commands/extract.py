"""`python -m bridge_app extract FILE [--backend rules|llm] [--meeting-date DATE] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bridge_app.core.extraction import BACKENDS, extract_items


def register(subparsers: Any) -> None:
    """Add the ``extract`` sub-command."""
    p = subparsers.add_parser(
        "extract", help="ingest one transcript file and print its decisions, actions and terms"
    )
    p.add_argument("file", help="transcript file (VTT, SRT, text, DOCX, JSON) or a recording")
    p.add_argument("--backend", choices=BACKENDS, default="rules")
    p.add_argument("--meeting-date", help="YYYY-MM-DD, resolves 'next Friday' and the like")
    p.add_argument("--json", action="store_true", help="print JSON (the default is a short list)")
    p.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"extract: {message}".splitlines()[0], file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Handler: 0 with the items, 2 with one line on stderr for bad input."""
    meeting_date = None
    if args.meeting_date:
        try:
            meeting_date = date.fromisoformat(args.meeting_date)
        except ValueError:
            return _fail(f"--meeting-date must be YYYY-MM-DD, got {args.meeting_date!r}")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    from bridge_app.core.transcript import parse_transcript
    from bridge_app.services import transcription

    try:
        if transcription.is_recording(data, path.name):
            transcript = transcription.transcript_of_recording(data, path.name)
        else:
            transcript = parse_transcript(data, filename=path.name)
    except ValueError as exc:  # TranscriptError
        return _fail(str(exc))
    client = None
    if args.backend == "llm":
        from bridge_app.services.llm import client_from_env

        client = client_from_env()
        if client is None:
            print(
                "extract: LLM_BASE_URL/LLM_MODEL not set; using the rules backend",
                file=sys.stderr,
            )
    try:
        items = extract_items(
            transcript.segments,
            meeting_date=meeting_date,
            backend=args.backend,
            llm_client=client,
        )
    finally:
        if client is not None:
            client.close()
    if args.json:
        print(json.dumps({"items": [it.to_dict() for it in items]}, indent=2, ensure_ascii=False))
        return 0
    for it in items:
        ev = ", ".join(e.segment_id for e in it.evidence)
        owner = f" [{it.owner}]" if it.owner else ""
        due = f" due {it.due}" if it.due else ""
        print(f"{it.confidence:.2f} {it.kind:<13} {it.statement}{owner}{due} ({ev})")
    return 0
