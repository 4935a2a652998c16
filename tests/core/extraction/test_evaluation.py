import json
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_app.commands.eval import detect_format
from bridge_app.core.evaluation import (
    final_agreed_price,
    format_table,
    score_kind,
    score_meeting,
    summarize,
)
from bridge_app.core.extraction.model import Evidence, Item

SHARED = Path("/work/shared/data")


def _item(kind, ids, **kw):
    ev = [Evidence(i, 0.0, 1.0, "q") for i in ids]
    return Item(id=f"{kind}-{ids[0]}", kind=kind, statement="s", confidence=0.5, evidence=ev, **kw)


def test_overlap_scoring():
    items = [_item("decision", ["u1", "u2"]), _item("decision", ["u9"]), _item("decision", ["a1"])]
    c = score_kind(items, frozenset({"decision"}), [{"u2", "u3"}, {"u7"}, set()], [{"a1"}])
    assert (c.extracted, c.correct, c.gold, c.found) == (3, 2, 2, 1)
    assert c.prf() == {"precision": 0.6667, "recall": 0.5, "f1": 0.5714}


def test_final_price_ignores_superseded_terms():
    a = _item("agreed_term", ["1"], values={"price": {"amount": 40.0, "currency": "USD"}})
    b = _item("agreed_term", ["2"], values={"price": {"amount": 45.0, "currency": "USD"}})
    b.evidence = [Evidence("2", 5.0, 6.0, "q")]
    assert final_agreed_price([a, b]) == 45.0
    b.superseded_by = "x"
    assert final_agreed_price([a, b]) == 40.0
    assert summarize([], [{"correct": True}, {"correct": False}])["agreed_price"] == {
        "accuracy": 0.5,
        "n": 2,
        "median_evidence": 0.0,
    }


def test_median_evidence_and_totals_per_corpus():
    one = score_meeting(
        "m1",
        [_item("decision", ["u1", "u2", "u3"]), _item("action_item", ["u5"])],
        [{"u2"}],
        [{"u5"}],
        "ami",
    )
    two = score_meeting("m2", [_item("decision", ["x1", "x2"])], [{"x9"}], [], "icsi")
    assert one["evidence_sizes"] == [3, 1] and one["median_evidence"] == 2.0
    report = summarize([one, two], [])
    assert report["median_evidence"] == 2.0
    assert report["by_corpus"]["ami"]["decisions"]["recall"] == 1.0
    assert report["by_corpus"]["icsi"]["decisions"]["recall"] == 0.0
    assert report["by_corpus"]["icsi"]["n"] == 1
    assert "by_corpus" not in summarize([one], [])
    table = format_table(report)
    assert "TOTAL ami" in table and "TOTAL icsi" in table


def test_format_detection():
    assert detect_format({"annotations": {"decisions": []}}) == "meeting"
    assert detect_format({"agreement": {"price": 120}}) == "negotiation"
    assert detect_format({"agreement": {"price": None}}) is None
    assert detect_format(["not", "a", "dict"]) is None


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "bridge_app", *args], capture_output=True, text=True, timeout=120
    )


def test_eval_cli_bad_dir_exits_2():
    r = _cli("eval", "/nonexistent/dir", "--json")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_extract_cli_bad_file_exits_2(tmp_path):
    r = _cli("extract", str(tmp_path / "missing.vtt"), "--json")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_extract_cli_json_shape(tmp_path):
    vtt = tmp_path / "deal.vtt"
    vtt.write_text(
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:05.000\n<v Buyer>Would you take $13 for it?\n\n"
        "2\n00:00:05.000 --> 00:00:10.000\n<v Seller>Deal, $13 it is.\n"
    )
    r = _cli("extract", str(vtt), "--meeting-date", "2026-03-04", "--json")
    assert r.returncode == 0, r.stderr
    [term] = [i for i in json.loads(r.stdout)["items"] if i["kind"] == "agreed_term"]
    assert term["values"]["price"] == {"amount": 13.0, "currency": "USD"}
    # Every value said for the term, with its negotiation state.
    assert [v["state"] for v in term["values"]["negotiation"]] == ["accepted"]
    assert term["evidence"][0]["segment_id"] in {"1", "2"}
    assert set(term) >= {"id", "statement", "owner", "due", "confidence", "supersedes"}


@pytest.mark.skipif(not (SHARED / "meetings").is_dir(), reason="shared meetings absent")
def test_eval_on_shared_meetings_reports_scores():
    r = _cli("eval", str(SHARED / "meetings"), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert len(report["meetings"]) >= 10
    assert report["decisions"]["recall"] > 0.2 and report["actions"]["f1"] > 0.2
    assert set(report["by_corpus"]) == {"ami", "icsi"}
    assert 1 <= report["median_evidence"] <= 3


@pytest.mark.skipif(not (SHARED / "negotiations").is_dir(), reason="shared negotiations absent")
def test_eval_on_negotiations_reports_price_accuracy():
    r = _cli("eval", str(SHARED / "negotiations"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["agreed_price"]["accuracy"] >= 0.85
