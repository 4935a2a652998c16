"""A meeting's stored data read back as the core's objects: its data key, its transcript
segments, its decisions as items, and draft versions as documents.

Every reader of encrypted meeting data (the stages, the actions, the API and the UI's
queries) goes through here, so a missing data key has one behaviour: `MissingDataKey`.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bridge_app.core.drafting import Draft as DraftDoc
from bridge_app.core.extraction.model import Evidence, Item
from bridge_app.core.transcript.model import Segment
from bridge_app.models import Decision, DraftVersion, Meeting, TranscriptSegment
from bridge_app.services import crypto
from bridge_app.services.errors import MissingDataKey


def data_key(session: Session, meeting: Meeting) -> bytes:
    """The meeting's data key (unwrapped); MissingDataKey when it has none."""
    if meeting.data_key_id is None:
        raise MissingDataKey("the meeting has no data key")
    return crypto.load_data_key(session, meeting.data_key_id)


def load_segments(session: Session, meeting: Meeting, key: bytes | None = None) -> list[Segment]:
    """The meeting's segments, decrypted, in order."""
    key = key or data_key(session, meeting)
    # Columns, not ORM objects: a one-hour meeting has over a thousand segments.
    rows = session.execute(
        sa.select(
            col(TranscriptSegment.position),
            col(TranscriptSegment.speaker),
            col(TranscriptSegment.start_s),
            col(TranscriptSegment.end_s),
            col(TranscriptSegment.text_ciphertext),
            col(TranscriptSegment.segment_key),
        )
        .where(col(TranscriptSegment.meeting_id) == meeting.id)
        .order_by(col(TranscriptSegment.position))
    ).all()
    return [
        Segment(
            index=position,
            speaker=speaker,
            start=start,
            end=end,
            text=crypto.decrypt_text(key, ciphertext),
            external_id=segment_key,
        )
        for position, speaker, start, end, ciphertext, segment_key in rows
    ]


def decision_row(meeting: Meeting, version: int, item: Item, key: bytes) -> Decision:
    """A core Item as a decision row of one input version (statement and evidence encrypted)."""
    content = {"statement": item.statement, "evidence": [e.to_dict() for e in item.evidence]}
    due: date | None = None
    if item.due:
        try:
            due = date.fromisoformat(item.due[:10])
        except ValueError:
            due = None
    return Decision(
        organization_id=meeting.organization_id,
        meeting_id=meeting.id,
        input_version=version,
        item_key=item.id[:64],
        kind=item.kind,
        content_ciphertext=crypto.encrypt(key, json.dumps(content).encode()),
        owner=(item.owner or None) and item.owner[:200],
        party=(item.party or None) and item.party[:200],
        due=due,
        values=item.values,
        confidence=min(1.0, max(0.0, float(item.confidence))),
        evidence_segment_keys=[e.segment_id for e in item.evidence],
        supersedes=list(item.supersedes),
        superseded_by=item.superseded_by,
        conflicts_with=list(item.conflicts_with),
    )


def decision_to_item(row: Decision, key: bytes) -> Item:
    """A stored decision as the core's Item, with the person's review applied."""
    content = json.loads(crypto.decrypt(key, row.content_ciphertext))
    statement = content["statement"]
    if row.edited_statement_ciphertext:
        statement = crypto.decrypt_text(key, row.edited_statement_ciphertext)
    return Item(
        id=row.item_key,
        kind=row.kind,  # type: ignore[arg-type]
        statement=statement,
        confidence=row.confidence,
        evidence=[Evidence(**e) for e in content.get("evidence", [])],
        owner=row.owner,
        party=row.party,
        due=row.due.isoformat() if row.due else None,
        values=dict(row.edited_values if row.edited_values is not None else row.values),
        supersedes=list(row.supersedes),
        superseded_by=row.superseded_by,
        conflicts_with=list(row.conflicts_with),
        review_status=row.review_status,  # type: ignore[arg-type]
    )


def load_items(session: Session, meeting: Meeting, key: bytes | None = None) -> list[Item]:
    """The current input version's decisions as items (review applied), in creation order."""
    key = key or data_key(session, meeting)
    rows = session.exec(
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.input_version == meeting.input_version)
        .order_by(col(Decision.created_at), col(Decision.item_key))
    ).all()
    return [decision_to_item(r, key) for r in rows]


def load_version_doc(version: DraftVersion, key: bytes) -> DraftDoc:
    """One stored draft version as the core's Draft document."""
    return DraftDoc.from_dict(json.loads(crypto.decrypt(key, version.body_ciphertext)))
