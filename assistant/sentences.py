"""Sentence spans inside a chunk, so a quote is always an exact slice of the stored text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import nltk
import llama_index.core
from nltk.tokenize.punkt import PunktTokenizer

_HEADING = re.compile(r"^\s*#{1,6}\s")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")


@lru_cache(maxsize=1)
def _punkt() -> PunktTokenizer:
    # llama-index ships NLTK's punkt_tab data; point NLTK at it so nothing is downloaded.
    data_dir = str(Path(llama_index.core.__file__).parent / "_static" / "nltk_cache")
    if data_dir not in nltk.data.path:
        nltk.data.path.append(data_dir)
    return PunktTokenizer("english")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, headings skipped, bullets trimmed.

    Lines are split first (a bullet or heading never runs into the next line), then punkt
    splits each line into sentences using its English abbreviation list.
    """
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
