"""The pipeline's stage table: the one place that says what each stage is called and does.

Five stages run in order, each as an arq job on its own queue served by its own worker. For
each one the table gives its queue, its arq function, its worker's port, what its job is about
(the subject), the meeting statuses around it and where a retry of it starts again. Models,
workers, the reconciler, the API, the UI's progress steps, the bench and the run command all
read it, so a stage is named and ordered in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    """A pipeline stage (also the `stage_runs.stage` value and the job id's prefix)."""

    transcript = "transcript"
    decision = "decision"
    draft = "draft"
    qa = "qa"
    export = "export"


class MeetingStatus(StrEnum):
    """Where a meeting is in the pipeline (in order; `failed` can follow any stage)."""

    uploaded = "uploaded"
    ingesting = "ingesting"
    ingested = "ingested"
    extracting = "extracting"
    extracted = "extracted"
    drafting = "drafting"
    drafted = "drafted"
    checking = "checking"
    ready = "ready"
    failed = "failed"


class Subject(StrEnum):
    """What a stage's job id points at."""

    meeting = "meeting"
    draft = "draft"
    draft_version = "draft_version"
    export = "export"


@dataclass(frozen=True)
class StageSpec:
    """One row of the stage table.

    `waiting`, `running` and `done` are the meeting's status before, during and after the
    stage (None for export, which never moves the meeting). `starts_from` lists the statuses
    from which a starting job shows `running`. A retry of a meeting that failed here resumes
    at `retry_stage`, with the meeting back at that stage's `waiting` status.
    """

    stage: Stage
    label: str
    queue: str
    function: str
    port: int
    subject: Subject
    waiting: MeetingStatus | None
    running: MeetingStatus | None
    done: MeetingStatus | None
    starts_from: tuple[MeetingStatus, ...]
    retry_stage: Stage


S, M = Stage, MeetingStatus
STAGE_TABLE: tuple[StageSpec, ...] = (
    StageSpec(
        S.transcript, "Transcript", "meeting.ingest", "transcript_job", 8000, Subject.meeting,
        M.uploaded, M.ingesting, M.ingested, (M.uploaded, M.ingested), S.transcript,
    ),
    StageSpec(
        S.decision, "Decisions", "decisions.extract", "decision_job", 8001, Subject.meeting,
        M.ingested, M.extracting, M.extracted, (M.uploaded, M.ingested), S.decision,
    ),
    StageSpec(
        S.draft, "Draft", "draft.make", "draft_job", 8002, Subject.draft,
        M.extracted, M.drafting, M.drafted, (M.extracted, M.ready, M.drafted), S.draft,
    ),
    StageSpec(
        S.qa, "QA", "qa.check", "qa_job", 8003, Subject.draft_version,
        M.drafted, M.checking, M.ready, (M.drafted,), S.draft,
    ),
    StageSpec(
        S.export, "Export", "export.render", "export_job", 8004, Subject.export,
        None, None, None, (), S.export,
    ),
)  # fmt: skip
del S, M

STAGES: dict[Stage, StageSpec] = {spec.stage: spec for spec in STAGE_TABLE}
STAGE_NAMES: tuple[str, ...] = tuple(spec.stage.value for spec in STAGE_TABLE)
QUEUE_NAMES: tuple[str, ...] = tuple(spec.queue for spec in STAGE_TABLE)
MEETING_STATUSES: tuple[str, ...] = tuple(status.value for status in MeetingStatus)
MAINTENANCE_QUEUE = "bridge.maintenance"
MAINTENANCE_PORT = 8005

# The status a meeting waits or runs in → the stage that moves it on (the meeting's own stages).
WAITING_FOR: dict[MeetingStatus, Stage] = {
    status: spec.stage
    for spec in STAGE_TABLE
    if spec.subject is Subject.meeting
    for status in (spec.waiting, spec.running)
    if status is not None
}


def reached(stage: Stage) -> tuple[MeetingStatus, ...]:
    """The statuses of a meeting whose `stage` has finished (in pipeline order, not failed)."""
    done = STAGES[stage].done
    flow: list[MeetingStatus] = [s for s in MeetingStatus if s is not MeetingStatus.failed]
    return tuple(flow[flow.index(done) :]) if done is not None else ()


def progress(status: str) -> tuple[int, int | None]:
    """How many stages a meeting with this status has finished, and which one is running."""
    for index, spec in enumerate(STAGE_TABLE):
        if status == spec.running:
            return index, index
        if status == spec.done:
            return index + 1, None
    return 0, None
