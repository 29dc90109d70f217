"""The 'Add documents' page's crawl section, against the loopback publisher's site: in-process
with AppTest, and in real Chromium against the session's shared app server."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from assistant import messages
from assistant.store import LibraryIndex
from tests.test_ui_app import APP, TIMEOUT, point_app_at

SCOPE = "/posts/(wework|star-trek)$"  # two short articles: a tiny index


def test_add_documents_page_crawls_a_site(sample_settings, crawl_site, monkeypatch, tmp_path):
    settings = sample_settings.model_copy(update={"index_dir": tmp_path / "index"})
    shutil.copytree(sample_settings.index_dir, settings.index_dir)
    point_app_at(monkeypatch, settings, tmp_path)
    monkeypatch.setenv("MISSION_ALLOW_UPLOADS", "true")
    monkeypatch.setenv("MISSION_CORPUS_DIR", str(tmp_path / "corpus"))
    for key, value in crawl_site.settings_env().items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("views/upload.py").run()
    assert not at.exception, at.exception
    assert messages.UI_CRAWL_TITLE in [h.value for h in at.subheader]

    # A bad scope is refused with the reason, before anything is fetched.
    mark = crawl_site.mark()
    at.text_input(key="crawl_url").input(crawl_site.url("/"))
    at.text_input(key="crawl_include").input("(")
    next(b for b in at.button if b.label == messages.UI_CRAWL_SUBMIT).click().run()
    assert any("bad regular expression '('" in e.value for e in at.error)
    assert crawl_site.since(mark) == []

    at.text_input(key="crawl_publisher").input("Site Test Publisher")
    at.selectbox(key="crawl_type").select("blog")
    at.text_input(key="crawl_include").input(SCOPE)
    at.text_input(key="crawl_exclude").input("/tag/")
    at.number_input(key="crawl_max_depth").set_value(2)
    next(b for b in at.button if b.label == messages.UI_CRAWL_SUBMIT).click().run()
    assert not at.exception, at.exception
    assert at.get("progress")
    done = [s.value for s in at.success]
    assert done and done[0].startswith("Crawl finished:") and "2 documents ingested" in done[0]
    table = at.dataframe[-1].value
    assert {"Source", "URL", "Outcome", "Reason"} <= set(table.columns)
    rows = dict(zip(table["URL"], table["Outcome"]))
    assert rows[crawl_site.url("/posts/wework")] == "fetched"
    assert rows[crawl_site.url("/tag/news")] == "out of scope"
    assert rows[crawl_site.url("/robots.txt")] == "discovery"
    assert rows[crawl_site.url("/mirror/moon-map")] == "out of scope"  # not in the include
    documents = LibraryIndex.open(settings).documents()
    for slug in ("wework", "star-trek"):
        state = documents[crawl_site.url(f"/posts/{slug}")]
        assert state.publisher == "Site Test Publisher" and state.type == "blog"


@pytest.mark.browser
def test_add_documents_page_crawls_in_the_browser(app_server, crawl_site, browser_settings,
                                                  tmp_path):
    from tests.browser import ANSWER_TIMEOUT_MS, chromium, normalise, wait_done

    with chromium(tmp_path / "chromium-profile") as browser:
        page = browser.new_page()
        page.goto(app_server.url + "upload", timeout=60_000)
        start = page.get_by_label(messages.UI_CRAWL_URL)
        start.wait_for(timeout=ANSWER_TIMEOUT_MS)  # the page's first run imports the pipeline
        start.fill(crawl_site.url("/"))
        page.get_by_label(messages.UI_CRAWL_PUBLISHER).fill("Site Test Publisher")
        page.get_by_label(messages.UI_CRAWL_INCLUDE).fill("/posts/wework$")
        page.get_by_label(messages.UI_CRAWL_EXCLUDE).fill("/tag/")
        page.get_by_role("button", name=messages.UI_CRAWL_SUBMIT).click()
        wait_done(page, "Crawl finished:", "1 documents ingested")
        body = normalise(page.inner_text("body"))
        assert "1 fetched" in body and "1 documents ingested" in body
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "crawl.png"))
    documents = LibraryIndex.open(browser_settings).documents()
    assert documents[crawl_site.url("/posts/wework")].publisher == "Site Test Publisher"
    print(f"screenshot: {tmp_path / 'crawl.png'}")
