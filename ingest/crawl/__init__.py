"""Crawling publishers' sites: sources.yaml -> discovery -> polite, guarded fetches -> the
same ingest pipeline as files.

- sources.py   the source list and each source's scope and metadata
- scope.py     canonical URLs (courlan) and scope rules
- politeness.py robots.txt (RFC 9309) and the per-host clock
- discover.py  URLs from sitemaps, feeds and pages (trafilatura)
- documents.py page text, title, date, near-duplicate keys, script shells
- state.py     the SQLite frontier and per-URL state beside the index
- runner.py    the crawl loop and its ingest batches; report.py what it did

Discovery kinds form a name -> callable table, DISCOVERY, each (text, url) -> Found; the one
error type is CrawlError (a reason the user can act on).
"""

from ingest.crawl.discover import Found, from_feed, from_page, from_sitemap
from ingest.crawl.errors import CrawlError

DISCOVERY = {"sitemap": from_sitemap, "feed": from_feed, "page": from_page}

__all__ = ["DISCOVERY", "CrawlError", "Found"]
