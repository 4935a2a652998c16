"""Fit the rules backend's decision/action scorer on the training meetings, report the dev split.

    python tools/fit_extraction_weights.py [--train DIR] [--dev DIR] [--write] [--cv]

``--train`` (default /work/shared/data/meetings-train) and ``--dev`` (default
/work/shared/data/meetings) hold AMI/ICSI-form ``<name>.json`` annotations with ``<name>.vtt``
transcripts (see /work/shared/data/SOURCES.md). Two learned parts, both fitted on ``--train``
only:

1. a word model (``word_model.Lexicon``, written to ``lexicon.tsv``): multinomial naive Bayes over
   each utterance's word unigrams and bigrams (``word_model.tokens``, binary, tokens in at least
   MIN_DF training utterances, add-ALPHA smoothing) for three targets: the corpus's own
   dialogue-act label grouped into ``cues.DA_CLASSES`` (``da_type``: real supervision, only in
   the training files; a customer's transcript has none, so the classes are predicted from the
   words), "cited as evidence of a decision or an action" and "cited as evidence of an action";
2. two L2-regularised logistic regressions (Newton's method, numpy, deterministic) over
   ``cues.model_features`` (cue forms, position, dialogue structure and the word model's
   outputs), written to ``weights.py``: the decision scorer learns evidence of a gold decision
   (the word model's decision column: of any gold decision or action, the precision pool), the
   action scorer evidence of a gold action (AMI
   meetings only: ICSI summaries have no actions section).

The regressions see word-model features computed out of fold (five folds by meeting), so they
learn how much to trust the word model on meetings it has not seen. The report runs the real
extractor + ``bridge_app.core.evaluation`` on both splits, per corpus. Settings (volume,
spacing) are chosen on the dev split and live in ``rules.py``. ``--cv`` adds the training split
scored out of fold (five folds by meeting, everything refitted without the fold it scores): the
in-sample train row flatters the word model, which has seen those meetings' words.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge_app.core.evaluation import score_meeting, summarize  # noqa: E402
from bridge_app.core.extraction import cues, rules, word_model  # noqa: E402
from bridge_app.core.extraction.supersession import resolve_within  # noqa: E402
from bridge_app.core.transcript import parse_transcript  # noqa: E402
from bridge_app.core.transcript.model import Segment  # noqa: E402

L2 = 1.0
ALPHA = 0.5
MIN_DF = 20
FOLDS = 5
FLOOR_QUANTILE = 0.9  # a key utterance must score above 90 % of the training segments
WEIGHTS_PY = ROOT / "bridge_app" / "core" / "extraction" / "weights.py"


@dataclass
class Meeting:
    name: str
    corpus: str
    segments: list[Segment]
    da: list[int]  # index into cues.DA_CLASSES per segment
    gold_decisions: list[set[str]]
    gold_actions: list[set[str]]
    has_actions: bool
    tokens: list[set[str]]
    analysed: list[cues.SegmentFeatures]


def da_class(tag: str | None) -> str:
    """The AMI (``sug``, ``off``, ``ass`` …) or ICSI/MRDA (``s^cs``, ``s^cc``, ``s^aa``, ``qy``,
    ``b`` …) dialogue-act label as one of ``cues.DA_CLASSES``."""
    t = tag or ""
    if t == "sug":
        return "suggest"
    if t == "off":
        return "commit"
    if t in ("ass", "be.pos", "be.neg"):
        return "assess"
    if t.startswith("el."):
        return "elicit"
    if t == "inf":
        return "inform"
    if t in ("bck", "stl", "fra", "und", "oth", "z", "", "x"):
        return "minor"
    first = t.split("|")[0]
    if "^cs" in first or "^co" in first:
        return "suggest"
    if "^cc" in first:
        return "commit"
    if first.startswith("q"):
        return "elicit"
    if re.search(r"\^(aa|na|ba)", first):
        return "assess"
    if first.startswith(("b", "fh", "fg", "%", "h", "z", "x")) or "^bk" in first:
        return "minor"
    return "inform"


def load(root: Path) -> list[Meeting]:
    out: list[Meeting] = []
    for jpath in sorted(root.rglob("*.json")):
        vtt = jpath.with_suffix(".vtt")
        data = json.loads(jpath.read_text(encoding="utf-8"))
        if not vtt.is_file() or not isinstance(data.get("annotations"), dict):
            continue
        segs = list(parse_transcript(vtt.read_bytes(), filename=vtt.name).segments)
        tags = {u["id"]: u.get("da_type") for u in data.get("utterances", [])}
        ann = data["annotations"]
        out.append(
            Meeting(
                name=jpath.stem,
                corpus=jpath.parent.name if jpath.parent != root else "",
                segments=segs,
                da=[cues.DA_CLASSES.index(da_class(tags.get(s.segment_id))) for s in segs],
                gold_decisions=[
                    set(s.get("evidence_utterance_ids") or []) for s in ann.get("decisions", [])
                ],
                gold_actions=[
                    set(s.get("evidence_utterance_ids") or []) for s in ann.get("actions", [])
                ],
                has_actions="actions" in ann,
                tokens=[cues.tokens(s.text) for s in segs],
                analysed=cues.analyse(segs),
            )
        )
    return out


def _labels(m: Meeting, kind: str) -> list[int]:
    """1 for segments cited as evidence of a gold ``decision`` / ``action``, or of either
    (``pool``: what an extracted decision may touch to count as correct)."""
    pool: set[str] = set()
    if kind in ("action", "pool"):
        pool |= set().union(*m.gold_actions)
    if kind in ("decision", "pool"):
        pool |= set().union(*m.gold_decisions)
    return [1 if s.segment_id in pool else 0 for s in m.segments]


def _nb(docs: Sequence[set[str]], y: Sequence[int], n_classes: int, vocab: list[str]) -> np.ndarray:
    """Multinomial naive Bayes on binary token counts: (log prior, log P(token | class)) as a
    (1 + len(vocab)) × n_classes array."""
    index = {t: k for k, t in enumerate(vocab)}
    counts = np.zeros((len(vocab), n_classes))
    prior = np.zeros(n_classes)
    for toks, c in zip(docs, y, strict=True):
        prior[c] += 1
        for t in toks:
            k = index.get(t)
            if k is not None:
                counts[k, c] += 1
    theta = np.log(counts + ALPHA) - np.log(counts.sum(0) + ALPHA * len(vocab))
    return np.vstack([np.log(prior / prior.sum()), theta])


def fit_lexicon(meetings: Sequence[Meeting]) -> cues.Lexicon:
    """The word model of ``word_model.Lexicon`` fitted on ``meetings``."""
    docs = [t for m in meetings for t in m.tokens]
    df: Counter[str] = Counter(t for toks in docs for t in toks)
    vocab = sorted(t for t, c in df.items() if c >= MIN_DF)
    da = _nb(docs, [c for m in meetings for c in m.da], len(cues.DA_CLASSES), vocab)
    da -= da.mean(1, keepdims=True)  # only differences between classes matter
    dec = _nb(docs, [y for m in meetings for y in _labels(m, "pool")], 2, vocab)
    with_actions = [m for m in meetings if m.has_actions]
    act = _nb(
        [t for m in with_actions for t in m.tokens],
        [y for m in with_actions for y in _labels(m, "action")],
        2,
        vocab,
    )
    cols = np.hstack([da, dec[:, 1:] - dec[:, :1], act[:, 1:] - act[:, :1]]).round(3)
    return cues.Lexicon(
        tuple(float(v) for v in cols[0]),
        {t: tuple(float(v) for v in cols[k + 1]) for k, t in enumerate(vocab)},
    )


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> list[float]:
    """L2-regularised logistic regression by Newton's method; weights with the bias last."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 1e-6  # the bias is not shrunk
    for _ in range(25):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        g = xb.T @ (p - y) + reg * w
        h = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return [round(float(v), 4) for v in w]


def _floor(
    w: Sequence[float], meetings: Sequence[Meeting], rows: Sequence[list[list[float]]]
) -> float:
    """The window score (as ranked by the extractor) that FLOOR_QUANTILE of segments stay under."""
    scores: list[float] = []
    for m, r in zip(meetings, rows, strict=True):
        windows = [cues.neighbours(m.segments, i) for i in range(len(m.segments))]
        scores += rules._window_scores(m.segments, rules._logits(r, tuple(w)), windows)
    scores.sort()
    return round(scores[int(FLOOR_QUANTILE * (len(scores) - 1))], 4)


def fit(meetings: Sequence[Meeting]) -> tuple[rules.Weights, cues.Lexicon]:
    """Word model on all of ``meetings``; regressions on out-of-fold word-model features."""
    rows: list[list[list[float]]] = [[] for _ in meetings]
    for k in range(FOLDS):
        lex = fit_lexicon([m for i, m in enumerate(meetings) if i % FOLDS != k])
        for i, m in enumerate(meetings):
            if i % FOLDS == k:
                rows[i] = cues.model_features(m.segments, m.analysed, lex)
    x = np.array([r for rs in rows for r in rs])
    wd = fit_logistic(x, np.array([y for m in meetings for y in _labels(m, "decision")]))
    acts = [i for i, m in enumerate(meetings) if m.has_actions]
    xa = np.array([r for i in acts for r in rows[i]])
    wa = fit_logistic(xa, np.array([y for i in acts for y in _labels(meetings[i], "action")]))
    floors = (
        _floor(wd, meetings, rows),
        _floor(wa, [meetings[i] for i in acts], [rows[i] for i in acts]),
    )
    return (tuple(wd), floors[0], tuple(wa), floors[1]), fit_lexicon(meetings)


Fitted = tuple[rules.Weights | None, cues.Lexicon | None]


def evaluate(
    meetings: Sequence[Meeting], scorer: rules.Weights | None, lexicon: cues.Lexicon | None
) -> dict[str, dict[str, Any]]:
    """The extractor's scores per corpus and in total, with the median evidence size."""
    return _report([(m, (scorer, lexicon)) for m in meetings])


def cross_validated(meetings: Sequence[Meeting]) -> dict[str, dict[str, Any]]:
    """The training split scored out of fold: each fold by a word model and regressions fitted on
    the other folds only (the honest train column of docs/EXTRACTION.md)."""
    pairs: list[tuple[Meeting, Fitted]] = []
    for k in range(FOLDS):
        fitted = fit([m for i, m in enumerate(meetings) if i % FOLDS != k])
        pairs += [(m, fitted) for i, m in enumerate(meetings) if i % FOLDS == k]
    return _report(pairs)


def _report(pairs: Sequence[tuple[Meeting, Fitted]]) -> dict[str, dict[str, Any]]:
    rows: dict[str, list[dict[str, Any]]] = {"all": []}
    sizes: dict[str, list[int]] = {"all": []}
    for m, (scorer, lexicon) in pairs:
        items = rules.extract_rules(m.segments, scorer=scorer, lexicon=lexicon)
        items = resolve_within([it for it in items if it.evidence])
        row = score_meeting(m.name, items, m.gold_decisions, m.gold_actions)
        n_ev = [len(it.evidence) for it in items if it.kind in ("decision", "action_item")]
        for key in ("all", m.corpus):
            rows.setdefault(key, []).append(row)
            sizes.setdefault(key, []).extend(n_ev)
    out = {}
    for key, rs in rows.items():
        report = summarize(rs, [])
        report["median_evidence"] = statistics.median(sizes[key]) if sizes[key] else 0
        out[key] = report
    return out


def _line(label: str, report: dict[str, Any]) -> str:
    d, a = report["decisions"], report["actions"]
    return (
        f"{label:<22} decisions P {d['precision']:.2f} R {d['recall']:.2f} F1 {d['f1']:.2f}"
        f"   actions P {a['precision']:.2f} R {a['recall']:.2f} F1 {a['f1']:.2f}"
        f"   median evidence {report['median_evidence']:g}"
    )


def write(scorer: rules.Weights, lexicon: cues.Lexicon) -> None:
    d_w, d_floor, a_w, a_floor = scorer
    names = cues.FEATURE_NAMES

    def block(w: Sequence[float]) -> str:
        lines = [f"    {v!r},  # {n}" for v, n in zip(w, names, strict=False)]
        return "\n".join([*lines, f"    {w[-1]!r},  # bias"])

    WEIGHTS_PY.write_text(
        '"""Weights of the decision/action scorer, GENERATED by '
        "tools/fit_extraction_weights.py.\n\n"
        "Logistic regressions over ``cues.model_features`` (order: ``cues.FEATURE_NAMES``, bias\n"
        "last), fitted on the AMI/ICSI training meetings. Do not edit by hand: re-run the script.\n"
        '"""\n\n'
        f"DECISION_WEIGHTS: tuple[float, ...] = (\n{block(d_w)}\n)\n"
        f"DECISION_FLOOR = {d_floor!r}\n\n"
        f"ACTION_WEIGHTS: tuple[float, ...] = (\n{block(a_w)}\n)\n"
        f"ACTION_FLOOR = {a_floor!r}\n",
        encoding="utf-8",
    )
    word_model.LEXICON_FILE.write_text(lexicon.dump(), encoding="utf-8")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", default="/work/shared/data/meetings-train")
    p.add_argument("--dev", default="/work/shared/data/meetings")
    p.add_argument("--write", action="store_true", help="regenerate weights.py and lexicon.tsv")
    p.add_argument("--cv", action="store_true", help="also score the train split out of fold")
    args = p.parse_args()
    train = load(Path(args.train))
    dev = load(Path(args.dev))
    if not train:
        print(f"fit: no annotated meetings under {args.train}", file=sys.stderr)
        return 2
    scorer, lexicon = fit(train)
    if args.write:
        write(scorer, lexicon)
    for split, meetings in (("train", train), ("dev", dev)):
        for corpus, report in sorted(evaluate(meetings, scorer, lexicon).items()):
            print(_line(f"{split} {corpus}", report))
    if args.cv:
        for corpus, report in sorted(cross_validated(train).items()):
            print(_line(f"train-cv {corpus}", report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
