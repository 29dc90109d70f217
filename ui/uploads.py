"""Checks and storage for the 'Add documents' page, kept apart from Streamlit so they are
testable: type and size limits, safe file names, and URL sanity."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from assistant import messages
from assistant.settings import Settings

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name with no directories or odd characters (uploads never choose the path)."""
    stem, dot, ext = Path(name).name.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else ext).strip("._") or "upload"
    return f"{stem[:80]}.{_UNSAFE.sub('', ext).lower()}" if dot else stem[:80]


def check_file(settings: Settings, name: str, size: int) -> str:
    """'' when acceptable, else the reason to show."""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in settings.upload_types:
        return messages.UI_UPLOAD_BAD_TYPE.format(name=name,
                                                  types=", ".join(settings.upload_types))
    if size > settings.upload_max_mb * 1e6:
        return messages.UI_UPLOAD_TOO_BIG.format(name=name, mb=size / 1e6,
                                                 limit=settings.upload_max_mb)
    return ""


def check_url(url: str) -> str:
    parsed = urlparse(url)
    ok = parsed.scheme in ("http", "https") and bool(parsed.netloc)
    return "" if ok else messages.UI_UPLOAD_BAD_URL.format(url=url)


def save(settings: Settings, name: str, data: bytes) -> Path:
    """Write an upload under index_dir/uploads/, never overwriting a different file."""
    folder = settings.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name)
    counter = 1
    while target.exists() and target.read_bytes() != data:
        target = folder / f"{target.stem}-{counter}{target.suffix}"
        counter += 1
    target.write_bytes(data)
    return target
