"""Which URLs a source covers: one canonical spelling per URL (courlan), then its scope."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urldefrag, urlparse

from courlan import is_not_crawlable, normalize_url, scrub_url

from ingest.crawl.sources import CrawlSource

# Paths that are pages (or directories) rather than files; anything else that is not a PDF
# (images, archives, stylesheets) is never fetched.
PAGE_SUFFIXES = {"", ".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".shtml"}


def canonical(url: str) -> str | None:
    """courlan's normal form (lower-case host, default port dropped, tracking parameters such
    as utm_* removed, query sorted) without the fragment; None for what is not http(s)."""
    try:
        cleaned = normalize_url(scrub_url(url))
    except (ValueError, AttributeError):
        return None
    cleaned = urldefrag(cleaned)[0]
    parsed = urlparse(cleaned)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return None
    return cleaned


def kind_of(url: str) -> str | None:
    """'pdf', 'page', or None for another file type."""
    suffix = PurePosixPath(urlparse(url).path).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in PAGE_SUFFIXES or not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        return "page"  # '/2024/03/v1.2-update' is a page, not a '.2-update' file
    return None


def host_of(url: str) -> str:
    return urlparse(url).netloc.lower()


def out_of_scope(source: CrawlSource, url: str, kind: str, linked_from_page: bool) -> str:
    """'' when `url` is in the source's scope, else the reason it is not.

    A PDF linked from an in-scope page is in scope wherever it lives (reports sit on CDNs)
    and whatever the include patterns say; the exclude patterns still apply to it."""
    if kind is None:
        return "not an HTML page or a PDF"
    if kind == "pdf" and "pdf" not in source.file_types:
        return "PDFs are not among this source's file types"
    for pattern in source.exclude:
        if re.search(pattern, url):
            return f"matches exclude pattern {pattern!r}"
    if kind == "pdf" and linked_from_page:
        return ""
    if host_of(url) not in source.hosts:
        return f"host {host_of(url)} is not among the source's hosts ({', '.join(source.hosts)})"
    if source.include and not any(re.search(p, url) for p in source.include) \
            and url not in source.start:
        return "matches none of the include patterns"
    if is_not_crawlable(url):
        return "a login, account or feed-admin page"
    return ""
