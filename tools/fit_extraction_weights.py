"""Fit the rules backend's decision/action scorer and check it held out.

    python tools/fit_extraction_weights.py [DIR] [--write] [--cv meeting|series|none]

DIR (default /work/shared/data/meetings) holds AMI/ICSI-form ``<name>.json`` annotations with
``<name>.vtt`` transcripts (see /work/shared/data/SOURCES.md). Each segment gets the features of
``cues.model_features``; two L2-regularised logistic regressions (Newton's method, pure Python,
deterministic) learn whether a segment is cited by an annotator as evidence:

- decision scorer: evidence of any gold decision or action (the precision pool);
- action scorer: evidence of a gold action.

``--cv`` refits leaving one meeting (or one series: ES2011*, IS1008*, TS3004*, ICSI) out and
runs the real extractor + ``bridge_app.core.evaluation`` on the held-out meetings, next to the
in-sample score. ``--write`` regenerates ``bridge_app/core/extraction/weights.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge_app.core.evaluation import score_meeting, summarize  # noqa: E402
from bridge_app.core.extraction import cues, rules  # noqa: E402
from bridge_app.core.extraction.supersession import resolve_within  # noqa: E402
from bridge_app.core.transcript import parse_transcript  # noqa: E402

L2 = 1.0
FLOOR_QUANTILE = 0.9  # a key utterance must score above 90 % of the training segments
WEIGHTS_PY = ROOT / "bridge_app" / "core" / "extraction" / "weights.py"

Meeting = tuple[str, list[Any], list[set[str]], list[set[str]], list[list[float]]]


def load(root: Path) -> list[Meeting]:
    out: list[Meeting] = []
    for jpath in sorted(root.rglob("*.json")):
        vtt = jpath.with_suffix(".vtt")
        data = json.loads(jpath.read_text(encoding="utf-8"))
        if not vtt.is_file() or not isinstance(data.get("annotations"), dict):
            continue
        segs = list(parse_transcript(vtt.read_bytes(), filename=vtt.name).segments)
        ann = data["annotations"]
        gold_d = [set(s.get("evidence_utterance_ids") or []) for s in ann.get("decisions", [])]
        gold_a = [set(s.get("evidence_utterance_ids") or []) for s in ann.get("actions", [])]
        out.append((jpath.stem, segs, gold_d, gold_a, cues.model_features(segs)))
    return out


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit_logistic(x: Sequence[list[float]], y: Sequence[int], l2: float = L2) -> list[float]:
    """L2-regularised logistic regression by Newton's method; weights with the bias last."""
    d = len(x[0]) + 1
    w = [0.0] * d
    xb = [[*row, 1.0] for row in x]
    nz = [[k for k in range(d) if row[k]] for row in xb]
    for _ in range(10):
        g = [0.0] * d
        h = [[0.0] * d for _ in range(d)]
        for row, yy, idx in zip(xb, y, nz, strict=True):
            z = sum(w[k] * row[k] for k in idx)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            s = p * (1 - p)
            for a in idx:
                g[a] += (p - yy) * row[a]
                ha = h[a]
                for b in idx:
                    ha[b] += s * row[a] * row[b]
        for k in range(d - 1):
            g[k] += l2 * w[k]
            h[k][k] += l2
        h[d - 1][d - 1] += 1e-6
        w = [a - b for a, b in zip(w, _solve(h, g), strict=True)]
    return w


def _labels(m: Meeting, kind: str) -> list[int]:
    _, segs, gold_d, gold_a, _ = m
    pool = set().union(*gold_a) if kind == "action" else set().union(*gold_d, *gold_a)
    return [1 if s.segment_id in pool else 0 for s in segs]


def _floor(w: list[float], meetings: Sequence[Meeting]) -> float:
    """The window score (as ranked by the extractor) that FLOOR_QUANTILE of segments stay under."""
    scores: list[float] = []
    for m in meetings:
        segs = m[1]
        logits = rules._logits(m[4], tuple(w))
        windows = [cues.neighbours(segs, i) for i in range(len(segs))]
        scores += rules._window_scores(segs, logits, windows)
    scores.sort()
    return round(scores[int(FLOOR_QUANTILE * (len(scores) - 1))], 4)


def fit(meetings: Sequence[Meeting]) -> rules.Weights:
    rows = [r for m in meetings for r in m[4]]
    wd = fit_logistic(rows, [y for m in meetings for y in _labels(m, "decision")])
    wa = fit_logistic(rows, [y for m in meetings for y in _labels(m, "action")])
    return (
        tuple(round(v, 4) for v in wd),
        _floor(wd, meetings),
        tuple(round(v, 4) for v in wa),
        _floor(wa, meetings),
    )


def evaluate(meetings: Sequence[Meeting], scorer: rules.Weights | None) -> dict[str, Any]:
    rows = []
    for name, segs, gold_d, gold_a, _ in meetings:
        items = resolve_within(
            [it for it in rules.extract_rules(segs, scorer=scorer) if it.evidence]
        )
        rows.append(score_meeting(name, items, gold_d, gold_a))
    return summarize(rows, [])


def series(name: str) -> str:
    return name[:6] if name[:2] in {"ES", "IS", "TS", "EN"} else "ICSI"


def cross_validate(meetings: Sequence[Meeting], group: Callable[[str], str]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for g in sorted({group(m[0]) for m in meetings}):
        train = [m for m in meetings if group(m[0]) != g]
        test = [m for m in meetings if group(m[0]) == g]
        rows += evaluate(test, fit(train))["meetings"]
    return summarize(rows, [])


def _line(label: str, report: dict[str, Any]) -> str:
    d, a = report["decisions"], report["actions"]
    return (
        f"{label:<28} decisions P {d['precision']:.2f} R {d['recall']:.2f} F1 {d['f1']:.2f}"
        f"   actions P {a['precision']:.2f} R {a['recall']:.2f} F1 {a['f1']:.2f}"
    )


def write(scorer: rules.Weights) -> None:
    d_w, d_floor, a_w, a_floor = scorer
    names = cues.FEATURE_NAMES

    def block(w: Sequence[float]) -> str:
        lines = [f"    {v!r},  # {n}" for v, n in zip(w, names, strict=False)]
        return "\n".join([*lines, f"    {w[-1]!r},  # bias"])

    WEIGHTS_PY.write_text(
        '"""Weights of the decision/action scorer, GENERATED by '
        "tools/fit_extraction_weights.py.\n\n"
        "Logistic regressions over ``cues.model_features`` (order: ``cues.FEATURE_NAMES``, bias\n"
        "last), fitted on the shared AMI/ICSI meetings. Do not edit by hand: re-run the script.\n"
        '"""\n\n'
        f"DECISION_WEIGHTS: tuple[float, ...] = (\n{block(d_w)}\n)\n"
        f"DECISION_FLOOR = {d_floor!r}\n\n"
        f"ACTION_WEIGHTS: tuple[float, ...] = (\n{block(a_w)}\n)\n"
        f"ACTION_FLOOR = {a_floor!r}\n",
        encoding="utf-8",
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", nargs="?", default="/work/shared/data/meetings")
    p.add_argument("--write", action="store_true", help="regenerate weights.py")
    p.add_argument("--cv", choices=("meeting", "series", "none"), default="meeting")
    args = p.parse_args()
    meetings = load(Path(args.dir))
    scorer = fit(meetings)
    if args.write:
        write(scorer)
    print(_line("shipped weights, in-sample", evaluate(meetings, None)))
    print(_line("refit, in-sample", evaluate(meetings, scorer)))
    if args.cv == "meeting":
        print(_line("leave-one-meeting-out", cross_validate(meetings, lambda n: n)))
    if args.cv == "series":
        print(_line("leave-one-series-out", cross_validate(meetings, series)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
