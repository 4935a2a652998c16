"""Limits that keep parsing bounded in time and memory, in one place so tests can cite them."""

from __future__ import annotations

#: Default upload limit (the issue's 25 MB); callers pass their own ``max_bytes``.
DEFAULT_MAX_BYTES = 25 * 1024 * 1024

#: No transcript format has a legitimate line this long; a 10 MB line is a broken or hostile file.
MAX_LINE_CHARS = 100_000

#: One utterance longer than this is not speech (a whole document pasted into one cue).
MAX_SEGMENT_CHARS = 100_000

#: Cue identifiers are stored and cited as provenance; nothing real is this long.
MAX_CUE_ID_CHARS = 500

#: A meeting longer than two days is a unit mix-up (milliseconds read as seconds) or garbage.
MAX_TIMESTAMP_SECONDS = 48 * 3600.0

#: One cue spanning more than six hours is not a real utterance.
MAX_CUE_SECONDS = 6 * 3600.0

#: DOCX guard: total uncompressed size of all parts, and the largest compression ratio accepted
#: for a part bigger than ``DOCX_RATIO_MIN_BYTES`` (deflated XML rarely compresses beyond ~30x).
DOCX_MAX_UNCOMPRESSED = 64 * 1024 * 1024
DOCX_MAX_RATIO = 200.0
#: The expanded main part (word/document.xml) read at most: a ten-hour Teams transcript is a
#: few MB of XML; 0.4 MB deflating to 60 MB of empty paragraphs is an attack on memory.
DOCX_MAX_PART_BYTES = 16 * 1024 * 1024

#: Lines of decoded text (or DOCX paragraphs) and segments one transcript may have. A ten-hour
#: meeting is ~20k utterances and ~80k VTT lines; millions of one-character lines cost
#: gigabytes of memory in the parser.
MAX_LINES = 200_000
MAX_SEGMENTS = 50_000
DOCX_RATIO_MIN_BYTES = 1024 * 1024
DOCX_MAX_ENTRIES = 5_000
