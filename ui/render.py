"""How an answer looks: status, the streamed answer text, who answered, filters, note, and the
sources panel with each quote highlighted inside its passage. All document text goes through
ui.safe, so it is shown as text."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import streamlit as st

from assistant import messages
from assistant.types import Answer, Citation, Passage, one_per_document
from ui.filters import describe, type_label
from ui.safe import highlight, link, md, md_inline, safe_url

STATUS_COLOURS = {"answered": "green", "partial": "orange", "not_found": "gray"}
_SENTENCE_END = re.compile(r"(?<=\])\s+|(?<=[.!?])\s+(?=[A-Z“\"])")
NEAREST_SHOWN = 5


def status_badge(answer: Answer) -> None:
    label = messages.STATUS_LABELS.get(answer.status.value, answer.status.value)
    st.badge(label, color=STATUS_COLOURS.get(answer.status.value, "gray"))


def sentences(text: str) -> list[str]:
    """Answer text in display pieces: one per quoted sentence with its [n] marker."""
    return [p for p in _SENTENCE_END.split(text) if p.strip()]


def stream_text(answer: Answer, delay: float) -> Iterator[str]:
    """Escaped pieces of the answer for st.write_stream, so it reads progressively."""
    for piece in sentences(answer.answer):
        yield md_inline(piece) + " "
        if delay:
            time.sleep(delay)


def answer_text(answer: Answer) -> None:
    st.markdown(md(answer.answer))


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
        st.markdown(highlight(c.passage or c.quote, c.quote))


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
