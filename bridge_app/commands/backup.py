"""`backup`: pg_dump with a verification manifest, and a copy of the object store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bridge_app.ops import backup as ops
from bridge_app.services.storage import StorageError, build_store
from bridge_app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backup", help="back up the database and/or the object store")
    parser.add_argument("--out", type=Path, required=True, help="backup directory")
    parser.add_argument("--what", choices=["all", "db", "objects"], default="all")
    parser.add_argument("--name", help="base name (default bridge-<UTC timestamp>)")
    parser.add_argument("--database-url", help="default: DATABASE_URL")
    parser.add_argument(
        "--keep", type=int, default=0, help="keep only the newest N database dumps (0 = all)"
    )
    parser.set_defaults(handler=run)


def _prune(out: Path, keep: int) -> list[Path]:
    dumps = sorted(out.glob("bridge-*.dump"))
    removed = dumps[:-keep] if keep > 0 else []
    for dump in removed:
        dump.unlink(missing_ok=True)
        Path(str(dump) + ops.MANIFEST_SUFFIX).unlink(missing_ok=True)
    return removed


def run(args: argparse.Namespace) -> int:
    """Write the backups; exit 1 on any failure (nothing half-written is left as a dump)."""
    settings = get_settings()
    name = args.name or ops.default_backup_name()
    try:
        if args.what in ("all", "db"):
            url = args.database_url or settings.DATABASE_URL
            if not url:
                print("error: DATABASE_URL is not set", file=sys.stderr)
                return 1
            result = ops.backup_database(url, args.out, name)
            print(
                f"database: {result.dump_path} ({len(result.tables)} tables, "
                f"{result.total_rows()} rows, sha256 {result.dump_sha256[:16]}…, "
                f"pg_dump {result.pg_dump})"
            )
            for removed in _prune(args.out, args.keep):
                print(f"pruned {removed}")
        if args.what in ("all", "objects"):
            folder = args.out / "objects-latest"
            previous = None
            if (folder / ops.OBJECTS_MANIFEST).exists():
                previous = ops.ObjectsBackup.load(folder)
            objects = ops.backup_objects(build_store(settings), folder, previous)
            print(f"objects: {len(objects.objects)} from {objects.store_kind} store → {folder}")
    except (ops.BackupError, StorageError, OSError) as exc:
        print(f"error: backup failed: {exc}", file=sys.stderr)
        return 1
    return 0
