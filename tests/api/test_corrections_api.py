"""Transcript corrections over the API: 202 with the new version, the corrected segments read
back, and the refusals (viewer 403, another organization 404, stale version 409, empty 422)."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from bridge_app.services.queue import NextJob
from tests.api.conftest import DEMO, upload
from tests.api.support import Org, make_org, run_until_idle

pytestmark = pytest.mark.services


@pytest.fixture()
def meeting(client: TestClient) -> tuple[Org, str]:
    org = make_org("Correcting")
    response = upload(client, org, DEMO.read_bytes(), title="Kick-off")
    assert response.status_code == 201, response.text
    meeting_id = response.json()["id"]
    run_until_idle(NextJob("transcript", uuid.UUID(meeting_id), 1))
    return org, meeting_id


def _segments(client: TestClient, org: Org, meeting_id: str) -> list[dict[str, object]]:
    response = client.get(f"/v1/meetings/{meeting_id}/segments", headers=org.headers("viewer"))
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


def test_a_segment_correction_is_accepted_and_read_back(
    client: TestClient, meeting: tuple[Org, str]
) -> None:
    org, meeting_id = meeting
    url = f"/v1/meetings/{meeting_id}/segments/8"
    body = {"version": 1, "text": "Okay, $39,000 works for us.", "reason": "checked the call"}
    response = client.patch(url, json=body, headers=org.headers("legal"))
    assert response.status_code == 202, response.text
    assert response.json() | {"enqueued": None} == {
        "id": meeting_id,
        "status": "ingested",
        "version": 2,
        "enqueued": None,
    }
    segments = _segments(client, org, meeting_id)
    assert segments[8]["text"] == "Okay, $39,000 works for us."
    assert segments[8]["segment_key"] == "c9"
    detail = client.get(f"/v1/meetings/{meeting_id}", headers=org.headers("viewer")).json()
    assert detail["input_version"] == 2 and detail["segment_count"] == 20

    # Editing the version that was just replaced: 409, saying which one is current.
    stale = client.patch(url, json=body, headers=org.headers("legal"))
    assert stale.status_code == 409, stale.text
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert "you corrected version 1, version 2 is current" in stale.json()["detail"]


def test_speakers_are_named_and_merged(client: TestClient, meeting: tuple[Org, str]) -> None:
    org, meeting_id = meeting
    legal = org.headers("legal")
    renamed = client.post(
        f"/v1/meetings/{meeting_id}/speakers/rename",
        json={"version": 1, "speaker": "Omar Haddad", "name": "Omar H.", "reason": "initial"},
        headers=legal,
    )
    assert renamed.status_code == 202, renamed.text
    assert renamed.json()["version"] == 2
    run_until_idle(NextJob("decision", uuid.UUID(meeting_id), 2))
    merged = client.post(
        f"/v1/meetings/{meeting_id}/speakers/merge",
        json={"version": 2, "speaker": "Omar H.", "into": "Dana Whitfield", "reason": "one mic"},
        headers=legal,
    )
    assert merged.status_code == 202, merged.text
    speakers = {s["speaker"] for s in _segments(client, org, meeting_id)}
    assert speakers == {"Dana Whitfield", "Priya Natarajan"}
    again = {"version": 3, "speaker": "Omar H.", "name": "Omar", "reason": "r"}
    rename = f"/v1/meetings/{meeting_id}/speakers/rename"
    busy = client.post(rename, json=again, headers=legal)
    assert busy.status_code == 409 and "being processed" in busy.json()["detail"], busy.text
    run_until_idle(NextJob("decision", uuid.UUID(meeting_id), 3))
    unknown = client.post(rename, json=again, headers=legal)
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["detail"] == "the transcript has no speaker 'Omar H.'"


def test_refusals(client: TestClient, meeting: tuple[Org, str]) -> None:
    org, meeting_id = meeting
    url = f"/v1/meetings/{meeting_id}/segments/8"
    good = {"version": 1, "text": "Okay, $39,000.", "reason": "r"}
    assert client.patch(url, json=good).status_code == 401
    for role in ("viewer", "ops"):
        refused = client.patch(url, json=good, headers=org.headers(role))
        assert refused.status_code == 403, refused.text
    other = make_org("Outsider")
    assert client.patch(url, json=good, headers=other.headers("admin")).status_code == 404
    for bad in (
        {**good, "text": ""},
        {**good, "text": "   "},
        {**good, "reason": ""},
        {"version": 1, "reason": "r"},
        {**good, "version": 0},
        {**good, "speaker": ""},
    ):
        response = client.patch(url, json=bad, headers=org.headers("legal"))
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["detail"]
    missing = client.patch(
        f"/v1/meetings/{meeting_id}/segments/999", json=good, headers=org.headers("legal")
    )
    assert missing.status_code == 404
    empty = client.patch(url, json={**good, "text": ""}, headers=org.headers("legal"))
    assert "cannot be empty" in empty.json()["detail"]
    assert _segments(client, org, meeting_id)[8]["text"] == "Okay, $38,000 works for us. Agreed."
