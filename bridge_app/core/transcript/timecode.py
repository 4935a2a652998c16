"""Timestamps as they appear in transcripts: `hh:mm:ss.mmm`, `mm:ss`, `h:m:s,ms`, ISO dates."""

from __future__ import annotations

import re
from datetime import datetime

# Hours are bounded to 3 digits and fractions to 9 so a hostile "timestamp" cannot become a
# giant integer; range checks (48 h etc.) happen later in normalize.
TIMESTAMP_PATTERN = r"(?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,9})?"
_TIMESTAMP_RE = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,9}))?")


def parse_clock(value: str) -> float | None:
    """Seconds for ``[h:]m:s[.fff]`` (``.`` or ``,`` before the fraction), or None if malformed.

    Minutes and seconds must be below 60, as every transcript format requires.
    """
    match = _TIMESTAMP_RE.fullmatch(value.strip())
    if match is None:
        return None
    hours_s, minutes_s, seconds_s, fraction_s = match.groups()
    minutes, seconds = int(minutes_s), int(seconds_s)
    if minutes >= 60 or seconds >= 60:
        return None
    total = int(hours_s or 0) * 3600 + minutes * 60 + seconds
    if fraction_s:
        total += int(fraction_s) / (10 ** len(fraction_s))
    return float(total)


def parse_iso_datetime(value: str) -> datetime | None:
    """An RFC 3339 / ISO 8601 date-time (as Google Meet's API returns), or None."""
    text = value.strip()
    if len(text) < 10 or len(text) > 40 or text[4:5] != "-":
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.11 accepts at most 6 fractional digits; APIs send up to 9.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def format_clock(seconds: float) -> str:
    """``hh:mm:ss.mmm`` for messages and generated samples."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
