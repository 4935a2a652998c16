"""Fit the two sentence models of ``core/extraction/sentences.py`` and report them.

    python tools/fit_sentence_models.py [--train DIR] [--dev DIR] [--write]

The break model says where a new sentence starts in text written without full stops; the
question model whether a sentence written without a closing mark asks. Supervision for both:
the transcribers' own punctuation in the AMI/ICSI meetings. Breaks:
the AMI/ICSI meetings (CC BY 4.0, /work/shared/data/SOURCES.md). Each speaker's consecutive
utterances are read as one stream of words; a gap is a break when the word before it ends with
. ! ? (gaps at an utterance end without one are left out: a pause is not always a sentence
end). A logistic regression over the features of ``sentences.gap_features`` (word classes of
``sentences.word_class``, so the punctuation the model learns from is not visible to it, plus
whether the next word is capitalised), features seen in at least MIN_COUNT training gaps. The
threshold is the one with the best F-0.5 on the ``--dev`` meetings (a false break splits an
offer from its condition, so precision counts double); the report prints precision and recall
of the breaks on both splits.

Questions: every sentence of two words or more that the transcriber closed with . ! ? is an
example, a question when it ends with "?"; a logistic regression over
``sentences.question_features`` (first and last words, length, every word class; the mark
itself is not visible), threshold again by F-0.5 on ``--dev``. Needs numpy
(requirements-dev.txt); the product reads the two tables (``--write`` regenerates them).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridge_app.core.extraction import sentences  # noqa: E402

MIN_COUNT = 10
L2 = 1e-6
RATE = 0.5
EPOCHS = 4
BATCH = 512

Gap = tuple[tuple[str, ...], bool]


def speaker_runs(path: Path) -> Iterator[list[str]]:
    """The raw words of each run of consecutive utterances by one speaker, with a break marker
    ("\\n") before every utterance but the first."""
    data = json.loads(path.read_text(encoding="utf-8"))
    utts = sorted(data.get("utterances", []), key=lambda u: (u["start"], u["end"]))
    run: list[str] = []
    last = None
    for u in utts:
        words = u["text"].split()
        if not words:
            continue
        if u["speaker"] != last and run:
            yield run
            run = []
        if run:
            run.append("\n")
        run += words
        last = u["speaker"]
    if run:
        yield run


def gaps(root: Path, *, cased: bool = True) -> list[Gap]:
    """Every gap between two words of a speaker run: its features and whether it is a break.

    ``cased=False`` reads the words as if typed all in lower case (the product then leaves the
    capital features out); the report measures the model on such text too. Fitting on a mix of
    both was tried: dev as written fell from P 0.957 R 0.860 to 0.956 / 0.826 and lower-case
    text rose only to P 0.78 R 0.16 (word features alone: at best P 0.60 R 0.43), so the
    model is fitted on the text as written and lower-case text is rarely split."""
    out: list[Gap] = []
    runs = (run for path in sorted(root.rglob("*.json")) for run in speaker_runs(path))
    for run in runs:
        words: list[str] = []
        unmarked: set[int] = set()  # gaps at an utterance end without a full stop
        for w in run:
            if w == "\n":
                if words and words[-1][-1] not in ".!?":
                    unmarked.add(len(words))
                continue
            words.append(w)
        classes = [sentences.word_class(w) for w in words] + [""]
        for k in range(1, len(words)):
            if k in unmarked:
                continue  # a new utterance without a full stop: a pause, maybe a sentence
            cap = sentences.capital(words[k]) if cased else None
            feats = sentences.gap_features(classes[k - 1], classes[k], classes[k + 1], cap)
            out.append((feats, words[k - 1][-1] in ".!?"))
    return out


def questions(root: Path) -> list[Gap]:
    """Every closed sentence of two words or more: its question features and whether it
    ends with "?"."""
    out: list[Gap] = []
    for path in sorted(root.rglob("*.json")):
        for u in json.loads(path.read_text(encoding="utf-8")).get("utterances", []):
            for _, sentence in sentences.sentences(u["text"]):
                words = sentence.split()
                if len(words) >= 2 and words[-1][-1] in ".!?":
                    out.append((sentences.question_features(words), words[-1][-1] == "?"))
    return out


def fit(train: Sequence[Gap]) -> sentences.LogOddsModel:
    """Logistic regression over the gap features (AdaGrad, L2, fixed shuffling seed so the
    table is the same on every run); threshold left at 0 (``choose_threshold`` sets it)."""
    seen = Counter(f for feats, _ in train for f in feats)
    vocab = {f: k for k, f in enumerate(sorted(f for f, c in seen.items() if c >= MIN_COUNT))}
    pad = len(vocab)  # index of "no feature": its weight stays 0
    width = max(len(feats) for feats, _ in train)
    x = np.full((len(train), width), pad, dtype=np.int64)
    for row, (feats, _) in enumerate(train):
        ids = [vocab[f] for f in feats if f in vocab]
        x[row, : len(ids)] = ids
    y = np.array([1.0 if b else 0.0 for _, b in train])
    w = np.zeros(pad + 1)
    bias = 0.0
    g2 = np.full(pad + 1, 1e-8)
    g2_bias = 1e-8
    rng = np.random.default_rng(0)
    for _ in range(EPOCHS):
        order = rng.permutation(len(y))
        for lo in range(0, len(order), BATCH):
            rows = order[lo : lo + BATCH]
            xb = x[rows]
            err = 1 / (1 + np.exp(-(w[xb].sum(1) + bias))) - y[rows]
            grad = np.zeros(pad + 1)
            np.add.at(grad, xb.ravel(), np.repeat(err, width))
            grad += L2 * len(rows) * w
            grad[pad] = 0.0
            g2 += grad**2
            w -= RATE * grad / np.sqrt(g2)
            g_bias = float(err.sum())
            g2_bias += g_bias**2
            bias -= RATE * g_bias / math.sqrt(g2_bias)
    weights = {f: round(float(w[k]), 3) for f, k in vocab.items() if abs(w[k]) >= 0.01}
    return sentences.LogOddsModel(round(bias, 4), 0.0, weights)


def prf(model: sentences.LogOddsModel, data: Sequence[Gap], threshold: float) -> tuple[float, ...]:
    tp = fp = fn = 0
    for feats, y in data:
        hit = model.score(feats) >= threshold
        tp += hit and y
        fp += hit and not y
        fn += y and not hit
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f05, 3)


def choose_threshold(model: sentences.LogOddsModel, dev: Sequence[Gap]) -> float:
    grid = [t / 4 for t in range(-8, 17)]
    return max(grid, key=lambda t: prf(model, dev, t)[2])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", default="/work/shared/data/meetings-train")
    p.add_argument("--dev", default="/work/shared/data/meetings")
    p.add_argument("--write", action="store_true", help="regenerate the two .tsv tables")
    args = p.parse_args()
    train, dev = gaps(Path(args.train)), gaps(Path(args.dev))
    if not train or not dev:
        print(f"fit: no meetings under {args.train} or {args.dev}", file=sys.stderr)
        return 2
    raw = fit(train)
    threshold = choose_threshold(raw, dev)
    model = sentences.LogOddsModel(raw.prior, threshold, raw.weights)
    splits = (
        ("train", train),
        ("dev", dev),
        ("dev in lower case", gaps(Path(args.dev), cased=False)),
    )
    for split, data in splits:
        bp, br, bf = prf(model, data, threshold)
        breaks = sum(1 for _, y in data if y)
        print(f"breaks, {split}: {len(data)} gaps, {breaks} breaks; P {bp} R {br} F0.5 {bf}")
    print(f"breaks: threshold {threshold}, {len(model.weights)} features")
    q_train, q_dev = questions(Path(args.train)), questions(Path(args.dev))
    q_raw = fit(q_train)
    q_threshold = choose_threshold(q_raw, q_dev)
    q_model = sentences.LogOddsModel(q_raw.prior, q_threshold, q_raw.weights)
    for split, data in (("train", q_train), ("dev", q_dev)):
        qp, qr, qf = prf(q_model, data, q_threshold)
        asked = sum(1 for _, y in data if y)
        print(f"questions, {split}: {len(data)} sentences, {asked} asked; P {qp} R {qr} F0.5 {qf}")
    print(f"questions: threshold {q_threshold}, {len(q_model.weights)} features")
    if args.write:
        sentences.BREAKS_FILE.write_text(model.dump(), encoding="utf-8")
        sentences.QUESTIONS_FILE.write_text(q_model.dump(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
