"""Video timestamps travel through chunking as tiny in-text markers, then become metadata.

Why markers: chunk boundaries are decided later by the node parsers, and a marker stays next
to the sentence it supports whatever the split. After splitting, `extract_timestamps` removes
the markers and records (offset, seconds) pairs for the chunk, so a quoted sentence can link to
the moment in the video where it was said.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r" ?\u27e6t=(\d+)\u27e7")


def to_seconds(stamp: str) -> int:
    seconds = 0
    for part in stamp.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def format_seconds(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def timestamp_marker(seconds: int) -> str:
    return f" \u27e6t={seconds}\u27e7"


def extract_timestamps(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove markers; return the clean text and [(offset in clean text, seconds)]."""
    out: list[str] = []
    stamps: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for match in _MARKER.finditer(text):
        out.append(text[pos:match.start()])
        length += match.start() - pos
        stamps.append((length, int(match.group(1))))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), stamps


def timestamp_for_span(stamps: list[tuple[int, int]], start: int, end: int) -> int | None:
    """The timestamp that supports text[start:end]: the first marker at or after the sentence
    start and no later than shortly after its end (markers follow the sentence they cite)."""
    for offset, seconds in stamps:
        if start <= offset <= end + 3:
            return seconds
    earlier = [s for o, s in stamps if o < start]
    return earlier[-1] if earlier else None


def youtube_link(video_id: str, seconds: int | None) -> str:
    base = f"https://www.youtube.com/watch?v={video_id}"
    return base if seconds is None else f"{base}&t={seconds}s"
