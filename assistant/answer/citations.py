"""Citations: where a quoted sentence lives (page, section, video moment) and a check that the
quote really is in the stored passage."""

from __future__ import annotations

from assistant.locations import format_seconds, timestamp_for_span, youtube_link
from assistant.types import Citation, Passage


class QuoteNotInPassage(ValueError):
    pass


def locate(passage: Passage, start: int, end: int) -> tuple[str, str]:
    """(human-readable location, link) for passage.text[start:end]."""
    parts = []
    if passage.page:
        parts.append(f"p. {passage.page}")
    if passage.section:
        parts.append(passage.section)
    url = passage.url
    if passage.video_id:
        seconds = timestamp_for_span(passage.timestamps, start, end)
        if seconds is not None:
            parts.append(f"video {format_seconds(seconds)}")
        url = youtube_link(passage.video_id, seconds)
    elif passage.page and url:
        url = f"{url}#page={passage.page}"
    return " · ".join(parts), url


def make_citation(n: int, passage: Passage, quote: str, start: int | None = None) -> Citation:
    """Build citation [n]. Raises QuoteNotInPassage unless `quote` occurs verbatim."""
    found = passage.text.find(quote) if start is None else start
    if not quote or found < 0 or passage.text[found:found + len(quote)] != quote:
        raise QuoteNotInPassage(f"quote not found verbatim in {passage.chunk_id}: {quote[:60]!r}")
    location, url = locate(passage, found, found + len(quote))
    return Citation(
        n=n, doc_id=passage.doc_id, chunk_id=passage.chunk_id, title=passage.title,
        publisher=passage.publisher, type=passage.type, date=passage.date, location=location,
        url=url, quote=quote, passage=passage.text,
    )
