"""`draft FILE --out DIR`: transcript → items → contract draft → QA → every export format.

Runs offline on one transcript with the rules extractor and writes into DIR:
``draft.docx``, ``draft.pdf``, ``draft.md``, ``draft.html`` (the contract), ``draft.json`` (the
stored draft version), ``items.json`` (what the meeting decided), ``qa.json`` (the QA report)
and ``provenance.json`` (each clause's sources).

Exit codes: 0 when the files are written, even when QA has findings; 2 for bad input (one
``error: <code>: <message>`` line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bridge_app.core.vocabulary import CONTRACT_TYPES

TYPES = ("auto", *CONTRACT_TYPES)
MAX_BYTES = 25 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``draft`` sub-command."""
    parser = sub.add_parser(
        "draft", help="draft a contract from a transcript, run QA and export every format"
    )
    parser.add_argument(
        "file", help="transcript (.vtt, .srt, .txt, .docx, .json) or a recording (.m4a, .mp3...)"
    )
    parser.add_argument("--type", default="auto", help=f"contract type: {' | '.join(TYPES)}")
    parser.add_argument("--out", required=True, help="output directory (created if absent)")
    parser.add_argument("--title", default=None, help="meeting title (default: the file name)")
    parser.add_argument(
        "--meeting-date", default=None, help="meeting date, YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--today", default=None, help="date QA treats as today, YYYY-MM-DD (default: today)"
    )
    parser.add_argument("--format", default="auto", help="transcript format (default: detect)")
    parser.add_argument("--redact", action="store_true", help="remove PII before drafting")
    parser.add_argument(
        "--playbook", default=None, help="playbook JSON file (house positions; docs/CONTRACTS.md)"
    )
    parser.set_defaults(handler=run)


def _error(code: str, message: str) -> int:
    print(f"error: {code}: {message}", file=sys.stderr)
    return 2


def _date_arg(value: str | None, name: str, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def run(args: argparse.Namespace) -> int:
    """Run the whole pipeline on one file and write the outputs."""
    # Imported here so `python -m bridge_app --help` stays fast and light.
    from bridge_app.core.drafting import make_draft, qa_report, run_qa
    from bridge_app.core.drafting.playbook import PlaybookError, parse_playbook
    from bridge_app.core.extraction import extract_items
    from bridge_app.core.transcript import TranscriptError, parse_transcript
    from bridge_app.services import transcription
    from bridge_app.services.render import RENDERERS
    from bridge_app.settings import get_settings

    if args.type not in TYPES:
        return _error("bad_type", f"unknown contract type {args.type!r}; use {', '.join(TYPES)}")
    clock_today = date.today()  # the CLI is the layer allowed to read the clock
    try:
        meeting_date = _date_arg(args.meeting_date, "--meeting-date", clock_today)
        today = _date_arg(args.today, "--today", clock_today)
    except ValueError as exc:
        return _error("bad_date", str(exc))

    path = Path(args.file)
    try:
        with path.open("rb") as handle:
            data = handle.read(max(MAX_BYTES, get_settings().MAX_RECORDING_BYTES) + 1)
    except FileNotFoundError:
        return _error("not_found", f"no such file: {path}")
    except IsADirectoryError:
        return _error("unreadable", f"{path} is a directory, not a file")
    except OSError as exc:
        return _error("unreadable", f"cannot read {path}: {exc.strerror or exc}")

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        return _error("bad_out", f"{out} exists and is not a directory")

    playbook = None
    if args.playbook:
        try:
            playbook = parse_playbook(json.loads(Path(args.playbook).read_text("utf-8")), version=1)
        except FileNotFoundError:
            return _error("not_found", f"no such playbook file: {args.playbook}")
        except (ValueError, OSError) as exc:  # JSON errors and PlaybookError are ValueErrors
            reason = str(exc) if isinstance(exc, PlaybookError) else f"not valid JSON: {exc}"
            return _error("bad_playbook", f"{args.playbook}: {reason}")

    try:
        if transcription.is_recording(data, path.name):
            transcript = transcription.transcript_of_recording(data, path.name, redact=args.redact)
        else:
            transcript = parse_transcript(
                data,
                filename=path.name,
                format=args.format,
                redact=args.redact,
                max_bytes=MAX_BYTES,
            )
    except TranscriptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    items = extract_items(transcript.segments, meeting_date=meeting_date, backend="rules")
    draft = make_draft(
        items,
        contract_type=args.type,
        meeting_title=args.title or path.stem,
        meeting_date=meeting_date,
        today=today,
        playbook=playbook,
    )
    findings = run_qa(draft, items, today=today, playbook=playbook)
    report = qa_report(draft, findings)

    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for render, _content_type, ext in RENDERERS.values():
            target = out / f"draft.{ext}"
            target.write_bytes(render(draft))
            written.append(target.name)
        _write_json(out / "draft.json", draft.to_dict())
        _write_json(out / "items.json", [i.to_dict() for i in items])
        _write_json(out / "qa.json", report)
        _write_json(out / "provenance.json", provenance_report(draft))
        written += ["draft.json", "items.json", "qa.json", "provenance.json"]
    except OSError as exc:
        return _error("unwritable", f"cannot write to {out}: {exc.strerror or exc}")

    pick = draft.type_pick
    counts = report["counts"]
    print(f"contract: {draft.title} ({draft.contract_type}, {pick.chosen_by}: {pick.reason})")
    print(f"confidence: {pick.confidence:.2f}")
    print(
        f"items: {len(items)}, clauses: {len(draft.clauses)}, placeholders: "
        f"{len(draft.placeholders())}"
    )
    print(
        f"qa: {counts['blocker']} blocker(s), {counts['warning']} warning(s), "
        f"{counts['info']} info; can approve: {'yes' if report['can_approve'] else 'no'}"
    )
    print(f"wrote: {', '.join(written)} to {out}")
    return 0


def provenance_report(draft: Any) -> dict[str, Any]:
    """Each clause's sources, as written to ``provenance.json``."""
    return {
        "contract_type": draft.contract_type,
        "version": draft.version,
        "meeting_title": draft.meeting_title,
        "meeting_date": draft.meeting_date,
        "clauses": [
            {
                "number": c.number,
                "key": c.key,
                "heading": c.heading,
                "needs": list(c.needs),
                "missing": list(c.missing),
                "placeholders": list(c.placeholders),
                "sources": [p.to_dict() for p in c.provenance],
            }
            for c in draft.clauses
        ],
    }


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
