"""The business twins the extractor was fixed on stay above the level it reached on them:
tests/data/business-twins (tw, written in session 10), business-twins-3 (ty),
business-twins-4 (tz) and business-twins-5 (tv, held out first, then fixed on; all
written in session 11), twins of ../shared/data/business-meetings with
other companies, figures and wording. The floors sit a little under the measured numbers so
that a change which loses a whole term or party fails here. The held-out sets
(business-twins-2, business-twins-6) have no floors: they are read, not tuned on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge_app.evaluation.business import evaluate_business_dir

DATA = Path(__file__).resolve().parents[1] / "data"

# (folder, terms F1, price accuracy, parties F1, commitments F1, traps at most); measured at
# the end of session 11 (first score in the comment).
FLOORS = [
    ("business-twins", 0.94, 0.95, 0.80, 0.86, 2),  # 0.974 1.000 0.851 0.903 1 (0.624 ...)
    ("business-twins-3", 0.95, 0.95, 0.95, 0.85, 1),  # 0.991 1.000 1.000 0.901 0 (0.757 ...)
    ("business-twins-4", 0.88, 0.95, 0.50, 0.83, 2),  # 0.923 1.000 0.545 0.874 1 (0.686 ...)
    ("business-twins-5", 0.90, 0.95, 0.57, 0.82, 1),  # 0.946 1.000 0.622 0.864 0 (0.792 ...)
]


@pytest.mark.parametrize(("folder", "terms", "price", "parties", "actions", "traps"), FLOORS)
def test_the_twins_keep_their_terms_parties_and_commitments(
    folder: str, terms: float, price: float, parties: float, actions: float, traps: int
) -> None:
    report = evaluate_business_dir(DATA / folder)
    assert report is not None and report["meetings"] == 12
    assert report["terms"]["f1"] >= terms
    assert report["price_accuracy"] >= price
    assert report["parties"]["f1"] >= parties
    assert report["actions"]["f1"] >= actions
    assert report["terms"]["traps"] <= traps  # values said but never agreed
