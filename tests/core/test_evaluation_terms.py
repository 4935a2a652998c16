"""Scoring the business-meetings format (core/evaluation_terms.py) and `eval DIR` on it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_app.core.evaluation_terms import score_business_meeting, summarize_business
from bridge_app.core.extraction.model import Evidence, Item

SHARED = Path("/work/shared/data/business-meetings")


def _item(kind: str, statement: str, values: dict, at: float, **kw) -> Item:
    ev = [Evidence(f"s{int(at)}", at, at + 1, statement, kw.get("owner") or "")]
    return Item(f"{kind}-{at}", kind, statement, 0.8, ev, values=values, **kw)  # type: ignore[arg-type]


GOLD = {
    "parties": [
        {"name": "Orrin Tools Ltd", "role": "client", "aliases": ["Orrin"]},
        {"name": "Velda Consulting", "role": "provider", "aliases": []},
    ],
    "terms": {
        "price": {"amount": 20000, "currency": "USD"},
        "payment_terms_days": 30,
        "start_date": None,
        "deliverables": ["migration runbook"],
    },
    "not_agreed": [{"term": "payment_terms_days", "value": 60}],
    "actions": [
        {
            "owner": "Ann Lee",
            "party": "Orrin Tools Ltd",
            "text": "send the data extract",
            "due": "2026-05-22",
        }
    ],
    "open_questions": ["does the licence cover contractors"],
}


def test_terms_traps_parties_deliverables_actions_and_questions_are_counted():
    items = [
        _item("agreed_term", "Party", {"party": {"name": "Orrin Tools", "role": "buyer"}}, 1),
        _item("agreed_term", "Party", {"party": {"name": "Velda Consulting", "role": None}}, 2),
        _item("agreed_term", "Price", {"price": {"amount": 20050.0, "currency": "USD"}}, 3),
        _item("agreed_term", "Pay", {"payment_terms": {"days": 60, "text": "net 60"}}, 4),
        _item("agreed_term", "Start", {"start_date": "2026-06-01"}, 5),
        _item("agreed_term", "D", {"deliverable": {"text": "the migration runbook"}}, 6),
        _item(
            "action_item",
            "I'll send the data extract by Friday.",
            {},
            7,
            owner="Ann Lee",
            due="2026-05-22",
        ),
        _item("open_question", "Does the licence cover our contractors?", {}, 8),
    ]
    m = score_business_meeting("x", items, GOLD)
    assert m["terms"]["price"]["tp"] == 1  # within 0.5 %
    assert m["terms"]["payment_terms_days"] == {"tp": 0, "fp": 1, "fn": 1, "trap": 1}
    assert m["terms"]["start_date"]["fp"] == 1  # a value where gold has none
    assert m["parties"] == {"gold": 2, "extracted": 2, "tp": 1}  # Velda has no role
    assert m["deliverables"]["found"] == 1 and m["actions"]["tp"] == 1
    assert m["actions"]["due_ok"] == 1 and m["open_questions"]["found"] == 1
    s = summarize_business([m])
    assert s["terms"]["traps"] == 1 and s["price_accuracy"] == 1.0


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared business meetings not present")
def test_eval_cli_scores_the_business_meetings_folder():
    r = subprocess.run(
        [sys.executable, "-m", "bridge_app", "eval", str(SHARED), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["meetings"] == len(list(SHARED.glob("*.json")))
    assert report["terms"]["f1"] >= 0.9 and report["terms"]["traps"] == 0
    assert report["parties"]["f1"] >= 0.9 and report["actions"]["f1"] >= 0.8
