"""The stage table: one consistent description of the pipeline that everything reads."""

from __future__ import annotations

from bridge_app.core.stages import (
    MAINTENANCE_PORT,
    QUEUE_NAMES,
    STAGE_NAMES,
    STAGE_TABLE,
    STAGES,
    WAITING_FOR,
    MeetingStatus,
    Stage,
    Subject,
    progress,
    reached,
)


def test_every_stage_has_one_row_with_its_own_queue_function_and_port() -> None:
    assert STAGE_NAMES == ("transcript", "decision", "draft", "qa", "export")
    assert set(STAGES) == set(Stage)
    assert len(set(QUEUE_NAMES)) == len(STAGE_TABLE)
    assert [s.port for s in STAGE_TABLE] == [8000, 8001, 8002, 8003, 8004]
    assert MAINTENANCE_PORT not in {s.port for s in STAGE_TABLE}
    # One name per stage: the arq function is named after the stage, never after core code.
    assert [s.function for s in STAGE_TABLE] == [f"{s.stage}_job" for s in STAGE_TABLE]


def test_statuses_follow_the_stages_in_order() -> None:
    flow = [s for s in MeetingStatus if s is not MeetingStatus.failed]
    chained = [
        status
        for spec in STAGE_TABLE
        if spec.running
        for status in (spec.waiting, spec.running, spec.done)
    ]
    # Each stage starts where the previous one ended.
    assert list(dict.fromkeys(chained)) == flow
    assert STAGES[Stage.export].done is None  # an export never moves the meeting


def test_progress_counts_finished_stages_and_the_running_one() -> None:
    assert progress("uploaded") == (0, None)
    assert progress("ingesting") == (0, 0)
    assert progress("extracted") == (2, None)
    assert progress("checking") == (3, 3)
    assert progress("ready") == (4, None)
    assert progress("failed") == (0, None)


def test_waiting_statuses_map_to_the_meeting_stage_that_moves_them() -> None:
    assert {
        MeetingStatus.uploaded: Stage.transcript,
        MeetingStatus.ingesting: Stage.transcript,
        MeetingStatus.ingested: Stage.decision,
        MeetingStatus.extracting: Stage.decision,
    } == WAITING_FOR
    assert all(STAGES[s].subject is Subject.meeting for s in WAITING_FOR.values())


def test_reached_lists_the_statuses_after_a_stage() -> None:
    assert reached(Stage.decision) == ("extracted", "drafting", "drafted", "checking", "ready")
    assert reached(Stage.export) == ()


def test_a_retry_resumes_at_a_stage_that_has_a_waiting_status() -> None:
    for spec in STAGE_TABLE:
        if spec.done is not None:
            assert STAGES[spec.retry_stage].waiting is not None
    assert STAGES[Stage.qa].retry_stage is Stage.draft  # QA re-runs on a new draft version
