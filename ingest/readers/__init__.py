"""One small reader per format; each turns a file into llama-index Documents with metadata.

A reader is any callable ``(Path) -> list[Document]`` that raises ``ReaderError`` with a
readable reason for bad input. Register new formats in READERS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from llama_index.core import Document

from ingest.readers.base import ReaderError
from ingest.readers.html import read_html
from ingest.readers.markdown import read_markdown
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_text

Reader = Callable[[Path], list[Document]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}


def read_file(path: Path) -> list[Document]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReaderError(
            path, f"unsupported file type {path.suffix or '(none)'}; use {', '.join(READERS)}"
        )
    try:
        return reader(path)
    except ReaderError:
        raise
    except RecursionError as exc:
        raise ReaderError(path, "file is nested too deeply to parse") from exc
    except Exception as exc:  # a library failing on malformed input: still one clear line
        raise ReaderError(path, f"could not read ({type(exc).__name__}: {str(exc)[:120]})") from exc


__all__ = ["READERS", "Reader", "ReaderError", "read_file"]
