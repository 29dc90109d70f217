"""Fetch a URL safely and keep a copy, so a later rebuild is reproducible offline.

Hand-written on httpx because trafilatura's fetch_url cannot refuse private addresses or
check each redirect hop. Guards: http(s) only; every hop connects only to addresses the guard
approves (ingest/guard.py: public, or a host listed in fetch_private_hosts); bounded
redirects, retries, timeouts and size; content-type check. Conditional requests (ETag /
Last-Modified) revalidate a cached copy, and a `before_hop` hook lets the crawler apply its
per-host politeness and robots.txt to every request, redirects included.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urljoin, urlparse

import httpx

from assistant.settings import Settings
from ingest.guard import GuardedTransport, HostRefused

DOCUMENT_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "text/plain": ".txt", "text/markdown": ".md",
}
ACCEPTED_TYPES = DOCUMENT_TYPES  # the name other modules know
# Sitemaps and feeds: read by the crawler to find pages, never ingested.
DISCOVERY_TYPES = {
    "application/xml": ".xml", "text/xml": ".xml", "application/rss+xml": ".xml",
    "application/atom+xml": ".xml", "application/feed+json": ".json",
    "application/json": ".json", "text/plain": ".txt", "application/x-gzip": ".gz",
    "text/html": ".html",
}
ANY_TYPE = None  # robots.txt is read whatever type the server claims


class FetchError(Exception):
    def __init__(self, url: str, reason: str, status: int | None = None):
        self.url, self.reason, self.status = url, reason, status
        super().__init__(f"{url}: {reason}")


@dataclass
class Fetched:
    url: str
    final_url: str
    path: Path  # the cached body, named with the extension its content type implies
    content_type: str
    from_cache: bool
    status: int = 200  # 304: the cached copy was revalidated, nothing downloaded
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _check_scheme(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https URLs are fetched, not {parsed.scheme or '(none)'}")
    if not parsed.hostname:
        raise FetchError(url, "URL has no host")


def _cache_files(root: Path, url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode()).hexdigest()[:24]
    return root / f"{key}.json", root / key


def _suffix(types: Mapping[str, str] | None, ctype: str) -> str:
    return (types or {}).get(ctype) or DOCUMENT_TYPES.get(ctype) or ".txt"


def _from_cache(root: Path, url: str, types: Mapping[str, str] | None) -> Fetched | None:
    meta_path, stem = _cache_files(root, url)
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text())
    body = stem.with_suffix(_suffix(types, meta["content_type"]))
    if not body.exists():
        return None
    return Fetched(url, meta["final_url"], body, meta["content_type"], True,
                   etag=meta.get("etag", ""), last_modified=meta.get("last_modified", ""))


@dataclass
class _Response:
    final_url: str
    status: int
    content_type: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def _download(client: httpx.Client, url: str, settings: Settings, types: Mapping[str, str] | None,
              validators: dict[str, str], before_hop: Callable[[str], None] | None,
              after_hop: Callable[[str], None] | None) -> _Response:
    """GET with manual redirects (each hop re-checked) and a streamed size cap."""
    limit = int(settings.fetch_max_mb * 1e6)
    current = url
    for hop in range(settings.fetch_max_redirects + 1):
        _check_scheme(current)
        if before_hop:
            before_hop(current)
        try:
            with client.stream("GET", current, headers=validators) as response:
                if response.status_code == 304 and validators:
                    return _Response(current, 304)
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(url, f"redirect from {current} without a Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(url, f"HTTP {response.status_code} from {current}",
                                     response.status_code)
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if types is not ANY_TYPE and ctype not in types:
                    raise FetchError(url, f"unsupported content type {ctype or '(none)'}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, f"response is {int(declared) / 1e6:.1f} MB, over the "
                                          f"{settings.fetch_max_mb} MB cap")
                body = bytearray()
                for piece in response.iter_bytes():
                    body.extend(piece)
                    if len(body) > limit:
                        raise FetchError(url, f"response exceeds the {settings.fetch_max_mb} MB cap")
                return _Response(current, response.status_code, ctype, bytes(body),
                                 response.headers.get("etag", ""),
                                 response.headers.get("last-modified", ""))
        except HostRefused as exc:
            where = f"redirect hop {hop} to {current} refused: " if hop else ""
            raise FetchError(url, where + exc.reason) from exc
        finally:
            if after_hop:
                after_hop(current)
    raise FetchError(url, f"more than {settings.fetch_max_redirects} redirects")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def fetch(url: str, settings: Settings, *, revalidate: bool = False,
          types: Mapping[str, str] | None = DOCUMENT_TYPES, cache_dir: Path | None = None,
          before_hop: Callable[[str], None] | None = None,
          after_hop: Callable[[str], None] | None = None) -> Fetched:
    """The page at `url`, from the cache when present (unless fetch_refresh) or downloaded.

    revalidate: ask the server whether the cached copy changed (If-None-Match /
    If-Modified-Since) and download only if it did; a 304 returns the cached copy with
    status 304. types: accepted content types (ANY_TYPE for robots.txt). cache_dir: where
    the copy is kept (default the corpus URL cache). before_hop / after_hop: called with each
    URL just before it is requested and once its response is done (redirects and retries
    included); before_hop may wait or raise FetchError.
    """
    url = url.strip()
    root = cache_dir or settings.url_cache_path
    cached = _from_cache(root, url, types)
    if cached and not revalidate and not settings.fetch_refresh:
        return cached
    validators = {}
    if cached and revalidate:
        if cached.etag:
            validators["If-None-Match"] = cached.etag
        if cached.last_modified:
            validators["If-Modified-Since"] = cached.last_modified
    accept = ",".join(types) if types else "*/*"
    headers = {"User-Agent": settings.user_agent, "Accept": accept}
    timeout = httpx.Timeout(settings.fetch_timeout_s)
    last: Exception | None = None
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=False,
                      transport=GuardedTransport(settings), trust_env=False) as client:
        for attempt in range(settings.fetch_retries + 1):
            try:
                got = _download(client, url, settings, types, validators, before_hop,
                                after_hop)
                break
            except FetchError as exc:
                retryable = exc.reason.startswith(("HTTP 429", "HTTP 5"))
                if not retryable or attempt == settings.fetch_retries:
                    raise
                last = exc
            except httpx.HTTPError as exc:  # timeouts, refused connections, bad TLS
                last = FetchError(url, f"{type(exc).__name__}: {exc}" if str(exc)
                                  else type(exc).__name__)
                if attempt == settings.fetch_retries:
                    raise last from exc
            time.sleep(min(0.5 * 2 ** attempt, 4.0))
        else:  # pragma: no cover - loop always breaks or raises
            raise last or FetchError(url, "failed")
    if got.status == 304 and cached:
        cached.status, cached.from_cache = 304, True
        return cached
    meta_path, stem = _cache_files(root, url)
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    body_path = stem.with_suffix(_suffix(types, got.content_type))
    # Body first, then the metadata that vouches for it, each replaced atomically: a process
    # killed in between leaves the old validators, so the next revalidation downloads again.
    _write_atomic(body_path, got.body)
    _write_atomic(meta_path, json.dumps({
        "url": url, "final_url": got.final_url, "content_type": got.content_type,
        "etag": got.etag, "last_modified": got.last_modified,
        "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}).encode())
    return Fetched(url, got.final_url, body_path, got.content_type, False, got.status,
                   got.etag, got.last_modified)
