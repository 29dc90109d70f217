"""Sentence spans inside a chunk, so a quote is always an exact slice of the stored text.

Spans are a pure function of the text, so they are memoised; ingest stores every chunk's spans
with its sentence vectors (assistant/sentence_store.py), and a question fills the memo from
there (`remember_spans`) instead of running punkt: importing NLTK alone takes ~1.6 s, most of
a fresh `ask` process's budget.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from functools import lru_cache
from pathlib import Path

_HEADING = re.compile(r"^\s*#{1,6}\s")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")


_KNOWN: dict[str, tuple[tuple[int, int], ...]] = {}
_KNOWN_MAX = 20_000  # texts (chunks) whose spans are kept; cleared when full
_known_lock = threading.Lock()


@lru_cache(maxsize=1)
def _punkt():
    import nltk
    from nltk.tokenize.punkt import PunktTokenizer

    # llama-index ships NLTK's punkt_tab data; point NLTK at it so nothing is downloaded
    # (found without importing llama-index, which takes a second).
    package = importlib.util.find_spec("llama_index.core").submodule_search_locations[0]
    data_dir = str(Path(package) / "_static" / "nltk_cache")
    if data_dir not in nltk.data.path:
        nltk.data.path.append(data_dir)
    return PunktTokenizer("english")


def remember_spans(text: str, spans) -> None:
    """Record the spans of `text` computed elsewhere (ingest stored them), so sentence_spans
    returns them without punkt."""
    with _known_lock:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[text] = tuple((int(s), int(e)) for s, e in spans)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, headings skipped, bullets trimmed.

    Lines are split first (a bullet or heading never runs into the next line), then punkt
    splits each line into sentences using its English abbreviation list.
    """
    known = _KNOWN.get(text)
    if known is not None:
        return list(known)
    spans = _split(text)
    remember_spans(text, spans)
    return spans


def _split(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start_of_line = pos
        pos += len(line) + 1
        if not line.strip() or _HEADING.match(line):
            continue
        bullet = _BULLET.match(line)
        offset = bullet.end() if bullet else 0
        body = line[offset:]
        for s, e in _punkt().span_tokenize(body):
            spans.append((start_of_line + offset + s, start_of_line + offset + e))
    return spans
