"""Documents -> chunks: llama-index's Markdown and sentence parsers, then one finishing step.

Every reader emits Markdown-ish text, so one chain serves all formats:
MarkdownNodeParser (sections, header path) -> SentenceSplitter (size) -> ChunkFinisher.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any, Sequence

from llama_index.core.node_parser import MarkdownNodeParser, SentenceSplitter
from llama_index.core.schema import BaseNode, MetadataMode, NodeRelationship, RelatedNodeInfo, TransformComponent

from assistant.locations import extract_timestamps
from assistant.settings import Settings

# Metadata that is part of what gets embedded and BM25-indexed besides the text itself:
# the title and section make "What did Camden do?" find a section titled "Camden".
EMBEDDED_KEYS = ("title", "section")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def chunk_id(doc_id: str, index: int) -> str:
    """Deterministic: the same document text always yields the same ids."""
    return f"{doc_id}#{index:04d}"


def _section_of(node: BaseNode) -> str:
    parts = [p for p in str(node.metadata.get("header_path", "")).split("/") if p]
    first_line = node.get_content().lstrip().split("\n", 1)[0]
    heading = _HEADING.match(first_line)
    if heading:
        parts.append(heading.group(2).strip())
    return " > ".join(parts)


def _is_heading_only(text: str) -> bool:
    return all(_HEADING.match(line) or not line.strip() for line in text.splitlines())


class ChunkFinisher(TransformComponent):
    """Give chunks stable ids, a section path and timestamps; choose embedded metadata.

    Nodes must arrive in document order (the parsers keep it) so the running index per
    document is stable between runs.
    """

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        counters: dict[str, int] = defaultdict(int)
        finished: list[BaseNode] = []
        for node in nodes:
            raw = node.get_content()
            if _is_heading_only(extract_timestamps(raw)[0]):
                continue  # its heading reappears as the section of the chunks that follow
            text, stamps = extract_timestamps(raw)
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            stamps = [(max(0, o - lead), s) for o, s in stamps if o - lead <= len(text)]
            doc_id = node.metadata["doc_id"]
            index = counters[doc_id]
            counters[doc_id] += 1
            node.set_content(text)
            node.id_ = chunk_id(doc_id, index)
            node.relationships = {NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)}
            node.metadata["section"] = _section_of(node) or node.metadata.get("section", "")
            node.metadata.pop("header_path", None)
            node.metadata["chunk_index"] = index
            node.metadata["timestamps"] = json.dumps(stamps, separators=(",", ":"))
            node.start_char_idx = node.end_char_idx = None
            node.excluded_embed_metadata_keys = [k for k in node.metadata if k not in EMBEDDED_KEYS]
            node.excluded_llm_metadata_keys = list(node.excluded_embed_metadata_keys)
            finished.append(node)
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
        SentenceSplitter(chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap),
        ChunkFinisher(),
        SortByLength(),
    ]
