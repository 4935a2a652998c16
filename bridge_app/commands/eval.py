"""`python -m bridge_app eval DIR [--json]`: score the extractor against annotated transcripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bridge_app.core.evaluation import (
    format_table,
    score_meeting,
    score_negotiation,
    summarize,
)
from bridge_app.core.extraction import BACKENDS, extract_items


def register(subparsers: Any) -> None:
    """Add the ``eval`` sub-command."""
    p = subparsers.add_parser(
        "eval",
        help="score extraction on annotated meetings / negotiations (JSON + .vtt pairs)",
    )
    p.add_argument("dir", help="folder with <name>.json annotations and <name>.vtt transcripts")
    p.add_argument("--backend", choices=BACKENDS, default="rules")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=run)


def _parse_vtt(data: bytes, filename: str) -> Any:
    from bridge_app.core.transcript import parse_transcript  # the real ingest

    return parse_transcript(data, filename=filename)


def detect_format(data: Any) -> str | None:
    """Which annotation format a ``.json`` is: ``meeting`` (AMI/ICSI summaries with evidence
    links), ``negotiation`` (CraigslistBargain agreed price) or None (not scored)."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("annotations"), dict):
        return "meeting"
    agreement = data.get("agreement")
    if isinstance(agreement, dict) and agreement.get("price") is not None:
        return "negotiation"
    return None


def _score_meeting(name: str, corpus: str, data: dict[str, Any], items: list[Any]) -> Any:
    ann = data["annotations"]
    gold_d = [set(s.get("evidence_utterance_ids") or []) for s in ann.get("decisions", [])]
    gold_a = [set(s.get("evidence_utterance_ids") or []) for s in ann.get("actions", [])]
    return score_meeting(str(data.get("meeting_id") or name), items, gold_d, gold_a, corpus)


def evaluate_dir(root: Path, backend: str = "rules", llm_client: Any = None) -> dict[str, Any]:
    """Run ingest + extraction on every annotated pair under ``root`` and score it. A meeting's
    corpus is the first folder under ``root`` it lies in (``ami/``, ``icsi/``)."""
    rows: dict[str, list[dict[str, Any]]] = {"meeting": [], "negotiation": []}
    for jpath in sorted(root.rglob("*.json")):
        vtt = jpath.with_suffix(".vtt")
        if not vtt.is_file():
            continue
        data = json.loads(jpath.read_text(encoding="utf-8"))
        kind = detect_format(data)
        if kind is None:
            continue
        transcript = _parse_vtt(vtt.read_bytes(), vtt.name)
        items = extract_items(transcript.segments, backend=backend, llm_client=llm_client)
        if kind == "meeting":
            parts = jpath.relative_to(root).parts
            corpus = parts[0] if len(parts) > 1 else ""
            rows[kind].append(_score_meeting(jpath.stem, corpus, data, items))
        else:
            price = float(data["agreement"]["price"])
            rows[kind].append(score_negotiation(jpath.stem, items, price))
    return summarize(rows["meeting"], rows["negotiation"])


def run(args: argparse.Namespace) -> int:
    """Handler: exit 0 with the report, 2 with one line on stderr for bad input."""
    root = Path(args.dir)
    if not root.is_dir():
        print(f"eval: not a directory: {root}", file=sys.stderr)
        return 2
    llm_client = None
    if args.backend == "llm":
        from bridge_app.services.llm import client_from_env

        llm_client = client_from_env()
    from bridge_app.evaluation.business import run_business  # business-meetings format

    if (code := run_business(root, args)) is not None:
        return code
    try:
        report = evaluate_dir(root, args.backend, llm_client)
    except (OSError, ValueError) as exc:  # TranscriptError and JSONDecodeError are ValueErrors
        print(f"eval: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    if not report["meetings"] and "agreed_price" not in report:
        print(f"eval: no annotated .json + .vtt pairs under {root}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_table(report))
    return 0
