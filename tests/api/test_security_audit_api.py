"""`GET /v1/audit/verify` checks the chain against its head anchored in NATS JetStream."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient

from bridge_app.services import audit
from bridge_app.services.db import session_scope
from tests.api.conftest import World
from tests.api.support import make_org
from tests.services.test_security_audit_chain import _as_superuser, _relay_all


def test_verify_endpoint_reports_the_anchor(client: TestClient) -> None:
    org = make_org("VerifyAnchor", roles=("admin",))
    with session_scope() as s:
        audit.append_for(s, org.principals["admin"], action="test.event")
    asyncio.run(_relay_all())
    ok = client.get("/v1/audit/verify", headers=org.headers("admin")).json()
    assert ok["ok"] and ok["anchored"] is True, ok
    _as_superuser("DELETE FROM audit_events WHERE organization_id = %(o)s", {"o": str(org.id)})
    gone = client.get("/v1/audit/verify", headers=org.headers("admin")).json()
    assert not gone["ok"] and gone["anchored"] is False, gone


def test_served_downloads_are_audited_in_the_org_chain(client: TestClient, world: World) -> None:
    """Every download (API or UI link, local or S3 store) is served by /v1/files, which
    decrypts and audits it in the organization's own chain."""
    from urllib.parse import urlsplit

    from sqlmodel import select

    from bridge_app.models import AuditEvent
    from tests.api.support import session

    link = client.get(
        f"/v1/exports/{world.export_id}/download", headers=world.org.headers("viewer")
    ).json()
    parts = urlsplit(link["url"])
    served = client.get(parts.path + "?" + parts.query)
    assert served.status_code == 200 and served.content.startswith(b"#")
    with session() as s:
        events = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == "export.file_served",
                AuditEvent.organization_id == world.org.id,
            )
        ).all()
    assert events, "the download is in the organization's chain"
