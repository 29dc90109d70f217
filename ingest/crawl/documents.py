"""What a fetched page is: its main text, title and date, near-duplicate keys, and whether it
is only a script shell. Extraction is trafilatura's (the same call the HTML reader makes),
dates are htmldate's, near-duplicates trafilatura's Simhash."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlparse

import trafilatura
from htmldate import find_date
from trafilatura.deduplication import Simhash
from trafilatura.utils import load_html

from ingest.crawl.scope import canonical

# What script-only pages say to a reader without JavaScript.
NEEDS_JS = re.compile(r"(enable|turn on|activate)\s+javascript|javascript\s+(is\s+)?"
                      r"(required|disabled|needed)|requires\s+javascript|needs\s+javascript",
                      re.IGNORECASE)
GENERIC_ANCHORS = {"", "download", "pdf", "here", "click here", "read more", "more", "link"}


@dataclass
class PageText:
    text: str
    title: str
    date: str
    canonical: str  # the page's <link rel="canonical">, '' when absent or itself
    script_shell: bool

    @property
    def sha(self) -> str:
        return text_sha(self.text)

    @property
    def simhash(self) -> str:
        return Simhash(self.text).to_hex() if self.text else ""


def text_sha(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return Simhash(existing_hash=a).similarity(Simhash(existing_hash=b))


def analyse_html(html: str, url: str) -> PageText:
    tree = load_html(html)
    if tree is None:
        return PageText("", "", "", "", False)
    text = trafilatura.extract(html, url=url, output_format="txt", include_comments=False,
                               include_tables=True, favor_recall=True) or ""
    meta = trafilatura.extract_metadata(tree, default_url=url)
    title = (meta.title if meta and meta.title else "") or ""
    date = find_date(tree, url=url, original_date=True, extensive_search=False) or ""
    declared = ""
    for link in tree.xpath('//link[@rel="canonical"][@href]'):
        target = canonical(urljoin(url, link.get("href", "")))
        if target and target != canonical(url):
            declared = target
        break
    return PageText(text, title, date, declared, _script_shell(tree, text))


def _script_shell(tree, text: str) -> bool:
    """A page whose readable text is (almost) nothing but a plea for JavaScript, or an empty
    body that scripts are meant to fill."""
    visible = " ".join(tree.xpath("//body//text()[not(ancestor::script) and "
                                  "not(ancestor::style) and not(ancestor::noscript)]"))
    visible = " ".join(visible.split())
    asks = bool(NEEDS_JS.search(" ".join(tree.xpath("//noscript//text()")) + " " + visible))
    scripts = len(tree.xpath("//script"))
    return len(text) < 200 and (asks or (scripts > 0 and len(visible) < 40))


def pdf_title(anchor: str, url: str) -> str:
    """A PDF's title when it has none of its own: the link's words, else the file name."""
    if anchor.strip().lower() not in GENERIC_ANCHORS and len(anchor) >= 8:
        return anchor.strip()
    name = unquote(urlparse(url).path.rsplit("/", 1)[-1])
    return re.sub(r"[-_]+", " ", name.rsplit(".", 1)[0]).strip() or url
