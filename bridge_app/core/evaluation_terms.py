"""Scoring contract terms of business meetings (the ``business-meetings`` gold format; pure).

Same metrics as the reference scorer described in ``docs/TERMS.md``: agreed terms P/R/F1 per key
(price within 0.5 % and currency, dates exact, day counts within 2 %, law by containment),
not-agreed values taken as final ("traps"), price accuracy, parties with roles, deliverables
(≥ 50 % content-word coverage), commitments (owner + ≥ 40 % coverage, one-to-one) with due-date
accuracy, and open-question recall.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_names import party_key

TERM_SOURCES: dict[str, tuple[str, ...]] = {
    "price": ("price", "fee"),
    "payment_terms_days": ("payment_terms",),
    "start_date": ("start_date", "effective_date"),
    "end_date": ("end_date",),
    "duration_days": ("duration", "term"),
    "governing_law": ("governing_law",),
    "confidentiality_period_days": ("confidentiality_period",),
    "quantity": ("quantity",),
}
ROLE_FAMILY = {
    **dict.fromkeys(("client", "buyer", "customer", "licensee", "distributor", "purchaser"), "c"),
    **dict.fromkeys(
        ("provider", "seller", "vendor", "supplier", "licensor", "contractor", "consultant"), "p"
    ),
    "disclosing": "d",
    "receiving": "r",
}
_DEMONYMS = {"english": "england", "french": "france", "swedish": "sweden", "spanish": "spain"}
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "is",
        "are",
        "be",
        "we",
        "you",
        "they",
        "i",
        "our",
        "your",
        "their",
        "my",
        "will",
        "would",
        "can",
        "could",
        "it",
        "this",
        "that",
        "these",
        "those",
        "so",
        "then",
        "also",
        "just",
        "all",
        "each",
        "both",
        "not",
        "no",
        "yes",
        "ok",
        "okay",
        "well",
        "up",
        "out",
        "there",
        "here",
        "what",
        "which",
        "who",
        "when",
        "where",
        "how",
        "why",
        "if",
        "by",
        "end",
        "next",
        "week",
        "weeks",
        "friday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "today",
        "tomorrow",
        "i'll",
        "we'll",
        "you'll",
    ]
)


def _words(text: str) -> set[str]:
    ws = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", (text or "").lower().replace("’", "'"))
    out = set()
    for w in ws:
        if w in _STOP or len(w) < 2:
            continue
        w = w.removesuffix("'s")
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def _cov(of: set[str], by: set[str]) -> float:
    return len(of & by) / len(of) if of else 0.0


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    return None


def _law(text: str) -> str:
    toks = [_DEMONYMS.get(w, w) for w in re.sub(r"[^\w\s]", " ", text.lower()).split()]
    drop = {"the", "law", "laws", "of", "state", "province", "courts", "and", "wales"}
    return " ".join(w for w in toks if w not in drop)


def _value(key: str, v: Any) -> Any:
    if key == "price":
        return (
            {"amount": _num(v.get("amount")), "currency": v.get("currency")}
            if isinstance(v, dict)
            else None
        )
    if key in ("payment_terms_days", "duration_days", "confidentiality_period_days"):
        return _num(v.get("days")) if isinstance(v, dict) else _num(v)
    if key in ("start_date", "end_date"):
        return str(v)[:10] if v else None
    if key == "governing_law":
        return v.get("text") if isinstance(v, dict) else v
    if key == "quantity":
        return _num(v.get("value")) if isinstance(v, dict) else _num(v)
    return v


def _equal(key: str, gold: Any, got: Any) -> bool:
    if got is None:
        return False
    if key == "price":
        g, e = _num(gold.get("amount")), got.get("amount")
        if g is None or e is None or abs(e - g) > 0.005 * abs(g) + 1e-9:
            return False
        gc, ec = gold.get("currency"), got.get("currency")
        return not (gc and ec) or str(gc).upper() == str(ec).upper()
    if key == "payment_terms_days":
        return _num(gold) == got
    if key in ("duration_days", "confidentiality_period_days"):
        g = _num(gold)
        return g is not None and abs(got - g) <= max(0.02 * g, 1.0)
    if key == "governing_law":
        a, b = _law(str(gold)), _law(str(got))
        return bool(a and b) and (a in b or b in a)
    if key == "quantity":
        g = _num(gold)
        return g is not None and abs(got - g) <= 0.005 * abs(g) + 1e-6
    return str(gold) == str(got)


def _latest(items: Sequence[Item]) -> list[Item]:
    return [it for it in items if not it.superseded_by]


def score_business_meeting(
    name: str, items: Sequence[Item], gold: dict[str, Any]
) -> dict[str, Any]:
    """One meeting's counts (see the module docstring)."""
    live = _latest(items)
    terms = [it for it in live if it.kind == "agreed_term"]
    gterms = gold.get("terms") or {}
    not_agreed = gold.get("not_agreed") or []
    per_key: dict[str, dict[str, int]] = {}
    for key, sources in TERM_SOURCES.items():
        got = None
        for raw in sources:
            cands = [it for it in terms if raw in it.values]
            if cands:
                best = max(cands, key=lambda it: max(e.start for e in it.evidence))
                got = _value(key, best.values[raw])
                break
        g = gterms.get(key)
        res = {"tp": 0, "fp": 0, "fn": 0, "trap": 0}
        if g is None and got is not None:
            res["fp"] = 1
        elif g is not None and got is None:
            res["fn"] = 1
        elif g is not None:
            if _equal(key, g, got):
                res["tp"] = 1
            else:
                res["fp"] = res["fn"] = 1
        if res["fp"]:
            for na in not_agreed:
                v = na.get("value")
                if na.get("term") == key and (
                    _equal(key, {"amount": v, "currency": na.get("currency")}, got)
                    if key == "price"
                    else _equal(key, v, got)
                ):
                    res["trap"] = 1
        per_key[key] = res
    # parties
    gparties = gold.get("parties") or []
    names = [
        {party_key(p["name"]), *(party_key(a) for a in p.get("aliases", []))} for p in gparties
    ]
    got_parties: dict[str, dict[str, Any]] = {}
    for it in terms:
        p = it.values.get("party")
        if isinstance(p, dict) and p.get("name"):
            got_parties.setdefault(party_key(str(p["name"])), p)
    party_tp = 0
    for key, p in got_parties.items():
        for gi, gp in enumerate(gparties):
            if key in names[gi] and (
                not gp.get("role")
                or ROLE_FAMILY.get(str(p.get("role")).lower()) == ROLE_FAMILY.get(gp["role"])
            ):
                party_tp += 1
                break
    # deliverables
    gd = [_words(d) for d in gterms.get("deliverables") or []]
    ed = [
        _words(str(it.values["deliverable"].get("text", "")))
        for it in terms
        if isinstance(it.values.get("deliverable"), dict)
    ]
    deliv_found = sum(1 for g in gd if any(_cov(g, e) >= 0.5 for e in ed))
    # commitments
    gacts = gold.get("actions") or []
    acts = [it for it in live if it.kind == "action_item"]
    pairs = []
    for gi, ga in enumerate(gacts):
        gw = _words(ga.get("text", ""))
        gown = set(re.findall(r"[a-z]+", str(ga.get("owner", "")).lower()))
        for ei, it in enumerate(acts):
            own = set(re.findall(r"[a-z]+", str(it.owner or "").lower()))
            party_ok = bool(it.party) and party_key(str(it.party)) == party_key(
                str(ga.get("party", ""))
            )
            if not ((own and gown and (own <= gown or gown <= own)) or party_ok):
                continue
            c = _cov(gw, _words(it.statement))
            if c >= 0.4:
                pairs.append((c, gi, ei))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_g: set[int] = set()
    used_e: set[int] = set()
    match: dict[int, int] = {}
    for _, gi, ei in pairs:
        if gi not in used_g and ei not in used_e:
            used_g.add(gi)
            used_e.add(ei)
            match[gi] = ei
    required = [gi for gi, ga in enumerate(gacts) if not ga.get("optional")]
    optional_hits = sum(1 for gi, ga in enumerate(gacts) if ga.get("optional") and gi in match)
    due_total = sum(1 for gi in required if gi in match and gacts[gi].get("due"))
    due_ok = sum(
        1
        for gi in required
        if gi in match and gacts[gi].get("due") and acts[match[gi]].due == gacts[gi]["due"]
    )
    gq = [_words(q) for q in gold.get("open_questions") or []]
    eq = [_words(it.statement) for it in live if it.kind == "open_question"]
    return {
        "meeting": name,
        "terms": per_key,
        "price_ok": bool(per_key["price"]["tp"])
        or (gterms.get("price") is None and not per_key["price"]["fp"]),
        "parties": {"gold": len(gparties), "extracted": len(got_parties), "tp": party_tp},
        "deliverables": {"gold": len(gd), "extracted": len(ed), "found": deliv_found},
        "actions": {
            "gold": len(required),
            "extracted": len(acts) - optional_hits,
            "tp": sum(1 for gi in required if gi in match),
            "due_total": due_total,
            "due_ok": due_ok,
        },
        "open_questions": {
            "gold": len(gq),
            "found": sum(1 for q in gq if any(_cov(q, e) >= 0.4 for e in eq)),
        },
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def summarize_business(meetings: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Totals over meetings scored by :func:`score_business_meeting`."""
    per_key = {}
    for key in TERM_SOURCES:
        c = {k: sum(m["terms"][key][k] for m in meetings) for k in ("tp", "fp", "fn", "trap")}
        per_key[key] = {**c, **_prf(c["tp"], c["fp"], c["fn"])}
    tp = sum(v["tp"] for v in per_key.values())
    fp = sum(v["fp"] for v in per_key.values())
    fn = sum(v["fn"] for v in per_key.values())
    pa = {k: sum(m["parties"][k] for m in meetings) for k in ("gold", "extracted", "tp")}
    ac = {
        k: sum(m["actions"][k] for m in meetings)
        for k in ("gold", "extracted", "tp", "due_total", "due_ok")
    }
    de = {k: sum(m["deliverables"][k] for m in meetings) for k in ("gold", "extracted", "found")}
    oq = {k: sum(m["open_questions"][k] for m in meetings) for k in ("gold", "found")}
    party = _prf(pa["tp"], pa["extracted"] - pa["tp"], pa["gold"] - pa["tp"])
    return {
        "meetings": len(meetings),
        "terms": {
            **_prf(tp, fp, fn),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "traps": sum(v["trap"] for v in per_key.values()),
        },
        "per_key": per_key,
        "price_accuracy": round(sum(m["price_ok"] for m in meetings) / len(meetings), 4)
        if meetings
        else 0.0,
        "parties": {**party, **pa},
        "deliverables": {**de, "recall": round(de["found"] / de["gold"], 4) if de["gold"] else 0.0},
        "actions": {
            **_prf(ac["tp"], ac["extracted"] - ac["tp"], ac["gold"] - ac["tp"]),
            **ac,
            "due_accuracy": round(ac["due_ok"] / ac["due_total"], 4) if ac["due_total"] else 0.0,
        },
        "open_questions": {
            **oq,
            "recall": round(oq["found"] / oq["gold"], 4) if oq["gold"] else 0.0,
        },
    }


def format_business(report: dict[str, Any]) -> str:
    """A short table: per key, then the summary line."""
    lines = [f"{'key':<28} {'tp':>3} {'fp':>3} {'fn':>3} {'trap':>4} {'F1':>6}"]
    for key, v in report["per_key"].items():
        lines.append(
            f"{key:<28} {v['tp']:>3} {v['fp']:>3} {v['fn']:>3} {v['trap']:>4} {v['f1']:>6.2f}"
        )
    t, pa, ac = report["terms"], report["parties"], report["actions"]
    lines.append(
        f"terms P={t['precision']:.3f} R={t['recall']:.3f} F1={t['f1']:.3f} traps={t['traps']} "
        f"price_acc={report['price_accuracy']:.3f} party_F1={pa['f1']:.3f} "
        f"deliv_R={report['deliverables']['recall']:.3f} actions F1={ac['f1']:.3f} "
        f"due_acc={ac['due_accuracy']:.3f} oq_R={report['open_questions']['recall']:.3f}"
    )
    return "\n".join(lines)
