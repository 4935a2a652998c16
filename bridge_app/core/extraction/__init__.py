"""Decision stage: decisions, action items, agreed terms and open questions, with evidence.

``extract_items`` is the entry point. The ``rules`` backend is pure and deterministic. The
``llm`` backend builds prompts and checks answers here, but the HTTP call itself is made by a
``complete`` callable passed in as ``llm_client`` (see ``bridge_app.services.llm``), so the core
stays free of I/O; when that call fails the rules backend answers instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bridge_app.core.extraction.llm import ChatComplete, LLMError, extract_llm
from bridge_app.core.extraction.model import ITEM_KINDS, TERM_KEYS, Evidence, Item, ItemKind
from bridge_app.core.extraction.rules import extract_rules
from bridge_app.core.extraction.supersession import resolve_within, supersede_across
from bridge_app.core.extraction.term_span import span_terms
from bridge_app.core.transcript.model import Segment

BACKENDS = ("rules", "llm")

__all__ = [
    "BACKENDS",
    "ITEM_KINDS",
    "TERM_KEYS",
    "ChatComplete",
    "Evidence",
    "Item",
    "ItemKind",
    "LLMError",
    "extract_items",
    "resolve_within",
    "supersede_across",
]


def extract_items(
    segments: Sequence[Segment],
    *,
    meeting_date: date | None = None,
    backend: str = "rules",
    llm_client: ChatComplete | None = None,
) -> list[Item]:
    """Extract grounded items from a meeting's normalized segments.

    ``backend="llm"`` needs ``llm_client``: a callable taking chat messages and returning the
    assistant's text. If it is missing or fails (``LLMError`` or any exception it raises), the
    rules backend answers, so the stage always produces a result. Items without evidence are
    never returned.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    items: list[Item] | None = None
    if backend == "llm" and llm_client is not None:
        try:
            items = extract_llm(segments, llm_client, meeting_date=meeting_date)
        except Exception:
            items = None
    if items is None:
        items = extract_rules(segments, meeting_date=meeting_date)
    items = resolve_within([it for it in items if it.evidence])
    return items + span_terms(items)
