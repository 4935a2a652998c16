"""Queue depth check: ZCARD of each arq queue against a threshold.

arq keeps each queue as a Redis sorted set (member = job id, score = when it may run), so the
depth is `ZCARD <queue>` — `LLEN` would fail on it (WRONGTYPE) or read an unrelated list. The
same number is exported as `nats_queue_depth{queue=…}` for the autoscalers.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

import redis

from bridge_app.core.stages import QUEUE_NAMES

# The runbook's queues, one per pipeline stage (the stage table in bridge_app/core/stages.py).
DEFAULT_QUEUES = QUEUE_NAMES
DEFAULT_THRESHOLD = 50

EXIT_OK = 0
EXIT_ALERT = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class QueueDepth:
    """One queue's size: all jobs (ZCARD) and those already due (score ≤ now)."""

    queue: str
    depth: int
    ready: int
    key_type: str

    @property
    def ok_type(self) -> bool:
        return self.key_type in ("zset", "none")


def queue_depths(redis_url: str, queues: tuple[str, ...] | list[str]) -> list[QueueDepth]:
    """Measure every queue with ZCARD (and ZCOUNT of due jobs) in one round trip."""
    client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    try:
        types = client.pipeline(transaction=False)
        for queue in queues:
            types.type(queue)
        kinds = [k.decode() if isinstance(k, bytes) else str(k) for k in types.execute()]
        now_ms = int(time.time() * 1000)
        pipe = client.pipeline(transaction=False)
        for queue, kind in zip(queues, kinds, strict=True):
            if kind in ("zset", "none"):
                pipe.zcard(queue)
                pipe.zcount(queue, "-inf", now_ms)
        values = iter(pipe.execute())
        result: list[QueueDepth] = []
        for queue, kind in zip(queues, kinds, strict=True):
            if kind in ("zset", "none"):
                result.append(QueueDepth(queue, int(next(values)), int(next(values)), kind))
            else:
                result.append(QueueDepth(queue, -1, -1, kind))
        return result
    finally:
        client.close()


def alert_lines(depths: list[QueueDepth], threshold: int) -> list[str]:
    """One `ALERT …` line per queue over the threshold or of the wrong Redis type."""
    lines: list[str] = []
    for d in depths:
        if not d.ok_type:
            lines.append(
                f"ALERT QueueKeyWrongType queue={d.queue} type={d.key_type} "
                f"expected=zset (arq queues are sorted sets; inspect: redis-cli TYPE {d.queue})"
            )
        elif d.depth > threshold:
            lines.append(
                f"ALERT QueueBacklog queue={d.queue} depth={d.depth} ready={d.ready} "
                f"threshold={threshold} (by hand: redis-cli ZCARD {d.queue}; LLEN answers "
                "WRONGTYPE on a sorted set)"
            )
    return lines


def run_check(
    redis_url: str, queues: tuple[str, ...] | list[str], threshold: int, *, as_json: bool = False
) -> tuple[int, str]:
    """The whole check: (exit code, report text). 0 ok, 1 alert, 2 Redis unreachable."""
    try:
        depths = queue_depths(redis_url, queues)
    except redis.RedisError as exc:
        return EXIT_ERROR, f"ALERT QueueCheckFailed error={type(exc).__name__}: {exc}"
    alerts = alert_lines(depths, threshold)
    code = EXIT_ALERT if alerts else EXIT_OK
    if as_json:
        report = {
            "threshold": threshold,
            "queues": [asdict(d) for d in depths],
            "alerts": alerts,
            "status": "alert" if alerts else "ok",
        }
        return code, json.dumps(report, indent=2)
    rows = [
        f"{d.queue:<20} depth={d.depth:<6} ready={d.ready:<6} type={d.key_type}" for d in depths
    ]
    return code, "\n".join([*rows, *alerts])
