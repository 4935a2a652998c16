"""pg_dump/psql never get the database password on their command line (issue 15, item 18)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from bridge_app.ops import backup
from bridge_app.ops.backup import libpq_url
from bridge_app.settings import get_settings

CANARY = "s3cret-canary-password"


def test_password_travels_in_the_environment_not_argv(
    migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(args: list[str], *a: Any, **kw: Any) -> Any:
        seen.append(([str(x) for x in args], dict(kw.get("env") or {})))
        return real_run(args, *a, **kw)

    monkeypatch.setattr(backup.subprocess, "run", spy)
    url = libpq_url(get_settings().sqlalchemy_url).replace(
        "://postgres@", f"://postgres:{CANARY}@", 1
    )
    assert CANARY in url
    result = backup.backup_database(url, tmp_path)
    assert Path(result.dump_path).stat().st_size > 0
    dumps = [(argv, env) for argv, env in seen if "--format=custom" in argv]
    assert dumps, seen
    for argv, env in dumps:
        assert not any(CANARY in part for part in argv), argv
        assert env.get("PGPASSWORD") == CANARY


def test_tool_connection_strips_only_the_password() -> None:
    url, env = backup.tool_connection("postgresql://u:p%40ss@db.example:5433/app?sslmode=require")
    assert url == "postgresql://u@db.example:5433/app?sslmode=require"
    assert env["PGPASSWORD"] == "p@ss"
