"""Text structure (assistant/structure.py) and the structure-aware chunking built on it:
lists stay with their lead-in where they fit, and a list cut by the size limit is flagged so
the answerer can join the halves."""

from __future__ import annotations

from llama_index.core import Document

from assistant.settings import Settings
from assistant.structure import item_is_lead, parse_blocks
from ingest.chunking import chunking_transformations
from ingest.splitter import StructuredSplitter

PRINCIPLES = """### Key Principles

At the core of mission-oriented innovation are several principles:
- Market Shaping: Governments should actively shape markets. This goes beyond fixing them.
- Risk Sharing: Policymakers should share risks and welcome uncertainty.
- Directionality: Growth should have a clear direction.

## Case Studies

- Sweden (Vinnova):
    - The Street: streets became innovation environments.
    - School Food: two million meals a day moved towards health.

- Spain (ENISA):
    - Focus: financing innovative SMEs.
"""


def test_blocks_give_lists_their_lead_in_and_nesting():
    blocks = parse_blocks(PRINCIPLES)
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "paragraph", "list", "heading", "list"]
    principles = blocks[2]
    assert PRINCIPLES[slice(*principles.lead)] == \
        "At the core of mission-oriented innovation are several principles:"
    assert [PRINCIPLES[i.start:i.end].split(":")[0] for i in principles.items] == \
        ["Market Shaping", "Risk Sharing", "Directionality"]
    cases = blocks[4]  # blank lines between items do not end the list
    assert PRINCIPLES[slice(*cases.lead)] == "Case Studies"  # a heading leads it
    sweden, spain = cases.items
    assert item_is_lead(PRINCIPLES, sweden) and len(sweden.children) == 2
    assert PRINCIPLES[sweden.children[1].start:sweden.children[1].end].startswith("School Food")
    assert len(spain.children) == 1


def test_fragment_opening_with_a_nested_item():
    text = "    - School Food: meals.\n    - Lessons: small islands of coherence.\n\n- Spain:\n"
    blocks = parse_blocks(text)
    assert all(b.kind == "list" for b in blocks)
    assert sum(len(b.items) for b in blocks) == 3


def test_splitter_keeps_a_list_with_its_lead_in():
    filler = "A sentence about something else entirely, long enough to take room. " * 8
    text = f"{filler}\n\n" + PRINCIPLES.split("## Case Studies")[0].split("\n", 2)[2]
    chunks = StructuredSplitter(chunk_size=140, chunk_overlap=10).split_text(text)
    with_lead = [c for c in chunks if "several principles:" in c]
    assert len(with_lead) == 1
    assert "Directionality" in with_lead[0] and "Market Shaping" in with_lead[0]
    assert filler.strip() not in with_lead[0]  # the list moved to a chunk of its own


def test_splitter_cuts_a_long_list_between_items_only():
    items = "\n".join(f"- Item {i}: " + "words that fill the item up " * 4 for i in range(12))
    text = "These are the items:\n" + items
    chunks = StructuredSplitter(chunk_size=120, chunk_overlap=10).split_text(text)
    assert len(chunks) > 1
    assert chunks[0].startswith("These are the items:\n- Item 0")  # lead-in with first items
    for chunk in chunks:
        assert all(line.startswith(("- Item", "These")) for line in chunk.splitlines())


def test_chunks_of_a_split_list_are_flagged_and_share_the_section():
    items = "\n".join(f"- Principle {i}: " + "a principle explained at some length " * 3
                      for i in range(10))
    doc = Document(text=f"## Principles\n\nThe principles are:\n{items}\n\n## Next\n\nOther text.",
                   metadata={"doc_id": "d1", "title": "T"})
    doc.excluded_embed_metadata_keys = ["doc_id"]
    nodes = [doc]
    for step in chunking_transformations(Settings(chunk_size=120))[:-1]:
        nodes = step(nodes)
    principles = [n for n in nodes if n.metadata["section"] == "Principles"]
    assert len(principles) >= 2
    assert principles[0].metadata["list_continues"] is False
    assert all(n.metadata["list_continues"] for n in principles[1:])
    assert [n for n in nodes if n.metadata["section"] == "Next"][0].metadata[
        "list_continues"] is False
    joined = "\n".join(n.get_content() for n in principles)
    assert all(f"Principle {i}:" in joined for i in range(10))
