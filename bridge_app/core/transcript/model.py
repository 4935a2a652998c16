"""Normalized transcript data shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """One utterance or cue: who said what, when (seconds from the meeting start)."""

    index: int
    speaker: str
    start: float
    end: float
    text: str
    external_id: str | None = None

    @property
    def segment_id(self) -> str:
        """The source's own cue id where it has one, else a stable positional id."""
        return self.external_id or f"s{self.index + 1}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.segment_id,
            "index": self.index,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "external_id": self.external_id,
        }


@dataclass(frozen=True, slots=True)
class Redaction:
    """One piece of PII removed before storage (the removed text itself is never kept)."""

    segment_id: str
    kind: str
    start_char: int
    end_char: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment_id": self.segment_id,
            "kind": self.kind,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "replacement": self.replacement,
        }


@dataclass(frozen=True, slots=True)
class Transcript:
    """The result of parsing one uploaded file."""

    format: str
    segments: tuple[Segment, ...]
    participants: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "segments": [s.to_dict() for s in self.segments],
            "participants": list(self.participants),
            "warnings": list(self.warnings),
            "redactions": [r.to_dict() for r in self.redactions],
        }


class TranscriptError(ValueError):
    """Bad input: a stable code, a message a person understands, and where it happened."""

    def __init__(self, code: str, message: str, *, line: int | None = None, cue: str | None = None):
        self.code = code
        self.message = message
        self.line = line
        self.cue = cue
        where = f" (line {line})" if line is not None else (f" (cue {cue})" if cue else "")
        super().__init__(f"{code}: {message}{where}")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line, "cue": self.cue}
