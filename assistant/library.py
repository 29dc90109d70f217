"""Read-only views of the library for browsing: the document list and one document's text.

The UI reads the index only through here (and LibraryIndex), never through Chroma directly.
"""

from __future__ import annotations

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
