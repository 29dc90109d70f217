"""Answer units: what an answer quotes — a sentence, a short paragraph, or a lead-in with its
list (and an item with its sub-items) — built from the stored text's structure.

Every piece of a unit is a span of a stored chunk, so it is checked verbatim like a sentence.
A list the chunker had to split continues into the next chunk of the same document: a
ChunkSource fetches that chunk by id (ids are deterministic, see types.chunk_id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from assistant.sentences import sentence_spans
from assistant.structure import Block, ListItem, item_is_lead, opening_heading, parse_blocks
from assistant.types import Passage, chunk_id



class ChunkSource(Protocol):
    """Stored chunks by id or by document (the Assistant serves them from the index)."""

    def chunk(self, chunk_id: str) -> Passage | None: ...

    def document(self, doc_id: str) -> list[Passage]: ...

    def prime(self, chunks: list[tuple[str, str]]) -> None:
        """Load the vectors stored at ingest for these (chunk_id, text) pairs, so the
        answerer does not embed their sentences, items and headings."""

MIN_WORDS, MAX_WORDS = 5, 90  # a quotable sentence
PARAGRAPH_MAX_WORDS = 90  # a paragraph quoted whole
PARAGRAPH_SENTENCES = (2, 4)
MAX_CONTINUATIONS = 3  # chunks a list may run into
MAX_ITEMS = 14  # items shown of one list


@dataclass
class Piece:
    """A verbatim span of one passage; `short_end` ends its first sentence (for trimming a
    long list item), `children` are sub-items shown under an item."""

    passage: Passage
    start: int
    end: int
    short_end: int = 0
    children: list["Piece"] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]

    def shown(self, trim: bool) -> "Piece":
        if trim and self.start < self.short_end < self.end:
            return Piece(self.passage, self.start, self.short_end, self.short_end,
                         [c.shown(trim) for c in self.children])
        return Piece(self.passage, self.start, self.end, self.short_end,
                     [c.shown(trim) for c in self.children])


@dataclass
class Sentence:
    """A quotable sentence of a read passage; the scorer fills `score`."""

    rank: int
    passage: Passage
    start: int
    end: int
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]


@dataclass
class Unit:
    kind: str  # sentence | paragraph | list
    rank: int  # rank of the passage it is anchored in
    passage: Passage
    lead: Piece | None  # the sentence or paragraph; for a list, its lead-in (may be None)
    items: list[Piece] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)  # indices into the scored sentences
    lead_is_heading: bool = False
    outline: bool = False  # a section's sub-headings (outline.py), offered to list questions
    score: float = 0.0  # relevance to the part being answered (set by the scorer)
    _key: frozenset | None = field(default=None, repr=False, compare=False)

    def pieces(self, trim: bool = False) -> list[Piece]:
        """Every span shown, in reading order (lead, items, their sub-items)."""
        out = [self.lead] if self.lead else []
        for item in self.items:
            shown = item.shown(trim)
            out.append(shown)
            out.extend(shown.children)
        return out

    def words(self, trim: bool = False) -> int:
        return sum(len(p.text.split()) for p in self.pieces(trim))

    def key(self) -> frozenset[tuple[str, int]]:
        """(chunk, offset) cells it covers, to stop two overlapping units being quoted.
        Computed once: the composer compares keys thousands of times per answer (a fifth of
        an answer's time under load when rebuilt each call)."""
        if self._key is None:
            self._key = frozenset((p.passage.chunk_id, i) for p in self.pieces()
                                  for i in range(p.start, p.end, 8))
        return self._key

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pieces())


def quotable(sentence: str) -> bool:
    """Long enough to say something, short enough to quote (ingest stores vectors for these:
    assistant/sentence_store.py)."""
    return MIN_WORDS <= len(sentence.split()) <= MAX_WORDS


def candidate_sentences(passages: list[Passage]) -> list[Sentence]:
    out = []
    for rank, passage in enumerate(passages):
        for start, end in sentence_spans(passage.text):
            if quotable(passage.text[start:end]):
                out.append(Sentence(rank, passage, start, end))
    return out


# A sentence that leans on the one before it ("This often originates from...", "Approved last
# year, it will...") is quoted together with that sentence, so the quote reads on its own.
_ANAPHOR = re.compile(r"^(?:this|these|that|those|it|its|they|their|them|such|he|she|his|her|"
                      r"both|here)\b|^[^,]{0,40},\s+(?:it|they|this|these|he|she)\b",
                      re.IGNORECASE)


def _with_antecedent(s: Sentence, i: int, by_span: dict) -> Unit:
    """The sentence, or for one that starts by pointing back, it and the sentence before it on
    the same line (paragraph or list item)."""
    if _ANAPHOR.match(s.text):
        line_start = s.passage.text.rfind("\n", 0, s.start) + 1
        before = [span for span in sentence_spans(s.passage.text[line_start:s.start])]
        if before:
            start = line_start + before[-1][0]
            prev = by_span.get((s.passage.chunk_id, start))
            ids = [prev, i] if prev is not None else [i]
            return Unit("sentence", s.rank, s.passage, Piece(s.passage, start, s.end),
                        sentences=ids)
    return Unit("sentence", s.rank, s.passage, Piece(s.passage, s.start, s.end), sentences=[i])


def build_units(passages: list[Passage], sentences: list[Sentence],
                library: ChunkSource | None = None) -> list[Unit]:
    """Every unit the read passages offer: each quotable sentence (with the sentence before it
    when it points back; lead-ins ending in ':' only with their list), short paragraphs, and
    lists with their lead-in."""
    by_span = {(s.passage.chunk_id, s.start): i for i, s in enumerate(sentences)}
    units: list[Unit] = []
    for i, s in enumerate(sentences):
        if not s.text.rstrip().endswith(":"):
            units.append(_with_antecedent(s, i, by_span))
    for rank, passage in enumerate(passages):
        blocks = parse_blocks(passage.text)
        for b, block in enumerate(blocks):
            if block.kind == "paragraph":
                unit = _paragraph(rank, passage, block, sentences, by_span)
                if unit:
                    units.append(unit)
            elif block.kind == "list":
                last = b == len(blocks) - 1
                units.extend(_lists(rank, passage, block, last, b == 0, by_span, library))
                units.extend(_items(rank, passage, block, by_span))
    return units


def _items(rank: int, passage: Passage, block: Block, by_span: dict) -> list[Unit]:
    """A list item of several sentences, quoted whole ("Scaling Up Field Labs: Field labs must
    commit to ... They also need ..."): the point it makes reads as one."""
    out = []
    stack = list(block.items)
    while stack:
        item = stack.pop()
        stack.extend(item.children)
        inside = _inside(by_span, passage, item.start, item.end)
        words = len(passage.text[item.start:item.end].split())
        if len(inside) >= 2 and words <= PARAGRAPH_MAX_WORDS:
            out.append(Unit("paragraph", rank, passage, Piece(passage, item.start, item.end),
                            sentences=inside))
    return out


def _inside(by_span: dict, passage: Passage, start: int, end: int) -> list[int]:
    return [i for (cid, s), i in by_span.items() if cid == passage.chunk_id and start <= s < end]


def _paragraph(rank: int, passage: Passage, block: Block, sentences: list[Sentence],
               by_span: dict) -> Unit | None:
    inside = _inside(by_span, passage, block.start, block.end)
    spans = sentence_spans(passage.text[block.start:block.end])
    lo, hi = PARAGRAPH_SENTENCES
    text = passage.text[block.start:block.end]
    if not lo <= len(spans) <= hi or len(text.split()) > PARAGRAPH_MAX_WORDS or len(inside) < lo:
        return None
    if text.rstrip().endswith(":"):
        return None  # a lead-in paragraph is quoted with its list
    start = block.start + spans[0][0]
    return Unit("paragraph", rank, passage, Piece(passage, start, block.end), sentences=inside)


def _item_piece(passage: Passage, item: ListItem) -> Piece:
    spans = sentence_spans(passage.text[item.start:item.end])
    short = item.start + spans[0][1] if spans else item.end
    return Piece(passage, item.start, item.end, short,
                 [_item_piece(passage, c) for c in item.children])


def _lists(rank: int, passage: Passage, block: Block, last: bool, first: bool, by_span: dict,
           library: ChunkSource | None) -> list[Unit]:
    own = [_item_piece(passage, it) for it in block.items]
    items = list(own)
    lead = Piece(passage, *block.lead) if block.lead else None
    if last and library is not None:
        items += _continuation(passage, library)
    if first and lead is None and passage.list_continues and library is not None:
        head_lead, head_items = _beginning(passage, library)
        lead, items = head_lead, head_items + items
    out: list[Unit] = []
    if len(items) >= 2:
        out.append(Unit("list", rank, passage, lead, items[:MAX_ITEMS],
                        sentences=_inside(by_span, passage, block.start, block.end),
                        lead_is_heading=block.lead_kind == "heading"))
    for item, piece in zip(block.items, own):  # "Sweden (Vinnova):" with its sub-items
        if item_is_lead(passage.text, item) and len(piece.children) >= 1:
            children = list(piece.children)
            if last and item is block.items[-1] and library is not None:
                children += _continuation(passage, library)  # its sub-list runs on
            out.append(Unit("list", rank, passage, Piece(passage, item.start, item.end),
                            children[:MAX_ITEMS],
                            sentences=_inside(by_span, passage, item.start, item.last_end())))
    return out


def _continuation(passage: Passage, library: ChunkSource) -> list[Piece]:
    """Items of the same list in the following chunks (flagged list_continues at ingest)."""
    items: list[Piece] = []
    current = passage
    for _ in range(MAX_CONTINUATIONS):
        if current.chunk_index < 0:
            break
        nxt = library.chunk(chunk_id(current.doc_id, current.chunk_index + 1))
        if nxt is None or not nxt.list_continues:
            break
        blocks = parse_blocks(nxt.text)
        if not blocks or blocks[0].kind != "list":
            break
        items += [_item_piece(nxt, it) for it in blocks[0].items]
        if len(blocks) > 1:
            break  # the list ended inside this chunk
        current = nxt
    return items


def _beginning(passage: Passage, library: ChunkSource) -> tuple[Piece | None, list[Piece]]:
    """The lead-in and earlier items of a list this chunk continues."""
    if passage.chunk_index <= 0:
        return None, []
    prev = library.chunk(chunk_id(passage.doc_id, passage.chunk_index - 1))
    if prev is None:
        return None, []
    blocks = parse_blocks(prev.text)
    if not blocks or blocks[-1].kind != "list":
        return None, []
    block = blocks[-1]
    lead = Piece(prev, *block.lead) if block.lead else None
    return lead, [_item_piece(prev, it) for it in block.items]


class Texts:
    """Everything that gets a relevance score: the quotable sentences, plus list lead-ins and
    items that are not sentences (headings, short lines). Each is embedded once."""

    def __init__(self, sentences, units: list[Unit]):
        self.texts = [s.text for s in sentences]
        self.chunks = [s.passage.chunk_id for s in sentences]
        self.chunk_texts = {s.passage.chunk_id: s.passage.text for s in sentences}
        self.contexts = [s.passage.section for s in sentences]
        self.at: dict[tuple[str, int], int] = {(s.passage.chunk_id, s.start): i
                                               for i, s in enumerate(sentences)}
        self.start_of = [s.start for s in sentences]
        self.starts: dict[str, list[tuple[int, int]]] = {}
        for i, s in enumerate(sentences):
            self.starts.setdefault(s.passage.chunk_id, []).append((s.start, i))
        for unit in units:
            if unit.kind == "list":
                for piece in unit.pieces():
                    if not self.inside(piece):
                        self._add(piece)

    def _add(self, piece: Piece) -> None:
        key = (piece.passage.chunk_id, piece.start)
        if key not in self.at:
            self.at[key] = len(self.texts)
            self.start_of.append(piece.start)
            self.texts.append(piece.text)
            self.chunks.append(piece.passage.chunk_id)
            self.chunk_texts[piece.passage.chunk_id] = piece.passage.text
            self.contexts.append(piece.passage.section)

    def inside(self, piece: Piece) -> list[int]:
        """Sentences within the piece (its own row if it was embedded as a whole)."""
        rows = [i for start, i in self.starts.get(piece.passage.chunk_id, ())
                if piece.start <= start < piece.end]
        if not rows and (piece.passage.chunk_id, piece.start) in self.at:
            rows = [self.at[(piece.passage.chunk_id, piece.start)]]
        return rows


def unit_only_spans(chunk_id: str, text: str) -> list[tuple[int, int]]:
    """Spans of one chunk that the answerer scores besides its quotable sentences: list
    lead-ins and items that are not sentences (headings, short lines), found as a question
    would find them in this chunk alone; the heading the chunk opens with (an item of its
    parent section's outline, answer/outline.py); and the whole items of a list at either end
    of the chunk, with its lead-in (quoted when a neighbouring chunk's list runs into it).
    Ingest stores their vectors with the sentences' (assistant/sentence_store.py) so a
    question embeds none of them."""
    passage = Passage(chunk_id=chunk_id, doc_id="", text=text)
    sentences = candidate_sentences([passage])
    texts = Texts(sentences, build_units([passage], sentences))
    spans = [(texts.start_of[i], texts.start_of[i] + len(texts.texts[i]))
             for i in range(len(sentences), len(texts.texts))]
    known = set(texts.texts)
    extra = [opening_heading(text)]
    blocks = parse_blocks(text)
    ends = blocks[:1] + blocks[1:][-1:]  # the first block and the last (if another)
    for block in ends:
        if block.kind == "list":  # whole items, as a neighbouring chunk's list quotes them
            extra.append(block.lead)
            for piece in _flat([_item_piece(passage, item) for item in block.items]):
                extra.append((piece.start, piece.end))
    for span in extra:
        if span and span not in spans and text[span[0]:span[1]] not in known:
            spans.append(span)
            known.add(text[span[0]:span[1]])
    return spans


def _flat(pieces: list[Piece]) -> list[Piece]:
    return [q for p in pieces for q in [p, *_flat(p.children)]]
