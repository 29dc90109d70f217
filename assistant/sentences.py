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


# Memo of punkt's split of one line's body: sentence_spans splits line by line, so the spans
# of a stored chunk also give those of any text made of its lines (a paragraph, a list item)
# and of a line cut before one of its sentences (the text before an anaphoric sentence).
_LINES: dict[str, tuple[tuple[int, int], ...]] = {}
_LINES_MAX = 100_000  # line bodies kept; cleared when full
_lock = threading.Lock()


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


def _bodies(text: str):
    """(offset in text, body) of each line that holds sentences: headings and blank lines
    skipped, a leading bullet or number cut off."""
    pos = 0
    for line in text.split("\n"):
        start_of_line = pos
        pos += len(line) + 1
        if not line.strip() or _HEADING.match(line):
            continue
        bullet = _BULLET.match(line)
        offset = bullet.end() if bullet else 0
        yield start_of_line + offset, line[offset:]


def _remember_line(body: str, spans) -> None:
    with _lock:
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        _LINES[body] = tuple(spans)


def remember_spans(text: str, spans) -> None:
    """Record the spans of `text` computed elsewhere (ingest stored them), so sentence_spans
    returns them, for this text and for texts made of its lines, without punkt. A line cut just
    before its k-th sentence keeps the first k-1 (punkt ends a text where a sentence ends;
    tests/test_sentence_store.py checks this on the sample library)."""
    spans = [(int(s), int(e)) for s, e in spans]
    for offset, body in _bodies(text):
        inside = [(s - offset, e - offset) for s, e in spans if offset <= s and e <= offset +
                  len(body)]
        _remember_line(body, inside)
        for k in range(1, len(inside)):
            prefix = body[:inside[k][0]]
            if prefix not in _LINES:
                _remember_line(prefix, inside[:k])


def forget_spans() -> None:
    """Empty the memo (benchmarks time a cold process with it)."""
    _LINES.clear()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, headings skipped, bullets trimmed.

    Lines are split first (a bullet or heading never runs into the next line), then punkt
    splits each line into sentences using its English abbreviation list.
    """
    spans: list[tuple[int, int]] = []
    for offset, body in _bodies(text):
        known = _LINES.get(body) if body.strip() else ()
        if known is None:
            known = tuple(_punkt().span_tokenize(body))
            _remember_line(body, known)
        spans += [(offset + s, offset + e) for s, e in known]
    return spans
