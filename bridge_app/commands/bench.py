"""`bench`: the speed numbers (parsing, extraction, drafting, pipeline, api), as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

TARGETS = (
    "parsing: one-hour meeting well under 100 ms (p95)",
    "extraction: rules backend, one-hour meeting < 300 ms (p95)",
    "drafting: draft + QA < 100 ms, DOCX + PDF of ten pages < 500 ms (p95)",
    "pipeline: meeting processing p95 <= 1.5 s, draft generation <= 0.6 s, export <= 0.5 s, "
    "burst throughput >= 0.8 of the compute ceiling measured in the same run",
    "api: 100 clients for 60 s, zero errors, p99 <= 100 ms paced; "
    "saturated (no pauses) >= 500 requests/s with p99 <= 250 ms",
    "transcription: tiny.en, one hour of audio in <= 6 min on 2 cores (p95), peak RSS < 1.5 GB",
)


def _parsing(args: argparse.Namespace) -> Any:
    from bridge_app.bench.parsing import bench_parsing

    return bench_parsing(runs=args.runs or 50)


def _extraction(args: argparse.Namespace) -> Any:
    from bridge_app.bench.extraction import bench_extraction

    return bench_extraction(runs=args.runs or 30)


def _drafting(args: argparse.Namespace) -> Any:
    from bridge_app.bench.drafting import bench_drafting

    return bench_drafting(runs=args.runs or 30)


def _pipeline(args: argparse.Namespace) -> Any:
    from bridge_app.bench.pipeline import bench_pipeline

    return bench_pipeline(n=args.n, rate=args.rate, latency_n=args.latency_n, scale_n=args.scale_n)


def _api(args: argparse.Namespace) -> Any:
    import asyncio

    from bridge_app.bench.api_load import bench_api
    from bridge_app.bench.pipeline import prepare_environment

    prepare_environment()  # its own migrated database on the embedded test services
    # Paced (people pausing between clicks) for latency, then saturated (no pauses) for the
    # throughput the server can give; --think 0 runs only the saturated one.
    results = {}
    for name, think in (("paced", args.think), ("saturated", 0.0)):
        if name == "paced" and args.think <= 0:
            continue
        results[name] = asyncio.run(
            bench_api(
                duration_s=args.duration,
                clients=args.clients,
                think_s=think,
                changes_per_s=args.changes,
            )
        )
    return results


def _transcription(args: argparse.Namespace) -> Any:
    from bridge_app.bench.transcription import bench_transcription

    return bench_transcription(runs=args.runs or 3, minutes=args.audio_minutes)


BENCHES: dict[str, Callable[[argparse.Namespace], Any]] = {
    "parsing": _parsing,
    "extraction": _extraction,
    "drafting": _drafting,
    "pipeline": _pipeline,
    "api": _api,
    "transcription": _transcription,
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="run the benchmarks and report numbers")
    parser.add_argument("which", choices=[*BENCHES, "all"])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--runs", type=int, default=0, help="repetitions for the micro-benchmarks")
    parser.add_argument("-n", type=int, default=200, help="meetings in the pipeline burst")
    parser.add_argument(
        "--scale-n", type=int, default=None, help="meetings per scaling burst (n/2; 0: none)"
    )
    parser.add_argument("--latency-n", type=int, default=40, help="paced meetings for latency")
    parser.add_argument("--rate", type=float, default=2.0, help="paced arrivals per second")
    parser.add_argument("--duration", type=float, default=60.0, help="API load seconds")
    parser.add_argument("--clients", type=int, default=100, help="API load clients")
    parser.add_argument(
        "--changes",
        type=float,
        default=2.0,
        help="meeting changes per second during the API load (each empties the read cache)",
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="API clients' mean pause between requests (s)"
    )
    parser.add_argument(
        "--audio-minutes", type=float, default=5.0, help="synthetic speech per transcription run"
    )
    parser.set_defaults(handler=run)


def _print_table(name: str, result: Any, indent: str = "") -> None:
    if isinstance(result, dict):
        flat = all(not isinstance(v, dict) for v in result.values())
        if flat:
            cells = ", ".join(f"{k}={v}" for k, v in result.items())
            print(f"{indent}{name:<28} {cells}")
            return
        print(f"{indent}{name}")
        for key, value in result.items():
            _print_table(str(key), value, indent + "  ")
    else:
        print(f"{indent}{name:<28} {result}")


def _stop_started_services() -> None:
    """The embedded services a benchmark started for itself (KEEP_SERVICES=1 keeps them)."""
    from bridge_app.bench import pipeline
    from bridge_app.services import devservices

    devservices.stop_started(devservices.PROFILES["test"], pipeline.STARTED_SERVICES)
    pipeline.STARTED_SERVICES.clear()


def run(args: argparse.Namespace) -> int:
    names = list(BENCHES) if args.which == "all" else [args.which]
    results: dict[str, Any] = {}
    try:
        for name in names:
            print(f"running {name} benchmark…", file=sys.stderr)
            results[name] = BENCHES[name](args)
    finally:
        _stop_started_services()
    if args.json:
        print(json.dumps(results[names[0]] if len(names) == 1 else results, indent=2, default=str))
        return 0
    for name in names:
        _print_table(name, results[name])
    print("\ntargets:\n  " + "\n  ".join(TARGETS))
    return 0
