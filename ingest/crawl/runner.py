"""The crawl loop: seed each source, then take the frontier breadth-first, one polite and
guarded request at a time, and feed new or changed documents to the ingest pipeline in
batches. Every URL's outcome is committed with the links it adds (state.py), so a crawl
killed at any point resumes where it stopped; fetched copies and their validators live in the
URL cache, so a resumed or repeated crawl asks the server only whether a page changed."""

from __future__ import annotations

import fcntl
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

from assistant.settings import Settings
from ingest.crawl import DISCOVERY, CrawlError, Found
from ingest.crawl.discover import decode
from ingest.crawl.documents import PageText, analyse_html, pdf_title, similarity, text_sha
from ingest.crawl.politeness import Politeness, RobotsRefused, robots_url
from ingest.crawl.report import CrawlReport, UrlResult
from ingest.crawl.scope import canonical, host_of, kind_of, out_of_scope
from ingest.crawl.sources import CrawlSource
from ingest.crawl.state import CrawlState, Outcome, Page, QueueItem
from ingest.fetch import DISCOVERY_TYPES, DOCUMENT_TYPES, FetchError, Fetched, fetch
from ingest.manifest import ManifestEntry

GONE = (404, 410)
# Print, AMP and similar renderings of an article: fetched after everything else, so when
# both exist the article's own URL becomes the document and the rendering its duplicate.
ALTERNATE_VIEW = re.compile(r"/(print|amp|printable|pdf-view)/?$|[?&](print|amp|output=print|"
                            r"format=print|view=print)\b", re.IGNORECASE)


@dataclass
class CrawlProgress:
    handled: int
    queued: int
    url: str
    outcome: str


class Crawler:
    def __init__(self, settings: Settings, sources: list[CrawlSource], prune: bool = False,
                 on_progress: Callable[[CrawlProgress], None] | None = None):
        self.settings = settings
        self.sources = {s.name: s for s in sources}
        self.prune = prune
        self.on_progress = on_progress
        self.state = CrawlState(settings.crawl_state_path)
        self.polite = Politeness(settings, self.state)
        self.run_source: dict[int, CrawlSource] = {}
        self.report = CrawlReport([s.name for s in sources])
        self.handled = 0

    # --- the loop ---------------------------------------------------------------------------
    def run(self) -> CrawlReport:
        try:
            lock = _exclusive(self.settings.crawl_state_path.with_suffix(".lock"))
        except CrawlError:
            self.state.close()
            raise
        try:
            for source in self.sources.values():
                self._open(source)
            runs = list(self.run_source)
            revisited = False
            while True:
                item = self._next(runs)
                if item is None:
                    if not revisited:  # pages known from earlier crawls that discovery missed
                        revisited = True
                        self._revisit_known()
                        continue
                    break
                with self.state.transaction():
                    outcome = self._handle(item)
                    self.state.done(item, outcome)
                self.handled += 1
                if self.on_progress:
                    self.on_progress(CrawlProgress(self.handled, self.state.queue_size(runs),
                                                   item.url, outcome.outcome))
                if len(self._pending()) >= self.settings.crawl_ingest_batch:
                    self._ingest_pending()
            self._ingest_pending()
            self._vanished()
            for run in runs:
                self.state.finish_run(run)
            self._collect(runs)
            self.report.finished = time.time()
            self.report.write(self.settings.index_dir / "crawl-report.json")
            return self.report
        finally:
            self.state.close()
            lock.close()  # also released by the OS when a crawl is killed

    def _open(self, source: CrawlSource) -> None:
        run = self.state.open_run(source.name)
        if run is not None:
            self.report.resumed.append(source.name)
        else:
            with self.state.transaction():
                run = self.state.new_run(source.name, source.model_dump_json())
                for host in dict.fromkeys(host_of(u) for u in source.start):
                    scheme = urlparse(source.start[0]).scheme
                    self.state.enqueue(run, robots_url(f"{scheme}://{host}/"), "robots", 0)
                for url in source.start:
                    target = canonical(url) or url
                    self.state.enqueue(run, target, kind_of(target) or "page", 0, "start")
                for url in source.sitemaps:
                    self.state.enqueue(run, canonical(url) or url, "sitemap", 0, "source")
                for url in source.feeds:
                    self.state.enqueue(run, canonical(url) or url, "feed", 0, "source")
        self.run_source[run] = source

    def _next(self, runs: list[int]) -> QueueItem | None:
        """The first queued item whose host may be asked soonest (others wait their delay)."""
        items = self.state.queued(runs)
        if not items:
            return None
        now = time.monotonic()
        return min(items, key=lambda i: (max(self.polite.ready_at(i.url), now), i.priority,
                                         i.seq))

    def _revisit_known(self) -> None:
        with self.state.transaction():
            for run, source in self.run_source.items():
                for page in self.state.pages(source.name, ("pending", "indexed", "gone")):
                    self.state.enqueue(run, page.url, kind_of(page.url) or "page",
                                       source.max_depth if source.max_depth is not None
                                       else self.settings.crawl_max_depth, "known")

    # --- one URL ----------------------------------------------------------------------------
    def _handle(self, item: QueueItem) -> Outcome:
        source = self.run_source[item.run]
        if item.kind == "robots":
            return self._robots(item, source)
        refused, reason = self.polite.refusal(item.url)
        if refused:
            return Outcome(item.url, item.kind, refused, reason)
        if item.kind in ("sitemap", "feed"):
            return self._listing(item, source)
        limit = source.max_pages or self.settings.crawl_max_pages
        if self.state.fetched_count(item.run) >= limit:
            return Outcome(item.url, item.kind, "out_of_scope", f"max_pages ({limit}) reached")
        return self._document(item, source)

    def _robots(self, item: QueueItem, source: CrawlSource) -> Outcome:
        robots = self.polite.robots(item.url)
        listed = [u for u in (canonical(s) for s in robots.sitemaps()) if u]
        for url in listed:
            self.state.enqueue(item.run, url, "sitemap", 0, "robots.txt")
        if not listed and robots.status:
            base = item.url.rsplit("/", 1)[0]
            self.state.enqueue(item.run, f"{base}/sitemap.xml", "sitemap", 0, "probe")
        if robots.status == 0:
            return Outcome(item.url, "robots", "failed", robots.why_not())
        if robots.status >= 400:
            return Outcome(item.url, "robots", "discovered",
                           f"robots.txt answered HTTP {robots.status}: everything allowed")
        delay = self.polite.delay(item.url)
        return Outcome(item.url, "robots", "discovered",
                       f"robots.txt{' (cached)' if robots.note == 'cached' else ''}: "
                       f"{len(listed)} sitemap(s), {delay:g} s between requests")

    def _listing(self, item: QueueItem, source: CrawlSource) -> Outcome:
        try:
            got = fetch(item.url, self.settings, revalidate=True, types=DISCOVERY_TYPES,
                        cache_dir=self.settings.crawl_cache_path, before_hop=self.polite.gate,
                        after_hop=self.polite.ended)
        except RobotsRefused as exc:
            return Outcome(item.url, item.kind, "robots", exc.reason)
        except FetchError as exc:
            if item.via == "probe" and exc.status in GONE:
                return Outcome(item.url, item.kind, "discovered", "no sitemap at this address")
            return Outcome(item.url, item.kind, "failed", exc.reason)
        found = DISCOVERY[item.kind](decode(got.path.read_bytes()), got.final_url)
        added = self._enqueue_found(item, source, found, depth=item.depth, from_page=False)
        note = " (HTTP 304, cached copy)" if got.not_modified else ""
        return Outcome(item.url, item.kind, "discovered",
                       f"{found.total} URLs listed, {added} in scope and new{note}")

    def _document(self, item: QueueItem, source: CrawlSource) -> Outcome:
        try:
            got = fetch(item.url, self.settings, revalidate=True, types=DOCUMENT_TYPES,
                        before_hop=self.polite.gate, after_hop=self.polite.ended)
        except RobotsRefused as exc:
            return Outcome(item.url, item.kind, "robots", exc.reason)
        except FetchError as exc:
            known = self.state.page(item.url)
            if exc.status in GONE and known is not None:
                return Outcome(item.url, item.kind, "vanished", exc.reason, known.doc_id)
            return Outcome(item.url, item.kind, "failed", exc.reason)
        doc_id = canonical(got.final_url) or got.final_url
        if doc_id != item.url:
            if self.state.is_queued(item.run, doc_id):  # fetched now: no need to ask again
                self.state.dequeue(item.run, doc_id)
            elif self.state.seen(item.run, doc_id):
                return Outcome(item.url, item.kind, "duplicate", f"redirects to {doc_id}, "
                               "already handled")
        if got.content_type == "application/pdf":
            return self._keep(item, source, got, doc_id, None, got.path.read_bytes())
        text = decode(got.path.read_bytes())
        if got.content_type not in ("text/html", "application/xhtml+xml"):
            return self._keep(item, source, got, doc_id, None, text.encode())
        page = analyse_html(text, doc_id)
        if page.canonical:
            reason = out_of_scope(source, page.canonical, "page", False)
            if not reason:
                self.state.enqueue(item.run, page.canonical, "page", item.depth, "canonical")
                return Outcome(item.url, item.kind, "duplicate",
                               f"a copy of {page.canonical} (its canonical link)", doc_id)
        self._enqueue_found(item, source, DISCOVERY["page"](text, doc_id), item.depth + 1, True)
        if page.script_shell:
            return Outcome(item.url, item.kind, "script_shell",
                           f"only a script shell: the text needs JavaScript "
                           f"({len(page.text)} characters without it); not indexed", doc_id)
        if "html" not in source.file_types or len(page.text) < self.settings.crawl_min_text_chars:
            return Outcome(item.url, item.kind, "links_only",
                           f"{len(page.text)} characters of text: links followed, not indexed",
                           doc_id)
        return self._keep(item, source, got, doc_id, page, None)

    def _keep(self, item: QueueItem, source: CrawlSource, got: Fetched, doc_id: str,
              page: PageText | None, data: bytes | None) -> Outcome:
        """A document: unchanged, a duplicate of one already kept, or new/changed (pending)."""
        sha = page.sha if page else text_sha(data.hex())
        simhash = page.simhash if page else ""
        duplicate = self._duplicate_of(doc_id, sha, simhash)
        if duplicate:
            return Outcome(item.url, item.kind, "duplicate", duplicate, doc_id)
        known = self.state.page(doc_id)
        if known and known.status == "indexed" and known.indexed_sha == sha:
            why = "HTTP 304 Not Modified" if got.not_modified else "same text as indexed"
            return Outcome(item.url, item.kind, "unchanged", why, doc_id)
        if page:
            title, date = page.title, page.date
        else:
            title, date = pdf_title(item.anchor, doc_id), ""
        entry = ManifestEntry(id=doc_id, path=_relative(got.path, self.settings.corpus_dir),
                              url=doc_id, title=title or pdf_title("", doc_id),
                              publisher=source.publisher, type=source.doc_type(doc_id),
                              date=date, provenance=f"crawled: source {source.name}")
        self.state.save_page(Page(doc_id, source.name, item.url, "pending", sha, simhash,
                                  known.indexed_sha if known else "", entry), item.run)
        return Outcome(item.url, item.kind, "fetched", "changed" if known else "new", doc_id)

    def _duplicate_of(self, doc_id: str, sha: str, simhash: str) -> str:
        threshold = self.settings.crawl_near_duplicate
        for other in self.state.pages(status=("pending", "indexed")):
            if other.doc_id == doc_id:
                continue
            if other.text_sha == sha:
                return f"same text as {other.doc_id}"
            score = similarity(simhash, other.simhash)
            if score >= threshold:
                return f"near-duplicate of {other.doc_id} (text similarity {score:.2f})"
        return ""

    def _enqueue_found(self, item: QueueItem, source: CrawlSource, found: Found, depth: int,
                       from_page: bool) -> int:
        """Queue what is in scope; report out-of-scope links of pages (a sitemap's thousands
        of other URLs are only counted). Returns how many URLs were queued."""
        run, added = item.run, 0
        for url in found.sitemaps:
            if host_of(url) in source.hosts:
                added += self.state.enqueue(run, url, "sitemap", item.depth, item.url)
        for url in found.feeds:
            if host_of(url) in source.hosts:
                added += self.state.enqueue(run, url, "feed", item.depth, item.url)
        limit = source.max_depth if source.max_depth is not None else self.settings.crawl_max_depth
        for url, anchor in found.links:
            kind = kind_of(url)
            reason = out_of_scope(source, url, kind, from_page)
            if not reason and kind == "page" and depth > limit:
                reason = f"deeper than max_depth ({limit})"
            if not reason:
                added += self.state.enqueue(run, url, kind, depth, item.url, anchor,
                                            priority=1 if ALTERNATE_VIEW.search(url) else 0)
            elif from_page and not self.state.seen(run, url):
                self.state.record(run, Outcome(url, kind or "file", "out_of_scope", reason))
        for written, target in found.aliases:
            if written != target and not self.state.seen(run, written):
                self.state.record(run, Outcome(written, "page", "duplicate",
                                               f"same page as {target} once tracking "
                                               "parameters are removed", target))
        return added

    # --- ingest, vanished pages, report -----------------------------------------------------
    def _pending(self) -> list[Page]:
        return [p for p in self.state.pages(status=("pending",)) if p.source in self.sources]

    def _ingest_pending(self) -> None:
        pending = self._pending()
        if not pending:
            return
        from ingest.pipeline import ingest  # heavy (torch, Chroma): only when there is work

        report = ingest(self.settings, include_corpus=False, progress=False,
                        entries=[p.entry for p in pending])
        by_id = {r.doc_id: r for r in report.results}
        runs = list(self.run_source)
        with self.state.transaction():
            for page in pending:
                result = by_id.get(page.doc_id)
                if result is None or result.outcome in ("failed", "skipped"):
                    reason = result.reason if result else "not ingested"
                    self.state.set_status(page.doc_id, "rejected")
                    outcome = "duplicate" if reason.startswith("duplicate") else "failed"
                    self._annotate(runs, page.doc_id, outcome, f"ingest: {reason}")
                    continue
                self.state.set_status(page.doc_id, "indexed", page.text_sha)
                if result.outcome in ("ingested", "updated"):
                    self.report.documents_ingested += 1
                    self.report.chunks_embedded += result.chunks
                    self._annotate(runs, page.doc_id, "fetched",
                                   f"{result.outcome}, {result.chunks} chunks")
                else:
                    self._annotate(runs, page.doc_id, "fetched", "already in the index")

    def _annotate(self, runs: list[int], doc_id: str, outcome: str, reason: str) -> None:
        for run, row in self.state.outcomes(runs):
            if row.doc_id == doc_id and row.outcome == "fetched":
                self.state.record(run, Outcome(row.url, row.kind, outcome, reason, doc_id))

    def _vanished(self) -> None:
        gone = [(run, row) for run, row in self.state.outcomes(list(self.run_source))
                if row.outcome == "vanished" and "crawl --prune" not in row.reason]
        if not gone:
            return
        if self.prune:
            from ingest.pipeline import remove

            remove(self.settings, [row.doc_id for _, row in gone], "vanished from its site")
        with self.state.transaction():
            for run, row in gone:
                if self.prune:
                    self.state.forget_page(row.doc_id)
                    self.state.record(run, Outcome(row.url, row.kind, "removed",
                                                   f"{row.reason}; removed from the library",
                                                   row.doc_id))
                else:
                    self.state.set_status(row.doc_id, "gone")
                    self.state.record(run, Outcome(row.url, row.kind, "vanished",
                                                   f"{row.reason}; kept in the library "
                                                   "(crawl --prune removes it)", row.doc_id))

    def _collect(self, runs: list[int]) -> None:
        for run, row in self.state.outcomes(runs):
            self.report.results.append(UrlResult(self.run_source[run].name, row.url, row.kind,
                                                 row.outcome, row.reason, row.doc_id))


def _exclusive(path: Path):
    """One crawl per index at a time (two would take the same queue items); a second one
    gets a clear error instead of waiting."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise CrawlError(f"another crawl is running on {path.parent}; wait for it to finish "
                         "(a stopped crawl resumes where it left off)") from None
    return handle


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def crawl(settings: Settings, sources: list[CrawlSource], prune: bool = False,
          on_progress: Callable[[CrawlProgress], None] | None = None) -> CrawlReport:
    """Crawl `sources` (resuming any crawl of them that was killed) and ingest what changed."""
    return Crawler(settings, sources, prune, on_progress).run()
