"""Documents -> chunks: llama-index's Markdown parser, a structure-aware splitter, then one
finishing step.

Every reader emits Markdown-ish text, so one chain serves all formats:
MarkdownNodeParser (sections, header path) -> StructuredSplitter (size; lists kept with their
lead-in) -> ChunkFinisher (ids, section path, timestamps, list-continuation flags).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any, Sequence

from llama_index.core.node_parser import MarkdownNodeParser
from llama_index.core.schema import BaseNode, MetadataMode, NodeRelationship, RelatedNodeInfo, TransformComponent

from assistant.locations import extract_timestamps
from assistant.settings import Settings
from assistant.structure import BULLET, parse_blocks
from assistant.types import chunk_id
from ingest.splitter import StructuredSplitter

# Metadata that is part of what gets embedded and BM25-indexed besides the text itself:
# the title and section make "What did Camden do?" find a section titled "Camden".
EMBEDDED_KEYS = ("title", "section")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def _section_of(node: BaseNode, last_heading: dict[tuple[str, str], str]) -> str:
    """Header path plus the section's own heading. Only the first chunk of a section starts
    with that heading, so it is remembered for the chunks that follow it."""
    path = str(node.metadata.get("header_path", ""))
    parts = [p for p in path.split("/") if p]
    key = (node.metadata["doc_id"], path)
    first_line = node.get_content().lstrip().split("\n", 1)[0]
    heading = _HEADING.match(first_line)
    if heading:
        last_heading[key] = heading.group(2).strip()
    if last_heading.get(key):
        parts.append(last_heading[key])
    return " > ".join(parts)


def _ends_with_list(text: str) -> bool:
    blocks = parse_blocks(text)
    return bool(blocks) and blocks[-1].kind == "list"


def _is_heading_only(text: str) -> bool:
    return all(_HEADING.match(line) or not line.strip() for line in text.splitlines())


class ChunkFinisher(TransformComponent):
    """Give chunks stable ids, a section path and timestamps; choose embedded metadata.

    Nodes must arrive in document order (the parsers keep it) so the running index per
    document is stable between runs.
    """

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        counters: dict[str, int] = defaultdict(int)
        last_heading: dict[tuple[str, str], str] = {}
        finished: list[BaseNode] = []
        for node in nodes:
            raw = node.get_content()
            if _is_heading_only(extract_timestamps(raw)[0]):
                continue  # its heading reappears as the section of the chunks that follow
            text, stamps = extract_timestamps(raw)
            # Leading blank lines go, the first line's indent stays: it tells a nested item.
            lead = len(text) - len(text.lstrip("\n"))
            text = text.lstrip("\n").rstrip()
            stamps = [(max(0, o - lead), s) for o, s in stamps if o - lead <= len(text)]
            doc_id = node.metadata["doc_id"]
            index = counters[doc_id]
            counters[doc_id] += 1
            node.set_content(text)
            node.id_ = chunk_id(doc_id, index)
            node.relationships = {NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)}
            node.metadata["section"] = (_section_of(node, last_heading)
                                        or node.metadata.get("section", ""))
            node.metadata.pop("header_path", None)
            node.metadata["chunk_index"] = index
            node.metadata["timestamps"] = json.dumps(stamps, separators=(",", ":"))
            node.start_char_idx = node.end_char_idx = None
            node.excluded_embed_metadata_keys = [k for k in node.metadata if k not in EMBEDDED_KEYS]
            node.excluded_llm_metadata_keys = list(node.excluded_embed_metadata_keys)
            finished.append(node)
        for prev, node in zip([None, *finished], finished):
            # A list split across two chunks of one section: the answerer joins the halves.
            node.metadata["list_continues"] = bool(
                prev is not None and prev.metadata["doc_id"] == node.metadata["doc_id"]
                and prev.metadata["section"] == node.metadata["section"]
                and BULLET.match(node.get_content()) and _ends_with_list(prev.get_content()))
        for node in finished:  # lets the store tell a complete document from a torn write
            node.metadata["chunk_count"] = counters[node.metadata["doc_id"]]
        return finished


class SortByLength(TransformComponent):
    """Order chunks by length just before embedding, so each embedding batch pads little.

    Measured on 2 cores: 300 chunks embedded in groups of 16 took 14.8 s sorted, 19.7 s in
    document order. Order does not matter after this point: ids are already assigned.
    """

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        return sorted(nodes, key=lambda n: len(n.get_content(metadata_mode=MetadataMode.EMBED)))


def chunking_transformations(settings: Settings) -> list[TransformComponent]:
    return [
        MarkdownNodeParser(),
        StructuredSplitter(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap),
        ChunkFinisher(),
        SortByLength(),
    ]
