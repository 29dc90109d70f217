"""What every reader shares: the error it raises and how bytes become text."""

from __future__ import annotations

from pathlib import Path


class ReaderError(Exception):
    """A file that cannot be read, with the reason in words a user can act on."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):  # survive the trip back from the reader worker process
        return (type(self), (self.path, self.reason))


# cp1252 before latin-1: it maps 0x80-0x9f to the curly quotes and dashes that Windows text uses.
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode_text(data: bytes, path: Path | str) -> str:
    if not data.strip():
        raise ReaderError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise ReaderError(path, "binary data, not text (contains NUL bytes)")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(8, len(text[:8192]) // 50):
        raise ReaderError(path, "binary data, not text (too many control characters)")
    return text


def read_text_file(path: Path) -> str:
    return decode_text(path.read_bytes(), path)
