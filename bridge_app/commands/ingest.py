"""`ingest FILE`: parse a transcript file and print its normalized segments.

Exit codes: 0 on success, 2 for bad input (one ``error: <code>: <message> (line N)`` line on
stderr, nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bridge_app.core.transcript import (
    DEFAULT_MAX_BYTES,
    REDACTION_KINDS,
    SUPPORTED_FORMATS,
    Transcript,
    TranscriptError,
    parse_transcript,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``ingest`` sub-command."""
    parser = sub.add_parser("ingest", help="parse a transcript file into normalized segments")
    parser.add_argument(
        "file",
        help="transcript (.vtt, .srt, .txt, .docx, .json), recording (.wav, .mp3, .m4a, .mp4, "
        ".webm, .ogg...) or a ZIP of per-participant tracks",
    )
    parser.add_argument(
        "--speakers", help="a platform transcript (VTT...) giving a recording's speakers"
    )
    parser.add_argument("--format", choices=["auto", *SUPPORTED_FORMATS], default="auto")
    parser.add_argument("--redact", action="store_true", help="remove PII before output")
    parser.add_argument(
        "--redact-kinds",
        default=",".join(REDACTION_KINDS),
        help=f"comma-separated PII kinds to redact (default: all of {','.join(REDACTION_KINDS)})",
    )
    parser.add_argument("--region", default="US", help="default phone-number region (ISO code)")
    parser.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="size limit (default 25 MB)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def _error(code: str, message: str) -> int:
    print(f"error: {code}: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Read the file, parse it and print the transcript (JSON or a short summary)."""
    path = Path(args.file)
    from bridge_app.settings import get_settings

    # Recordings have their own, larger limit (MAX_RECORDING_BYTES); text keeps --max-bytes.
    limit = max(args.max_bytes, get_settings().MAX_RECORDING_BYTES)
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit so an oversized file is rejected without loading it.
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return _error("not_found", f"no such file: {path}")
    except IsADirectoryError:
        return _error("unreadable", f"{path} is a directory, not a file")
    except OSError as exc:
        return _error("unreadable", f"cannot read {path}: {exc.strerror or exc}")
    kinds = [kind.strip() for kind in args.redact_kinds.split(",") if kind.strip()]
    try:
        transcript = _recording(data, path, args.speakers) or parse_transcript(
            data,
            filename=path.name,
            format=args.format,
            redact=args.redact,
            max_bytes=args.max_bytes,
            default_region=args.region,
            redact_kinds=kinds,
        )
    except TranscriptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(transcript.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_summary(transcript)
    return 0


def _recording(data: bytes, path: Path, speakers: str | None) -> Transcript | None:
    """The transcript of a recording (None when the file is a transcript)."""
    from bridge_app.services import transcription

    if not transcription.is_recording(data, path.name):
        if speakers:
            raise TranscriptError("bad_option", "--speakers applies to recordings only")
        return None
    turns = None
    if speakers:
        try:
            turns = Path(speakers).read_bytes()
        except OSError as exc:
            raise TranscriptError(
                "unreadable", f"cannot read {speakers}: {exc.strerror or exc}"
            ) from None
    return transcription.transcript_of_recording(
        data, path.name, speakers=turns, speakers_filename=speakers
    )


def _print_summary(transcript: Transcript) -> None:
    segments = transcript.segments
    duration = max((s.end for s in segments), default=0.0)
    print(f"format: {transcript.format}")
    print(f"segments: {len(segments)} (last ends at {duration:.1f} s)")
    print(f"participants: {', '.join(transcript.participants) or '(none named)'}")
    if transcript.redactions:
        print(f"redactions: {len(transcript.redactions)}")
    for warning in transcript.warnings:
        print(f"warning: {warning}")
