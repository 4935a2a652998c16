"""Property-based run of the OpenAPI spec (schemathesis): no request makes the server fail.

Every operation gets generated path, query, header and body values (valid and invalid) with
an admin token of an organization of its own; the only check is "no 5xx".
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import schemathesis
from arq import ArqRedis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from bridge_app.api.deps import get_queue_pool
from bridge_app.api.main import api
from bridge_app.services import queue
from tests.api.support import Org, make_org

schema = schemathesis.openapi.from_asgi("/v1/openapi.json", api)


@pytest.fixture(scope="module")
def fuzz_org(migrated: str, queue_redis_url: str) -> Org:
    async def fresh_pool() -> AsyncIterator[ArqRedis]:
        # schemathesis runs each call on a loop of its own: a pool per request, closed after.
        pool = await queue.get_pool(queue_redis_url)
        try:
            yield pool
        finally:
            await pool.aclose()

    previous = api.dependency_overrides.get(get_queue_pool)
    api.dependency_overrides[get_queue_pool] = fresh_pool
    yield make_org("Fuzz")  # type: ignore[misc]
    if previous is not None:
        api.dependency_overrides[get_queue_pool] = previous


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: schemathesis.Case, fuzz_org: Org) -> None:
    case.call_and_validate(headers=fuzz_org.headers("admin"), checks=[not_a_server_error])
