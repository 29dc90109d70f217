"""Finding URLs in what the crawler fetched: sitemaps, feeds and HTML pages.

Each discovery kind is a callable (text, url) -> Found, registered in DISCOVERY (in
ingest/crawl/__init__.py). Parsing is trafilatura's (sitemaps.SitemapObject, feeds.find_links
and determine_feed), given content the guarded client fetched: trafilatura's own downloader
cannot check each redirect hop's address. Links in pages are read with lxml rather than
courlan.extract_links, which keeps neither the anchor text (a PDF's best title) nor links to
files such as PDFs.
"""

from __future__ import annotations

import gzip
import html
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

from trafilatura.feeds import FeedParameters, determine_feed, find_links
from trafilatura.sitemaps import SitemapObject
from trafilatura.utils import load_html

from ingest.crawl.scope import canonical


@dataclass
class Found:
    links: list[tuple[str, str]] = field(default_factory=list)  # (canonical URL, anchor text)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    # (URL as written, canonical URL) where normalising dropped query parameters (utm_* ...)
    aliases: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.links) + len(self.sitemaps) + len(self.feeds)


def _unique(urls) -> list[str]:
    return list(dict.fromkeys(u for u in (canonical(x) for x in urls) if u))


def _aliases(urls) -> list[tuple[str, str]]:
    """Written URLs whose query lost parameters to normalisation: tracking copies of a page."""
    pairs = []
    for raw in urls:
        target = canonical(raw)
        if target and urlparse(raw).query and urlparse(raw).query != urlparse(target).query:
            pairs.append((html.unescape(raw.split("#", 1)[0]), target))
    return list(dict.fromkeys(pairs))


def decode(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def from_sitemap(text: str, url: str) -> Found:
    """A sitemap index (more sitemaps) or a URL set (pages), XML or plain text."""
    parsed = urlparse(url)
    sitemap = SitemapObject(f"{parsed.scheme}://{parsed.netloc}", parsed.hostname or "", [],
                            external=True)  # scope is ours to decide, per source
    sitemap.current_url, sitemap.content = url, text
    sitemap.process()
    return Found(links=[(u, "") for u in _unique(sitemap.urls)],
                 sitemaps=[u for u in _unique(sitemap.sitemap_urls) if u != canonical(url)])


def from_feed(text: str, url: str) -> Found:
    """The entries of an RSS, Atom or JSON feed."""
    parsed = urlparse(url)
    params = FeedParameters(f"{parsed.scheme}://{parsed.netloc}", parsed.hostname or "", url,
                            external=True)
    links = [urljoin(url, link.strip()) for link in find_links(text.strip(), params)]
    return Found(links=[(u, "") for u in _unique(links)], aliases=_aliases(links))


def from_page(text: str, url: str) -> Found:
    """Links (with their anchor text) and advertised feeds of an HTML page."""
    tree = load_html(text)
    if tree is None:
        return Found()
    links: dict[str, str] = {}
    written = []
    for anchor in tree.xpath("//a[@href]"):
        if "nofollow" in (anchor.get("rel") or "").lower():
            continue
        written.append(urljoin(url, anchor.get("href", "").strip()))
        target = canonical(written[-1])
        if target and target not in links:
            links[target] = " ".join(anchor.text_content().split())[:200]
    parsed = urlparse(url)
    params = FeedParameters(f"{parsed.scheme}://{parsed.netloc}", parsed.hostname or "", url)
    feeds = _unique(urljoin(url, f) for f in determine_feed(text, params))
    return Found(links=list(links.items()), feeds=feeds, aliases=_aliases(written))
