"""Audit events as people read them: who, what (by name), old → new, and why.

The chain itself (services/audit.py) stores what happened; this module only words it for the
audit page, and finds events by the name of their object.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bridge_app.models import AuditEvent, Meeting
from bridge_app.services import crypto

# Old and new values are contract text: the chain keeps them sealed under the meeting's data
# key (like every other piece of meeting text), and only the audit page opens them.
SEALED = "change_sealed"


def seal_change(key: bytes, old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The audit-detail entry holding old → new values, encrypted under the meeting's key."""
    blob = crypto.encrypt(key, json.dumps({"old": old, "new": new}).encode())
    return {SEALED: base64.b64encode(blob).decode()}


def key_opener(session: Session, organization_id: uuid.UUID) -> Callable[[str], bytes | None]:
    """meeting id → its data key (cached; None for an unknown or foreign meeting)."""
    cache: dict[str, bytes | None] = {}

    def open_key(meeting_id: str) -> bytes | None:
        if meeting_id not in cache:
            meeting = None
            try:
                meeting = session.get(Meeting, uuid.UUID(meeting_id))
            except ValueError:
                meeting = None
            ok = meeting and meeting.organization_id == organization_id and meeting.data_key_id
            cache[meeting_id] = (
                crypto.load_data_key(session, meeting.data_key_id)  # type: ignore[union-attr,arg-type]
                if ok
                else None
            )
        return cache[meeting_id]

    return open_key


def _unseal(
    detail: dict[str, Any], open_key: Callable[[str], bytes | None] | None
) -> dict[str, Any]:
    if SEALED not in detail or open_key is None:
        return detail
    key = open_key(str(detail.get("meeting_id") or ""))
    if key is None:
        return detail
    try:
        change = json.loads(crypto.decrypt(key, base64.b64decode(detail[SEALED])))
    except Exception:  # a damaged entry is shown without its values, never hides the row
        return detail
    return {**detail, "old": change.get("old"), "new": change.get("new")}


ACTION_WORDS: dict[str, str] = {
    "decision.accept": "accepted an item",
    "decision.reject": "rejected an item",
    "decision.edit": "edited an item",
    "term.set": "set a term",
    "draft.generate": "asked for a draft version",
    "draft.approve": "approved a draft",
    "draft.approval_outdated": "approval went out of date",
    "export.request": "asked for an export",
    "export.download": "was given a download link",
    "export.file_served": "downloaded a file",
    "meeting.upload": "uploaded a meeting",
    "meeting.retry": "retried a meeting",
    "transcript.correct": "corrected a transcript segment",
    "transcript.rename_speaker": "named a speaker",
    "transcript.merge_speakers": "merged two speakers",
    "auth.login": "signed in",
}


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value)
    return "" if value is None else str(value)


def _change(detail: dict[str, Any]) -> str:
    old, new = detail.get("old"), detail.get("new")
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(dict.fromkeys([*old, *new]))
        return "; ".join(
            f"{k}: {_words(old.get(k)) or '—'} → {_words(new.get(k)) or '—'}" for k in keys
        )
    if detail.get("from") and detail.get("to") and detail["from"] != detail["to"]:
        return f"{detail['from']} → {detail['to']}"
    return ""


_SHOWN = ("comment", "version", "format", "filename", "evidence", "acknowledged", "link_issued_to")


def describe(
    event: AuditEvent, open_key: Callable[[str], bytes | None] | None = None
) -> dict[str, str]:
    """One audit row in words (sealed old → new values opened with `open_key`)."""
    detail = _unseal(dict(event.detail or {}), open_key)
    name = str(detail.get("object_name") or "")
    if not name and event.object_type:
        name = f"{event.object_type} {str(event.object_id or '')[:8]}".strip()
    extra = "; ".join(
        f"{k.replace('_', ' ')}: {_words(detail[k])}"
        for k in _SHOWN
        if detail.get(k) not in (None, "", [])
    )
    return {
        "who": event.actor_email or str(detail.get("link_issued_to") or "") or "system",
        "what": ACTION_WORDS.get(event.action, event.action.replace(".", " ")),
        "object": name,
        "change": _change(detail),
        "reason": str(detail.get("reason") or ""),
        "extra": extra,
    }
