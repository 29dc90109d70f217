"""A briefing pack as Word: real headings in order (Title, Heading 1 per section, Heading 2
per case or question), quotes with [n] markers, list items as Word bullets, the prompts
labelled as prompts, and a numbered reference list. No images, so nothing needs alt text."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from assistant import messages
from assistant.export.pack_common import about, fixed_time, further, item_text, reference, \
    stable_zip
from assistant.packs.model import Item, Pack


def _item(doc, item: Item) -> None:
    doc.add_paragraph(item_text(item), style="List Bullet")
    for x in item.items:
        doc.add_paragraph(x, style="List Bullet 2")


def _empty(doc) -> None:
    doc.add_paragraph(messages.PACK_EMPTY_AID)


def _labelled(doc, entries: list[tuple[str, Item]]) -> None:
    """Glossary and timeline lines: a bold term or year, then its quote and number."""
    for label, item in entries:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{label}: ").bold = True
        p.add_run(f"{item.text} [{item.n}]")
    if not entries:
        _empty(doc)


def to_docx(pack: Pack) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    title = messages.PACK_TITLE.format(topic=pack.topic)
    props = doc.core_properties  # the file's own metadata: title, language, fixed dates
    props.title, props.language, props.author = title, "en-GB", "mission-assistant"
    props.created = props.modified = props.last_printed = fixed_time(pack.generated)
    props.revision = 1
    doc.add_heading(title, level=0)
    doc.add_paragraph(about(pack))
    for section in pack.sections:
        doc.add_heading(section.title, level=1)
        if section.question:
            doc.add_paragraph().add_run(
                messages.PACK_ASKED.format(question=section.question)).italic = True
        if not section.covered:
            doc.add_paragraph(messages.PACK_NOT_COVERED)
            continue
        for item in section.items:
            _item(doc, item)
        for case in section.cases:
            doc.add_heading(case.name, level=2)
            for fact in case.facts:
                _item(doc, fact)
    doc.add_heading(messages.PACK_GLOSSARY, level=1)
    _labelled(doc, [(g.term, g.item) for g in pack.glossary])
    doc.add_heading(messages.PACK_FAQ, level=1)
    for f in pack.faq:
        doc.add_heading(f.question, level=2)
        doc.add_paragraph(item_text(f.item))
    if not pack.faq:
        _empty(doc)
    doc.add_heading(messages.PACK_TIMELINE, level=1)
    _labelled(doc, [(str(t.year), t.item) for t in pack.timeline])
    doc.add_heading(messages.PACK_PROMPTS, level=1)
    doc.add_paragraph().add_run(messages.PACK_PROMPTS_NOTE).italic = True
    for p in pack.prompts:
        doc.add_paragraph(p, style="List Number")
    doc.add_heading(messages.PACK_FURTHER, level=1)
    for r in pack.references:
        doc.add_paragraph(further(r), style="List Bullet")
    doc.add_heading(messages.PACK_REFERENCES, level=1)
    doc.add_paragraph(messages.PACK_REFERENCES_NOTE)
    for c in pack.citations:
        # Numbers written out (not a Word list) so they match [n] in every viewer.
        doc.add_paragraph(f"{c.n}. {reference(c)}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue(), pack.generated)
