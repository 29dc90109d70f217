"""The chat page: ask, watch the answer arrive, read its sources, give feedback, export."""

from __future__ import annotations

import uuid

import streamlit as st

from assistant import messages
from assistant.conversation import rewrite
from assistant.types import Answer
from assistant.export import conversation as export
from assistant.export import references
from assistant.roles import Action
from ui import auth, feedback, render, resources
from ui import filters as sidebar_filters
from ui.safe import md_delta

settings = resources.settings()
user = auth.require(Action.ASK, settings)
assistant = resources.assistant_or_stop()
turns: list[dict] = st.session_state.setdefault("turns", [])


def new_conversation() -> None:
    st.session_state.turns = []


def ask(question: str, filters, shown: dict) -> dict:
    """Run one turn: rewrite a follow-up, stream the answer, return the turn to keep."""
    rewritten = rewrite([t["query"] for t in turns], question)
    status_slot = st.empty()
    answer: Answer | None = None

    def drafts():
        nonlocal answer
        longer = st.session_state.get("longer_answers", False)
        for item in assistant.ask_stream(
                rewritten.query, filters,
                max_words=settings.answer_max_words_longer if longer else None):
            if isinstance(item, Answer):
                answer = item
            else:
                yield md_delta(item)  # unverified draft; replaced by the checked answer below

    if settings.answerer == "llm":
        draft = st.empty()
        with draft.container():
            st.caption(messages.UI_DRAFT)
            st.write_stream(drafts())
        draft.empty()
    else:
        with st.spinner(messages.UI_SEARCHING):
            for _ in drafts():
                pass
    assert answer is not None  # ask_stream always ends with the Answer
    answer.question = question  # show what the user asked, not the rewritten query
    answer.filters = shown
    with status_slot.container():
        render.status_badge(answer)
    st.write_stream(render.stream_text(answer, settings.ui_stream_delay_s))
    render.meta_line(answer, rewritten.query)
    render.sources(answer)
    return {"id": uuid.uuid4().hex, "question": question, "query": rewritten.query,
            "rule": rewritten.rule, "answer": answer}


def feedback_controls(turn: dict) -> None:
    """Thumbs and an optional comment; saved whenever either changes (one row per answer)."""
    rating = st.feedback("thumbs", key=f"rating-{turn['id']}")
    if rating is None:
        return
    comment = st.text_input(messages.UI_FEEDBACK_COMMENT, key=f"comment-{turn['id']}")
    if turn.get("saved") != (rating, comment):
        feedback.record(settings.feedback_path, turn["id"], turn["answer"], rating, comment,
                        turn["query"], user=user.name)
        turn["saved"] = (rating, comment)
    st.caption(messages.UI_FEEDBACK_THANKS)


with st.sidebar:
    filters, shown = sidebar_filters.sidebar(resources.documents(), resources.cases())
    st.toggle(messages.UI_LONGER_ANSWERS, key="longer_answers",
              help=messages.UI_LONGER_ANSWERS_HELP.format(
                  short=settings.answer_max_words, long=settings.answer_max_words_longer))
    st.divider()
    st.button(messages.UI_NEW_CONVERSATION, on_click=new_conversation,
              icon=":material/restart_alt:", width="stretch")

st.title(messages.UI_TITLE)
st.caption(messages.UI_INTRO)

for turn in turns:
    with st.chat_message("user"):
        st.text(turn["question"])
    with st.chat_message("assistant"):
        render.answer_view(turn["answer"], turn["query"])
        feedback_controls(turn)

question = st.chat_input(messages.UI_CHAT_PLACEHOLDER)
if not turns and not question:
    st.write(messages.UI_TRY_THESE)
    for i, suggestion in enumerate(messages.SUGGESTED_QUESTIONS):
        if st.button(suggestion, key=f"suggestion-{i}"):
            question = suggestion

if question and question.strip():
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        turn = ask(question.strip(), filters, shown)
        turns.append(turn)
        feedback_controls(turn)

with st.sidebar:  # after the new turn, so the downloads include it
    if turns:
        st.subheader(messages.UI_EXPORT_HEADER)
        answers = [t["answer"] for t in turns]
        st.download_button(messages.UI_EXPORT_MD, export.to_markdown(answers),
                           file_name="mission-assistant-conversation.md",
                           mime="text/markdown", key="export-md")
        st.download_button(messages.UI_EXPORT_DOCX, export.to_docx(answers),
                           file_name="mission-assistant-conversation.docx",
                           mime="application/vnd.openxmlformats-officedocument."
                                "wordprocessingml.document", key="export-docx")
        refs = references.dedupe(c for a in answers for c in a.citations)
        if refs:  # the sources for a reference manager (Zotero, EndNote)
            st.download_button(messages.UI_SOURCES_BIBTEX, references.to_bibtex(refs),
                               file_name="mission-assistant-sources.bib",
                               mime="application/x-bibtex", key="export-bib")
            st.download_button(messages.UI_SOURCES_RIS, references.to_ris(refs),
                               file_name="mission-assistant-sources.ris",
                               mime="application/x-research-info-systems", key="export-ris")
