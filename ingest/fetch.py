"""Fetch a URL safely and keep a copy, so a later rebuild is reproducible offline.

Hand-written on httpx because trafilatura's fetch_url cannot refuse private addresses or
check each redirect hop. Guards: http(s) only; the host of every hop must resolve to public
addresses (unless allowed); bounded redirects, retries, timeouts and size; content-type check.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from assistant.settings import Settings

ACCEPTED_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "text/plain": ".txt", "text/markdown": ".md",
}


class FetchError(Exception):
    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(f"{url}: {reason}")


@dataclass
class Fetched:
    url: str
    final_url: str
    path: Path  # the cached body, named with the extension its content type implies
    content_type: str
    from_cache: bool


def _check_host(url: str, allow_private: bool) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https URLs are fetched, not {parsed.scheme or '(none)'}")
    if not parsed.hostname:
        raise FetchError(url, "URL has no host")
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(url, f"host {parsed.hostname} does not resolve ({exc.strerror})") from exc
    if allow_private:
        return
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified):
            raise FetchError(url, f"host {parsed.hostname} resolves to a non-public address "
                                  f"({address}); set MISSION_FETCH_ALLOW_PRIVATE=true to allow")


def _cache_files(settings: Settings, url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode()).hexdigest()[:24]
    root = settings.url_cache_path
    return root / f"{key}.json", root / key


def _from_cache(settings: Settings, url: str) -> Fetched | None:
    meta_path, stem = _cache_files(settings, url)
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text())
    body = stem.with_suffix(ACCEPTED_TYPES.get(meta["content_type"], ".html"))
    if not body.exists():
        return None
    return Fetched(url, meta["final_url"], body, meta["content_type"], True)


def _download(client: httpx.Client, url: str, settings: Settings) -> tuple[str, str, bytes]:
    """GET with manual redirects (each hop re-checked) and a streamed size cap."""
    limit = int(settings.fetch_max_mb * 1e6)
    current = url
    for _ in range(settings.fetch_max_redirects + 1):
        _check_host(current, settings.fetch_allow_private)
        with client.stream("GET", current) as response:
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(url, f"redirect from {current} without a Location")
                current = urljoin(current, location)
                continue
            if response.status_code >= 400:
                raise FetchError(url, f"HTTP {response.status_code} from {current}")
            ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype not in ACCEPTED_TYPES:
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
            return current, ctype, bytes(body)
    raise FetchError(url, f"more than {settings.fetch_max_redirects} redirects")


def fetch(url: str, settings: Settings) -> Fetched:
    """The page at `url`, from the cache when present (unless fetch_refresh) or downloaded."""
    url = url.strip()
    cached = None if settings.fetch_refresh else _from_cache(settings, url)
    if cached:
        return cached
    headers = {"User-Agent": settings.fetch_user_agent,
               "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.8"}
    timeout = httpx.Timeout(settings.fetch_timeout_s)
    last: Exception | None = None
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=False) as client:
        for attempt in range(settings.fetch_retries + 1):
            try:
                final_url, ctype, body = _download(client, url, settings)
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
    meta_path, stem = _cache_files(settings, url)
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    body_path = stem.with_suffix(ACCEPTED_TYPES[ctype])
    body_path.write_bytes(body)
    meta_path.write_text(json.dumps({"url": url, "final_url": final_url, "content_type": ctype,
                                     "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                 time.gmtime())}))
    return Fetched(url, final_url, body_path, ctype, False)
