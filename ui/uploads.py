"""Checks and storage for the 'Add documents' page, kept apart from Streamlit so they are
testable: type and size limits, safe file names, URL sanity, and the crawl action."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

from assistant import messages
from assistant.settings import Settings

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name with no directories or odd characters (uploads never choose the path)."""
    stem, dot, ext = Path(name).name.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else ext).strip("._") or "upload"
    return f"{stem[:80]}.{_UNSAFE.sub('', ext).lower()}" if dot else stem[:80]


def check_file(settings: Settings, name: str, size: int) -> str:
    """'' when acceptable, else the reason to show."""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in settings.upload_types:
        return messages.UI_UPLOAD_BAD_TYPE.format(name=name,
                                                  types=", ".join(settings.upload_types))
    if size > settings.upload_max_mb * 1e6:
        return messages.UI_UPLOAD_TOO_BIG.format(name=name, mb=size / 1e6,
                                                 limit=settings.upload_max_mb)
    return ""


def check_url(url: str) -> str:
    parsed = urlparse(url)
    ok = parsed.scheme in ("http", "https") and bool(parsed.netloc)
    return "" if ok else messages.UI_UPLOAD_BAD_URL.format(url=url)


def save(settings: Settings, name: str, data: bytes) -> Path:
    """Write an upload under index_dir/uploads/, never overwriting a different file."""
    folder = settings.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name)
    counter = 1
    while target.exists() and target.read_bytes() != data:
        target = folder / f"{target.stem}-{counter}{target.suffix}"
        counter += 1
    target.write_bytes(data)
    return target


def crawl_site(settings: Settings, url: str, publisher: str, doc_type: str, include: str,
               exclude: str, max_pages: int, max_depth: int,
               on_progress: Callable | None = None):
    """The page's crawl action, in one place so it can be gated by role and audited: check
    the form, build the source, crawl it (resuming a stopped crawl of the same site).
    Raises CrawlError with a reason to show."""
    from ingest.crawl import CrawlError
    from ingest.crawl.runner import crawl
    from ingest.crawl.sources import site_source

    url = url.strip()
    if check_url(url):
        raise CrawlError(check_url(url))
    source = site_source(url, publisher=publisher.strip(), type=doc_type,
                         include=[include.strip()] if include.strip() else [],
                         exclude=[exclude.strip()] if exclude.strip() else [],
                         max_pages=max_pages, max_depth=max_depth)
    return crawl(settings, [source], on_progress=on_progress)
