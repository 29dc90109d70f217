"""Add documents (only when settings.allow_uploads): files or URLs, ingested one at a time so
the progress bar is honest, with a per-file result table."""

from __future__ import annotations

import streamlit as st

from assistant import audit, messages
from assistant.roles import Action
from ingest.pipeline import ingest
from ui import auth, manage, resources, uploads

settings = resources.settings()
st.title(messages.UI_NAV_UPLOAD)
# Not listed for users without the right, but a stale link or old tab may land here.
user = auth.require(Action.ADD_DOCUMENTS, settings)

with st.form("add_documents", clear_on_submit=True):
    files = st.file_uploader(messages.UI_UPLOAD_FILES.format(mb=settings.upload_max_mb),
                             type=list(settings.upload_types), accept_multiple_files=True)
    url_text = st.text_area(messages.UI_UPLOAD_URLS, height=100)
    submitted = st.form_submit_button(messages.UI_UPLOAD_SUBMIT, type="primary")

if submitted:
    user = auth.require(Action.ADD_DOCUMENTS, settings)  # the role may have changed since
    urls = [u.strip() for u in url_text.splitlines() if u.strip()]
    problems, jobs = [], []
    if len(files or []) + len(urls) > settings.upload_max_files:
        st.error(messages.UI_UPLOAD_TOO_MANY.format(n=settings.upload_max_files))
        st.stop()
    for f in files or []:
        reason = uploads.check_file(settings, f.name, f.size)
        if reason:
            problems.append((f.name, reason))
        else:
            path = uploads.save(settings, f.name, f.getvalue())
            jobs.append((f.name, {"paths": [path]}))
    for url in urls:
        reason = uploads.check_url(url)
        if reason:
            problems.append((url, reason))
        else:
            jobs.append((url, {"urls": [url]}))
    for label, reason in problems:
        st.warning(reason)  # our own message with the user's file name: st.warning escapes HTML
        audit.record(settings, user.name, "add", label, "rejected", reason)

    results = []
    bar = st.progress(0.0)
    for i, (label, job) in enumerate(jobs, start=1):
        bar.progress((i - 1) / len(jobs), text=messages.UI_UPLOAD_PROGRESS.format(
            label=label, i=i, n=len(jobs)))
        report = ingest(settings, include_corpus=False, progress=False, **job)
        audit.record_results(settings, user.name, "add", report.results)
        results += [{"Input": label, "Result": r.outcome, "Chunks": r.chunks,
                     "Reason": r.reason, "Action": r.action} for r in report.results]
    if jobs:
        bar.progress(1.0, text=messages.UI_UPLOAD_DONE.format(
            summary=f"{len(jobs)} input(s) processed"))
        st.dataframe(results, hide_index=True, width="stretch")
        resources.forget_library()  # the library and case pages re-read the index

manage.section(settings)
