"""The meetings list: search, filters, live stage progress and the upload form."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date
from typing import Any

import reflex as rx

from bridge_app.core.vocabulary import CONTRACT_TYPES
from bridge_app.services import actions
from bridge_app.services.errors import UploadRejected
from bridge_app.services.meeting_list import STATUS_GROUPS
from bridge_app.services.upload import check_meeting_date
from bridge_app.state import data
from bridge_app.state.auth import AuthState
from bridge_app.state.common import enqueue, follow_live, friendly, read_db
from bridge_app.state.rows import MeetingRow, meeting_row

UPLOAD_ID = "transcript-upload"
POLL_S = 0.6
LIVE_MAX_S = 15 * 60  # a closed tab never says goodbye: polling ends on its own
CONTRACT_CHOICES = ["auto", *CONTRACT_TYPES]
FORMAT_CHOICES = ["auto", "vtt", "srt", "txt", "docx", "json"]


class MeetingsState(AuthState):
    meetings: list[MeetingRow] = []
    search: str = ""
    status_filter: str = "all"
    loaded: bool = False

    # upload form
    title: str = ""
    meeting_date: str = ""
    matter: str = ""
    contract_type: str = "auto"
    source_format: str = "auto"
    redact: bool = False
    uploading: bool = False
    upload_progress: int = 0
    upload_error: str = ""
    upload_notice: str = ""
    # an identical earlier upload (same content hash): warned about, with a link
    duplicate_id: str = ""
    duplicate_title: str = ""

    _live_generation: int = 0

    @rx.var
    def processing_count(self) -> int:
        return sum(1 for m in self.meetings if m.status not in ("ready", "failed"))

    async def _refresh(self) -> bool:
        principal = await self.principal_for("read")
        if principal is None:
            return False
        rows = await read_db(
            data.list_meetings,
            principal.organization_id,
            search=self.search,
            status=self.status_filter,
        )
        self.meetings = [meeting_row(r) for r in rows]
        self.loaded = True
        return True

    @rx.event
    async def on_load(self) -> Any:
        if await self.current_principal() is None:
            return rx.redirect("/login")
        try:
            await self._refresh()
        except Exception as exc:
            self.fail(exc)
        return None

    @rx.event
    async def set_search(self, value: str) -> None:
        self.search = value[:200]
        try:
            await self._refresh()
        except Exception as exc:
            self.fail(exc)

    @rx.event
    async def set_status_filter(self, value: str) -> None:
        self.status_filter = value if value in STATUS_GROUPS else "all"
        try:
            await self._refresh()
        except Exception as exc:
            self.fail(exc)

    # ------------------------------------------------------------------ live progress

    @rx.event
    def stop_live(self) -> None:
        self._live_generation += 1

    @rx.event(background=True)
    async def start_live(self) -> None:
        """Poll the database while the page is open; the stage steps move as workers run."""
        await follow_live(self, self._refresh, poll_s=POLL_S, max_s=LIVE_MAX_S)

    # ------------------------------------------------------------------ upload form

    @rx.event
    def set_title(self, value: str) -> None:
        self.title = value[:300]

    @rx.event
    def set_meeting_date(self, value: str) -> None:
        # Not cut to 10 characters: "22026-01-15" must be refused, not read as "22026-01-1".
        self.meeting_date = value.strip()[:40]

    @rx.event
    def set_matter(self, value: str) -> None:
        self.matter = value[:200]

    @rx.event
    def set_contract_type(self, value: str) -> None:
        self.contract_type = value if value in CONTRACT_CHOICES else "auto"

    @rx.event
    def set_source_format(self, value: str) -> None:
        self.source_format = value if value in FORMAT_CHOICES else "auto"

    @rx.event
    def set_redact(self, value: bool) -> None:
        self.redact = bool(value)

    @rx.event
    def upload_progressed(self, progress: dict[str, Any]) -> None:
        try:
            self.upload_progress = max(0, min(100, round(float(progress.get("progress", 0)) * 100)))
        except (TypeError, ValueError):
            self.upload_progress = 0

    @rx.event
    def upload_rejected_by_browser(self, rejections: list[dict[str, Any]]) -> None:
        self.upload_error = (
            "That file cannot be uploaded here; use one transcript file "
            "(.vtt, .srt, .txt, .docx or .json) or one recording (.m4a, .mp3, .wav, .mp4...)."
        )

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]) -> Any:
        self.upload_error = self.upload_notice = ""
        principal = await self.principal_for("upload")
        if principal is None:
            self.upload_error = self.error
            return None
        if not files:
            self.upload_error = "Choose a transcript file first (drop it on the box or click it)."
            return None
        upload = files[0]
        filename = (upload.name or upload.filename or "transcript").rsplit("/", 1)[-1]
        from bridge_app.services.transcription.stage import upload_limit
        from bridge_app.settings import get_settings

        head = await upload.read(64)
        await upload.seek(0)
        limit = upload_limit(head, filename, get_settings())  # recordings have their own
        if upload.size is not None and upload.size > limit:
            self.upload_error = (
                f"The file is {upload.size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB."
            )
            return None
        content = await upload.read()
        meeting_day: date | None = None
        if self.meeting_date:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.meeting_date):
                    raise ValueError
                meeting_day = date.fromisoformat(self.meeting_date)
            except ValueError:
                self.upload_error = (
                    f"The meeting date “{self.meeting_date}” is not a date like 2026-01-15; "
                    "correct it or leave it empty. Nothing was uploaded."
                )
                return None
            try:
                check_meeting_date(meeting_day)
            except UploadRejected as exc:
                self.upload_error = f"The {exc.message[4:]}. Nothing was uploaded."
                return None
        self.uploading = True
        redact, fmt = self.redact, self.source_format
        title, matter, ctype = self.title or filename, self.matter or None, self.contract_type
        if fmt != "auto" and not filename.lower().endswith("." + fmt):
            filename = f"{filename}.{fmt}"

        ip = self._client_ip()

        def submit() -> actions.Upload:
            return actions.upload_meeting(
                principal=principal,
                filename=filename,
                data=content,
                title=title,
                meeting_date=meeting_day,
                matter=matter,
                contract_type=ctype,
                redact=redact,
                fmt=fmt,
                idempotency_key=f"ui-{uuid.uuid4().hex}",
                ip=ip,
            )

        self.duplicate_id = self.duplicate_title = ""
        try:
            stored = await asyncio.to_thread(submit)
        except Exception as exc:
            self.uploading = False
            self.upload_progress = 0
            self.upload_error = friendly(exc)
            return rx.clear_selected_files(UPLOAD_ID)
        await enqueue(stored.job)
        self.uploading = False
        self.upload_progress = 100
        self.upload_notice = f"Uploaded “{title}”; processing has started."
        if stored.duplicate_of is not None:
            earlier = await read_db(
                data.meeting_status, principal.organization_id, str(stored.duplicate_of)
            )
            if earlier is not None:
                self.duplicate_id = str(stored.duplicate_of)
                held = f", held {earlier['date']}" if earlier["date"] else ""
                self.duplicate_title = f"“{earlier['title']}”{held}"
        self.title = self.matter = self.meeting_date = ""
        await self._refresh()
        return rx.clear_selected_files(UPLOAD_ID)
