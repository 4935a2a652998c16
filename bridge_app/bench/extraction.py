"""Benchmark of the rules extraction backend on a one-hour meeting (`make bench`)."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from bridge_app.core.extraction import extract_items
from bridge_app.core.extraction.sentences import forget_texts
from bridge_app.core.transcript.model import Segment

ONE_HOUR = 3600.0
_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "meetings"

_SYNTHETIC_LINES = (
    "Okay, so let's start with the budget for the pilot.",
    "I think we should go with the twelve month term.",
    "Yeah.",
    "Maybe we could look at the hosting options later?",
    "The price would be forty five thousand dollars for the first year.",
    "That works for us, agreed.",
    "I'll send the revised statement of work by next Friday.",
    "Mm-hmm.",
    "Can you check with legal whether New York law is fine?",
    "Sure, I will find out before the next meeting.",
    "We need to decide who owns the migration plan.",
    "Right, that sounds good.",
)


def one_hour_meeting(source: Path | None = None) -> list[Segment]:
    """About an hour of real meeting talk (the shared AMI/ICSI data, joined end to end), or a
    synthetic meeting of the same size when that data is absent."""
    folder = source or _SHARED
    segments: list[Segment] = []
    offset = 0.0
    files = sorted(folder.glob("*/*.json")) if folder.is_dir() else []
    for path in files:
        utterances = json.loads(path.read_text(encoding="utf-8")).get("utterances", [])
        for u in utterances:
            segments.append(
                Segment(
                    index=len(segments),
                    speaker=f"{path.stem}:{u['speaker']}",
                    start=offset + float(u["start"]),
                    end=offset + float(u["end"]),
                    text=str(u["text"]),
                    external_id=str(u["id"]),
                )
            )
            if segments[-1].end - segments[0].start >= ONE_HOUR:
                return segments
        if segments:
            offset = segments[-1].end
    if segments:
        return segments
    # Synthetic fallback: ~1,500 utterances of 2.4 s each, like a busy one-hour meeting.
    t = 0.0
    while t < ONE_HOUR:
        i = len(segments)
        text = _SYNTHETIC_LINES[i % len(_SYNTHETIC_LINES)]
        segments.append(Segment(i, f"Speaker {'ABCD'[i % 4]}", t, t + 2.4, text))
        t += 2.4
    return segments


def run_on_chat(variant: int = 0) -> list[Segment]:
    """A hostile upload: a chat whose one turn is 15,000 characters without a full stop, with
    1,200 figures in it (``variant`` changes the figures, so no run reuses another's work)."""
    line = " ".join(
        f"i can do {5 + (k + variant) % 90} and we will pay {7 + k % 50} more than 9 usually 3"
        for k in range(300)
    )
    return [Segment(0, "Buyer", 0.0, 60.0, line), Segment(1, "Seller", 61.0, 63.0, "ok deal")]


def bench_extraction(runs: int = 30) -> dict:
    """Time the rules backend on a one-hour meeting, and on one run-on chat turn.

    Returns ``{"p50_ms", "p95_ms", "runs", "segments", "run_on_line_max_ms"}``.
    """
    segments = one_hour_meeting()
    extract_items(segments)  # warm-up: imports and regex compilation are not per-meeting costs
    times = []
    for _ in range(max(1, runs)):
        forget_texts()  # each run splits the meeting afresh, as a new meeting would be
        t0 = time.perf_counter()
        extract_items(segments)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    run_on = []
    for k in range(5):
        chat = run_on_chat(k)
        forget_texts()
        t0 = time.perf_counter()
        extract_items(chat)
        run_on.append((time.perf_counter() - t0) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(p95, 2),
        "runs": len(times),
        "segments": len(segments),
        "run_on_line_max_ms": round(max(run_on), 2),  # the worst of 5 (too few for a p95)
    }


if __name__ == "__main__":
    print(json.dumps(bench_extraction()))
