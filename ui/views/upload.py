"""Add documents (only when settings.allow_uploads): files or URLs, ingested one at a time so
the progress bar is honest, with a per-file result table; or a publisher's site, crawled
within a scope, with progress and a per-URL outcome table."""

from __future__ import annotations

import typing

import streamlit as st

from assistant import audit, messages
from assistant.roles import Action
from ingest.crawl import CrawlError
from ingest.manifest import DocType
from ingest.pipeline import ingest
from ui import auth, manage, resources, uploads

DOC_TYPES = list(typing.get_args(DocType))

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


st.divider()
st.subheader(messages.UI_CRAWL_TITLE)
st.caption(messages.UI_CRAWL_HELP.format(delay=settings.crawl_delay_s))
with st.form("crawl_site"):
    crawl_url = st.text_input(messages.UI_CRAWL_URL, key="crawl_url")
    crawl_publisher = st.text_input(messages.UI_CRAWL_PUBLISHER, key="crawl_publisher")
    crawl_type = st.selectbox(messages.UI_CRAWL_TYPE, DOC_TYPES, key="crawl_type",
                              index=DOC_TYPES.index("web_page"))
    crawl_include = st.text_input(messages.UI_CRAWL_INCLUDE, key="crawl_include")
    crawl_exclude = st.text_input(messages.UI_CRAWL_EXCLUDE, key="crawl_exclude")
    crawl_max_pages = st.number_input(messages.UI_CRAWL_MAX_PAGES, min_value=1, max_value=1000,
                                      value=min(50, settings.crawl_max_pages), key="crawl_max_pages")
    crawl_max_depth = st.number_input(messages.UI_CRAWL_MAX_DEPTH, min_value=0, max_value=10,
                                      value=2, key="crawl_max_depth")
    crawl_submitted = st.form_submit_button(messages.UI_CRAWL_SUBMIT, type="primary")

if crawl_submitted:
    crawler = auth.require(Action.CRAWL, settings)  # refused server-side, whatever the page shows
    crawl_bar = st.progress(0.0)

    def show_progress(p) -> None:
        total = p.handled + p.queued
        crawl_bar.progress(p.handled / total if total else 1.0,
                           text=messages.UI_CRAWL_PROGRESS.format(
                               handled=p.handled, total=total, outcome=p.outcome, url=p.url))

    try:
        crawl_report = uploads.crawl_site(
            settings, crawl_url, crawl_publisher, crawl_type, crawl_include, crawl_exclude,
            int(crawl_max_pages), int(crawl_max_depth), on_progress=show_progress)
    except CrawlError as exc:
        audit.record(settings, crawler.name, "crawl", crawl_url, "failed", str(exc))
        st.error(str(exc))  # our message naming the user's URL or pattern; st.error escapes
        st.stop()
    audit.record_results(settings, crawler.name, "crawl", crawl_report.results)
    crawl_bar.progress(1.0, text=messages.UI_CRAWL_DONE.format(summary=crawl_report.summary()))
    st.success(messages.UI_CRAWL_DONE.format(summary=crawl_report.summary()))
    if crawl_report.failed:
        st.warning(messages.UI_CRAWL_FAILED.format(n=len(crawl_report.failed)))
    st.dataframe(crawl_report.rows(), hide_index=True, width="stretch")
    resources.forget_library()

manage.section(settings)
