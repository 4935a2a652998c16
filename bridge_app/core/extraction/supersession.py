"""Supersession and conflicts between agreed terms, within a meeting and across meetings.

A term is identified by its value key (``price``, ``payment_terms``, ``start_date`` …); a party
by its role (two parties with different roles, or without one, coexist) and a deliverable by its
text (deliverables add up). When a later item states a different value for the same term:

* within a meeting, the later item supersedes the earlier one when it was settled explicitly
  (an acceptance, or a change cue such as "instead", "make it", "actually"); otherwise the two
  are marked as conflicting so QA can ask a person;
* across meetings of the same matter, the later meeting's term supersedes the earlier one.

Functions return new ``Item`` objects and never mutate their arguments.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import Any

from bridge_app.core.extraction import cues
from bridge_app.core.extraction.model import Item
from bridge_app.core.extraction.party_names import party_key
from bridge_app.core.vocabulary import TERM_KEYS

# Keys whose values describe a contract term (the rest, e.g. "due_text", are annotations).
_TERM_VALUE_KEYS = frozenset(TERM_KEYS)


def _slots(item: Item) -> dict[str, str]:
    """The term slots an item fills, each mapped to its value key.

    Most keys are one slot each; price and fee share one. A party's slot is its role (a later
    client entity replaces the earlier client, never the provider); a party without a role, and
    every deliverable, is a slot of its own, so different parties and different deliverables
    coexist.
    """
    out: dict[str, str] = {}
    for k, v in item.values.items():
        if k not in _TERM_VALUE_KEYS:
            continue
        if k == "party" and isinstance(v, dict):
            role = str(v.get("role") or "").strip().lower()
            out[f"party:{role}" if role else "party=" + party_key(str(v.get("name", "")))] = k
        elif k == "deliverable":
            out["deliverable=" + str(_comparable(k, v))] = k
        elif k in ("price", "fee"):
            # One money slot: "a fee of 40k" then "make it 45k" is the same term (drafting
            # fills the price from a fee too).
            out["price"] = k
        else:
            out[k] = k
    return out


def _comparable(key: str, value: object) -> object:
    # Free text differs in wording when the term is the same; compare the typed part only.
    if key == "party" and isinstance(value, dict):
        return party_key(str(value.get("name", "")))
    if isinstance(value, dict):
        typed = {k: v for k, v in value.items() if k != "text"}
        return typed or {k: str(v).lower() for k, v in value.items()}
    return value


def _slot_value(item: Item, slot: str) -> Any:
    """The comparable value an item holds in a slot (its own key: a fee may face a price)."""
    key = _slots(item)[slot]
    return _comparable(key, item.values[key])


def _settled(item: Item) -> bool:
    """Explicitly settled: worded as a change of an earlier figure, or accepted by another
    speaker. One person restating a different figure ("we agreed 60") is a conflict instead."""
    quotes = " ".join(e.quote for e in item.evidence)
    return bool(cues.CHANGE_RX.search(quotes)) or len({e.speaker for e in item.evidence}) > 1


def _link(old: Item, new: Item) -> None:
    old.superseded_by = new.id
    if old.id not in new.supersedes:
        new.supersedes.append(old.id)


def _conflict(a: Item, b: Item) -> None:
    if b.id not in a.conflicts_with:
        a.conflicts_with.append(b.id)
    if a.id not in b.conflicts_with:
        b.conflicts_with.append(a.id)


def _copy(item: Item) -> Item:
    """A copy whose link lists can change without touching the original (values and evidence
    are never changed here, so they are shared: a deep copy cost most of the stage's time)."""
    return dataclasses.replace(
        item, supersedes=list(item.supersedes), conflicts_with=list(item.conflicts_with)
    )


def resolve_within(items: Iterable[Item]) -> list[Item]:
    """Mark supersession/conflicts among the agreed terms of one meeting (items in time order)."""
    out = [_copy(it) for it in items]
    active: dict[str, Item] = {}
    # A term is settled when it is last confirmed: order by the latest evidence, so a value
    # proposed early but accepted late supersedes one agreed in between.
    terms = sorted(
        (it for it in out if it.kind == "agreed_term"),
        key=lambda it: max((e.start for e in it.evidence), default=0.0),
    )
    for it in terms:
        for slot, key in sorted(_slots(it).items()):
            prev = active.get(slot)
            if prev is not None and prev is not it and prev.superseded_by is None:
                if _slot_value(prev, slot) == _comparable(key, it.values[key]):
                    continue
                if _settled(it):
                    _link(prev, it)
                else:
                    _conflict(prev, it)
            active[slot] = it
    return out


def supersede_across(previous_items: Iterable[Item], new_items: Iterable[Item]) -> list[Item]:
    """Link a later meeting's terms to an earlier meeting's terms of the same matter.

    Returns the previous and the new items (copies), previous first; an earlier term whose key
    gets a different value in the later meeting is ``superseded_by`` the later item.
    """
    prev = [copy.deepcopy(it) for it in previous_items]
    new = [copy.deepcopy(it) for it in new_items]
    taken = {it.id for it in prev}
    for it in new:
        if it.id in taken:
            # Item ids are per meeting; keep them unique once both meetings sit in one list.
            it.id = f"{it.id}@next"
    latest: dict[str, Item] = {}
    for it in prev:
        if it.kind == "agreed_term" and it.superseded_by is None:
            for slot in _slots(it):
                latest[slot] = it
    for it in new:
        if it.kind != "agreed_term" or it.superseded_by is not None:
            continue
        for slot, key in sorted(_slots(it).items()):
            old = latest.get(slot)
            if old is None or old.superseded_by is not None:
                continue
            if _slot_value(old, slot) != _comparable(key, it.values[key]):
                _link(old, it)
    return prev + new
