"""Briefing packs on the session's sample index: sections filled or marked not covered, every
citation verbatim, no unit in two sections, DOCX / PPTX / Markdown read back, the same pack
twice, and the CLI. One pack build per test at most (module-scoped pack)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from pptx import Presentation

from assistant import messages
from assistant.export import export_pack
from assistant.packs.build import build_pack
from assistant.packs.model import PackOptions
from assistant.packs.topics import SECTION_QUESTIONS
from tests.test_cli import run_cli

DAY = date(2026, 1, 31)
MARK = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def pack(sample_assistant):
    return build_pack(sample_assistant, "mission washing", PackOptions(), DAY)


def test_sections_are_filled_with_cited_units_or_marked_not_covered(pack):
    assert [s.key for s in pack.sections] == list(SECTION_QUESTIONS)
    for s in pack.sections:
        items = pack.section_items(s)
        assert s.covered == bool(items), s.key
    by_key = {s.key: s for s in pack.sections}
    assert by_key["definition"].covered
    definition = " ".join(i.text for i in by_key["definition"].items).lower()
    assert "washing" in definition
    assert pack.generated == DAY and pack.references and pack.citations
    assert [c.n for c in pack.citations] == list(range(1, len(pack.citations) + 1))


def test_every_citation_is_verbatim_in_its_stored_chunk(pack, sample_assistant):
    chunks = sample_assistant.index.chunks(list(dict.fromkeys(s.chunk_id for c in pack.citations
                                            for s in c.spans)))
    for c in pack.citations:
        assert c.spans
        for span in c.spans:
            assert chunks[span.chunk_id][0][span.start:span.end] == span.text
    # every quoted item's text is inside its citation's quote
    for s in pack.sections:
        for item in pack.section_items(s):
            assert item.text.strip() in pack.citation(item.n).quote


def test_no_unit_appears_in_two_sections(pack):
    seen: dict[int, str] = {}
    for s in pack.sections:
        for item in pack.section_items(s):
            assert item.n not in seen, (item.n, seen.get(item.n), s.key)
            seen[item.n] = s.key


def test_study_aids_are_quotes_and_prompts_are_labelled(pack):
    for g in pack.glossary:
        assert g.item.text in pack.citation(g.item.n).quote
    for t in pack.timeline:
        assert str(t.year) in t.item.text
    assert [t.year for t in pack.timeline] == sorted(t.year for t in pack.timeline)
    assert pack.faq and all(f.question.endswith("?") for f in pack.faq)
    assert pack.prompts and all(p.endswith("?") for p in pack.prompts)
    md = export_pack("markdown", pack)
    assert messages.PACK_PROMPTS_NOTE in md


def test_docx_has_ordered_headings_citations_and_references(pack):
    doc = Document(io.BytesIO(export_pack("docx", pack)))
    heads = [(p.style.name, p.text) for p in doc.paragraphs
             if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert heads[0] == ("Title", messages.PACK_TITLE.format(topic="mission washing"))
    levels = [0 if n == "Title" else int(n.split()[-1]) for n, _ in heads]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))  # no skipped level
    h1 = [t for n, t in heads if n == "Heading 1"]
    assert h1[:len(pack.sections)] == [s.title for s in pack.sections]
    assert h1[-1] == messages.PACK_REFERENCES
    text = "\n".join(p.text for p in doc.paragraphs)
    assert {int(n) for n in MARK.findall(text)} == {c.n for c in pack.citations}
    refs = [p.text for p in doc.paragraphs if re.match(r"^\d+\. ", p.text)]
    assert len(refs) == len(pack.citations)
    assert refs[0].startswith(f"1. {pack.citations[0].title}")
    assert doc.core_properties.title and doc.inline_shapes.__len__() == 0  # no images
    assert "31 January 2026" in text


def test_pptx_has_one_slide_per_section_and_sources_in_notes(pack):
    prs = Presentation(io.BytesIO(export_pack("pptx", pack)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == messages.PACK_TITLE.format(topic="mission washing")
    assert titles[1:1 + len(pack.sections)] == [s.title for s in pack.sections]
    assert not any(sh.shape_type == 13 for s in prs.slides for sh in s.shapes)  # no pictures
    for slide, section in zip(list(prs.slides)[1:], pack.sections):
        if section.covered:
            notes = slide.notes_slide.notes_text_frame.text
            for item in pack.section_items(section):
                assert f"[{item.n}] {pack.citation(item.n).title}" in notes


def test_same_library_and_options_give_the_same_pack(pack, sample_assistant):
    again = build_pack(sample_assistant, "mission washing", PackOptions(), DAY)
    assert again.model_dump_json() == pack.model_dump_json()
    for fmt in ("docx", "pptx", "markdown"):
        assert export_pack(fmt, again) == export_pack(fmt, pack), fmt


def test_a_topic_the_library_does_not_cover_is_marked_not_covered(sample_assistant):
    other = build_pack(sample_assistant, "deep sea trawler fishing quotas",
                       PackOptions(length="short"), DAY)
    assert not other.filled(), [(s.key, pack_text(other, s)) for s in other.filled()]
    md = export_pack("markdown", other)
    assert md.count(messages.PACK_NOT_COVERED) == len(other.sections)


def pack_text(pack, section) -> list[str]:
    return [i.text for i in pack.section_items(section)]


def test_cli_writes_each_format(sample_settings, tmp_path):
    out = tmp_path / "pack.md"
    result = run_cli("brief", "market shaping", "--out", str(out), "--length", "short",
                     "--no-cases", "--date", "2026-01-31", settings=sample_settings)
    assert result.returncode == 0, result.stderr
    md = out.read_text()
    assert md.startswith("# " + messages.PACK_TITLE.format(topic="market shaping"))
    assert "## " + messages.PACK_SECTIONS["cases"] not in md
    assert "31 January 2026" in md and "## References" in md
    bad = run_cli("brief", "market shaping", "--out", str(tmp_path / "pack.pdf"),
                  settings=sample_settings)
    assert bad.returncode == 1 and "Error:" in bad.stderr
