"""Copy a folder of negotiation chats with every price scaled, to check that the term tracker
follows who offered what rather than figures it has seen before.

    python tools/scale_figures.py SRC DST [--seed N]

Each chat (``<id>.vtt`` with its ``<id>.json``, the CraigslistBargain format of
``../shared/data/negotiations``) gets its own factor, drawn from 0.55–0.8 or 1.25–1.8 by the
seed and the chat's name. Every figure written in digits that is a price ("$4,800", "4800",
"4.8k", "$12.50") is multiplied by it and rounded as finely as it was written (4800 → 6200,
not 6240); a number is a price when it carries a currency sign or lies within a quarter to four
times the listing price (years such as "2015" only with a sign). The order of a chat's prices is
kept, and no two of them become one. The gold agreed price goes through the same map; a chat
whose agreed price is not written in digits in its text is left out and counted. Timings, cue
numbers and speakers are kept, so ``python -m bridge_app eval DST`` scores the copy.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import zlib
from pathlib import Path
from typing import Any

from strip_punctuation import map_spoken, open_copy

_FIGURE_RX = re.compile(
    r"(?<![\w.,$])(\$ ?)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?([kK]\b)?(?![\w,]*\d)"
)
_YEAR_RX = re.compile(r"(19|20)\d\d")
_FACTORS = ((0.55, 0.8), (1.25, 1.8))


def _value(m: re.Match[str]) -> float:
    amount = float(m.group(2).replace(",", "") + (m.group(3) or ""))
    return amount * 1000 if m.group(4) else amount


def _is_price(m: re.Match[str], listing: float) -> bool:
    if m.group(1):
        return True
    if _YEAR_RX.fullmatch(m.group(2)) and not m.group(4):
        return False
    return listing > 0 and 0.25 * listing <= _value(m) <= 4 * listing


def _granularity(value: float) -> float:
    """How finely a figure was written: 4800 → 100, 4850 → 10, 12.5 → 0.01."""
    if value != int(value):
        return 0.01
    step = 1.0
    while value >= step * 10 and value % (step * 10) == 0 and step < 1000:
        step *= 10
    return step


def scaled(value: float, factor: float) -> float:
    step = _granularity(value)
    return round(round(value * factor / step) * step, 2)


def _format(m: re.Match[str], new: float) -> str:
    sign = m.group(1) or ""
    if m.group(4):
        thousands = new / 1000
        text = f"{thousands:g}"
        return f"{sign}{text}{m.group(4)}"
    if new == int(new) and not m.group(3):
        whole = int(new)
        return f"{sign}{whole:,}" if "," in m.group(2) else f"{sign}{whole}"
    return f"{sign}{new:,.2f}" if "," in m.group(2) else f"{sign}{new:.2f}"


def _factor(name: str, seed: int, prices: set[float]) -> float | None:
    """A factor that keeps the chat's prices apart and in order (None when none is found)."""
    rng = random.Random(seed * 1_000_003 + zlib.crc32(name.encode()))
    ordered = sorted(prices)
    for _ in range(50):
        low, high = rng.choice(_FACTORS)
        factor = rng.uniform(low, high)
        new = [scaled(v, factor) for v in ordered]
        if all(a < b for a, b in itertools.pairwise(new)) and all(v > 0 for v in new):
            return factor
    return None


def scale_chat(vtt: str, gold: dict[str, Any], name: str, seed: int) -> tuple[str, dict] | None:
    """The chat and its gold with the prices scaled, or None when it cannot be scaled."""
    agreement = gold["agreement"]
    listing = float(agreement.get("listing_price") or 0)
    price = float(agreement["price"])
    prices = {_value(m) for m in _FIGURE_RX.finditer(vtt) if _is_price(m, listing)} - {0.0}
    if price not in prices:
        return None
    factor = _factor(name, seed, prices)
    if factor is None:
        return None

    def change(text: str) -> str:
        return _FIGURE_RX.sub(
            lambda m: _format(m, scaled(_value(m), factor)) if _is_price(m, listing) else m[0],
            text,
        )

    lines = [map_spoken(line, change) for line in vtt.splitlines()]
    new_gold = json.loads(json.dumps(gold))
    new_gold["agreement"]["price"] = scaled(price, factor)
    if listing:
        new_gold["agreement"]["listing_price"] = scaled(listing, factor)
    new_gold["scaled_by"] = round(factor, 4)
    return "\n".join(lines) + "\n", new_gold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if not open_copy(args.src, args.dst):
        return 2
    written = skipped = 0
    for jpath in sorted(args.src.glob("*.json")):
        vtt = jpath.with_suffix(".vtt")
        gold = json.loads(jpath.read_text(encoding="utf-8"))
        if not vtt.is_file() or not isinstance(gold.get("agreement"), dict):
            continue
        result = scale_chat(vtt.read_text(encoding="utf-8"), gold, jpath.stem, args.seed)
        if result is None:
            skipped += 1
            continue
        text, new_gold = result
        (args.dst / vtt.name).write_text(text, encoding="utf-8")
        (args.dst / jpath.name).write_text(json.dumps(new_gold, indent=1), encoding="utf-8")
        written += 1
    print(f"{written} chats written to {args.dst}, {skipped} left out (price not in digits)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
