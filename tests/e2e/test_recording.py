"""A recording in the browser: upload a ZIP of per-participant tracks with the form, watch
the meeting get ready, and play an evidence quote from its moment."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests import speech
from tests.e2e.conftest import ARTIFACTS, Users, login, shot
from tests.e2e.test_journey import wait_steps_done

pytestmark = pytest.mark.e2e


def test_upload_a_recording_and_play_an_evidence_moment(
    app_url: str, users: Users, page: Any
) -> None:
    login(page, app_url, users.legal)
    archive = ARTIFACTS / "negotiation-tracks.zip"
    # Ogg/Opus: a codec every Chromium build plays.
    archive.write_bytes(speech.tracks_zip(speech.conversation(), fmt="ogg"))
    title = f"E2E recorded call {int(time.time())}"
    page.wait_for_selector("#upload-submit")
    page.set_input_files("#transcript-upload input[type=file]", str(archive))
    page.wait_for_selector("#selected-file")
    page.fill("#upload-title", title)
    page.fill("#upload-date", "2026-01-15")
    page.select_option("#upload-contract", "sow")
    page.click("#upload-submit")
    page.wait_for_selector("#upload-notice")
    wait_steps_done(page, title, timeout_s=240)

    page.locator(".meeting-row", has_text=title).get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/meeting\?id="))
    page.wait_for_selector(".item-card")
    assert "Alice Morgan" in page.inner_text("body") and "Bob Fischer" in page.inner_text("body")
    price = page.locator(".item-card", has_text="38,000").first
    price.wait_for()
    shot(page, "meeting-recording")

    # ▶ on the price's evidence: the player loads the speaker's track and plays from there.
    price.locator(".play-moment").first.click()
    page.wait_for_function(
        "() => { const a = document.getElementById('recording-player');"
        " return a && !a.paused && a.currentTime > 0; }",
        timeout=20_000,
    )
    started = page.evaluate("() => document.getElementById('recording-player').currentTime")
    src = page.evaluate("() => document.getElementById('recording-player').currentSrc")
    assert "/v1/recordings/" in src and "sig=" in src
    assert started >= 10.0, f"playback began at {started:.1f} s, not at the agreed price"

    # Correct the transcript: name a speaker, then change the agreed price in its segment.
    page.click("#open-transcript-editor")
    page.wait_for_selector("#transcript-version")
    assert "Transcript version 1" in page.inner_text("#transcript-version")
    page.select_option("#speaker-from", "Bob Fischer")
    page.fill("#speaker-name", "Robert Fischer")
    page.fill("#correct-reason", "his name on the contract")
    page.click("#rename-speaker")
    page.wait_for_selector("#correction-notice", timeout=20_000)
    assert "transcript version 2" in page.inner_text("#correction-notice")
    # The page follows the re-run: the renamed transcript first, then QA done again.
    page.locator(".segment", has_text="Robert Fischer").first.wait_for(timeout=60_000)
    wait_qa_done(page)
    assert "Bob Fischer" not in page.inner_text("#transcript")
    shot(page, "meeting-speaker-named")

    price_line = page.evaluate(
        "() => [...document.querySelectorAll('#correct-segment option')]"
        ".find(o => /works for us/.test(o.textContent) && /38/.test(o.textContent))?.value"
    )
    assert price_line, "no segment with the accepted price in the editor"
    page.select_option("#correct-segment", price_line)
    # The text box fills from the server's state: read it once it holds the chosen line, not
    # the one selected before (what a read right after the pick got in one CI run).
    page.wait_for_function(
        "() => { const t = document.getElementById('correct-text')?.value || '';"
        " return /works for us/.test(t) && /38/.test(t); }",
        timeout=20_000,
    )
    text = page.input_value("#correct-text")
    page.fill("#correct-text", text.replace("38", "42"))
    page.fill("#correct-reason", "the client confirmed 42 thousand in writing")
    page.click("#save-correction")
    page.wait_for_function(
        "() => /version 3/.test(document.getElementById('correction-notice')?.textContent)",
        timeout=20_000,
    )
    try:
        page.locator(".item-card", has_text="42,000").first.wait_for(timeout=120_000)
        wait_qa_done(page)
    finally:
        shot(page, "meeting-segment-corrected")


def wait_qa_done(page: Any, timeout_ms: int = 120_000) -> None:
    """The meeting page's QA step is finished (done, or done with blockers)."""
    page.wait_for_function(
        "() => ['done', 'blocked'].includes("
        "document.querySelector('.stage-steps [data-step=qa]')?.dataset.state)",
        timeout=timeout_ms,
    )
