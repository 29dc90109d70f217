"""Which inputs an ingest run covers: manifest entries, loose files in the corpus folder, and
paths given on the command line — each with a stable document id and a version hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ingest import clean
from ingest.crawl.state import library_entries
from ingest.manifest import ManifestEntry, load_manifest
from ingest.readers import READERS
from assistant.settings import Settings

# Bump when readers or chunking change in a way that alters chunks: every document re-ingests.
PIPELINE_VERSION = "4"  # 3: structure-aware chunking, list flags, joined words, video times;
# 4: timestamp anchors wrapped in a broken Markdown link
IGNORED_NAMES = {"manifest.yaml", "manifest.yml", "sources.yaml", "sources.yml", "SOURCES.md",
                 "README.md", ".gitkeep"}


@dataclass
class Source:
    doc_id: str
    path: Path | None  # for a URL: the cached copy, filled in once fetched
    entry: ManifestEntry | None = None
    url: str = ""  # set for inputs that are fetched rather than read from disk

    @property
    def label(self) -> str:
        return self.url or (str(self.path) if self.path else self.doc_id)


def url_doc_id(url: str) -> str:
    """A URL is its own document id (fragment dropped: '#' separates chunk numbers)."""
    return url.strip().split("#", 1)[0]


def pipeline_fingerprint(settings: Settings) -> str:
    """Everything besides the file that decides its chunks: code version, rules, chunk sizes,
    embedding model."""
    parts = [PIPELINE_VERSION, clean.CUT_FROM, clean.DROP_LINE, clean.JOINED_WORDS,
             settings.chunk_size,
             settings.chunk_overlap, settings.embedding_model]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_hash(data: bytes, entry: ManifestEntry | None, fingerprint: str) -> str:
    meta = entry.model_dump_json() if entry else ""
    return hashlib.sha256(fingerprint.encode() + meta.encode() + data).hexdigest()[:32]


def discover(settings: Settings, extra_paths: list[Path] | None = None,
             include_corpus: bool = True, urls: list[str] | None = None,
             entries: list[ManifestEntry] | None = None) -> list[Source]:
    """Manifest entries first (with the crawled documents the crawl state keeps), then
    unlisted files under the corpus folder and the app's uploads, then extra paths, URLs and
    entries."""
    sources: list[Source] = []
    listed: set[Path] = set()
    extra_entries = list(entries or [])
    if include_corpus:
        crawled = library_entries(settings.crawl_state_path)
        given = {e.id for e in extra_entries}
        extra_entries += [e for e in crawled if e.id not in given]
        for entry in load_manifest(settings.manifest_path):
            if not entry.path:  # a URL-only entry: fetched (or taken from the cache) at ingest
                sources.append(Source(entry.id, None, entry, url=entry.url))
                continue
            path = (settings.corpus_dir / entry.path).resolve()
            listed.add(path)
            sources.append(Source(entry.id, path, entry))
        if settings.corpus_dir.is_dir():
            for path in sorted(settings.corpus_dir.rglob("*")):
                if path.is_file() and path.name not in IGNORED_NAMES \
                        and not any(p.startswith(".") for p in path.relative_to(settings.corpus_dir).parts) \
                        and path.resolve() not in listed:
                    sources.append(Source(path.relative_to(settings.corpus_dir).as_posix(), path))
        # Files added in the app belong to the library too: `ingest --prune` keeps them.
        if settings.uploads_dir.is_dir():
            for path in sorted(settings.uploads_dir.iterdir()):
                if path.is_file() and path.resolve() not in listed:
                    listed.add(path.resolve())
                    sources.append(Source(path.name, path))
    for extra in extra_paths or []:
        files = sorted(p for p in extra.rglob("*") if p.is_file()) if extra.is_dir() else [extra]
        for path in files:
            if path.name in IGNORED_NAMES or path.resolve() in listed:
                continue
            listed.add(path.resolve())
            sources.append(Source(path.name, path))
    for url in urls or []:
        sources.append(Source(url_doc_id(url), None, url=url_doc_id(url)))
    for entry in extra_entries:  # crawled documents: metadata from the crawl, body cached
        path = (settings.corpus_dir / entry.path).resolve()
        listed.add(path)
        sources.append(Source(entry.id, path, entry))
    return sources


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS
