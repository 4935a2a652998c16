"""WebVTT: voice tags, cue identifiers, styling, NOTE/STYLE/REGION blocks, and the variants
exported by Zoom (``Name: text`` cues with numeric ids), Microsoft Teams (``<v Name>`` with
GUID-like ids; the Graph API's metadata variant carries JSON ``speakerName``/``spokenText``
payloads) and Google Meet (caption files with or without ``Name:`` prefixes).

A small parser of our own rather than webvtt-py: we need line numbers in every error, a clear
"truncated" diagnosis, and tolerance for real exports (missing header, blank lines inside
cues) that the strict library either rejects without a location or silently drops.
"""

from __future__ import annotations

import json

from .blocks import first_voice, iter_blocks, join_untimed_block, strip_markup, timed_payload
from .model import TranscriptError
from .normalize import RawCue, apply_speaker_prefixes


def _is_keyword_block(first_line: str, keyword: str) -> bool:
    return first_line == keyword or first_line.startswith((keyword + " ", keyword + "\t"))


def parse_vtt(text: str, warnings: list[str]) -> list[RawCue]:
    """Parse WebVTT text into raw cues (in file order)."""
    lines = text.split("\n")
    begin = 0
    first = lines[0].strip() if lines else ""
    if _is_keyword_block(first, "WEBVTT"):
        # The header runs until the first blank line (it may carry Kind:/Language: lines).
        begin = 1
        while begin < len(lines) and lines[begin].strip():
            if "-->" in lines[begin]:
                break  # a cue glued to the header without a blank line: be forgiving
            begin += 1
    else:
        warnings.append("the file has no WEBVTT header; read as WebVTT anyway")

    blocks = list(iter_blocks(lines, begin))
    cues: list[RawCue] = []
    stray = 0
    for number, (line_no, block) in enumerate(blocks):
        head = block[0].strip()
        if _is_keyword_block(head, "NOTE"):
            continue
        if not cues and (_is_keyword_block(head, "STYLE") or _is_keyword_block(head, "REGION")):
            continue
        if "-->" in block[0]:
            cue_id, timing_index = None, 0
        elif len(block) > 1 and "-->" in block[1]:
            cue_id, timing_index = head, 1
        else:
            # Text with no timing: most often a blank line inside a cue's text.
            stray += 1
            join_untimed_block(block, cues, line_no=line_no, last_block=number == len(blocks) - 1)
            continue
        timing_line, start, end, payload = timed_payload(
            block,
            timing_index,
            line_no,
            last_block=number == len(blocks) - 1,
            ends_in_newline=text.endswith("\n"),
        )
        cues.append(_cue_from_payload(payload, start, end, cue_id, timing_line))
    if stray:
        warnings.append(f"{stray} text block(s) without timing were joined to the cue before")
    if not cues:
        raise TranscriptError("no_cues", "the WebVTT file contains no cues")
    apply_speaker_prefixes(cues)
    return cues


def _cue_from_payload(
    payload: list[str], start: float, end: float, cue_id: str | None, line: int
) -> RawCue:
    joined = "\n".join(payload)
    stripped = joined.strip()
    if stripped.startswith("{") and "spokenText" in stripped:
        teams = _teams_metadata(stripped)
        if teams is not None:
            return RawCue(line, teams[0], start, end, teams[1], cue_id)
    speaker = first_voice(joined) or ""
    text = " ".join(strip_markup(x) for x in payload)
    return RawCue(line, speaker, start, end, text, cue_id)


def _teams_metadata(payload: str) -> tuple[str, str] | None:
    """Speaker and text of a Teams metadata cue (``{"speakerName": .., "spokenText": ..}``)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    speaker, spoken = data.get("speakerName"), data.get("spokenText")
    if not isinstance(spoken, str):
        return None
    return (speaker if isinstance(speaker, str) else ""), spoken
