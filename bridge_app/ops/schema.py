"""Is the database at the migration head? Used by the API's init container.

`python -m bridge_app.ops.schema --wait 600` exits 0 once the database's alembic revision
equals the head of the migrations shipped in the image (the migration Job put it there), and
1 when the timeout passes first. So new API pods never serve against an older schema.
"""

from __future__ import annotations

import argparse
import sys
import time

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from bridge_app.services import db
from bridge_app.settings import get_settings


def head_revisions() -> set[str]:
    """Head revision ids of the migrations in this code base."""
    return set(ScriptDirectory.from_config(db.alembic_config()).get_heads())


def current_revisions(url: str) -> set[str]:
    """Revision ids stored in the database (empty when never migrated or unreachable)."""
    engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).fetchall()
        return {r[0] for r in rows}
    except sa.exc.SQLAlchemyError:
        return set()
    finally:
        engine.dispose()


def wait_for_head(url: str, timeout: float, interval: float = 2.0) -> bool:
    """Poll until the database is at head; False when `timeout` seconds pass first."""
    heads = head_revisions()
    deadline = time.monotonic() + timeout
    while True:
        if current_revisions(url) == heads:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the init container."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for head")
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args(argv)
    url = get_settings().sqlalchemy_url
    if wait_for_head(url, args.wait, args.interval):
        print(f"schema at head {sorted(head_revisions())}")
        return 0
    print(
        f"schema not at head after {args.wait:.0f}s: database {sorted(current_revisions(url))}, "
        f"code {sorted(head_revisions())} (has the migration Job run?)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
