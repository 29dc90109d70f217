"""The crawler against a real publisher's site on loopback (tests/crawl_site.py), with the
SSRF guard on: only site.test:PORT may be private. One full crawl is shared by the module;
later tests re-crawl it (a changed page, a killed crawl, a vanished page)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from assistant.settings import Settings
from assistant.store import LibraryIndex
from ingest.crawl.runner import crawl
from ingest.crawl.sources import CrawlSource, site_source
from tests.crawl_site import CRAWL_DELAY_S

DOCUMENT_PATHS = ["/posts/moon-map", "/posts/star-trek", "/posts/wework", "/posts/yovanovitch",
                  "/posts/oil", "/files/rivertown-2024.pdf"]
FAILING_PATHS = {"/loop-a", "/loop-b", "/slow", "/big"}


def site_settings(site, tmp: Path) -> Settings:
    return Settings(corpus_dir=tmp / "corpus", index_dir=tmp / "index",
                    **site.settings_overrides())


def site_crawl_source(site) -> CrawlSource:
    return site_source(site.url("/"), publisher="Site Test Publisher", type="blog",
                       exclude=["/tag/"], types=[{"pattern": r"\.pdf$", "type": "report"}])


@pytest.fixture(scope="module")
def crawled(crawl_site, tmp_path_factory):
    """One uninterrupted crawl of the site: its report, its requests and its documents."""
    settings = site_settings(crawl_site, tmp_path_factory.mktemp("crawl"))
    mark = crawl_site.mark()
    report = crawl(settings, [site_crawl_source(crawl_site)])
    documents = LibraryIndex.open(settings).documents()
    return SimpleNamespace(settings=settings, report=report, requests=crawl_site.since(mark),
                           documents=documents, site=crawl_site)


def outcome_of(report, url: str):
    return next(r for r in report.results if r.url == url)


def test_each_url_behaves_as_specified(crawled):
    site, report = crawled.site, crawled.report
    by_url = {r.url: r for r in report.results}
    fetched = {r.doc_id for r in report.results if r.outcome == "fetched"}
    assert fetched == {site.url(p) for p in DOCUMENT_PATHS}, report.rows()
    assert all("ingested" in by_url[site.url(p)].reason for p in DOCUMENT_PATHS
               if site.url(p) in by_url)

    # robots.txt: the disallowed path (linked, and listed in the sitemap) is never requested.
    for path in ("/private/secret", "/private/draft"):
        assert by_url[site.url(path)].outcome == "robots"
    requested = [r.path for r in crawled.requests]
    assert not any(p.startswith("/private/") for p in requested)
    # Out of scope: an excluded pattern and another host, neither requested.
    assert by_url[site.url("/tag/news")].outcome == "out_of_scope"
    assert "exclude" in by_url[site.url("/tag/news")].reason
    assert by_url["http://elsewhere.test/page"].outcome == "out_of_scope"
    assert "/tag/news" not in requested
    # Discovery: robots.txt, the sitemap index and its two sitemaps, the feed.
    for path in ("/robots.txt", "/sitemap_index.xml", "/sitemap-posts.xml",
                 "/sitemap-reports.xml", "/feed.xml"):
        assert by_url[site.url(path)].outcome == "discovered", path
    # Near-duplicates: a print view (same words, other markup), a mirror declaring the post as
    # canonical, a tracking-parameter link from the feed: one document, the post.
    print_view = by_url[site.url("/posts/moon-map/print")]
    assert print_view.outcome == "duplicate" and site.url("/posts/moon-map") in print_view.reason
    assert "near-duplicate" in print_view.reason or "same text" in print_view.reason
    mirror = by_url[site.url("/mirror/moon-map")]
    assert mirror.outcome == "duplicate" and "canonical" in mirror.reason
    tracked = by_url[site.url("/posts/wework?utm_source=rss&utm_medium=feed")]
    assert tracked.outcome == "duplicate" and "tracking" in tracked.reason
    # A redirect chain ends at a post, which is fetched once, under its final URL.
    chain = by_url[site.url("/redirect-chain")]
    assert chain.doc_id == site.url("/posts/oil")
    oil = [r for r in crawled.requests if r.path == "/posts/oil" and r.status == 200]
    assert len(oil) == 1
    # Failures carry their reason; the script shell is reported and not indexed.
    assert "more than 5 redirects" in by_url[site.url("/loop-a")].reason
    assert "Timeout" in by_url[site.url("/slow")].reason
    assert "cap" in by_url[site.url("/big")].reason
    assert {r.url for r in report.failed} == {site.url(p) for p in ("/loop-a", "/slow", "/big")}
    shell = by_url[site.url("/js-app")]
    assert shell.outcome == "script_shell" and "JavaScript" in shell.reason
    assert by_url[site.base].outcome == "links_only"  # courlan drops the bare "/"
    assert site.url("/js-app") not in crawled.documents
    summary = report.summary()
    assert "3 failed" in summary and "1 script shell" in summary and "6 documents ingested" in summary
    assert (crawled.settings.index_dir / "crawl-report.json").exists()


def test_documents_carry_source_metadata_and_page_titles(crawled):
    site, docs = crawled.site, crawled.documents
    assert set(docs) == {site.url(p) for p in DOCUMENT_PATHS}
    for doc_id, state in docs.items():
        assert state.url == doc_id and state.publisher == "Site Test Publisher"
        assert state.type == ("report" if doc_id.endswith(".pdf") else "blog")
    moon = docs[site.url("/posts/moon-map")]  # a map of Titan, Saturn's moon
    assert "moon" in moon.title.lower() and moon.title != "moon-map"  # the page's own title
    # Dates from the pages (htmldate): these articles were published in November 2019.
    dated = [d for d in docs.values() if d.date.startswith("2019-11")]
    assert len(dated) >= 4, {d: s.date for d, s in docs.items()}
    assert docs[site.url("/files/rivertown-2024.pdf")].title.startswith("Rivertown retrofit")


def test_rate_limit_holds_in_the_server_log(crawled):
    """Requests to the host (every redirect hop included) are at least robots.txt's
    Crawl-delay apart, and the crawl never had two requests in flight."""
    times = sorted(r.at for r in crawled.requests)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) > 20
    assert min(gaps) >= CRAWL_DELAY_S - 0.01, sorted(gaps)[:5]


def test_crawled_pages_are_answerable_with_their_urls(crawled):
    from assistant.service import get_assistant

    site = crawled.site
    assistant = get_assistant(crawled.settings)
    answer = assistant.ask("What did scientists unveil about the geology of Titan?")
    assert site.url("/posts/moon-map") in [c.url for c in answer.citations], answer.citations
    answer = assistant.ask("How many homes did the Rivertown retrofit mission insulate?")
    cited = [c for c in answer.citations  # a PDF citation links to its page: ...pdf#page=1
             if c.url.split("#")[0] == site.url("/files/rivertown-2024.pdf")]
    assert cited and "4,200" in " ".join(c.quote for c in cited)


def test_ingest_prune_keeps_crawled_documents(crawled):
    """`mission-assistant ingest --prune` (make run) treats crawled documents as corpus."""
    from ingest.pipeline import ingest

    report = ingest(crawled.settings, prune=True, progress=False)
    assert report.count("removed") == 0 and report.count("unchanged") == len(DOCUMENT_PATHS)


def test_recrawl_fetches_and_reingests_only_the_changed_page(crawled):
    site, settings = crawled.site, crawled.settings
    path = "/posts/star-trek"
    original = site.resources[path]
    changed = original[2].replace(b"After a three-year silence", b"After a three-year "
                                  b"silence, and a studio update this week")  # the article text
    assert changed != original[2]
    site.set(path, changed)
    try:
        mark = site.mark()
        report = crawl(settings, [site_crawl_source(site)])
        requests = site.since(mark)
    finally:
        site.resources[path] = original
    with_content = [r.path for r in requests if r.status == 200]
    assert set(with_content) - FAILING_PATHS == {path}, with_content
    assert with_content.count(path) == 1
    others = [r for r in requests if r.path not in FAILING_PATHS | {path}]
    assert others and all(r.status == 304 and r.conditional for r in others
                          if r.status not in (301, 302)), others
    assert "/robots.txt" not in [r.path for r in requests]  # cached (< 24 h)
    assert report.documents_ingested == 1
    assert "updated" in outcome_of(report, site.url(path)).reason
    unchanged = {r.doc_id for r in report.results if r.outcome == "unchanged"}
    assert unchanged == {site.url(p) for p in DOCUMENT_PATHS if p != path}


def _cli_env(site, tmp: Path) -> dict:
    return {**os.environ, **site.settings_env(), "MISSION_INDEX_DIR": str(tmp / "index"),
            "MISSION_CORPUS_DIR": str(tmp / "corpus"), "HF_HUB_OFFLINE": "1"}


def test_killed_crawl_resumes_to_the_same_documents(crawled, tmp_path):
    """SIGKILL a CLI crawl after its first ingest batch, mid-fetch; the next crawl resumes:
    the documents equal the uninterrupted crawl's, none twice, no page downloaded twice."""
    site = crawled.site
    source = site_crawl_source(site)
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [source.model_dump(exclude_none=True)]}))
    cli = Path(sys.executable).parent / "mission-assistant"
    mark = site.mark()
    proc = subprocess.Popen([str(cli), "crawl", "--sources", str(sources), "--quiet"],
                            env=_cli_env(site, tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    state_db = tmp_path / "index" / "crawl.sqlite3"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if state_db.exists():
                with sqlite3.connect(state_db, timeout=5) as conn:
                    try:
                        indexed = conn.execute("SELECT COUNT(*) FROM pages WHERE "
                                               "status='indexed'").fetchone()[0]
                    except sqlite3.OperationalError:
                        indexed = 0
                if indexed:
                    seen = len(site.since(mark))
                    while len(site.since(mark)) == seen and proc.poll() is None:
                        time.sleep(0.01)
                    time.sleep(0.05)  # inside the politeness wait before the next request
                    break
            time.sleep(0.05)
        assert proc.poll() is None, "the crawl finished before it could be killed: " + \
            proc.stdout.read().decode()[-2000:]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    killed_requests = site.since(mark)
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index",
                        **site.settings_overrides())
    remaining = crawl(settings, [source])
    assert remaining.resumed == [source.name]
    assert remaining.count("fetched") < len(DOCUMENT_PATHS) or \
        len(killed_requests) < len(crawled.requests)

    documents = LibraryIndex.open(settings).documents()
    assert set(documents) == set(crawled.documents)
    assert {d: s.stored_chunks for d, s in documents.items()} == \
        {d: s.stored_chunks for d, s in crawled.documents.items()}
    assert all(s.complete for s in documents.values())
    downloads = Counter(r.path for r in site.since(mark) if r.status == 200)
    assert downloads and max(downloads.values()) == 1, downloads.most_common(3)


def test_vanished_page_is_reported_then_pruned(crawled):
    site, settings = crawled.site, crawled.settings
    path = "/posts/yovanovitch"
    original = site.resources.pop(path)
    # A narrower scope this time (the same source): known pages are still revisited.
    source = site_crawl_source(site).model_copy(update={"include": ["/posts/yovanovitch$"]})
    try:
        kept = crawl(settings, [source])
        assert outcome_of(kept, site.url(path)).outcome == "vanished"
        assert "--prune" in outcome_of(kept, site.url(path)).reason
        assert site.url(path) in LibraryIndex.open(settings).documents()
        pruned = crawl(settings, [source], prune=True)
        assert outcome_of(pruned, site.url(path)).outcome == "removed"
        assert site.url(path) not in LibraryIndex.open(settings).documents()
    finally:
        site.resources[path] = original
