"""Librarians' upkeep on the Add documents page: re-ingest the corpus, remove a document.
Each control is drawn only for users who may use it and re-checked when used (ui/auth.py);
each use is written to the audit log."""

from __future__ import annotations

import streamlit as st

from assistant import audit, messages
from assistant.roles import Action
from assistant.settings import Settings
from ingest.pipeline import ingest, remove
from ui import auth, resources


def _reingest(settings: Settings) -> None:
    user = auth.require(Action.REINGEST, settings)
    with st.spinner(messages.UI_MANAGE_REINGEST + "…"):
        report = ingest(settings, progress=False)
    audit.record_results(settings, user.name, "reingest", report.results)
    audit.record(settings, user.name, "reingest", str(settings.corpus_dir.name), "done",
                 report.summary())
    resources.forget_library()
    st.success(report.summary())


def _remove(settings: Settings, doc: dict) -> None:
    user = auth.require(Action.REMOVE_DOCUMENTS, settings)
    report = remove(settings, [doc["doc_id"]])
    audit.record_results(settings, user.name, "remove", report.results)
    resources.forget_library()
    removed = [r for r in report.results if r.outcome == "removed"]
    if removed:
        st.success(messages.UI_MANAGE_REMOVED.format(title=doc["title"] or doc["doc_id"],
                                                     chunks=removed[0].chunks))
    else:
        st.warning(report.results[0].reason)


def section(settings: Settings) -> None:
    if not (auth.allowed(Action.REINGEST, settings)
            or auth.allowed(Action.REMOVE_DOCUMENTS, settings)):
        return
    st.header(messages.UI_MANAGE_HEADER, anchor=False)
    if auth.allowed(Action.REINGEST, settings):
        if st.button(messages.UI_MANAGE_REINGEST, help=messages.UI_MANAGE_REINGEST_HELP,
                     icon=":material/sync:", key="manage-reingest"):
            _reingest(settings)
    if auth.allowed(Action.REMOVE_DOCUMENTS, settings):
        resources.assistant_or_stop()
        by_label = {f"{d['title']} ({d['doc_id']})": d for d in resources.documents()}
        choice = st.selectbox(messages.UI_MANAGE_REMOVE, list(by_label), index=None,
                              key="manage-remove-choice")
        if st.button(messages.UI_MANAGE_REMOVE_BUTTON, disabled=choice is None,
                     icon=":material/delete:", key="manage-remove") and choice:
            _remove(settings, by_label[choice])
