"""Word-level redline between two texts (or two draft versions), built on :mod:`difflib`."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any, Literal

from bridge_app.core.drafting.model import Draft

OpKind = Literal["equal", "insert", "delete"]

# A token is a word with the whitespace that follows it (or a run of leading whitespace), so
# joining the tokens gives back the text exactly and a change of one word is one token.
_TOKEN_RE = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True, slots=True)
class RedlineOp:
    """One run of the redline: unchanged, inserted or deleted text."""

    op: OpKind
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"op": self.op, "text": self.text}


def tokenize(text: str) -> list[str]:
    """Words with their trailing whitespace; ``"".join(tokenize(t)) == t``."""
    return _TOKEN_RE.findall(text)


def redline(old_text: str, new_text: str) -> list[RedlineOp]:
    """The word-level changes that turn ``old_text`` into ``new_text``.

    Joining the ``equal`` and ``delete`` runs gives the old text, the ``equal`` and ``insert``
    runs the new one. A replaced run is a deletion followed by an insertion.
    """
    old, new = tokenize(old_text), tokenize(new_text)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    ops: list[RedlineOp] = []

    def push(kind: OpKind, text: str) -> None:
        if not text:
            return
        if ops and ops[-1].op == kind:
            ops[-1] = RedlineOp(kind, ops[-1].text + text)
        else:
            ops.append(RedlineOp(kind, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", "".join(new[j1:j2]))
        else:
            push("delete", "".join(old[i1:i2]))
            push("insert", "".join(new[j1:j2]))
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
