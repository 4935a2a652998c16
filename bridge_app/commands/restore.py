"""`restore`: restore a database dump (verified against its manifest) or the object store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import psycopg

from bridge_app.ops import backup as ops
from bridge_app.services.storage import StorageError, build_store
from bridge_app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("restore", help="restore and verify a backup")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--dump", type=Path, help="a .dump written by `backup`")
    target.add_argument("--objects", type=Path, help="an objects backup directory")
    parser.add_argument("--database-url", help="default: DATABASE_URL")
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="only compare the live database/store with the backup's manifest",
    )
    parser.add_argument("--yes", action="store_true", help="confirm replacing live data")
    parser.set_defaults(handler=run)


def _report(problems: list[str], what: str) -> int:
    if problems:
        print(f"VERIFY FAILED: {what} differs from the backup:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"verified: {what} matches the backup")
    return 0


def run(args: argparse.Namespace) -> int:
    """Exit 0 restored and verified; 1 failure or mismatch; 2 missing confirmation."""
    settings = get_settings()
    if not args.verify_only and not args.yes:
        print("refusing to replace live data without --yes", file=sys.stderr)
        return 2
    try:
        if args.dump:
            url = args.database_url or settings.DATABASE_URL
            if args.verify_only:
                backup = ops.DatabaseBackup.load(args.dump)
                return _report(ops.verify_database(url, backup), "database")
            problems = ops.restore_database(args.dump, url)
            return _report(problems, "database")
        backup_objects = ops.ObjectsBackup.load(args.objects)
        store = build_store(settings)
        if args.verify_only:
            return _report(ops.verify_objects(store, backup_objects), "object store")
        return _report(ops.restore_objects(store, backup_objects), "object store")
    except (ops.BackupError, StorageError, OSError, psycopg.Error) as exc:
        print(f"error: restore failed: {exc}", file=sys.stderr)
        return 1
