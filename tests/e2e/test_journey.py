"""The whole journey in a real browser, against real services and workers.

Log in, upload a .vtt, watch the five stages complete, accept and edit items, regenerate the
draft, open a clause's sources and land on the transcript moment, see a QA finding, export
DOCX and download it, then check the ops page's queue and SLO numbers. Speed numbers (page
interactive, click-to-reflected latency) are measured on the way and written to
test-artifacts/speed.json.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, Users, login, shot

pytestmark = pytest.mark.e2e

# The demo SOW call without its governing-law exchange: one term stays open, so QA blocks.
DEMO_VTT = Path(__file__).resolve().parent / "samples" / "sow_open_terms.vtt"
PAGE_BUDGET_MS = 2000
CLICK_BUDGET_MS = 200

# Clicks a review button and resolves with the milliseconds until the item's status badge
# shows the new status (measured inside the page: no test-harness round trip included).
CLICK_AND_WAIT = """
async ([itemId, selector, expected]) => {
  const card = document.querySelector(`[data-item-id="${itemId}"]`);
  const badge = () => card.querySelector('.review-status');
  const start = performance.now();
  card.querySelector(selector).click();
  while (badge().textContent.trim() !== expected) {
    await new Promise(r => requestAnimationFrame(r));
    if (performance.now() - start > 5000) return -1;
  }
  return performance.now() - start;
}
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def wait_steps_done(page: Any, title: str, timeout_s: float = 90) -> list[str]:
    """Watch the meeting's row until Transcript…QA are done; returns the states seen."""
    row = page.locator(".meeting-row", has_text=title)
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = row.get_attribute("data-status") or ""
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == "ready":
            return seen
        assert status != "failed", f"the meeting failed: {row.inner_text()}"
        time.sleep(0.1)
    raise AssertionError(f"the meeting did not get ready; statuses seen: {seen}")


def test_journey(app_url: str, users: Users, page: Any) -> None:
    speed: dict[str, Any] = {}
    login(page, app_url, users.admin)

    # --- upload a .vtt with the form; the row's five steps move live
    title = f"E2E SOW kick-off {int(time.time())}"
    page.wait_for_selector("#upload-submit")
    page.set_input_files("#transcript-upload input[type=file]", str(DEMO_VTT))
    page.wait_for_selector("#selected-file")
    page.fill("#upload-title", title)
    page.fill("#upload-matter", "E2E forecasting dashboard")
    page.fill("#upload-date", "2026-01-15")
    page.select_option("#upload-contract", "sow")
    page.click("#upload-submit")
    page.wait_for_selector("#upload-notice")
    statuses = wait_steps_done(page, title)
    row = page.locator(".meeting-row", has_text=title)
    for step in ("transcript", "decision", "draft"):
        assert row.locator(f'[data-step="{step}"]').get_attribute("data-state") == "done"
    # QA ran; this meeting never settles governing law, so its QA step says "blocked"
    assert row.locator('[data-step="qa"]').get_attribute("data-state") == "blocked"
    assert len(statuses) >= 2, f"no live progress was seen: {statuses}"
    shot(page, "meetings")

    # --- a rejected file gets a clear message
    bad = ARTIFACTS / "not-a-transcript.vtt"
    bad.write_bytes(b"\x00\x01\x02 this is not a transcript")
    page.set_input_files("#transcript-upload input[type=file]", str(bad))
    page.click("#upload-submit")
    error = page.wait_for_selector("#upload-error")
    assert "rejected" in error.inner_text().lower()
    assert "Traceback" not in page.content()

    # --- meetings page interactive within 2 s of navigation (production build)
    loads = []
    for _ in range(5):
        start = time.perf_counter()
        page.goto(f"{app_url}/meetings")
        page.locator(".meeting-row", has_text=title).wait_for()
        page.locator("#meetings-search").wait_for(state="visible")
        loads.append((time.perf_counter() - start) * 1000)
    speed["meetings_interactive_ms"] = {"samples": loads, "max": max(loads)}
    # Reported, not asserted: timing on a shared machine belongs to the benchmark report.
    speed["meetings_interactive_ms"]["within_target"] = max(loads) < PAGE_BUDGET_MS

    # --- meeting page: transcript beside items; accept and edit
    page.locator(".meeting-row", has_text=title).get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/meeting\?id="))
    page.wait_for_selector(".item-card")
    page.wait_for_selector(".segment")
    shot(page, "meeting")
    cards = page.locator(".item-card")
    count = cards.count()
    assert count >= 3
    ids = [cards.nth(i).get_attribute("data-item-id") for i in range(count)]
    clicks: list[float] = []
    for item_id in ids[1:]:
        elapsed = page.evaluate(CLICK_AND_WAIT, [item_id, ".btn-accept", "accepted"])
        assert elapsed >= 0, "an accept click was not reflected"
        clicks.append(float(elapsed))
    speed["accept_click_ms"] = {
        "samples": [round(c, 1) for c in clicks],
        "p95": round(p95(clicks), 1),
        "median": round(statistics.median(clicks), 1),
    }
    speed["accept_click_ms"]["within_target"] = p95(clicks) < CLICK_BUDGET_MS

    first = page.locator(f'[data-item-id="{ids[0]}"]')
    first.locator(".btn-edit").click()
    page.wait_for_selector("#dialog-statement")
    page.fill("#dialog-statement", "E2E edited: the fixed fee is USD 45,000.")
    page.fill("#dialog-reason", "corrected in review")
    page.click("#dialog-save")
    first.locator(".statement", has_text="E2E edited").wait_for()
    assert first.locator(".review-status").inner_text().strip() == "edited"

    # --- clicking evidence scrolls to and highlights the transcript moment
    evidence = page.locator(".evidence-link").first
    evidence.click()
    highlighted = page.locator('.segment[data-highlighted="true"]')
    highlighted.wait_for()
    page.wait_for_function(
        """() => { const el = document.querySelector('.segment[data-highlighted="true"]');
                   const r = el.getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )

    # --- the draft: regenerate after the edit, sources, QA finding
    page.click("#open-draft")
    page.wait_for_url(re.compile(r"/draft\?meeting="))
    page.wait_for_selector(".clause")
    page.wait_for_selector("#approve-hint")
    versions_before = page.locator("#version-picker option").count()
    page.click("#regenerate")
    page.wait_for_function(
        "n => document.querySelectorAll('#version-picker option').length > n",
        arg=versions_before,
        timeout=30_000,
    )
    page.wait_for_function(
        "() => !document.querySelector('#approve-hint').textContent.includes('QA is still')",
        timeout=30_000,
    )
    page.wait_for_selector(".qa-finding")
    shot(page, "draft")

    # redline between the two versions
    page.select_option("#compare-picker", index=1)
    page.wait_for_selector("#redline")

    # approve is blocked while blockers remain
    # (the uploaded meeting never settles governing law, so QA reports a blocker)
    assert "blocked" in page.locator("#approve-hint").inner_text()
    assert page.locator("#approve").is_disabled()

    # --- export DOCX and download it
    page.click("#export-docx")
    link = page.wait_for_selector("#download-docx", timeout=30_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    target = ARTIFACTS / "downloads" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(str(target))
    assert target.suffix == ".docx"
    assert target.read_bytes()[:2] == b"PK"

    # --- a clause's sources lead to the transcript moment
    clause = page.locator(
        ".clause", has=page.locator(".clause-sources", has_text=re.compile(r"\([1-9]"))
    )
    clause.first.locator(".clause-sources").click()
    source = page.locator(".source-link").first
    source.wait_for()
    source.click()
    page.wait_for_url(re.compile(r"/meeting\?id=.*&seg="))
    page.locator('.segment[data-highlighted="true"]').wait_for()
    page.wait_for_function(
        """() => { const el = document.querySelector('.segment[data-highlighted="true"]');
                   if (!el) return false; const r = el.getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    shot(page, "provenance")

    # --- ops: queues, workers and SLO numbers
    page.goto(f"{app_url}/ops")
    page.wait_for_selector('#queues [data-queue="meeting.ingest"]')
    page.wait_for_selector('#slos [data-slo="meetingProcessing"]')
    compliance = page.locator('#slos [data-slo="meetingProcessing"] .slo-compliance').inner_text()
    assert "%" in compliance, compliance
    p95_text = page.locator('#slos [data-slo="draftGeneration"] .slo-p95').inner_text()
    assert p95_text.endswith(" s"), p95_text
    page.wait_for_selector('#deps [data-name="database"][data-status="up"]')
    page.wait_for_selector("#queue-chart .recharts-surface")
    shot(page, "ops")

    # --- audit log (admin): the review actions are there, filterable
    page.goto(f"{app_url}/audit")
    page.wait_for_selector(".audit-row")
    page.fill("#audit-action", "decision.edit")
    page.click("#audit-filter")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.audit-row')].length > 0 &&
                 [...document.querySelectorAll('.audit-row')]
                   .every(r => r.textContent.includes('decision.edit'))"""
    )
    shot(page, "audit")

    (ARTIFACTS / "speed.json").write_text(json.dumps(speed, indent=2))
    print("\n[e2e speed] " + json.dumps(speed))
