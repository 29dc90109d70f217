"""A briefing pack as Markdown: headings in order (# pack, ## section, ### case / question),
quotes with [n] markers, a numbered reference list. Document text is escaped so the file stays
inert if rendered."""

from __future__ import annotations

from assistant import messages
from assistant.export.pack_common import about, further, reference
from assistant.export.text import md_export
from assistant.packs.model import Item, Pack


def _item(item: Item, bullet: str = "- ") -> list[str]:
    label = f"**{md_export(item.label)}:** " if item.label else ""
    lines = [f"{bullet}{label}{md_export(item.text)} [{item.n}]"]
    lines += [f"  - {md_export(x)}" for x in item.items]
    return lines


def to_markdown(pack: Pack) -> str:
    lines = [f"# {md_export(messages.PACK_TITLE.format(topic=pack.topic))}", "",
             md_export(about(pack)), ""]
    for section in pack.sections:
        lines += [f"## {section.title}", ""]
        if section.question:
            lines += [f"*{md_export(messages.PACK_ASKED.format(question=section.question))}*",
                      ""]
        if not section.covered:
            lines += [messages.PACK_NOT_COVERED, ""]
            continue
        for item in section.items:
            lines += _item(item)
        for case in section.cases:
            lines += ["", f"### {md_export(case.name)}", ""]
            for fact in case.facts:
                lines += _item(fact)
        lines.append("")
    lines += [f"## {messages.PACK_GLOSSARY}", ""]
    lines += [f"- **{md_export(g.term)}**: {md_export(g.item.text)} [{g.item.n}]"
              for g in pack.glossary] or [messages.PACK_EMPTY_AID]
    lines += ["", f"## {messages.PACK_FAQ}", ""]
    for f in pack.faq:
        lines += [f"### {md_export(f.question)}", "", *_item(f.item, ""), ""]
    if not pack.faq:
        lines += [messages.PACK_EMPTY_AID, ""]
    lines += [f"## {messages.PACK_TIMELINE}", ""]
    lines += [f"- **{t.year}**: {md_export(t.item.text)} [{t.item.n}]" for t in pack.timeline] \
        or [messages.PACK_EMPTY_AID]
    lines += ["", f"## {messages.PACK_PROMPTS}", "", f"*{messages.PACK_PROMPTS_NOTE}*", ""]
    lines += [f"{i}. {md_export(p)}" for i, p in enumerate(pack.prompts, 1)] \
        or [messages.PACK_EMPTY_AID]
    lines += ["", f"## {messages.PACK_FURTHER}", ""]
    lines += [f"- {md_export(further(r))}" for r in pack.references] or [messages.PACK_EMPTY_AID]
    lines += ["", f"## {messages.PACK_REFERENCES}", "", md_export(messages.PACK_REFERENCES_NOTE),
              ""]
    lines += [f"{c.n}. {md_export(reference(c))}" for c in pack.citations]
    return "\n".join(lines).rstrip() + "\n"
