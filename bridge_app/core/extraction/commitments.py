"""Commitments: first-person and team commitments as action items, with owner, party and due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bridge_app.core.extraction.model import Item
from bridge_app.core.transcript.model import Segment


def with_commitments(
    items: list[Item], segs: Sequence[Segment], meeting_date: date | None
) -> list[Item]:
    """``items`` with the meeting's commitments added (placeholder until the detector lands)."""
    return items
