"""`migrate`: bring the database to the latest schema (alembic upgrade head)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import OperationalError

from bridge_app.services import db


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    parser.add_argument("--revision", default="head")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        db.migrate(revision=args.revision)
        with db.session_scope() as session:
            db.ensure_decision_partitions(session)
    except OperationalError as exc:
        print(f"error: cannot reach the database: {exc.orig}", file=sys.stderr)
        return 1
    print(f"database at revision {args.revision}")
    return 0
