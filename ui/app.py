"""Streamlit chat: ask the library, read the answer with its quoted, linked sources.

Everything shown from documents goes through st.text / st.code-free plain rendering or is
escaped, so source text can never inject HTML or load images.
"""

from __future__ import annotations

import html

import streamlit as st

from assistant import messages
from assistant.retrieve import Filters
from assistant.service import get_assistant
from assistant.settings import Settings
from assistant.types import Answer

st.set_page_config(page_title="Mission-oriented government assistant", page_icon="🧭")


@st.cache_resource(show_spinner="Loading the library and the embedding model…")
def assistant():
    return get_assistant(Settings())


def plain(text: str) -> str:
    """Markdown-safe: escape characters Markdown or HTML would interpret."""
    escaped = html.escape(text, quote=False)
    for ch in "\\`*_{}[]()#+-.!|>~":
        escaped = escaped.replace(ch, "\\" + ch)
    return escaped


def show_answer(answer: Answer) -> None:
    st.caption(messages.STATUS_LABELS[answer.status.value])
    st.markdown(plain(answer.answer))
    if answer.note:
        st.info(answer.note)
    if answer.citations:
        with st.expander(f"Sources ({len(answer.citations)})", expanded=True):
            for c in answer.citations:
                st.markdown(f"**[{c.n}] {plain(c.title)}** — {plain(c.publisher)} · {plain(c.type)}"
                            + (f" · {plain(c.location)}" if c.location else ""))
                st.markdown(f"> {plain(c.quote)}")
                if c.url.startswith(("http://", "https://")):
                    st.markdown(f"[Open source]({c.url})")
    elif answer.retrieved:
        with st.expander("Nearest sources", expanded=True):
            seen = set()
            for p in answer.retrieved:
                if p.doc_id in seen:
                    continue
                seen.add(p.doc_id)
                st.markdown(f"- {plain(p.title)} — {plain(p.publisher)}")


with st.sidebar:
    st.header("Filters")
    types = st.multiselect("Document type", ["report", "case_study", "blog", "press_release",
                                             "talk_summary"])
    if st.button("New conversation"):
        st.session_state.history = []

st.title("Mission-oriented government assistant")
st.session_state.setdefault("history", [])
for question, answer in st.session_state.history:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        show_answer(answer)

if not st.session_state.history:
    st.write("Try one of these:")
    for suggestion in messages.SUGGESTED_QUESTIONS:
        st.caption(suggestion)

question = st.chat_input("Ask about mission-oriented government")
if question:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        with st.spinner("Searching the library…"):
            answer = assistant().ask(question, Filters.parse([f"type={t}" for t in types]))
        show_answer(answer)
    st.session_state.history.append((question, answer))
