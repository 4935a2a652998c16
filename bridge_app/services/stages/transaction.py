"""The skeleton every stage shares: one transaction, the subject locked, results replaced, the
status set, the `stage_runs` row and the outbox event written, and the failure path."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, TypeVar

import psycopg.sql
import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlalchemy.sql import Executable
from sqlmodel import Session, SQLModel

from bridge_app.core.stages import MeetingStatus, Stage
from bridge_app.models import Draft, DraftVersion, Meeting, StageRun
from bridge_app.services import metrics
from bridge_app.services.db import session_scope
from bridge_app.services.events import record_event
from bridge_app.services.meeting_data import data_key
from bridge_app.services.queue import NextJob
from bridge_app.services.storage import ObjectStore, get_store

RowT = TypeVar("RowT", bound=SQLModel)
REASON_MAX = 2000


@dataclass(frozen=True)
class RunInfo:
    """What arq tells a job about itself (for the stage_runs row)."""

    job_id: str
    attempt: int
    enqueued_at: datetime | None
    started_at: datetime


def now() -> datetime:
    """The time stages stamp rows with."""
    return datetime.now(UTC)


@dataclass
class StageTransaction:
    """One run of one stage inside one database transaction (the caller commits).

    `store` and `today` default to the configured object store and the current date; tests
    pass their own.
    """

    session: Session
    stage: Stage
    run: RunInfo
    store_override: ObjectStore | None = None
    today_override: date | None = None
    _store: ObjectStore | None = field(default=None, init=False, repr=False)

    @property
    def store(self) -> ObjectStore:
        """The object store this run reads and writes."""
        if self._store is None:
            self._store = self.store_override or get_store()
        return self._store

    @property
    def today(self) -> date:
        """The date drafts and QA are made for."""
        return self.today_override or now().date()

    def lock(self, model: type[RowT], row_id: uuid.UUID) -> RowT | None:
        """The subject row, locked until commit (one runner per subject at a time)."""
        return self.session.get(model, row_id, with_for_update=True)

    def key(self, meeting: Meeting) -> bytes:
        """The meeting's data key (MissingDataKey when it has none: a permanent failure)."""
        return data_key(self.session, meeting)

    def replace(
        self,
        delete: Executable,
        rows: Iterable[SQLModel] | Iterable[Mapping[str, Any]],
        *,
        model: type[SQLModel] | None = None,
    ) -> None:
        """Delete this stage's earlier results for the input and add the new ones.

        With `model`, `rows` are plain column mappings written in one COPY (`insert_rows`): for
        thousands of rows (a meeting's segments) that skips building an ORM object and an
        INSERT per row, which cost more than the stage's own work.
        """
        self.session.execute(delete)
        if model is None:
            self.session.add_all(rows)
            return
        insert_rows(self.session, model, rows)  # type: ignore[arg-type]

    def set_status(self, meeting: Meeting, status: MeetingStatus) -> None:
        """Move the meeting to a new pipeline status."""
        meeting.status = status
        meeting.updated_at = now()
        self.session.add(meeting)

    def succeeded(
        self,
        meeting: Meeting,
        *,
        version: int,
        event: str,
        payload: dict[str, Any],
        organization_id: uuid.UUID | None = None,
        draft_id: uuid.UUID | None = None,
        export_id: uuid.UUID | None = None,
        slo: str | None = None,
        slo_start: datetime | None = None,
    ) -> None:
        """Write the succeeded stage run and the outbox event of this run."""
        self.record_run(
            meeting,
            version=version,
            outcome="succeeded",
            draft_id=draft_id,
            export_id=export_id,
            slo=slo,
            slo_start=slo_start,
        )
        record_event(
            self.session,
            organization_id=organization_id or meeting.organization_id,
            event=event,
            payload=payload,
        )

    def record_run(
        self,
        meeting: Meeting,
        *,
        version: int,
        outcome: str,
        error: str | None = None,
        draft_id: uuid.UUID | None = None,
        export_id: uuid.UUID | None = None,
        slo: str | None = None,
        slo_start: datetime | None = None,
    ) -> StageRun:
        """The `stage_runs` row (timings, SLO latency) and the stage metrics."""
        finished = now()
        latency = (finished - slo_start).total_seconds() if slo and slo_start else None
        run = self.run
        row = StageRun(
            organization_id=meeting.organization_id,
            meeting_id=meeting.id,
            draft_id=draft_id,
            export_id=export_id,
            stage=self.stage,
            input_version=version,
            job_id=run.job_id,
            attempt=run.attempt,
            outcome=outcome,
            error=error,
            enqueued_at=run.enqueued_at,
            started_at=run.started_at,
            finished_at=finished,
            slo=slo if latency is not None else None,
            slo_latency_s=latency,
        )
        self.session.add(row)
        metrics.STAGE_RUNS.labels(self.stage, outcome).inc()
        metrics.STAGE_DURATION.labels(self.stage, outcome).observe(
            (finished - run.started_at).total_seconds()
        )
        if latency is not None and slo:
            metrics.PIPELINE_LATENCY.labels(slo).observe(latency)
        return row

    def failed(
        self, meeting: Meeting, reason: str, *, version: int, fail_meeting: bool = True, **ids: Any
    ) -> None:
        """Give up: the failed run, the `stage.failed` event and, unless the stage leaves the
        meeting alone (export), the meeting marked failed with the reason."""
        if fail_meeting:
            meeting.status = MeetingStatus.failed
            meeting.failed_stage = self.stage
            meeting.failure_reason = reason[:REASON_MAX]
            meeting.updated_at = now()
            self.session.add(meeting)
        self.record_run(
            meeting, version=version, outcome="failed", error=reason[:REASON_MAX], **ids
        )
        extra = {k: str(v) for k, v in ids.items() if v is not None} if fail_meeting else {}
        record_event(
            self.session,
            organization_id=meeting.organization_id,
            event="stage.failed",
            payload={
                "meeting_id": str(meeting.id),
                "stage": self.stage,
                "reason": reason[:500],
                **extra,
            },
        )


@cache
def _defaults(model: type[SQLModel]) -> tuple[tuple[str, Any, bool], ...]:
    """(field, default or factory, is factory) for every field of `model` that has one."""
    out = []
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            out.append((name, info.default_factory, True))
        elif info.default is not PydanticUndefined:
            out.append((name, info.default, False))
    return tuple(out)


def insert_rows(session: Session, model: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> int:
    """INSERT `rows` (column mappings; model defaults filled in); returns how many.

    COPY … FROM STDIN: one statement for all rows, each row encoded by the driver, far
    cheaper than an INSERT per row (the ORM's flush) or a compiled multi-row VALUES.
    """
    defaults = _defaults(model)
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    columns = [c.name for c in table.columns]
    raw = session.connection().connection.driver_connection
    assert raw is not None  # a checked-out connection always has its driver connection
    count = 0
    statement = psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
        psycopg.sql.Identifier(table.name),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            full = dict(row)
            for name, default, factory in defaults:
                if name not in full:
                    full[name] = default() if factory else default
            copy.write_row([full[c] for c in columns])
            count += 1
    return count


@contextmanager
def open_transaction(
    stage: Stage | str,
    run: RunInfo,
    *,
    store: ObjectStore | None = None,
    today: date | None = None,
) -> Iterator[StageTransaction]:
    """A stage transaction on a new session: commits when the body returns, else rolls back."""
    with session_scope() as session:
        yield StageTransaction(session, Stage(stage), run, store, today)


def owners(
    session: Session, version: DraftVersion | None
) -> tuple[Draft, Meeting] | tuple[None, None]:
    """The draft and meeting a version belongs to (None, None when either is gone)."""
    draft = session.get(Draft, version.draft_id) if version else None
    meeting = session.get(Meeting, draft.meeting_id) if draft else None
    return (draft, meeting) if draft and meeting else (None, None)


def request_new_draft_version(session: Session, draft_row: Draft) -> NextJob:
    """A new version number, so a new deterministic job id (arq may still keep the old one)."""
    draft_row.requested_version = max(draft_row.requested_version, draft_row.current_version) + 1
    draft_row.requested_at = now()
    draft_row.updated_at = now()
    session.add(draft_row)
    return NextJob(Stage.draft, draft_row.id, draft_row.requested_version)
