"""`GET /v1/audit/verify` checks the chain against its head anchored in NATS JetStream."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient

from bridge_app.services import audit
from bridge_app.services.db import session_scope
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
