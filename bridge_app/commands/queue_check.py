"""`queue-check`: depth of each arq queue (ZCARD), alert lines and exit 1 over a threshold."""

from __future__ import annotations

import argparse
import sys

from bridge_app.ops import queue_check as ops
from bridge_app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("queue-check", help="check pipeline queue depths against a threshold")
    parser.add_argument("--threshold", type=int, default=ops.DEFAULT_THRESHOLD)
    parser.add_argument(
        "--queue", action="append", dest="queues", help="queue name (repeatable; default all)"
    )
    parser.add_argument("--redis-url", help="default: REDIS_URL")
    parser.add_argument("--json", action="store_true", help="machine-readable report")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 all queues at or under the threshold, 1 alert, 2 Redis unreachable."""
    url = args.redis_url or get_settings().REDIS_URL
    if not url:
        print("error: REDIS_URL is not set", file=sys.stderr)
        return ops.EXIT_ERROR
    code, report = ops.run_check(
        url, tuple(args.queues or ops.DEFAULT_QUEUES), args.threshold, as_json=args.json
    )
    print(report, file=sys.stderr if code == ops.EXIT_ERROR else sys.stdout)
    return code
