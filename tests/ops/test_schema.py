"""The init containers' schema wait against the real PostgreSQL."""

from __future__ import annotations

import pytest

from bridge_app.ops import schema
from bridge_app.services import db
from bridge_app.settings import normalize_database_url

pytestmark = pytest.mark.services


def test_waits_until_the_migration_reaches_head(scratch_database: str) -> None:
    url = normalize_database_url(scratch_database)
    assert schema.current_revisions(url) == set()
    assert schema.wait_for_head(url, timeout=0.3, interval=0.1) is False
    db.migrate(url)
    assert schema.current_revisions(url) == schema.head_revisions()
    assert schema.wait_for_head(url, timeout=0) is True


def test_unreachable_database_is_not_at_head() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    assert schema.wait_for_head(url, timeout=0) is False
