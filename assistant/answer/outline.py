"""Outline units: a section whose sub-sections are the answer ("the report identifies six key
trends", then six `###` sections) quoted as a list of the sub-section headings.

Talk summaries and reports often answer "what are the N ..." with one heading per item. Chunks
keep their section path ("Key Trends > 1. Integrating ..."), and the first chunk of each
section starts with its heading line, so the headings are verbatim spans of stored chunks.
"""

from __future__ import annotations

from assistant.answer.units import ChunkSource, Piece, Unit
from assistant.structure import opening_heading
from assistant.types import Passage

OUTLINE_PASSAGES = 8  # the best read passages whose documents are looked at
MIN_CHILDREN = 2
MIN_CHILDREN_UNHEADED = 3  # two bare sub-headings with no parent heading say too little
MAX_CHILDREN = 12


def _heading(passage: Passage) -> Piece | None:
    """The title of the heading the chunk opens with, as a span."""
    span = opening_heading(passage.text)
    return Piece(passage, *span) if span else None


def outline_units(reading: list[Passage], library: ChunkSource) -> list[Unit]:
    units: list[Unit] = []
    seen: set[tuple[str, str]] = set()
    for rank, passage in enumerate(reading[:OUTLINE_PASSAGES]):
        if not passage.section:
            continue
        path = passage.section.split(" > ")
        chunks = None
        for depth in (len(path), len(path) - 1):  # its own sub-sections, or its siblings
            if depth < 1 or (passage.doc_id, " > ".join(path[:depth])) in seen:
                continue
            parent = " > ".join(path[:depth])
            seen.add((passage.doc_id, parent))
            chunks = chunks if chunks is not None else sorted(
                library.document(passage.doc_id), key=lambda p: p.chunk_index)
            unit = _outline(rank, parent, chunks)
            if unit is not None:
                units.append(unit)
    return units


def _outline(rank: int, parent: str, chunks: list[Passage]) -> Unit | None:
    lead: Piece | None = None
    items: list[Piece] = []
    for chunk in chunks:
        heading = _heading(chunk)
        if heading is None:
            continue
        if chunk.section == parent:
            lead = lead or heading
        elif chunk.section.startswith(parent + " > ") and \
                " > " not in chunk.section[len(parent) + 3:]:
            items.append(heading)
    if len(items) < (MIN_CHILDREN if lead else MIN_CHILDREN_UNHEADED):
        return None
    anchor = lead.passage if lead else items[0].passage
    return Unit("list", rank, anchor, lead, items[:MAX_CHILDREN], lead_is_heading=True,
                outline=True)
