"""Review decisions carried from one transcript version to the next.

A correction of the transcript is re-extracted as a new input version, so every item is a new
row. A person's review (accepted, rejected or edited, with the edit, the reason, who and when)
moves to the new version's row of an *unchanged* item: one with the same fingerprint.

The fingerprint of an item is, exactly:

- its kind,
- its statement as extracted (not a reviewer's edit of it),
- its values as extracted (compared as canonical JSON: key order does not matter),
- the text of its evidence quotes, in order (not their speakers or times, so naming a speaker
  keeps the reviews of what they said).

Items with equal fingerprints pair off in creation order, one to one. Anything else (a
changed amount, a reworded quote, an item that is new or gone) is proposed again.

An unchanged item also keeps its mark of being superseded by a later meeting of the matter
(`superseded_by = "<meeting id>/<item key>"`; that meeting's extraction set it and will not
run again).

A term a reviewer entered by hand (item key `reviewer-…`) is no extraction, so it is not
extracted again: it is copied into the new version as it is, with its review, so a person's
entry is never lost (correcting the lines it quotes does not change it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from bridge_app.core.review.terms import REVIEWER_ITEM_PREFIX
from bridge_app.models import Decision, Meeting
from bridge_app.services.meeting_data import decision_content

Fingerprint = tuple[str, str, str, tuple[str, ...]]

# The review that moves with an unchanged item.
REVIEW_FIELDS = (
    "review_status",
    "edited_statement_ciphertext",
    "edited_values",
    "edited_values_ciphertext",
    "review_reason",
    "reviewed_by",
    "reviewed_at",
)


def fingerprint(kind: str, content: dict[str, Any]) -> Fingerprint:
    """What must be equal for an item to count as unchanged (see the module docstring)."""
    return (
        kind,
        str(content.get("statement", "")),
        json.dumps(content.get("values") or {}, sort_keys=True, default=str),
        tuple(str(e.get("quote", "")) for e in content.get("evidence", [])),
    )


def pair_unchanged(
    old: Sequence[tuple[Any, Fingerprint]], new: Sequence[tuple[Any, Fingerprint]]
) -> list[tuple[Any, Any]]:
    """(old, new) pairs with equal fingerprints, one to one, in the order given."""
    waiting: dict[Fingerprint, list[Any]] = defaultdict(list)
    for ident, print_ in old:
        waiting[print_].append(ident)
    pairs = []
    for ident, print_ in new:
        if waiting.get(print_):
            pairs.append((waiting[print_].pop(0), ident))
    return pairs


def _rows(session: Session, meeting: Meeting, version: int) -> list[Decision]:
    return list(
        session.exec(
            select(Decision)
            .where(Decision.meeting_id == meeting.id, Decision.input_version == version)
            .order_by(col(Decision.created_at), col(Decision.item_key))
        ).all()
    )


def carry_over_reviews(session: Session, meeting: Meeting, version: int, key: bytes) -> int:
    """Copy the reviews of version `version - 1`'s unchanged items onto version `version`'s
    rows (already written), and its reviewer-entered terms into it; returns how many items
    carried their review over."""
    session.flush()
    previous = _rows(session, meeting, version - 1)
    entered = [r for r in previous if r.item_key.startswith(REVIEWER_ITEM_PREFIX)]
    # What there is to carry: a review, or a later meeting's supersession.
    carrying = [
        r
        for r in previous
        if r not in entered and (r.review_status != "proposed" or "/" in (r.superseded_by or ""))
    ]
    pairs = pair_unchanged(
        [(r, fingerprint(r.kind, decision_content(r, key))) for r in carrying],
        [
            (r, fingerprint(r.kind, decision_content(r, key)))
            for r in _rows(session, meeting, version)
        ],
    )
    for before, after in pairs:
        for name in REVIEW_FIELDS:
            setattr(after, name, getattr(before, name))
        if before.superseded_by and "/" in before.superseded_by and not after.superseded_by:
            # A later meeting of the matter changed this term; it still does.
            after.superseded_by = before.superseded_by
        session.add(after)
    for row in entered:
        copy = row.model_dump(exclude={"id", "created_at", "input_version"})
        session.add(Decision(**copy, input_version=version))
    return len(pairs) + len(entered)
