"""Database access: one engine per URL, sessions, organization scoping and migrations."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from bridge_app.settings import REPO_ROOT, get_settings

ModelT = TypeVar("ModelT", bound=SQLModel)

PARTITION_MONTHS_AHEAD = 3


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """A pooled engine; pre-ping so a restarted PostgreSQL costs one retry, not a crash."""
    return sa.create_engine(
        url or get_settings().sqlalchemy_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_recycle=1800,
    )


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def scoped(model: type[ModelT], organization_id: uuid.UUID) -> SelectOfScalar[ModelT]:
    """`SELECT … WHERE organization_id = :org`: every customer query starts here."""
    column: Any = model.organization_id  # type: ignore[attr-defined]
    return select(model).where(column == organization_id)


def get_owned(
    session: Session, model: type[ModelT], object_id: uuid.UUID | str, organization_id: uuid.UUID
) -> ModelT | None:
    """Load by id only if it belongs to the organization (else None, reported as 404)."""
    try:
        key = object_id if isinstance(object_id, uuid.UUID) else uuid.UUID(str(object_id))
    except ValueError:
        return None
    id_column: Any = model.id  # type: ignore[attr-defined]
    return session.exec(scoped(model, organization_id).where(id_column == key)).first()


def ensure_decision_partitions(session: Session, months_ahead: int = PARTITION_MONTHS_AHEAD) -> int:
    """Create the monthly partitions of `decisions` up to `months_ahead`; returns how many."""
    created = session.execute(
        sa.text("SELECT bridge_ensure_decision_partitions(:n)"), {"n": months_ahead}
    ).scalar_one()
    return int(created)


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(Path(REPO_ROOT) / "alembic"))
    config.attributes["configure_logger"] = False
    if url:
        config.attributes["url"] = url
    return config


def migrate(url: str | None = None, revision: str = "head") -> None:
    """`alembic upgrade <revision>` in-process."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
