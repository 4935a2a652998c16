"""The audit log (admin): filter by action, actor and object."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bridge_app.state import data
from bridge_app.state.auth import AuthState
from bridge_app.state.common import read_db
from bridge_app.state.rows import AuditRow


class AuditState(AuthState):
    events: list[AuditRow] = []
    action_filter: str = ""
    actor_filter: str = ""
    object_filter: str = ""

    async def _load(self) -> None:
        principal = await self.principal_for("audit")
        if principal is None:
            self.events = []
            return
        rows = await read_db(
            data.audit_events,
            principal.organization_id,
            action=self.action_filter,
            actor=self.actor_filter,
            object_id=self.object_filter,
        )
        self.events = [AuditRow(**r) for r in rows]

    @rx.event
    async def on_load(self) -> Any:
        if await self.current_principal() is None:
            return rx.redirect("/login")
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
        return None

    @rx.event
    async def apply_filters(self, form: dict[str, Any]) -> None:
        self.action_filter = str(form.get("action") or "")[:64]
        self.actor_filter = str(form.get("actor") or "")[:320]
        self.object_filter = str(form.get("object") or "")[:64]
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)

    @rx.event
    async def clear_filters(self) -> None:
        self.action_filter = self.actor_filter = self.object_filter = ""
        try:
            await self._load()
        except Exception as exc:
            self.fail(exc)
