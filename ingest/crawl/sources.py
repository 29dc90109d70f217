"""The source list (corpus/sources.yaml): publishers to crawl, each with its scope and the
metadata its documents get."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from ingest.crawl.errors import CrawlError
from ingest.manifest import DocType, first_error

FileType = Literal["html", "pdf"]


class TypeRule(BaseModel):
    pattern: str = Field(description="Regular expression searched in the URL.")
    type: DocType

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class CrawlSource(BaseModel):
    """One publisher: where to start, what is in scope, and what its documents are."""

    name: str = Field(description="Short unique name, used by `crawl --source NAME`.")
    publisher: str = Field(description="Publisher recorded on every document of this source.")
    start: list[str] = Field(min_length=1, description="Start pages (always fetched).")
    type: DocType = Field("web_page", description="Default document type.")
    types: list[TypeRule] = Field([], description="URL-pattern overrides, first match wins.")
    hosts: list[str] = Field([], description="Hosts in scope; default the start pages' hosts.")
    include: list[str] = Field([], description="URL regexes; when set, a URL must match one.")
    exclude: list[str] = Field([], description="URL regexes; a URL matching one is out of scope.")
    sitemaps: list[str] = Field([], description="Extra sitemap URLs (robots.txt's are read too).")
    feeds: list[str] = Field([], description="RSS/Atom/JSON feeds listing the source's posts.")
    max_pages: int | None = Field(None, ge=1, description="Default settings.crawl_max_pages.")
    max_depth: int | None = Field(None, ge=0, description="Default settings.crawl_max_depth.")
    file_types: list[FileType] = Field(["html", "pdf"], description="What becomes a document.")
    notes: str = ""

    @field_validator("start", "sitemaps", "feeds")
    @classmethod
    def _http(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ValueError(f"{url!r} is not an http(s) URL")
        return urls

    @field_validator("include", "exclude")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
        return patterns

    @model_validator(mode="after")
    def _default_hosts(self) -> "CrawlSource":
        if not self.hosts:
            self.hosts = sorted({urlparse(u).netloc.lower() for u in self.start})
        self.hosts = [h.lower() for h in self.hosts]
        return self

    def doc_type(self, url: str) -> str:
        return next((r.type for r in self.types if re.search(r.pattern, url)), self.type)


def load_sources(path: Path) -> list[CrawlSource]:
    if not path.exists():
        raise CrawlError(f"{path}: no source list (see README, 'Crawling publishers')")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CrawlError(f"{path}: not valid YAML ({exc})") from exc
    items = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise CrawlError(f"{path}: expected a top-level 'sources:' list")
    sources, seen = [], set()
    for i, item in enumerate(items, start=1):
        try:
            source = CrawlSource.model_validate(item)
        except ValidationError as exc:
            name = item.get("name", "?") if isinstance(item, dict) else "?"
            raise CrawlError(f"{path}: source {i} ({name}) {first_error(exc)}") from exc
        if source.name in seen:
            raise CrawlError(f"{path}: duplicate source name {source.name!r}")
        seen.add(source.name)
        sources.append(source)
    return sources


def select(sources: list[CrawlSource], names: list[str]) -> list[CrawlSource]:
    if not names:
        return sources
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise CrawlError(f"no source named {', '.join(unknown)}; known: {', '.join(by_name)}")
    return [by_name[n] for n in names]


def site_source(url: str, **scope) -> CrawlSource:
    """An ad-hoc source for `crawl URL` and the app: the site's host, the given scope."""
    host = urlparse(url).netloc.lower()
    values = {"name": host, "publisher": host, "start": [url]} | \
        {k: v for k, v in scope.items() if v not in (None, "", [], ())}
    try:
        return CrawlSource.model_validate(values)
    except ValidationError as exc:
        raise CrawlError(f"{url}: {first_error(exc)}") from exc
