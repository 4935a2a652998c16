"""A meeting's stored data read back as the core's objects: its data key, its transcript
segments, its decisions as items, and draft versions as documents.

Every reader of encrypted meeting data (the stages, the actions, the API and the UI's
queries) goes through here, so a missing data key has one behaviour: `MissingDataKey`.

What came from a meeting is stored only as ciphertext under the meeting's data key: the
title (plus keyed hashes of its words for search, `title_terms`), participants, speakers,
decision statements, values, owners and parties, reviewers' edits, and QA messages. The
plaintext columns of the same names stay empty for new rows; rows written before that
(ciphertext NULL) are still read from them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from bridge_app.core.drafting import Draft as DraftDoc
from bridge_app.core.extraction.model import Evidence, Item
from bridge_app.core.transcript.model import Segment
from bridge_app.models import (
    ClauseProvenance,
    Decision,
    Draft,
    DraftVersion,
    Meeting,
    Organization,
    QAFinding,
    TranscriptSegment,
)
from bridge_app.services import crypto
from bridge_app.services.errors import MissingDataKey


def data_key(session: Session, meeting: Meeting) -> bytes:
    """The meeting's data key (unwrapped); MissingDataKey when it has none."""
    if meeting.data_key_id is None:
        raise MissingDataKey("the meeting has no data key")
    return crypto.load_data_key(session, meeting.data_key_id)


def seal_json(key: bytes, value: Any) -> bytes:
    """JSON encrypted under a data key."""
    return crypto.encrypt(key, json.dumps(value, default=str).encode())


def open_json(key: bytes, blob: bytes) -> Any:
    return json.loads(crypto.decrypt(key, bytes(blob)))


# ------------------------------------------------------------------ titles and their search

_WORD = re.compile(r"[\w]+", re.UNICODE)


def search_key(session: Session, organization_id: uuid.UUID) -> bytes:
    """The organization's key for keyed search hashes (a data key of its own, made once)."""
    org = session.exec(select(Organization).where(Organization.id == organization_id)).one()
    if org.search_key_id is not None:
        return crypto.load_data_key(session, org.search_key_id)
    # Made once, so the row is locked only then, and FOR NO KEY UPDATE: every insert of a row
    # that references the organization takes KEY SHARE on it, which FOR UPDATE would queue
    # behind (and hold up) for every upload.
    org = session.exec(
        select(Organization)
        .where(Organization.id == organization_id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE
        .execution_options(populate_existing=True)
    ).one()
    if org.search_key_id is None:
        org.search_key_id = crypto.create_data_key(session, organization_id).id
        session.add(org)
        session.flush()
    return crypto.load_data_key(session, org.search_key_id)


def search_terms(text: str, key: bytes) -> list[str]:
    """Keyed hashes of the words of `text` (lower-cased): what title search matches."""
    words = {w.lower() for w in _WORD.findall(text or "")}
    return sorted(hmac.new(key, w.encode(), hashlib.sha256).hexdigest()[:32] for w in words)


def set_title(session: Session, meeting: Meeting, key: bytes, title: str) -> None:
    """Store the meeting's title encrypted, with keyed hashes of its words for search."""
    meeting.title = ""
    meeting.title_ciphertext = crypto.encrypt_text(key, title)
    meeting.title_terms = search_terms(title, search_key(session, meeting.organization_id))


def title_search(session: Session, organization_id: uuid.UUID, query: str) -> Any:
    """A WHERE clause: meetings whose title holds every word of `query` (keyed hashes)."""
    org = session.get(Organization, organization_id)
    if org is None or org.search_key_id is None:
        return sa.false()
    terms = search_terms(query, crypto.load_data_key(session, org.search_key_id))
    if not terms:
        return sa.false()
    return col(Meeting.title_terms).contains(terms)


def _meeting_key(meeting: Meeting) -> bytes | None:
    if meeting.data_key_id is None:
        return None
    session = object_session(meeting)
    if session is not None:
        return crypto.load_data_key(session, meeting.data_key_id)  # type: ignore[arg-type]
    # A meeting returned from a closed transaction (an action's result): read its key anew.
    from bridge_app.services.db import session_scope

    with session_scope() as fresh:
        return crypto.load_data_key(fresh, meeting.data_key_id)


def audit_label(meeting: Meeting) -> str:
    """How the audit chain names a meeting: its id, never its title (titles are encrypted at
    rest and the chain is plaintext; the audit page shows the decrypted title beside it)."""
    return f"meeting {str(meeting.id)[:8]}"


def title_of(meeting: Meeting) -> str:
    """The meeting's title, decrypted."""
    if meeting.title_ciphertext is None:
        return meeting.title
    return open_title(meeting.title, meeting.title_ciphertext, _meeting_key(meeting))


def open_title(plain: str, sealed: bytes | None, key: bytes | None) -> str:
    """A title from its columns: the plaintext of rows from before titles were encrypted, else
    the ciphertext opened with the meeting's key ("" when the key is gone)."""
    if sealed is None:
        return plain
    return crypto.decrypt_text(key, sealed) if key else ""


def participants_of(meeting: Meeting) -> list[str]:
    """The meeting's participants, decrypted."""
    if meeting.participants_ciphertext is None:
        return list(meeting.participants)
    key = _meeting_key(meeting)
    return list(open_json(key, meeting.participants_ciphertext)) if key else []


def speaker_of(row: TranscriptSegment, key: bytes) -> str:
    """A segment's speaker, decrypted."""
    if row.speaker_ciphertext is None:
        return row.speaker
    return crypto.decrypt_text(key, row.speaker_ciphertext)


def finding_of(row: QAFinding, key: bytes) -> tuple[str, dict[str, Any]]:
    """A QA finding's message and evidence, decrypted."""
    if row.message_ciphertext is None:
        return row.message, dict(row.evidence)
    sealed = open_json(key, row.message_ciphertext)
    return str(sealed.get("message", "")), dict(sealed.get("evidence", {}))


def decision_content(row: Decision, key: bytes) -> dict[str, Any]:
    """A decision's sealed content: statement, evidence, owner, party, values (as extracted)
    and `edited_values` (a reviewer's, or None)."""
    content: dict[str, Any] = json.loads(crypto.decrypt(key, row.content_ciphertext))
    content.setdefault("owner", row.owner)
    content.setdefault("party", row.party)
    content.setdefault("values", dict(row.values))
    if row.edited_values_ciphertext is not None:
        content["edited_values"] = open_json(key, row.edited_values_ciphertext)
    else:
        content["edited_values"] = row.edited_values
    return content


def load_segments(
    session: Session, meeting: Meeting, key: bytes | None = None, *, version: int | None = None
) -> list[Segment]:
    """The segments of the meeting's current input version (or `version`), decrypted, in
    order."""
    key = key or data_key(session, meeting)
    # Columns, not ORM objects: a one-hour meeting has over a thousand segments.
    rows = session.execute(
        sa.select(
            col(TranscriptSegment.position),
            col(TranscriptSegment.speaker),
            col(TranscriptSegment.speaker_ciphertext),
            col(TranscriptSegment.start_s),
            col(TranscriptSegment.end_s),
            col(TranscriptSegment.text_ciphertext),
            col(TranscriptSegment.segment_key),
        )
        .where(
            col(TranscriptSegment.meeting_id) == meeting.id,
            col(TranscriptSegment.input_version) == (version or meeting.input_version),
        )
        .order_by(col(TranscriptSegment.position))
    ).all()
    return [
        Segment(
            index=position,
            speaker=speaker if speaker_ct is None else crypto.decrypt_text(key, speaker_ct),
            start=start,
            end=end,
            text=crypto.decrypt_text(key, ciphertext),
            external_id=segment_key,
        )
        for position, speaker, speaker_ct, start, end, ciphertext, segment_key in rows
    ]


def decision_row(meeting: Meeting, version: int, item: Item, key: bytes) -> Decision:
    """A core Item as a decision row of one input version (statement and evidence encrypted)."""
    content = {
        "statement": item.statement,
        "evidence": [e.to_dict() for e in item.evidence],
        "owner": (item.owner or None) and item.owner[:200],
        "party": (item.party or None) and item.party[:200],
        "values": item.values,
    }
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
        content_ciphertext=seal_json(key, content),
        due=due,
        confidence=min(1.0, max(0.0, float(item.confidence))),
        evidence_segment_keys=[e.segment_id for e in item.evidence],
        supersedes=list(item.supersedes),
        superseded_by=item.superseded_by,
        conflicts_with=list(item.conflicts_with),
    )


def decision_to_item(row: Decision, key: bytes) -> Item:
    """A stored decision as the core's Item, with the person's review applied."""
    content = decision_content(row, key)
    statement = content["statement"]
    if row.edited_statement_ciphertext:
        statement = crypto.decrypt_text(key, row.edited_statement_ciphertext)
    return Item(
        id=row.item_key,
        kind=row.kind,  # type: ignore[arg-type]
        statement=statement,
        confidence=row.confidence,
        evidence=[Evidence(**e) for e in content.get("evidence", [])],
        owner=content["owner"],
        party=content["party"],
        due=row.due.isoformat() if row.due else None,
        values=dict(
            content["edited_values"] if content["edited_values"] is not None else content["values"]
        ),
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


def add_version(
    session: Session,
    draft: Draft,
    doc: DraftDoc,
    key: bytes,
    *,
    source: str,
    created_by: uuid.UUID | None,
) -> DraftVersion:
    """Store `doc` as a new immutable version of `draft` (body encrypted) with one provenance
    row per clause source, so a clause can be traced to its decisions without decrypting."""
    row = DraftVersion(
        organization_id=draft.organization_id,
        draft_id=draft.id,
        version=doc.version,
        source=source,
        body_ciphertext=crypto.encrypt(key, json.dumps(doc.to_dict()).encode()),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    session.add_all(
        ClauseProvenance(
            organization_id=draft.organization_id,
            draft_version_id=row.id,
            clause_number=str(clause.number)[:16],
            clause_key=clause.key[:64],
            term=prov.term[:64],
            item_key=prov.item_id[:64],
            segment_keys=list(prov.segment_ids),
        )
        for clause in doc.clauses
        for prov in clause.provenance
    )
    return row
