"""Word-level redlines between texts and between draft versions."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge_app.core.drafting import make_draft, redline, redline_drafts, redline_html
from bridge_app.core.drafting.redline import redline_stats, tokenize

from .factory import sow_items


def old_side(ops):
    return "".join(o.text for o in ops if o.op != "insert")


def new_side(ops):
    return "".join(o.text for o in ops if o.op != "delete")


def test_one_changed_word_is_one_deletion_and_one_insertion():
    ops = redline(
        "The Client shall pay USD 48,000.00 net 30.", "The Client shall pay USD 50,000.00 net 30."
    )
    assert [(o.op, o.text) for o in ops] == [
        ("equal", "The Client shall pay USD "),
        ("delete", "48,000.00"),
        ("insert", "50,000.00"),
        ("equal", " net 30."),
    ]


def test_insertions_and_deletions_alone():
    assert [(o.op, o.text) for o in redline("a b c", "a b x c")] == [
        ("equal", "a b "),
        ("insert", "x "),
        ("equal", "c"),
    ]
    assert [(o.op, o.text) for o in redline("a b x c", "a b c")] == [
        ("equal", "a b "),
        ("delete", "x "),
        ("equal", "c"),
    ]
    assert [(o.op, o.text) for o in redline("keep a b c keep", "keep x y z keep")] == [
        ("equal", "keep "),
        ("delete", "a b c"),
        ("insert", "x y z"),
        ("equal", " keep"),
    ]
    assert redline("", "") == []
    assert [(o.op, o.text) for o in redline("", "new text")] == [("insert", "new text")]


def test_tokenize_keeps_every_character():
    text = "  Two  spaces,\nnew line\n\n(a) item; "
    assert "".join(tokenize(text)) == text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_both_sides_are_recovered_exactly(a, b):
    ops = redline(a, b)
    assert old_side(ops) == a
    assert new_side(ops) == b
    assert all(x.op != y.op for x, y in itertools.pairwise(ops))


def test_html_marks_insertions_and_deletions_and_escapes():
    ops = redline("pay <b>48</b> now", "pay <b>50</b> now\nthanks")
    out = redline_html(ops)
    assert out == (
        "pay <del>&lt;b&gt;48&lt;/b&gt;</del><ins>&lt;b&gt;50&lt;/b&gt;</ins> now"
        "<ins><br>\nthanks</ins>"
    )


def test_redline_between_two_draft_versions():
    meeting = date(2026, 2, 10)
    v1 = make_draft(sow_items(), contract_type="sow", meeting_title="m", meeting_date=meeting)
    v2 = v1.with_clause_text("fees", v1.clause("fees").text.replace("48,000.00", "50,000.00"))
    ops = redline_drafts(v1, v2)
    assert old_side(ops) == v1.body_text() and new_side(ops) == v2.body_text()
    assert [o.text for o in ops if o.op == "delete"] == ["48,000.00"]
    assert [o.text for o in ops if o.op == "insert"] == ["50,000.00"]
    stats = redline_stats(ops)
    assert stats["inserted"] == 1 and stats["deleted"] == 1 and stats["unchanged"] > 300
    assert redline_drafts(v1, v1) == [type(ops[0])("equal", v1.body_text())]
