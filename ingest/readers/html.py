"""HTML through trafilatura: main text as Markdown (headings kept) plus page metadata."""

from __future__ import annotations

from pathlib import Path

import trafilatura
from llama_index.core import Document

from ingest.clean import strip_boilerplate
from ingest.readers.base import ReaderError, decode_text


def html_to_documents(html: str, source: str, url: str | None = None) -> list[Document]:
    """Shared by the file reader and the URL fetcher."""
    text = trafilatura.extract(
        html,
        url=url,
        output_format="markdown",
        include_comments=False,
        include_tables=True,
        include_links=False,
        favor_recall=True,
    )
    if not text or not text.strip():
        raise ReaderError(source, "no readable text in the HTML (only scripts or markup?)")
    metadata: dict[str, str] = {}
    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is not None:
        for key, attr in (
            ("title", "title"),
            ("author", "author"),
            ("date", "date"),
            ("publisher", "sitename"),
            ("url", "url"),
        ):
            value = getattr(meta, attr, None)
            if value:
                metadata[key] = str(value)
    return [Document(text=strip_boilerplate(text), metadata=metadata)]


def read_html(path: Path) -> list[Document]:
    return html_to_documents(decode_text(path.read_bytes(), path), str(path))
