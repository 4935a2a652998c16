"""Benchmark of drafting + QA and of DOCX + PDF export on a ten-page contract (`make bench`).

Targets (p95): draft + QA under 100 ms; DOCX + PDF export under 500 ms.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from datetime import date

from bridge_app.bench.stats import percentile
from bridge_app.core.drafting import Draft, make_draft, run_qa
from bridge_app.core.extraction.model import Evidence, Item

MEETING_DATE = date(2026, 2, 10)
_WORK = (
    "data inventory and lineage report covering every source system in scope",
    "migration runbook with rollback steps for each pipeline and owner sign-off",
    "cutover plan with a rehearsal schedule and a go/no-go checklist",
    "validation suite comparing row counts and checksums between the old and new warehouse",
    "access model mapping every team to roles in the new platform",
    "cost report projecting monthly spend for the first year of operation",
    "training sessions for analysts and engineers with recorded walkthroughs",
    "monitoring dashboards for freshness, failures and query latency",
)


def _item(n: int, kind: str, statement: str, values: dict, **kw: object) -> Item:
    speaker = ("Maya Chen", "Tom Okafor")[n % 2]
    quote = f"{statement} - that is what we agreed for item {n}."
    return Item(
        id=f"b{n}",
        kind=kind,  # type: ignore[arg-type]
        statement=statement,
        confidence=0.9,
        evidence=[Evidence(f"seg-{n}", 30.0 * n, 30.0 * n + 6, quote, speaker)],
        values=values,
        review_status="accepted",
        **kw,  # type: ignore[arg-type]
    )


def ten_page_items(deliverables: int = 40, actions: int = 30) -> list[Item]:
    """Items of a long, settled statement of work: about ten PDF pages with its appendix."""
    items = [
        _item(
            0,
            "agreed_term",
            "client",
            {"party": {"name": "Northwind Analytics Inc.", "role": "client"}},
        ),
        _item(
            1,
            "agreed_term",
            "provider",
            {"party": {"name": "Brightpath Consulting LLC", "role": "contractor"}},
        ),
        _item(2, "agreed_term", "fee", {"fee": {"amount": 148000.0, "currency": "USD"}}),
        _item(3, "agreed_term", "payment", {"payment_terms": {"text": "net 30", "days": 30}}),
        _item(4, "agreed_term", "dates", {"start_date": "2026-03-02", "end_date": "2026-12-18"}),
        _item(5, "agreed_term", "law", {"governing_law": {"text": "New York"}}),
    ]
    n = len(items)
    for k in range(deliverables):
        text = f"{_WORK[k % len(_WORK)]} for workstream {k // len(_WORK) + 1}"
        items.append(
            _item(n, "agreed_term", f"Deliver the {text}", {"deliverable": {"text": text}})
        )
        n += 1
    for k in range(actions):
        owner = ("Maya Chen", "Tom Okafor", "Priya Nair")[k % 3]
        items.append(
            _item(
                n,
                "action_item",
                f"Review and sign off the {_WORK[k % len(_WORK)]} for workstream {k // 8 + 1}",
                {},
                owner=owner,
                due=f"2026-{3 + k % 9:02d}-{10 + k % 15:02d}",
            )
        )
        n += 1
    return items


def bench_drafting(runs: int = 30) -> dict:
    """Time draft + QA and DOCX + PDF export of a ten-page SOW.

    Returns ``{"draft_qa": {"p50_ms", "p95_ms"}, "export_docx_pdf": {"p50_ms", "p95_ms"},
    "pages": n, "runs": runs}``.
    """
    from pypdf import PdfReader  # only to count pages; not timed

    from bridge_app.services.render.to_docx import render_docx
    from bridge_app.services.render.to_pdf import render_pdf

    items = ten_page_items()
    today = MEETING_DATE

    def draft_qa() -> Draft:
        d = make_draft(items, contract_type="sow", meeting_title="Bench", meeting_date=MEETING_DATE)
        run_qa(d, items, today=today)
        return d

    draft = draft_qa()  # warm-up: imports, template compilation
    render_docx(draft)
    pdf = render_pdf(draft)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    draft_times, export_times = [], []
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        draft = draft_qa()
        t1 = time.perf_counter()
        render_docx(draft)
        render_pdf(draft)
        t2 = time.perf_counter()
        draft_times.append((t1 - t0) * 1000)
        export_times.append((t2 - t1) * 1000)
    return {
        "draft_qa": {
            "p50_ms": round(statistics.median(draft_times), 2),
            "p95_ms": round(percentile(draft_times, 0.95), 2),
        },
        "export_docx_pdf": {
            "p50_ms": round(statistics.median(export_times), 2),
            "p95_ms": round(percentile(export_times, 0.95), 2),
        },
        "pages": pages,
        "runs": len(draft_times),
    }


if __name__ == "__main__":
    print(json.dumps(bench_drafting()))
