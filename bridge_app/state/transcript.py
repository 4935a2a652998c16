"""Correcting a meeting's transcript on its page: a segment's text or speaker, a speaker named,
two speakers merged. Each correction is a new transcript version that the pipeline extracts,
drafts and checks again (services/corrections.py); the meeting page follows it live."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from bridge_app.services import corrections
from bridge_app.state.auth import AuthState
from bridge_app.state.common import enqueue, read_db, run_db
from bridge_app.state.data import fmt_ts
from bridge_app.state.meeting import MeetingState

PREVIEW = 70


@dataclass
class SpeakerRow:
    name: str = ""
    segments: int = 0


@dataclass
class LineChoice:
    """One segment as the editor's picker offers it."""

    position: str = ""
    label: str = ""


class TranscriptState(AuthState):
    meeting_id: str = ""
    editing: bool = False
    version: int = 0
    speakers: list[SpeakerRow] = []
    lines: list[LineChoice] = []
    message: str = ""

    # one segment: which, its new text and speaker
    position: str = ""
    text: str = ""
    speaker: str = ""
    # a speaker named, or merged into another
    speaker_from: str = ""
    speaker_name: str = ""
    merge_into: str = ""
    reason: str = ""

    _texts: dict[str, str] = {}
    _speakers_of: dict[str, str] = {}

    @rx.var
    def speaker_names(self) -> list[str]:
        return [s.name for s in self.speakers]

    async def _load(self) -> bool:
        principal = await self.principal_for("review")
        if principal is None:
            return False
        view = await read_db(
            corrections.transcript_for_editing, principal.organization_id, self.meeting_id
        )
        if view is None:
            self.error = "No such meeting."
            return False
        self.version = int(view["version"])
        self.speakers = [SpeakerRow(**s) for s in view["speakers"]]
        self.lines = [
            LineChoice(
                position=str(seg["position"]),
                label=f"{fmt_ts(seg['start'])} {seg['speaker'] or 'Unknown'}: "
                + (seg["text"][:PREVIEW] + ("…" if len(seg["text"]) > PREVIEW else "")),
            )
            for seg in view["segments"]
        ]
        self._texts = {str(s["position"]): s["text"] for s in view["segments"]}
        self._speakers_of = {str(s["position"]): s["speaker"] for s in view["segments"]}
        if self.position not in self._texts:
            self.position = self.lines[0].position if self.lines else ""
        self._fill_line()
        names = self.speaker_names
        if self.speaker_from not in names:
            self.speaker_from = names[0] if names else ""
        if self.merge_into not in names or self.merge_into == self.speaker_from:
            self.merge_into = next((n for n in names if n != self.speaker_from), "")
        return True

    def _fill_line(self) -> None:
        self.text = self._texts.get(self.position, "")
        self.speaker = self._speakers_of.get(self.position, "")

    @rx.event
    async def toggle(self) -> None:
        """Open (loading the current version) or close the editor."""
        if self.editing:
            self.editing = False
            return
        self.meeting_id = str(self.router.url.query_parameters.get("id", ""))[:64]
        self.message = ""
        self.reason = ""
        try:
            self.editing = await self._load()
        except Exception as exc:
            self.fail(exc)

    @rx.event
    def pick_line(self, value: str) -> None:
        self.position = str(value)[:12]
        self._fill_line()

    @rx.event
    def set_text(self, value: str) -> None:
        self.text = value[: corrections.MAX_TEXT + 1]

    @rx.event
    def set_speaker(self, value: str) -> None:
        self.speaker = value[: corrections.MAX_SPEAKER + 1]

    @rx.event
    def set_speaker_from(self, value: str) -> None:
        self.speaker_from = value[: corrections.MAX_SPEAKER + 1]

    @rx.event
    def set_speaker_name(self, value: str) -> None:
        self.speaker_name = value[: corrections.MAX_SPEAKER + 1]

    @rx.event
    def set_merge_into(self, value: str) -> None:
        self.merge_into = value[: corrections.MAX_SPEAKER + 1]

    @rx.event
    def set_reason(self, value: str) -> None:
        self.reason = value[: corrections.MAX_REASON + 1]

    async def _correct(self, what: str, action: Any, **kwargs: Any) -> Any:
        """Run one correction against the version shown; on success show the new one and
        have the meeting page follow the re-run."""
        principal = await self.principal_for("review")
        if principal is None:
            return None
        ip = self._client_ip()
        version, meeting_id, reason = self.version, self.meeting_id, self.reason

        def work(session: Any) -> Any:
            _, job = action(
                session,
                principal=principal,
                meeting_id=meeting_id,
                version=version,
                reason=reason,
                ip=ip,
                **kwargs,
            )
            return job

        self.message = ""
        try:
            job = await run_db(work)
        except Exception as exc:
            self.fail(exc)
            return None
        await enqueue(job)
        self.reason = ""
        self.speaker_name = ""
        await self._load()
        self.message = f"{what} Saved as transcript version {job.version}; extracting again."
        # The page shows the new version now (its status is no longer the one the page saw,
        # so its live poll reloads again when the re-run is done, however quick that is).
        return [MeetingState.on_load, MeetingState.start_live]

    @rx.event
    async def save_line(self) -> Any:
        if not self.position:
            return None
        current_speaker = self._speakers_of.get(self.position, "")
        return await self._correct(
            "Segment corrected.",
            corrections.correct_segment,
            position=int(self.position),
            text=self.text,
            speaker=self.speaker if self.speaker != current_speaker else None,
        )

    @rx.event
    async def rename(self) -> Any:
        return await self._correct(
            "Speaker named.",
            corrections.rename_speaker,
            speaker=self.speaker_from,
            name=self.speaker_name,
        )

    @rx.event
    async def merge(self) -> Any:
        return await self._correct(
            "Speakers merged.",
            corrections.merge_speakers,
            speaker=self.speaker_from,
            into=self.merge_into,
        )
