"""The structure of stored text — headings, paragraphs and lists with their lead-in — as exact
character spans, so chunking can keep a list with its lead-in and the answerer can quote a
whole list (or one item with its sub-items) as one unit.

Every reader emits Markdown-ish text: `#` headings, `- ` bullets, `1. ` numbers, paragraphs
split by blank lines, nested items indented. Written by hand rather than with markdown-it
(installed with Streamlit) because the parser must work on fragments — a chunk can start in
the middle of a list, with an indented item that CommonMark would read as a code block — and
must give character offsets into the stored text, which is what makes quotes verifiable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d{1,2}[.)])\s+(?=\S)")


def opening_heading(text: str) -> tuple[int, int] | None:
    """The span of the title of the heading a chunk opens with (the first chunk of each
    section does), or None."""
    m = HEADING.match(text.split("\n", 1)[0])
    return (m.start(2), m.end(2)) if m else None


@dataclass
class ListItem:
    """One bullet: `start:end` is its own line's text after the marker; `children` are the
    items indented under it; `block_end` is where it ends with its children and any indented
    continuation lines."""

    line_start: int
    start: int
    end: int
    indent: int
    children: list["ListItem"] = field(default_factory=list)
    block_end: int = 0

    def last_end(self) -> int:
        return max([self.block_end, self.end] + [c.last_end() for c in self.children])


@dataclass
class Block:
    kind: Literal["heading", "paragraph", "list"]
    start: int  # first character of the block's first line
    end: int  # end of its last line (no trailing newline)
    text_start: int = 0  # heading: the title without the #s
    items: list[ListItem] = field(default_factory=list)  # list: top-level items
    lead: tuple[int, int] | None = None  # list: the lead-in sentence or heading just before it
    lead_kind: str = ""  # "sentence" (ends with ':') or "heading"


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _last_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the paragraph's last sentence (the paragraph text[start:end] ends with it).
    A lead-in is short, so looking back to the previous sentence end is enough."""
    body = text[start:end].rstrip()
    cut = max((m.end() for m in re.finditer(r"[.!?][\"'”’)]?\s+(?=\S)", body[:-1])),
              default=0)
    line_cut = body.rfind("\n") + 1
    first = max(cut, line_cut)
    return start + first, start + len(body)


def parse_blocks(text: str) -> list[Block]:
    """Headings, paragraphs and lists of `text`, in order, with exact offsets."""
    blocks: list[Block] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        if not line.strip():
            i += 1
            continue
        heading = HEADING.match(line)
        if heading:
            blocks.append(Block("heading", pos, pos + len(line.rstrip()),
                                text_start=pos + heading.start(2)))
            i += 1
            continue
        if BULLET.match(line):
            block, i = _parse_list(text, lines, i)
            blocks.append(block)
            continue
        start = pos
        end = pos + len(line.rstrip())
        i += 1
        while i < len(lines):
            p, ln = lines[i]
            if not ln.strip() or HEADING.match(ln) or BULLET.match(ln):
                break
            end = p + len(ln.rstrip())
            i += 1
        blocks.append(Block("paragraph", start, end))
    _attach_leads(text, blocks)
    return blocks


def _parse_list(text: str, lines: list[tuple[int, str]], i: int) -> tuple[Block, int]:
    """Consume bullet lines (blank lines between items allowed, indented lines are children or
    continuations) from line i; return the list block and the next line index."""
    base = len(BULLET.match(lines[i][1]).group(1))
    top: list[ListItem] = []
    stack: list[ListItem] = []
    end = lines[i][0]
    while i < len(lines):
        pos, line = lines[i]
        if not line.strip():
            nxt = next((ln for _, ln in lines[i + 1:] if ln.strip()), "")
            if BULLET.match(nxt) and len(BULLET.match(nxt).group(1)) >= base:
                i += 1
                continue
            break
        bullet = BULLET.match(line)
        indent = len(line) - len(line.lstrip())
        if bullet:
            base = min(base, indent)  # a fragment may open with a deeper item than what follows
            item = ListItem(pos, pos + bullet.end(), pos + len(line.rstrip()), indent)
            item.block_end = item.end
            while stack and stack[-1].indent >= indent:
                stack.pop()
            (stack[-1].children if stack else top).append(item)
            stack.append(item)
        elif stack and indent > base and not HEADING.match(line):
            stack[-1].block_end = pos + len(line.rstrip())  # a wrapped line of the last item
        else:
            break
        end = pos + len(line.rstrip())
        i += 1
    return Block("list", top[0].line_start, end, items=top), i


def _attach_leads(text: str, blocks: list[Block]) -> None:
    """A list's lead-in: the sentence ending in ':' that closes the paragraph just before it,
    or else the heading just before it."""
    for prev, block in zip(blocks, blocks[1:]):
        if block.kind != "list":
            continue
        if prev.kind == "paragraph" and text[prev.start:prev.end].rstrip().endswith(":"):
            block.lead = _last_sentence(text, prev.start, prev.end)
            block.lead_kind = "sentence"
        elif prev.kind == "heading":
            block.lead = (prev.text_start, prev.end)
            block.lead_kind = "heading"


def item_is_lead(text: str, item: ListItem) -> bool:
    """An item that introduces sub-items ("Sweden (Vinnova):" followed by indented items)."""
    return bool(item.children) and text[item.start:item.end].rstrip().endswith(":")
