"""Evidence entries for extracted items: exact quotes, times and speakers of segments."""

from __future__ import annotations

from collections.abc import Sequence

from bridge_app.core.extraction.model import Evidence
from bridge_app.core.transcript.model import Segment


def evidence_for(segments: Sequence[Segment], indices: Sequence[int]) -> list[Evidence]:
    """Evidence entries (exact quote, times, speaker) for segment positions, in time order."""
    return [
        Evidence(
            segment_id=segments[i].segment_id,
            start=segments[i].start,
            end=segments[i].end,
            quote=segments[i].text,
            speaker=segments[i].speaker,
        )
        for i in sorted(set(indices))
    ]


def merge_evidence(old: list[Evidence], new: list[Evidence], limit: int = 3) -> list[Evidence]:
    """``old`` plus the segments of ``new`` it lacks, in time order; beyond ``limit`` the first
    (the proposal) and the latest ones are kept."""
    have = {e.segment_id for e in old}
    merged = sorted(old + [e for e in new if e.segment_id not in have], key=lambda e: e.start)
    return merged[:1] + merged[1:][-(limit - 1) :] if len(merged) > limit else merged
