"""Scoring extracted items against human annotations (pure).

Meetings (AMI/ICSI form): a gold decision is *found* when the evidence of an extracted decision
overlaps the gold item's evidence utterances; an extracted decision is *correct* (precision) when
its evidence overlaps the evidence of any gold decision or action. Action items are scored the
same way against the gold actions. Agreed terms count as decisions: "the price is 25 euro" is
what annotators summarise as a decision. Gold items that link no utterance cannot be found by
any grounded extractor; they are left out of recall and counted separately.

Negotiations (CraigslistBargain form): the final agreed price is the last agreed ``price``/``fee``
term that nothing supersedes; it is correct when it equals the recorded price (to the cent).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bridge_app.core.extraction.model import Item

DECISION_KINDS = frozenset({"decision", "agreed_term"})
ACTION_KINDS = frozenset({"action_item"})


@dataclass(frozen=True, slots=True)
class Counts:
    """Counts behind one precision/recall pair."""

    extracted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.extracted + other.extracted,
            self.correct + other.correct,
            self.gold + other.gold,
            self.found + other.found,
        )

    def prf(self) -> dict[str, float]:
        """Precision, recall and F1 (0 where undefined)."""
        p = self.correct / self.extracted if self.extracted else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    def to_dict(self) -> dict[str, Any]:
        """Scores plus the raw counts."""
        return {
            **self.prf(),
            "extracted": self.extracted,
            "correct": self.correct,
            "gold": self.gold,
            "found": self.found,
        }


def _evidence_ids(item: Item) -> set[str]:
    return {e.segment_id for e in item.evidence}


def score_kind(
    items: Iterable[Item],
    kinds: frozenset[str],
    gold: Sequence[set[str]],
    other_gold: Sequence[set[str]] = (),
) -> Counts:
    """Counts for items of ``kinds`` against ``gold`` (``other_gold`` also counts as correct)."""
    extracted = [_evidence_ids(it) for it in items if it.kind in kinds]
    gold_sets = [g for g in gold if g]
    correct_pool = gold_sets + [g for g in other_gold if g]
    correct = sum(1 for ev in extracted if any(ev & g for g in correct_pool))
    found = sum(1 for g in gold_sets if any(ev & g for ev in extracted))
    return Counts(len(extracted), correct, len(gold_sets), found)


def _median(sizes: Sequence[int]) -> float:
    return float(statistics.median(sizes)) if sizes else 0.0


def score_meeting(
    meeting_id: str,
    items: Sequence[Item],
    gold_decisions: Sequence[set[str]],
    gold_actions: Sequence[set[str]],
    corpus: str = "",
) -> dict[str, Any]:
    """One meeting's row: decision and action counts/scores, and how many segments each
    extracted decision / action cites (``evidence_sizes``, ``median_evidence``)."""
    dec = score_kind(items, DECISION_KINDS, gold_decisions, gold_actions)
    act = score_kind(items, ACTION_KINDS, gold_actions, gold_decisions)
    unlinked = sum(1 for g in list(gold_decisions) + list(gold_actions) if not g)
    sizes = [len(it.evidence) for it in items if it.kind in DECISION_KINDS | ACTION_KINDS]
    return {
        "meeting": meeting_id,
        "corpus": corpus,
        "decisions": dec.to_dict(),
        "actions": act.to_dict(),
        "evidence_sizes": sizes,
        "median_evidence": _median(sizes),
        "gold_without_evidence": unlinked,
    }


def final_agreed_price(items: Sequence[Item]) -> float | None:
    """The amount of the last agreed price/fee term that is not superseded, if any."""
    last: float | None = None
    for it in sorted(items, key=lambda i: max((e.start for e in i.evidence), default=0.0)):
        if it.kind != "agreed_term" or it.superseded_by is not None:
            continue
        for key in ("price", "fee"):
            value = it.values.get(key)
            if isinstance(value, dict) and value.get("amount") is not None:
                last = float(value["amount"])
    return last


def score_negotiation(dialogue_id: str, items: Sequence[Item], agreed: float) -> dict[str, Any]:
    """One negotiation's row: extracted vs recorded final price."""
    got = final_agreed_price(items)
    sizes = [len(it.evidence) for it in items if it.kind == "agreed_term"]
    return {
        "dialogue": dialogue_id,
        "expected": agreed,
        "extracted": got,
        "correct": got is not None and abs(got - agreed) < 0.005,
        "evidence_sizes": sizes,
        "median_evidence": _median(sizes),
    }


def _totals(meetings: Sequence[dict[str, Any]]) -> dict[str, Any]:
    dec = Counts()
    act = Counts()
    sizes: list[int] = []
    for row in meetings:
        d, a = row["decisions"], row["actions"]
        dec = dec + Counts(d["extracted"], d["correct"], d["gold"], d["found"])
        act = act + Counts(a["extracted"], a["correct"], a["gold"], a["found"])
        sizes += row.get("evidence_sizes", [])
    return {
        "decisions": dec.to_dict(),
        "actions": act.to_dict(),
        "median_evidence": _median(sizes),
        "n": len(meetings),
    }


def summarize(meetings: Sequence[dict[str, Any]], dialogues: Sequence[dict[str, Any]]) -> dict:
    """Totals over all rows, in the report shape of ``python -m bridge_app eval --json``; with
    meetings of several corpora (``corpus`` of the rows), the totals per corpus too."""
    report: dict[str, Any] = {**_totals(meetings), "meetings": list(meetings)}
    del report["n"]
    corpora = sorted({str(row.get("corpus") or "") for row in meetings})
    if len(corpora) > 1:
        report["by_corpus"] = {
            c: _totals([r for r in meetings if str(r.get("corpus") or "") == c]) for c in corpora
        }
    if dialogues:
        n = len(dialogues)
        report["agreed_price"] = {
            "accuracy": round(sum(1 for r in dialogues if r["correct"]) / n, 4),
            "n": n,
            "median_evidence": _median([k for r in dialogues for k in r.get("evidence_sizes", [])]),
        }
        report["dialogues"] = list(dialogues)
    return report


def format_table(report: dict[str, Any]) -> str:
    """The report as a plain-text table for people."""
    lines = [
        f"{'meeting':<14} {'dec P':>6} {'dec R':>6} {'dec F1':>6}   {'act P':>6} {'act R':>6} "
        f"{'act F1':>6}   {'evid':>4}"
    ]

    def row(name: str, r: dict[str, Any]) -> str:
        d, a = r["decisions"], r["actions"]
        return (
            f"{name:<14} {d['precision']:>6.2f} {d['recall']:>6.2f} {d['f1']:>6.2f}   "
            f"{a['precision']:>6.2f} {a['recall']:>6.2f} {a['f1']:>6.2f}   "
            f"{r.get('median_evidence', 0.0):>4g}"
        )

    for m in report.get("meetings", []):
        lines.append(row(str(m["meeting"])[:14], m))
    for corpus, totals in report.get("by_corpus", {}).items():
        lines.append(row(f"TOTAL {corpus or '-'}"[:14], totals))
    if report.get("meetings"):
        lines.append(row("TOTAL", report))
    if "agreed_price" in report:
        ap = report["agreed_price"]
        lines.append(
            f"agreed price accuracy: {ap['accuracy']:.2f} over {ap['n']} dialogues, "
            f"median evidence {ap['median_evidence']:g}"
        )
    return "\n".join(lines)
