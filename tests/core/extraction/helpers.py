"""Build segments for extraction tests."""

from __future__ import annotations

from bridge_app.core.transcript.model import Segment


def segs(*lines: tuple[str, str]) -> list[Segment]:
    """Segments from (speaker, text) pairs, 5 s apart, ids c1, c2, …"""
    return [
        Segment(i, spk, i * 5.0, i * 5.0 + 4.0, text, f"c{i + 1}")
        for i, (spk, text) in enumerate(lines)
    ]
