"""How an answer looks: status, the streamed answer text, who answered, filters, note, and the
sources panel with each quote highlighted inside its passage. All document text goes through
ui.safe, so it is shown as text."""

from __future__ import annotations

import time
from collections.abc import Iterator

import streamlit as st

from assistant import messages
from assistant.answer.layout import answer_lines, markdown_lines
from assistant.types import Answer, AnswerStatus, Citation, Passage, one_per_document
from ui.filters import describe, type_label
from ui.safe import highlight_spans, link, md, md_inline, safe_url

STATUS_COLOURS = {"answered": "green", "partial": "orange", "not_found": "gray"}
NEAREST_SHOWN = 5


def status_badge(answer: Answer) -> None:
    label = messages.STATUS_LABELS.get(answer.status.value, answer.status.value)
    st.badge(label, color=STATUS_COLOURS.get(answer.status.value, "gray"))


def answer_markdown(answer: Answer) -> list[str]:
    """The answer as Markdown lines: real lists for list units, supporting points as bullets
    under their source, every document text escaped (ui.safe) so it shows as text. An answer
    without structure (an LLM's prose) is its escaped text."""
    lines = answer_lines(answer)
    if not lines:
        return [md(answer.answer)]
    prefix = [md_inline(messages.PARTIAL_PREFIX), ""] \
        if answer.status is AnswerStatus.partial and not answer.note else []
    return prefix + markdown_lines(lines, md_inline, cite=" \\[{n}\\]")


def stream_text(answer: Answer, delay: float) -> Iterator[str]:
    """The answer's Markdown, line by line for st.write_stream, so it reads progressively."""
    for line in answer_markdown(answer):
        yield line + "\n"
        if delay:
            time.sleep(delay)


def answer_text(answer: Answer) -> None:
    st.markdown("\n".join(answer_markdown(answer)))


def meta_line(answer: Answer, query: str = "") -> None:
    """Who answered, the filters used, and the rewritten query of a follow-up."""
    bits = [messages.UI_ANSWERED_BY.format(mode=answer.mode)]
    if answer.filters:
        bits.append(messages.UI_FILTERS_APPLIED.format(filters=describe(answer.filters)))
    st.caption(md_inline(" · ".join(bits)))
    if query and query.strip() != answer.question.strip():
        st.caption(md_inline(messages.UI_SEARCHED_FOR.format(query=query)))
    if answer.note:
        st.info(md_inline(answer.note))


def _source_line(publisher: str, type_: str, date: str) -> str:
    return " · ".join(md_inline(x) for x in (publisher, type_label(type_), date) if x)


def citation_card(c: Citation) -> None:
    with st.container(border=True):
        st.markdown(f"**\\[{c.n}\\]** **{link(c.title or c.doc_id, c.url)}**")
        st.caption(_source_line(c.publisher, c.type, c.date))
        if c.location:
            where = link(c.location, c.url) if safe_url(c.url) else md_inline(c.location)
            st.markdown(f":material/location_on: {where}")
        passages = c.passages or {c.chunk_id: c.passage or c.quote}
        for chunk, text in passages.items():  # a list may run on into the next chunk
            spans = [(sp.start, sp.end) for sp in c.spans if sp.chunk_id == chunk]
            st.markdown(highlight_spans(text, spans or _found(text, c.quote)))


def _found(text: str, quote: str) -> list[tuple[int, int]]:
    at = text.find(quote) if quote else -1
    return [(at, at + len(quote))] if at >= 0 else []


def nearest(passages: list[Passage]) -> None:
    with st.expander(messages.UI_NEAREST, expanded=True):
        for p in one_per_document(passages, NEAREST_SHOWN):
            with st.container(border=True):
                st.markdown(f"**{link(p.title or p.doc_id, p.url)}**")
                st.caption(_source_line(p.publisher, p.type, p.date))
                snippet = p.text if len(p.text) <= 300 else p.text[:300].rsplit(" ", 1)[0] + " …"
                st.markdown(md(snippet))


def sources(answer: Answer) -> None:
    if answer.citations:
        with st.expander(messages.UI_SOURCES.format(n=len(answer.citations)), expanded=True):
            for c in answer.citations:
                citation_card(c)
    elif answer.retrieved:
        nearest(answer.retrieved)


def answer_view(answer: Answer, query: str = "") -> None:
    """A past answer, in full."""
    status_badge(answer)
    answer_text(answer)
    meta_line(answer, query)
    sources(answer)
