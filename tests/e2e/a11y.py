"""The browser tests' accessibility check: axe-core (npm registry, pinned in the Makefile,
installed under .tools/axe) injected into the page, plus screenshots at both widths."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ARTIFACTS, REPO, SCREENSHOTS

AXE_JS = REPO / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
# What counts as failing: WCAG 2.0–2.2 A/AA rules plus best practices, at serious or critical.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING = ("serious", "critical")
RESULTS = ARTIFACTS / "axe.json"


def axe_source() -> str:
    """axe.min.js, installed by `make axe` (the one place its version is pinned)."""
    if not AXE_JS.exists():
        subprocess.run(["make", "-s", "axe"], cwd=REPO, check=True, timeout=300)
    return AXE_JS.read_text()


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe's violations on the current page (injected once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                 resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                                     summary: n.failureSummary}))}));
           }""",
        AXE_TAGS,
    )
    return list(result)


def check_page(page: Any, name: str, results: dict[str, Any]) -> None:
    """At 1366 and 390 px: a full-page screenshot and axe; records serious findings."""
    original = page.viewport_size
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)  # let the layout settle at the new width
        if width < 500:
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            results.setdefault("_overflow", {})[f"{name}@{label}"] = overflow
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        violations = run_axe(page)
        results[f"{name}@{label}"] = violations
    if original:
        page.set_viewport_size(original)
    RESULTS.write_text(json.dumps(results, indent=2))


def serious(results: dict[str, Any]) -> dict[str, list[str]]:
    """page@width → the ids of its serious or critical violations (empty pages left out)."""
    out: dict[str, list[str]] = {}
    for key, violations in results.items():
        if key.startswith("_"):
            continue
        bad = [f"{v['id']}: {v['nodes'][:2]}" for v in violations if v["impact"] in FAILING]
        if bad:
            out[key] = bad
    return out


def screenshot_names() -> list[str]:
    return sorted(p.name for p in Path(SCREENSHOTS).glob("*-1366.png"))
