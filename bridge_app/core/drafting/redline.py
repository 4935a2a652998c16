"""Word-level redline between two texts (or two draft versions), built on :mod:`difflib`."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any, Literal

from bridge_app.core.drafting.model import Draft

OpKind = Literal["equal", "insert", "delete"]

# Words and the whitespace between them are separate tokens: joining the tokens gives back the
# text exactly, and a changed word does not drag the line break after it into the change.
_TOKEN_RE = re.compile(r"\S+|\s+")


@dataclass(frozen=True, slots=True)
class RedlineOp:
    """One run of the redline: unchanged, inserted or deleted text."""

    op: OpKind
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"op": self.op, "text": self.text}


def tokenize(text: str) -> list[str]:
    """Words and whitespace runs; ``"".join(tokenize(t)) == t``."""
    return _TOKEN_RE.findall(text)


def redline(old_text: str, new_text: str) -> list[RedlineOp]:
    """The word-level changes that turn ``old_text`` into ``new_text``.

    Joining the ``equal`` and ``delete`` runs gives the old text exactly, the ``equal`` and
    ``insert`` runs the new one. A replaced run is a deletion followed by an insertion.
    """
    old, new = tokenize(old_text), tokenize(new_text)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    # Runs: ["equal", text] or ["change", old, new].
    runs: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(["equal", "".join(new[j1:j2])])
        else:
            runs.append(["change", "".join(old[i1:i2]), "".join(new[j1:j2])])
    # A lone space kept between two changes reads as noise ("<del>a</del> <del>b</del>"):
    # fold it into one change, as a person marking up the text would.
    merged: list[list[str]] = []
    for run in runs:
        if (
            run[0] == "change"
            and len(merged) >= 2
            and merged[-1][0] == "equal"
            and not merged[-1][1].strip()
            and merged[-2][0] == "change"
        ):
            space = merged.pop()[1]
            prev = merged[-1]
            prev[1] += space + run[1]
            prev[2] += space + run[2]
        elif run[0] == "change" and merged and merged[-1][0] == "change":
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        else:
            merged.append(run)
    ops: list[RedlineOp] = []
    for run in merged:
        if run[0] == "equal":
            ops.append(RedlineOp("equal", run[1]))
            continue
        if run[1]:
            ops.append(RedlineOp("delete", run[1]))
        if run[2]:
            ops.append(RedlineOp("insert", run[2]))
    return ops


def redline_drafts(old: Draft, new: Draft) -> list[RedlineOp]:
    """The redline between two versions' full texts."""
    return redline(old.body_text(), new.body_text())


def redline_html(ops: list[RedlineOp]) -> str:
    """An HTML fragment: insertions in ``<ins>``, deletions in ``<del>``, line breaks kept."""
    parts = []
    for op in ops:
        text = html.escape(op.text).replace("\n", "<br>\n")
        if op.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif op.op == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return "".join(parts)


def redline_stats(ops: list[RedlineOp]) -> dict[str, int]:
    """Words inserted, deleted and unchanged."""
    counts = {"equal": 0, "insert": 0, "delete": 0}
    for op in ops:
        counts[op.op] += len(op.text.split())
    return {"unchanged": counts["equal"], "inserted": counts["insert"], "deleted": counts["delete"]}
