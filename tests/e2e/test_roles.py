"""Roles in the browser: a viewer sees no edit controls, and a forged event is refused.

The forged event goes through the page's own state websocket (Playwright's WebSocket routing
injects the frame), so it reaches the server exactly like a click on a hidden button would.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from sqlmodel import Session, select

from bridge_app.models import Decision
from bridge_app.services.db import get_engine
from bridge_app.state.meeting import POLL_S as MEETING_POLL_S
from tests.e2e.conftest import Users, login, shot

pytestmark = pytest.mark.e2e


def review_status(decision_id: str) -> str:
    with Session(get_engine()) as session:
        row = session.exec(select(Decision).where(Decision.id == uuid.UUID(decision_id))).one()
        return row.review_status


MEETING_POLL_MS = int(MEETING_POLL_S * 1000)


def test_viewer_sees_no_edit_controls_and_forged_events_are_refused(
    app_url: str, users: Users, ready_meeting: str, page: Any
) -> None:
    sent: list[str] = []
    server: dict[str, Any] = {}

    def route(ws: Any) -> None:
        upstream = ws.connect_to_server()
        server["ws"] = upstream

        def from_page(message: str | bytes) -> None:
            if isinstance(message, str):
                sent.append(message)
            upstream.send(message)

        ws.on_message(from_page)

    page.route_web_socket(re.compile(r"/_event"), route)
    login(page, app_url, users.viewer)
    assert page.locator("#upload-submit").count() == 0, "a viewer must not see the upload form"

    page.goto(f"{app_url}/meeting?id={ready_meeting}")
    page.wait_for_selector(".item-card")
    assert page.locator(".review-controls").count() == 0
    assert page.locator(".btn-accept").count() == 0
    assert page.locator("#transcript-editor").count() == 0
    shot(page, "meeting-viewer")

    page.click("#open-draft")
    page.wait_for_selector(".clause")
    assert page.locator("#regenerate").count() == 0
    assert page.locator("#export-docx").count() == 0

    # Forge MeetingState.accept from the viewer's own session.
    page.goto(f"{app_url}/meeting?id={ready_meeting}")
    page.wait_for_selector(".item-card")
    decision_id = page.locator(".item-card").first.get_attribute("data-item-id")
    assert decision_id and review_status(decision_id) == "proposed"
    prefix = "42/_event,"
    template = None
    for frame in reversed(sent):
        if frame.startswith(prefix) and "meeting____meeting_state." in frame:
            template = json.loads(frame[len(prefix) :])
            break
    assert template is not None, f"no MeetingState event frame captured: {sent[:3]}"
    event = template[1]
    event["name"] = event["name"].rsplit(".", 1)[0] + ".accept"
    event["payload"] = {"decision_id": decision_id}
    server["ws"].send(prefix + json.dumps(["event", event]))

    error = page.wait_for_selector("#page-error")
    assert "may not" in error.inner_text()
    assert review_status(decision_id) == "proposed", "the forged accept was applied"

    # … and a forged transcript correction (the editor's state) is refused the same way.
    page.click("text=Dismiss")
    forged = dict(event)
    forged["name"] = (
        event["name"].rsplit(".", 2)[0] + ".bridge_app___state___transcript____transcript_state"
        ".toggle"
    )
    forged["payload"] = {}
    server["ws"].send(prefix + json.dumps(["event", forged]))
    error = page.wait_for_selector("#page-error")
    assert "may not" in error.inner_text()
    assert page.locator("#transcript-editor").count() == 0

    # The ops and audit pages refuse a viewer too (server side, not only hidden links).
    page.goto(f"{app_url}/ops")
    page.wait_for_selector("#page-error")
    assert page.locator("#queues").count() == 0
    page.goto(f"{app_url}/audit")
    page.wait_for_selector("#page-error")
    assert page.locator(".audit-row").count() == 0
    # The meeting page's live poll may still run for this session (a full navigation sends no
    # unmount); a tick of it must not take the refusal away (this once raced).
    page.wait_for_timeout(MEETING_POLL_MS + 500)
    assert page.locator("#page-error").is_visible()
