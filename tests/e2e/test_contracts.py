"""Contract tools in a real browser: a playbook edit, a clause edit that survives
regeneration, and a counterparty's DOCX coming back with its departures flagged."""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, Users, login, shot

pytestmark = pytest.mark.e2e

HOUSE = {
    "variables": {
        "payment_days": {"standard": 15, "max": 20},
        "governing_law": {"standard": "New York"},
    },
    "clauses": {"limitation-of-liability": {"forbidden": ["unlimited liability"]}},
}
EDITED = "The Client shall review each Deliverable within five business days of receipt."


def _draft(meeting_id: str) -> tuple[str, int]:
    from sqlmodel import Session, select

    from bridge_app.models import Draft
    from bridge_app.services.db import get_engine

    with Session(get_engine()) as session:
        draft = session.exec(select(Draft).where(Draft.meeting_id == uuid.UUID(meeting_id))).one()
        return str(draft.id), draft.current_version


def _version_doc(draft_id: str, version: int) -> tuple[dict[str, Any], bool, list[str]]:
    from sqlmodel import Session, select

    from bridge_app.models import Draft, DraftVersion, QAFinding
    from bridge_app.services import contracts
    from bridge_app.services.db import get_engine
    from bridge_app.services.meeting_data import finding_of, load_version_doc

    with Session(get_engine()) as session:
        draft = session.get(Draft, uuid.UUID(draft_id))
        assert draft is not None
        row = session.exec(
            select(DraftVersion).where(
                DraftVersion.draft_id == draft.id, DraftVersion.version == version
            )
        ).first()
        if row is None:
            return {}, False, []
        key = contracts._meeting_key(session, draft)
        doc = load_version_doc(row, key)
        # QA messages are encrypted at rest: read them as the app does.
        messages = [
            finding_of(f, key)[0]
            for f in session.exec(select(QAFinding).where(QAFinding.draft_version_id == row.id))
        ]
        return doc.to_dict(), row.qa_done, messages


def _wait_version(draft_id: str, version: int, timeout_s: float = 60) -> tuple[dict, list[str]]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        doc, done, messages = _version_doc(draft_id, version)
        if done:
            return doc, messages
        time.sleep(0.2)
    raise AssertionError(f"version {version} was not drafted and checked")


def _clause(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in doc["clauses"] if c["key"] == key)


def test_playbook_clause_edit_and_docx_round_trip(
    app_url: str, users: Users, ready_meeting: str, page: Any
) -> None:
    from docx import Document

    from bridge_app.core.drafting.model import Draft as DraftDoc
    from bridge_app.services.render.to_docx import render_docx

    login(page, app_url, users.legal)

    # --- the playbook: edit the JSON, save a version
    page.goto(f"{app_url}/playbook")
    page.wait_for_selector("#playbook-json")
    page.wait_for_function(
        "document.querySelector('#playbook-json').value.includes('payment_days')"
    )
    page.fill("#playbook-json", json.dumps(HOUSE, indent=2))
    page.fill("#playbook-note", "net 20 at most")
    page.click("#playbook-save")
    page.wait_for_selector("#page-notice", timeout=20_000)
    page.wait_for_function(
        "document.querySelector('#playbook-version').textContent.includes('version 1')"
    )
    page.wait_for_selector(".playbook-version-row:has-text('net 20 at most')")
    shot(page, "playbook")

    # --- a direct clause edit, kept over regeneration
    draft_id, version = _draft(ready_meeting)
    page.goto(f"{app_url}/contract?draft={draft_id}")
    page.wait_for_selector("#clause-pick option[value='acceptance']", state="attached")
    page.select_option("#clause-pick", "acceptance")
    page.wait_for_function(
        "document.querySelector('#clause-text').value.includes('review each Deliverable')"
    )
    page.fill("#clause-text", EDITED)
    page.fill("#clause-reason", "house review period")
    page.click("#clause-save")
    page.wait_for_selector("#page-notice")
    doc, _ = _wait_version(draft_id, version + 1)
    assert _clause(doc, "acceptance")["text"] == EDITED

    page.goto(f"{app_url}/draft?meeting={ready_meeting}")
    page.wait_for_selector("#regenerate")
    page.click("#regenerate")
    doc, messages = _wait_version(draft_id, version + 2)
    assert _clause(doc, "acceptance")["text"] == EDITED
    assert _clause(doc, "acceptance")["override"]["reason"] == "house review period"
    # The playbook is in force: net 30 from the meeting is outside it.
    assert any(m.startswith("Net 30 agreed; playbook allows up to net 20") for m in messages)
    page.wait_for_selector("text=five business days", timeout=20_000)
    shot(page, "draft-with-clause-edit")

    # --- the counterparty's DOCX comes back; its fee change is flagged with the moment
    word = Document(io.BytesIO(render_docx(DraftDoc.from_dict(doc))))
    for p in word.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("38,000.00", "42,000.00")
    path = ARTIFACTS / "counterparty-edit.docx"
    word.save(str(path))
    page.goto(f"{app_url}/contract?draft={draft_id}")
    page.wait_for_selector("#docx-import")
    page.set_input_files("#counterparty-docx input[type=file]", str(path))
    page.wait_for_selector("#selected-docx")
    page.click("#docx-import")
    page.wait_for_selector("#page-notice:has-text('Imported')")
    _, messages = _wait_version(draft_id, version + 3)
    assert any(
        m.startswith(
            "Counterparty changed the price to USD 42,000.00; agreed USD 38,000.00 at 01:14, "
            "accepted by Priya Natarajan"
        )
        for m in messages
    )
    page.click("#contract-refresh")
    page.wait_for_selector(".acceptable-finding:has-text('Counterparty changed the price')")

    # Accepting the playbook deviation needs a reason; it then reads as accepted.
    page.fill("#accept-reason", "counterparty fee under negotiation")
    page.locator(".acceptable-finding", has_text="Counterparty changed").locator(
        ".accept-finding"
    ).click()
    page.wait_for_selector("#page-notice:has-text('Accepted')")
    page.wait_for_selector(".acceptable-finding:has-text('fee under negotiation')")
    shot(page, "contract-tools")

    # The redline between the sent and the returned version, as Word tracked changes.
    page.select_option("#redline-from", str(version + 2))
    with page.expect_download() as info:
        page.click("#redline-docx")
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "<w:del " in xml and "<w:ins " in xml and "42,000.00" in xml
