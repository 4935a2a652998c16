"""Secret rotation on the real PostgreSQL: encrypted data stays readable throughout."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bridge_app.cli import main as cli_main
from bridge_app.models import DataKey
from bridge_app.ops import rotation
from bridge_app.services import crypto, db
from bridge_app.settings import Settings, get_settings, normalize_database_url
from tests.factories import make_org

pytestmark = pytest.mark.services

OLD = "old-master-key-" + "x" * 32
NEW = "new-master-key-" + "y" * 32


def _settings(**overrides: str) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]


@pytest.fixture()
def engine_k1(scratch_database: str) -> Iterator[tuple[Engine, dict[uuid.UUID, bytes]]]:
    """A migrated scratch database with data keys wrapped by k1, and a ciphertext per key."""
    url = normalize_database_url(scratch_database)
    db.migrate(url)
    engine = db.get_engine(url)
    k1 = crypto.Keyring.from_settings(_settings(ENCRYPTION_KEY=OLD, ENCRYPTION_KEY_ID="k1"))
    blobs: dict[uuid.UUID, bytes] = {}
    with Session(engine) as session:
        for i in range(5):
            org = make_org(session, f"Org{i}")
            row = crypto.create_data_key(session, org.id, k1)
            blobs[row.id] = crypto.encrypt_text(crypto.data_key(row, k1), f"secret {i}")
        session.commit()
    yield engine, blobs
    engine.dispose()
    db.get_engine.cache_clear()


def _read_all(engine: Engine, keyring: crypto.Keyring, blobs: dict[uuid.UUID, bytes]) -> list[str]:
    with Session(engine) as session:
        return sorted(
            crypto.decrypt_text(crypto.load_data_key(session, key_id, keyring), blob)
            for key_id, blob in blobs.items()
        )


def test_rotation_rewraps_and_data_stays_readable(
    engine_k1: tuple[Engine, dict[uuid.UUID, bytes]],
) -> None:
    engine, blobs = engine_k1
    step1 = _settings(ENCRYPTION_KEY=NEW, ENCRYPTION_KEY_ID="k2", ENCRYPTION_OLD_KEYS=f"k1:{OLD}")
    with Session(engine) as session:
        dry = rotation.rotate_encryption_key(session, step1, expected_key_id="k2", dry_run=True)
        assert dry.before == {"k1": 5} and dry.rewrapped == 0
        result = rotation.rotate_encryption_key(session, step1, expected_key_id="k2", batch=2)
        session.commit()
    assert result.rewrapped == 5
    assert result.after == {"k2": 5}

    only_new = crypto.Keyring.from_settings(_settings(ENCRYPTION_KEY=NEW, ENCRYPTION_KEY_ID="k2"))
    assert _read_all(engine, only_new, blobs) == [f"secret {i}" for i in range(5)]
    only_old = crypto.Keyring.from_settings(_settings(ENCRYPTION_KEY=OLD, ENCRYPTION_KEY_ID="k1"))
    with pytest.raises(crypto.DecryptionError):
        _read_all(engine, only_old, blobs)

    # Running it again is a no-op.
    with Session(engine) as session:
        again = rotation.rotate_encryption_key(session, step1, expected_key_id="k2")
    assert again.rewrapped == 0


def test_rotation_refuses_without_the_old_key(
    engine_k1: tuple[Engine, dict[uuid.UUID, bytes]],
) -> None:
    engine, _ = engine_k1
    forgot_old = _settings(ENCRYPTION_KEY=NEW, ENCRYPTION_KEY_ID="k2")
    wrong_old = _settings(
        ENCRYPTION_KEY=NEW, ENCRYPTION_KEY_ID="k2", ENCRYPTION_OLD_KEYS="k1:not-the-old-key"
    )
    with Session(engine) as session:
        with pytest.raises(rotation.RotationError, match=r"\['k1'\]"):
            rotation.rotate_encryption_key(session, forgot_old, expected_key_id="k2")
        with pytest.raises(rotation.RotationError, match="could not be unwrapped"):
            rotation.rotate_encryption_key(session, wrong_old, expected_key_id="k2")
        with pytest.raises(rotation.RotationError, match="ENCRYPTION_KEY_ID is 'k2'"):
            rotation.rotate_encryption_key(session, forgot_old, expected_key_id="k3")
        assert rotation.data_keys_by_kek(session) == {"k1": 5}


def test_rotate_key_cli(
    engine_k1: tuple[Engine, dict[uuid.UUID, bytes]],
    scratch_database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine, blobs = engine_k1
    monkeypatch.setenv("DATABASE_URL", scratch_database)
    monkeypatch.setenv("ENCRYPTION_KEY", NEW)
    monkeypatch.setenv("ENCRYPTION_KEY_ID", "k2")
    monkeypatch.setenv("ENCRYPTION_OLD_KEYS", f"k1:{OLD}")
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        assert cli_main(["rotate-key", "--new-key-id", "k9"]) == 1
        assert cli_main(["rotate-key", "--new-key-id", "k2", "--dry-run"]) == 0
        assert cli_main(["rotate-key", "--new-key-id", "k2"]) == 0
        out = capsys.readouterr().out
        assert "re-wrapped 5 data keys to 'k2'" in out
        with Session(engine) as session:
            assert {r.kek_id for r in session.exec(select(DataKey))} == {"k2"}
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        db.get_engine.cache_clear()
    only_new = crypto.Keyring.from_settings(_settings(ENCRYPTION_KEY=NEW, ENCRYPTION_KEY_ID="k2"))
    assert len(_read_all(engine, only_new, blobs)) == 5


def test_jwt_rotation_keeps_old_tokens_valid_during_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    from joserfc import jwt
    from joserfc.errors import BadSignatureError
    from joserfc.jwk import OctKey

    def sign(secret: str) -> str:
        return jwt.encode({"alg": "HS256"}, {"sub": "u1"}, OctKey.import_key(secret))

    before = _settings(JWT_SECRET="a" * 40, ACCESS_TOKEN_MINUTES="15")
    old_token = sign(before.JWT_SECRET)

    plan = rotation.plan_jwt_rotation(before)
    assert plan.JWT_OLD_SECRETS == before.JWT_SECRET
    assert plan.grace_minutes == 15 + rotation.JWT_CLOCK_SKEW_MINUTES
    monkeypatch.setenv("JWT_OLD_SECRETS", plan.JWT_OLD_SECRETS)
    during = _settings(JWT_SECRET=plan.JWT_SECRET)
    secrets = rotation.jwt_verification_secrets(during)
    assert secrets == [plan.JWT_SECRET, before.JWT_SECRET]

    def verifies(token: str, keys: list[str]) -> bool:
        for key in keys:
            try:
                jwt.decode(token, OctKey.import_key(key), algorithms=["HS256"])
                return True
            except BadSignatureError:
                continue
        return False

    new_token = sign(during.JWT_SECRET)
    assert verifies(old_token, secrets) and verifies(new_token, secrets)
    monkeypatch.setenv("JWT_OLD_SECRETS", plan.after_grace_JWT_OLD_SECRETS)
    after = rotation.jwt_verification_secrets(_settings(JWT_SECRET=plan.JWT_SECRET))
    assert not verifies(old_token, after) and verifies(new_token, after)

    with pytest.raises(rotation.RotationError):
        rotation.plan_jwt_rotation(before, secret="short")
    with pytest.raises(rotation.RotationError):
        rotation.plan_jwt_rotation(before, secret=before.JWT_SECRET)


def test_jwt_plan_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert cli_main(["rotate-key", "--jwt-plan"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert len(plan["step1_env"]["JWT_SECRET"]) >= 32
    assert plan["step2_env"] == {"JWT_OLD_SECRETS": ""}
    assert cli_main(["rotate-key", "--generate"]) == 0
    assert len(capsys.readouterr().out.strip()) >= 32
