"""Plain text: strip page chrome, turn heading-like lines into Markdown headings."""

from __future__ import annotations

import re
from pathlib import Path

from llama_index.core import Document

from ingest.clean import strip_boilerplate, text_to_markdown
from ingest.readers.base import ReaderError, read_text_file
from ingest.readers.markdown import markdown_documents

_DATE_LINE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")


def read_text(path: Path) -> list[Document]:
    raw = read_text_file(path)
    if raw.startswith("---\n"):  # a Markdown note saved as .txt (seen in the seeds)
        return markdown_documents(raw, path)
    text = strip_boilerplate(raw)
    if not text.strip():
        raise ReaderError(path, "no text after removing page chrome")
    first = text.split("\n", 1)[0].strip()
    metadata = {"title": first} if 0 < len(first) <= 150 else {}
    date = _DATE_LINE.search(raw[:300])
    if date:
        metadata["date"] = date.group(1)
    return [Document(text=text_to_markdown(text), metadata=metadata)]
