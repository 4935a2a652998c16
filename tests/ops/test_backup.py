"""Backup → wipe → restore → verify on the real (embedded) PostgreSQL, and object backups."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlmodel import Session

from bridge_app.cli import main as cli_main
from bridge_app.ops import backup as ops
from bridge_app.services import crypto, db
from bridge_app.services.storage import LocalStore
from bridge_app.settings import Settings, normalize_database_url
from tests.factories import make_decision, make_meeting, make_org, make_user

pytestmark = pytest.mark.services


def _seed(url: str) -> None:
    db.migrate(normalize_database_url(url))
    engine = db.get_engine(normalize_database_url(url))
    keyring = crypto.Keyring.from_settings(
        Settings(ENCRYPTION_KEY="a" * 40, ENCRYPTION_KEY_ID="k1")
    )
    with Session(engine) as session:
        for name in ("Acme", "Globex"):
            org = make_org(session, name)
            make_user(session, org)
            crypto.create_data_key(session, org.id, keyring)
            meeting = make_meeting(session, org, f"{name} kick-off")
            for confidence in (0.5, 0.75, 0.9):
                make_decision(session, meeting, confidence=confidence)
        session.commit()
    engine.dispose()
    db.get_engine.cache_clear()


def _wipe(url: str) -> None:
    with psycopg.connect(ops.libpq_url(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def test_pg_tools_match_the_server(scratch_database: str) -> None:
    major = ops.server_major_version(scratch_database)
    for name in ("pg_dump", "pg_restore"):
        tool = ops.find_pg_tool(name, major)
        assert (ops.tool_major_version(tool) or 0) >= major


def test_backup_wipe_restore_verify(scratch_database: str, tmp_path: Path) -> None:
    _seed(scratch_database)
    backup = ops.backup_database(scratch_database, tmp_path, "bridge-test")
    assert Path(backup.dump_path).stat().st_size > 0
    assert backup.manifest_path.exists()
    assert backup.tables["public.organizations"]["rows"] == 2
    assert backup.tables["public.data_keys"]["rows"] == 2
    assert backup.tables["public.alembic_version"]["rows"] == 1
    assert sum(v["rows"] for k, v in backup.tables.items() if "decisions" in k) == 6
    assert ops.verify_database(scratch_database, backup) == []

    _wipe(scratch_database)
    problems = ops.verify_database(scratch_database, backup)
    assert any("organizations: missing" in p for p in problems)

    assert ops.restore_database(Path(backup.dump_path), scratch_database) == []
    # Restoring again over a populated database (the --clean path) is also exact.
    assert ops.restore_database(Path(backup.dump_path), scratch_database) == []


def test_verify_notices_changed_rows(scratch_database: str, tmp_path: Path) -> None:
    _seed(scratch_database)
    backup = ops.backup_database(scratch_database, tmp_path, "bridge-change")
    with psycopg.connect(ops.libpq_url(scratch_database), autocommit=True) as conn:
        conn.execute("UPDATE organizations SET name = name || ' Ltd' WHERE name = 'Acme'")
    assert ops.verify_database(scratch_database, backup) == [
        "public.organizations: content checksum differs"
    ]


def test_corrupt_dump_is_refused_before_anything_is_dropped(
    scratch_database: str, tmp_path: Path
) -> None:
    _seed(scratch_database)
    backup = ops.backup_database(scratch_database, tmp_path, "bridge-corrupt")
    with open(backup.dump_path, "ab") as handle:
        handle.write(b"garbage")
    with pytest.raises(ops.BackupError, match="does not match its manifest"):
        ops.restore_database(Path(backup.dump_path), scratch_database)
    assert ops.verify_database(scratch_database, backup) == []


def test_cli_backup_and_restore(
    scratch_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(scratch_database)
    out = tmp_path / "backups"
    args = ["--out", str(out), "--what", "db", "--database-url", scratch_database]
    assert cli_main(["backup", *args, "--name", "bridge-20240101T000000Z"]) == 0
    assert cli_main(["backup", *args, "--name", "bridge-20240102T000000Z", "--keep", "1"]) == 0
    dumps = sorted(out.glob("*.dump"))
    assert [d.name for d in dumps] == ["bridge-20240102T000000Z.dump"]
    _wipe(scratch_database)
    restore = ["restore", "--dump", str(dumps[0]), "--database-url", scratch_database]
    assert cli_main(restore) == 2  # no --yes
    assert cli_main([*restore, "--verify-only"]) == 1
    assert cli_main([*restore, "--yes"]) == 0
    assert cli_main([*restore, "--verify-only"]) == 0
    assert "verified: database matches the backup" in capsys.readouterr().out


def test_local_object_store_backup_and_restore(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store", b"k" * 32, "http://localhost:3001")
    blobs = {f"org/{uuid.uuid4()}/transcript.bin": uuid.uuid4().bytes * 50 for _ in range(3)}
    blobs["exports/a/b/contract.pdf"] = b"%PDF-1.7 fake"
    for key, data in blobs.items():
        store.put(key, data, content_type="application/octet-stream")
    first = ops.backup_objects(store, tmp_path / "backup")
    assert set(first.objects) == set(blobs)
    # Incremental: a second run reuses the unchanged copies.
    second = ops.backup_objects(
        store, tmp_path / "backup", ops.ObjectsBackup.load(tmp_path / "backup")
    )
    assert second.objects == first.objects

    for key in blobs:
        store.delete(key)
    store.put("exports/a/b/contract.pdf", b"tampered", content_type="application/pdf")
    assert len(ops.verify_objects(store, second)) == len(blobs)
    assert ops.restore_objects(store, ops.ObjectsBackup.load(tmp_path / "backup")) == []
    assert all(store.get(k) == v for k, v in blobs.items())


def test_corrupt_object_copy_is_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store", b"k" * 32, "http://localhost:3001")
    store.put("a/b.bin", b"data", content_type="application/octet-stream")
    backup = ops.backup_objects(store, tmp_path / "backup")
    (tmp_path / "backup" / "objects" / "a" / "b.bin").write_bytes(b"evil")
    with pytest.raises(ops.BackupError, match="corrupt"):
        ops.restore_objects(store, backup)
