"""PDF through pypdf: one Document per page, so citations keep page numbers."""

from __future__ import annotations

import logging
from pathlib import Path

from llama_index.core import Document
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ingest.clean import strip_boilerplate, text_to_markdown
from ingest.readers.base import ReaderError

# pypdf logs a warning per malformed object; the ingest report already says what failed.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path) -> list[Document]:
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReaderError(path, "encrypted PDF (needs a password)")
            except ReaderError:
                raise
            except Exception as exc:
                raise ReaderError(path, f"encrypted PDF that cannot be opened ({exc})") from exc
        pages = list(reader.pages)
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
    except ReaderError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ReaderError(path, f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on hostile input
        raise ReaderError(path, f"corrupt or unreadable PDF ({type(exc).__name__})") from exc

    documents = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:
            raise ReaderError(path, f"cannot extract text from page {number} ({exc})") from exc
        text = strip_boilerplate(text)
        if text.strip():
            metadata = {"page": number}
            if title:
                metadata["title"] = title
            documents.append(Document(text=text_to_markdown(text), metadata=metadata))
    if not documents:
        raise ReaderError(
            path, "PDF has no text layer (scanned images?); OCR is not available, so skipped"
        )
    return documents
