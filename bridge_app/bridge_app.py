"""The Reflex application: the UI pages plus the API mounted on the same backend."""

import contextlib
from collections.abc import AsyncIterator

import reflex as rx
from reflex.event import EventSpec

from bridge_app.api.main import api
from bridge_app.components.theme import THEME, a11y_style
from bridge_app.pages.audit import audit_page
from bridge_app.pages.contracts import contract_page, playbook_page
from bridge_app.pages.draft import draft_page
from bridge_app.pages.login import login_page
from bridge_app.pages.meeting import meeting_page
from bridge_app.pages.meetings import meetings_page
from bridge_app.pages.ops import ops_page
from bridge_app.pages.sso import sso_page
from bridge_app.services.queue import close_shared_pool
from bridge_app.state.audit import AuditState
from bridge_app.state.auth import AuthState
from bridge_app.state.common import friendly
from bridge_app.state.contracts import ContractsState
from bridge_app.state.draft import DraftState
from bridge_app.state.meeting import MeetingState
from bridge_app.state.meetings import MeetingsState
from bridge_app.state.ops import OpsState


def backend_error(exception: Exception) -> EventSpec:
    """Any unexpected failure: logged with a reference, shown without internals (any mode)."""
    return rx.toast.error(friendly(exception), id="backend_error", position="top-center")


@contextlib.asynccontextmanager
async def close_queue_pool_at_shutdown() -> AsyncIterator[None]:
    """Lifespan: nothing at start; the arq pool (Redis connections) is closed at shutdown."""
    yield
    await close_shared_pool()


def index() -> rx.Component:
    return rx.center(rx.spinner(), height="100vh")


app = rx.App(
    theme=THEME,
    head_components=[a11y_style()],
    api_transformer=api,
    backend_exception_handler=backend_error,
    style={"font_family": "system-ui, -apple-system, 'Segoe UI', sans-serif"},
)
app.register_lifespan_task(close_queue_pool_at_shutdown)
app.add_page(index, route="/", title="Meeting Contract Bridge", on_load=AuthState.go_home)
app.add_page(login_page, route="/login", title="Sign in", on_load=AuthState.load_login)
app.add_page(sso_page, route="/sso", title="Signing in", on_load=AuthState.redeem_sso)
app.add_page(meetings_page, route="/meetings", title="Meetings", on_load=MeetingsState.on_load)
app.add_page(meeting_page, route="/meeting", title="Meeting", on_load=MeetingState.on_load)
app.add_page(draft_page, route="/draft", title="Draft", on_load=DraftState.on_load)
app.add_page(ops_page, route="/ops", title="Operations", on_load=OpsState.on_load)
app.add_page(audit_page, route="/audit", title="Audit log", on_load=AuditState.on_load)
app.add_page(
    playbook_page, route="/playbook", title="Playbook", on_load=ContractsState.load_playbook
)
app.add_page(
    contract_page, route="/contract", title="Contract tools", on_load=ContractsState.load_contract
)
