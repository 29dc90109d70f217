"""Split a section into chunks at its structure: never inside a paragraph or a list item when it
can be avoided, and never between a list and its lead-in when they fit in one chunk.

Why not llama-index's SentenceSplitter alone: it packs sentences up to the size and cut the
six-principle list of the starter library after its third item, away from the sentence that
introduces it, so no single passage held the answer. This splitter packs whole blocks
(parsed by assistant.structure) and falls back to SentenceSplitter only for a single paragraph
or list item longer than a chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.node_parser.interface import MetadataAwareTextSplitter
from llama_index.core.utils import get_tokenizer

from assistant.structure import Block, ListItem, parse_blocks


@dataclass
class Atom:
    """A span that is never split unless it alone exceeds a chunk; `glue` keeps the next atom
    in the same chunk (a heading, or a lead-in, stays with what it introduces)."""

    start: int
    end: int
    tokens: int
    glue: bool = False


class StructuredSplitter(MetadataAwareTextSplitter):
    chunk_size: int = Field(220, description="Most tokens per chunk, metadata included.", gt=0)
    chunk_overlap: int = Field(30, description="Overlap when a single paragraph must be split.",
                               ge=0)
    _tokenizer = PrivateAttr()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._tokenizer = get_tokenizer()

    @classmethod
    def class_name(cls) -> str:
        return "StructuredSplitter"

    def _count(self, text: str) -> int:
        return len(self._tokenizer(text))

    def split_text(self, text: str) -> list[str]:
        return self._split(text, self.chunk_size)

    def split_text_metadata_aware(self, text: str, metadata_str: str) -> list[str]:
        # Same budget rule as SentenceSplitter: the embedded metadata counts against the size.
        return self._split(text, max(50, self.chunk_size - self._count(metadata_str)))

    def _split(self, text: str, budget: int) -> list[str]:
        chunks: list[str] = []
        current: list[Atom] = []
        used = 0

        def flush() -> None:
            nonlocal current, used
            if current:
                chunks.append(text[current[0].start:current[-1].end])
            current, used = [], 0

        for group in _glued(self._atoms(text, budget)):
            size = sum(a.tokens for a in group) + len(group)
            if current and used + size > budget:
                flush()
            if size <= budget:
                current.extend(group)
                used += size
                continue
            for atom in group:  # glue cannot hold: pack the group's atoms one by one
                if atom.tokens > budget:
                    # A heading or lead-in just before an oversized paragraph opens its first
                    # piece rather than standing alone.
                    glued = bool(current) and all(a.glue for a in current)
                    start = current[0].start if glued else atom.start
                    if glued:
                        current, used = [], 0
                    else:
                        flush()
                    chunks.extend(self._sentences(text[start:atom.end], budget))
                    continue
                if current and used + atom.tokens + 1 > budget:
                    flush()
                current.append(atom)
                used += atom.tokens + 1
        flush()
        return [c for c in chunks if c.strip()] or [text]

    def _sentences(self, text: str, budget: int) -> list[str]:
        splitter = SentenceSplitter(chunk_size=budget, chunk_overlap=min(self.chunk_overlap,
                                                                         budget // 4))
        return splitter.split_text(text)

    def _atoms(self, text: str, budget: int) -> list[Atom]:
        blocks = parse_blocks(text)
        atoms: list[Atom] = []
        for i, block in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if block.kind == "list":
                lead = atoms[-1].tokens + 1 if atoms and atoms[-1].glue else 0
                atoms.extend(self._list_atoms(text, block, budget - lead))
            elif nxt is not None and nxt.kind == "list" and nxt.lead_kind == "sentence" \
                    and nxt.lead[0] > block.start:
                # A long paragraph ending in a lead-in: only the lead-in sentence is glued.
                atoms.append(self._atom(text, block.start, nxt.lead[0]))
                atoms.append(self._atom(text, nxt.lead[0], block.end, glue=True))
            else:
                lead = nxt is not None and nxt.kind == "list" and nxt.lead is not None
                atoms.append(self._atom(text, block.start, block.end,
                                        glue=block.kind == "heading" or lead))
        return atoms

    def _list_atoms(self, text: str, block: Block, budget: int) -> list[Atom]:
        whole = self._atom(text, block.start, block.end)
        if whole.tokens <= budget:
            return [whole]  # a list that fits beside its lead-in stays whole
        atoms: list[Atom] = []
        for item in block.items:
            atoms.extend(self._item_atoms(text, item, budget))
        return atoms

    def _item_atoms(self, text: str, item: ListItem, budget: int) -> list[Atom]:
        whole = self._atom(text, item.line_start, item.last_end())
        if whole.tokens <= budget or not item.children:
            return [whole]
        own = self._atom(text, item.line_start, item.block_end, glue=True)
        return [own] + [a for child in item.children
                        for a in self._item_atoms(text, child, budget)]

    def _atom(self, text: str, start: int, end: int, glue: bool = False) -> Atom:
        return Atom(start, end, self._count(text[start:end]), glue)


def _glued(atoms: list[Atom]) -> list[list[Atom]]:
    groups: list[list[Atom]] = []
    for atom in atoms:
        if groups and groups[-1][-1].glue:
            groups[-1].append(atom)
        else:
            groups.append([atom])
    return groups
