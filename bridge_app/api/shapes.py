"""The services' read views as the API's response models (shared by several routers)."""

from __future__ import annotations

from bridge_app.models.api import DecisionPublic
from bridge_app.services import queries


def decision_public(view: queries.DecisionView) -> DecisionPublic:
    """A decision as the API shows it (decrypted, review applied)."""
    row = view.row
    return DecisionPublic(
        id=row.id,
        meeting_id=row.meeting_id,
        item_key=row.item_key,
        kind=row.kind,
        statement=view.statement,
        original_statement=view.original_statement,
        evidence=view.evidence,
        owner=row.owner,
        party=row.party,
        due=row.due,
        values=view.values,
        original_values=view.original_values,
        confidence=row.confidence,
        supersedes=list(row.supersedes),
        superseded_by=row.superseded_by,
        conflicts_with=list(row.conflicts_with),
        review_status=row.review_status,
        review_reason=row.review_reason,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
    )
