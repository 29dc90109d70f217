"""Read-only views of the library for browsing: the document list and one document's text.

The UI reads the index only through here (and LibraryIndex), never through Chroma directly.
"""

from __future__ import annotations

import re
from dataclasses import asdict

from assistant.store import LibraryIndex

MAX_OVERLAP_CHARS = 600  # chunk_overlap is ~30 tokens (~150 chars); leave room for long words


def list_documents(index: LibraryIndex) -> list[dict]:
    """One row per stored document: id, title, type, publisher, date, url, chunks."""
    rows = []
    for doc_id, state in sorted(index.documents().items(), key=lambda kv: kv[1].title.lower()):
        row = {k: v for k, v in asdict(state).items()
               if k in ("title", "type", "publisher", "date", "url", "source")}
        rows.append({"doc_id": doc_id, **row, "chunks": state.stored_chunks})
    return rows


def document_chunks(index: LibraryIndex, doc_id: str) -> list[tuple[dict, str]]:
    """(metadata, text) of each chunk of one document, in chunk_index order."""
    got = index.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
    pairs = list(zip(got["metadatas"], got["documents"]))
    return sorted(pairs, key=lambda p: int(p[0].get("chunk_index", 0)))


def drop_overlap(previous: str, current: str) -> str:
    """`current` without its opening text that repeats the end of `previous` (the splitter's
    overlap). Exact match only: when unsure, the text is kept (a repeat beats a gap)."""
    longest = min(len(previous), len(current), MAX_OVERLAP_CHARS)
    for size in range(longest, 15, -1):
        if previous.endswith(current[:size]):
            return current[size:].lstrip()
    return current


def document_text(index: LibraryIndex, doc_id: str) -> tuple[dict, list[tuple[str, str]]]:
    """The document's metadata and its cleaned text as (section, text) parts, overlaps
    removed."""
    chunks = document_chunks(index, doc_id)
    if not chunks:
        return {}, []
    meta = {k: chunks[0][0].get(k, "") for k in
            ("title", "type", "publisher", "date", "url", "source", "doc_id")}
    parts: list[tuple[str, str]] = []
    previous = ""
    for chunk_meta, text in chunks:
        trimmed = drop_overlap(previous, text)
        previous = text
        section = str(chunk_meta.get("section", ""))
        if parts and parts[-1][0] == section:
            parts[-1] = (section, f"{parts[-1][1]} {trimmed}".strip())
        elif trimmed:
            parts.append((section, trimmed))
    return meta, parts


def document_texts(index: LibraryIndex) -> dict[str, str]:
    """Each document's stored text (its chunks joined), for word and phrase search."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for _, texts, metas in index.all_chunks():
        for text, meta in zip(texts, metas):
            parts.setdefault(str(meta.get("doc_id", "")), []).append(
                (int(meta.get("chunk_index", 0)), text))
    return {d: "\n".join(t for _, t in sorted(p)) for d, p in parts.items()}


def search_text(texts: dict[str, str], query: str, phrase: bool = False) -> dict[str, int]:
    """doc_id -> hits for documents containing every word of `query` (any case), or the exact
    phrase (case and spacing as typed, punctuation included) when `phrase` is set."""
    query = query.strip()
    if not query:
        return {}
    if phrase:
        return {d: t.count(query) for d, t in texts.items() if query in t}
    words = [w.lower() for w in re.findall(r"\w[\w'’-]*", query)]
    out = {}
    for doc_id, text in texts.items():
        lowered = text.lower()
        counts = [len(re.findall(rf"\b{re.escape(w)}\b", lowered)) for w in words]
        if words and all(counts):
            out[doc_id] = sum(counts)
    return out


def sort_documents(rows: list[dict], key: str) -> list[dict]:
    """By title (A-Z), date (newest first, undated last), publisher, or chunks (most first)."""
    if key == "date":
        return sorted(rows, key=lambda r: str(r.get("date") or "0000"), reverse=True)
    if key == "chunks":
        return sorted(rows, key=lambda r: -int(r.get("chunks", 0)))
    if key == "publisher":
        return sorted(rows, key=lambda r: (str(r.get("publisher", "")).lower(),
                                           str(r.get("title", "")).lower()))
    return sorted(rows, key=lambda r: str(r.get("title", "")).lower())
