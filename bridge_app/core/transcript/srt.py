"""SubRip (.srt): numbered cues, ``hh:mm:ss,mmm`` timings, ``<i>``/``<font>``/``{\\an8}`` markup
and ``Name: text`` (or ``>> Name: text``) speaker prefixes inside cues."""

from __future__ import annotations

from .blocks import iter_blocks, join_untimed_block, strip_markup, timed_payload
from .model import TranscriptError
from .normalize import RawCue, apply_speaker_prefixes


def parse_srt(text: str, warnings: list[str]) -> list[RawCue]:
    """Parse SubRip text into raw cues; the cue number becomes the external id."""
    lines = text.split("\n")
    blocks = list(iter_blocks(lines))
    cues: list[RawCue] = []
    stray = 0
    unnumbered = 0
    for number, (line_no, block) in enumerate(blocks):
        head = block[0].strip()
        if "-->" in block[0]:
            cue_id, timing_index = None, 0
            unnumbered += 1
        elif len(block) > 1 and "-->" in block[1]:
            cue_id, timing_index = head, 1
            if not head.isdigit():
                raise TranscriptError(
                    "bad_cue",
                    f"a SubRip cue must start with its number, found {head[:40]!r}",
                    line=line_no,
                )
        else:
            if len(block) == 1 and head.isdigit() and number == len(blocks) - 1:
                raise TranscriptError(
                    "truncated",
                    "the file ends right after a cue number; it looks cut off",
                    line=line_no,
                )
            # Blank lines inside cue text are common in hand-edited SRT: keep the words.
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
        body = " ".join(strip_markup(x) for x in payload)
        cues.append(RawCue(timing_line, "", start, end, body, cue_id))
    if stray:
        warnings.append(f"{stray} text block(s) without timing were joined to the cue before")
    if unnumbered:
        warnings.append(f"{unnumbered} SubRip cue(s) had no cue number")
    if not cues:
        raise TranscriptError("no_cues", "the SubRip file contains no cues")
    apply_speaker_prefixes(cues)
    return cues
