"""LLM grounding (issue 15, item 5, this helper's part): a value the language model proposed
that nobody has reviewed blocks approval, through the real approve endpoint."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from bridge_app.models import ClauseProvenance, Draft, DraftVersion
from bridge_app.services.queue import NextJob
from tests.api.conftest import DEMO, client, queue_redis_url, upload  # noqa: F401  (fixtures)
from tests.api.support import make_org, run_until_idle, session


def test_unreviewed_model_value_blocks_approval(client: TestClient) -> None:  # noqa: F811
    org = make_org("ModelValues")
    response = upload(client, org, DEMO.read_bytes(), title="Model-drafted")
    meeting_id = uuid.UUID(response.json()["id"])
    run_until_idle(NextJob("transcript", meeting_id, 1))
    with session() as s:
        draft = s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).one()
        version = s.exec(select(DraftVersion).where(DraftVersion.draft_id == draft.id)).one()
        used = s.exec(
            select(ClauseProvenance.item_key).where(ClauseProvenance.draft_version_id == version.id)
        ).first()
        assert used
        model_key = "llm-" + used[:60]
        # What the LLM backend would have stored: the same item, under a model item id.
        for table in ("decisions", "clause_provenance"):
            column = "meeting_id" if table == "decisions" else "draft_version_id"
            s.execute(
                sa.text(
                    f"UPDATE {table} SET item_key = :new WHERE item_key = :old AND {column} = :id"
                ),
                {
                    "new": model_key,
                    "old": used,
                    "id": meeting_id if table == "decisions" else version.id,
                },
            )
        # Isolate this check from QA's own blockers on the demo draft.
        s.execute(
            sa.text("UPDATE draft_versions SET blocker_count = 0, qa_done = true WHERE id = :id"),
            {"id": version.id},
        )
        s.commit()
        draft_id = draft.id
    legal = org.headers("legal")
    refused = client.post(f"/v1/drafts/{draft_id}/approve", json={}, headers=legal)
    assert refused.status_code == 409, refused.text
    assert model_key in refused.json()["detail"]
    decisions = client.get(f"/v1/meetings/{meeting_id}/decisions", headers=legal).json()
    target = next(d for d in decisions if d["item_key"] == model_key)
    accepted = client.post(
        f"/v1/decisions/{target['id']}/review", json={"action": "accept"}, headers=legal
    )
    assert accepted.status_code == 200, accepted.text
    with session() as s:
        # Accepting queues a new draft version; approve the one we looked at for this check.
        current = s.get(Draft, draft_id)
        assert current is not None
        s.execute(
            sa.text(
                "UPDATE draft_versions SET blocker_count = 0, qa_done = true WHERE draft_id = :id"
            ),
            {"id": draft_id},
        )
        s.commit()
    approved = client.post(f"/v1/drafts/{draft_id}/approve", json={}, headers=legal)
    # Reviewed: no longer refused for the model's value (other checks may still apply).
    assert model_key not in approved.text, approved.text
