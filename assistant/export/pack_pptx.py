"""A briefing pack as slides (python-pptx): a title slide (topic, sources, date), one slide per
section, then glossary, FAQ, timeline, prompts and further reading. Each slide has a real title
placeholder (screen readers list slides by it), dark text on a white background (contrast well
above 4.5:1), no images, and the full references of its quotes in the speaker notes."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from assistant import messages
from assistant.export.pack_common import about, fixed_time, further, item_text, reference, \
    stable_zip
from assistant.packs.model import Pack

INK = RGBColor(0x1A, 0x1A, 0x1A)  # on white: contrast 17.4:1
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def _size(lines: list[tuple[str, int]]) -> Pt:
    """Smaller type for a fuller slide, so quotes are never cut (they must stay whole)."""
    words = sum(len(t.split()) for t, _ in lines)
    return Pt(18 if words <= 70 else 14 if words <= 140 else 11 if words <= 230 else 9)


def _slide(prs, title: str, lines: list[tuple[str, int]], notes: list[str],
           header: str = messages.PACK_SOURCES_NOTE) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])  # Title and Content
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = WHITE
    slide.shapes.title.text = title
    for run in slide.shapes.title.text_frame.paragraphs[0].runs:
        run.font.color.rgb = INK
        run.font.size = Pt(30)
    body = slide.placeholders[1]
    body.left, body.top, body.width, body.height = Inches(0.5), Inches(1.5), Inches(9), \
        Inches(5.6)
    frame = body.text_frame
    frame.word_wrap = True
    size = _size(lines)
    for i, (text, level) in enumerate(lines or [("", 0)]):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text, para.level = text, level
        for run in para.runs:
            run.font.size, run.font.color.rgb = size, INK
    if notes:
        slide.notes_slide.notes_text_frame.text = "\n".join(
            ([f"{header}:"] if header else []) + notes)


def to_pptx(pack: Pack) -> bytes:
    prs = Presentation()  # 4:3, 10 x 7.5 in
    title = messages.PACK_TITLE.format(topic=pack.topic)
    props = prs.core_properties
    props.title, props.language, props.author = title, "en-GB", "mission-assistant"
    props.created = props.modified = props.last_printed = fixed_time(pack.generated)
    props.revision = 1
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = about(pack)
    for shape in (cover.shapes.title, cover.placeholders[1]):
        for para in shape.text_frame.paragraphs:
            for run in para.runs:
                run.font.color.rgb = INK
    cover.placeholders[1].text_frame.paragraphs[0].runs[0].font.size = Pt(14)

    def notes_for(ns: list[int]) -> list[str]:
        return [f"[{n}] {reference(pack.citation(n))}" for n in dict.fromkeys(ns)]

    for section in pack.sections:
        if not section.covered:
            _slide(prs, section.title, [(messages.PACK_NOT_COVERED, 0)],
                   [messages.PACK_ASKED.format(question=section.question)], header="")
            continue
        lines, ns = [], []
        for item in section.items:
            lines.append((item_text(item), 0))
            lines += [(x, 1) for x in item.items]
            ns.append(item.n)
        for case in section.cases:
            lines.append((case.name, 0))
            lines += [(item_text(f), 1) for f in case.facts]
            ns += [f.n for f in case.facts]
        _slide(prs, section.title, lines, notes_for(ns))
    aids = [
        (messages.PACK_GLOSSARY, [(f"{g.term}: {g.item.text} [{g.item.n}]", 0)
                                  for g in pack.glossary], [g.item.n for g in pack.glossary]),
        (messages.PACK_FAQ, [x for f in pack.faq for x in ((f.question, 0),
                                                           (item_text(f.item), 1))],
         [f.item.n for f in pack.faq]),
        (messages.PACK_TIMELINE, [(f"{t.year}: {t.item.text} [{t.item.n}]", 0)
                                  for t in pack.timeline], [t.item.n for t in pack.timeline]),
    ]
    for name, lines, ns in aids:
        _slide(prs, name, lines or [(messages.PACK_EMPTY_AID, 0)], notes_for(ns))
    _slide(prs, messages.PACK_PROMPTS, [(messages.PACK_PROMPTS_NOTE, 0)]
           + [(p, 1) for p in pack.prompts], [])
    _slide(prs, messages.PACK_FURTHER, [(further(r), 0) for r in pack.references],
           [f"[{c.n}] {reference(c)}" for c in pack.citations])
    buffer = io.BytesIO()
    prs.save(buffer)
    return stable_zip(buffer.getvalue(), pack.generated)
