"""Things the pages share, loaded once per process (st.cache_resource) or cached briefly
(st.cache_data). Keyed by the settings, so tests that point at different indexes in one
process never see each other's data."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.library import document_text, document_texts, list_documents
from assistant.service import Assistant, get_assistant
from assistant.settings import Settings
from assistant.store import IndexNotFound, ModelMismatch
from assistant.cases import CaseSet, load_cases


def settings() -> Settings:
    """Settings from the environment (MISSION_*), read per run: cheap, and tests rely on it."""
    return Settings()


@st.cache_resource(show_spinner=messages.UI_LOADING)
def _assistant(settings_json: str) -> Assistant:
    return get_assistant(Settings.model_validate_json(settings_json))


def assistant() -> Assistant:
    return _assistant(settings().model_dump_json())


@st.cache_data(ttl=300, show_spinner=False)
def _documents(settings_json: str) -> list[dict]:
    return list_documents(_assistant(settings_json).index)


def documents() -> list[dict]:
    return _documents(settings().model_dump_json())


@st.cache_data(ttl=300, show_spinner=False)
def _text(settings_json: str, doc_id: str):
    return document_text(_assistant(settings_json).index, doc_id)


def text_of(doc_id: str):
    return _text(settings().model_dump_json(), doc_id)


@st.cache_data(ttl=300, show_spinner=False)
def _cases(settings_json: str, mtime: float) -> CaseSet:
    return load_cases(Settings.model_validate_json(settings_json))


def cases() -> CaseSet:
    """The case records of the last ingest (re-read when the file changes)."""
    s = settings()
    try:
        mtime = s.cases_path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return _cases(s.model_dump_json(), mtime)


@st.cache_data(ttl=300, show_spinner=False)
def _texts(settings_json: str) -> dict[str, str]:
    return document_texts(_assistant(settings_json).index)


def texts() -> dict[str, str]:
    """Every document's stored text, for word and phrase search on the Library page."""
    return _texts(settings().model_dump_json())


def forget_library() -> None:
    """After an ingest: re-read documents and cases (the Assistant reloads BM25 by itself)."""
    _documents.clear()
    _text.clear()
    _texts.clear()
    _cases.clear()


def assistant_or_stop() -> Assistant:
    """The shared Assistant, or a readable error (and nothing else) when the index is
    missing or built with another model."""
    try:
        return assistant()
    except (IndexNotFound, ModelMismatch, OSError) as exc:
        st.error(messages.UI_NO_INDEX.format(error=exc))
        st.stop()
        raise  # unreachable: st.stop ends the run
