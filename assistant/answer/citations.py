"""Citations: where a quoted sentence lives (page, section, video moment) and a check that the
quote really is in the stored passage."""

from __future__ import annotations

from assistant.locations import format_seconds, timestamp_for_span, youtube_link
from assistant.types import Citation, Passage, QuoteSpan


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
        spans=[QuoteSpan(chunk_id=passage.chunk_id, start=found, end=found + len(quote),
                         text=quote)],
        passages={passage.chunk_id: passage.text},
    )


def make_unit_citation(n: int, pieces) -> Citation:
    """Citation [n] for an answer unit: one or more verbatim spans (`Piece`s: passage, start,
    end) of one document, e.g. a lead-in and its list items, possibly over two chunks. Raises
    QuoteNotInPassage unless every span is non-empty text of its stored passage."""
    if not pieces:
        raise QuoteNotInPassage("a unit with nothing to quote")
    first = pieces[0].passage
    spans: list[QuoteSpan] = []
    for piece in pieces:
        text = piece.passage.text[piece.start:piece.end]
        if not text.strip() or piece.passage.doc_id != first.doc_id:
            raise QuoteNotInPassage(f"bad span in {piece.passage.chunk_id}")
        spans.append(QuoteSpan(chunk_id=piece.passage.chunk_id, start=piece.start,
                               end=piece.end, text=text))
    location, url = locate(first, pieces[0].start, pieces[0].end)
    return Citation(
        n=n, doc_id=first.doc_id, chunk_id=first.chunk_id, title=first.title,
        publisher=first.publisher, type=first.type, date=first.date, location=location, url=url,
        quote="\n".join(s.text for s in spans), passage=first.text, spans=spans,
        passages={p.passage.chunk_id: p.passage.text for p in pieces},
    )
