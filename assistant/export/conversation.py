"""A conversation as training material: Markdown and Word files, each answer followed by its
quotes and a numbered reference list matching the [n] markers in the answer."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt

from assistant import messages
from assistant.answer.layout import answer_lines, markdown_lines
from assistant.export.text import md_export
from assistant.types import Answer, Citation


def reference(c: Citation) -> str:
    """One reference line: title, publisher, date, location, link (plain text)."""
    parts = [c.title or c.doc_id, c.publisher, c.date, c.location]
    text = ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())
    return f"{text}. {c.url}" if c.url else f"{text}."


def _status(answer: Answer) -> str:
    return messages.STATUS_LABELS.get(answer.status.value, answer.status.value)


def to_markdown(answers: list[Answer], today: date | None = None) -> str:
    """Escaped where it matters, so the file stays inert if someone renders it."""
    lines = [f"# {messages.UI_EXPORT_TITLE}", "", f"Exported {today or date.today():%d %B %Y}.",
             ""]
    for i, answer in enumerate(answers, start=1):
        lines += [f"## {i}. {md_export(answer.question)}", "",
                  f"*{_status(answer)} · {md_export(answer.mode)}*", "",
                  *_markdown_body(answer), ""]
        if answer.note:
            lines += [f"Note: {md_export(answer.note)}", ""]
        for c in answer.citations:
            lines += [f"> [{c.n}] {md_export(c.quote)}", ">"]
        if answer.citations:
            lines.pop()  # no dangling ">" after the last quote
            lines += ["", f"### {messages.UI_EXPORT_REFERENCES}", ""]
            lines += [f"{c.n}. {md_export(reference(c))}" for c in answer.citations]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_body(answer: Answer) -> list[str]:
    """The answer with its lists as Markdown lists (plain text for an LLM's prose)."""
    structure = answer_lines(answer)
    if not structure:
        return [md_export(answer.answer)]
    return markdown_lines(structure, md_export)


# Word's built-in list styles, by nesting depth.
_BULLETS = ("List Bullet", "List Bullet 2", "List Bullet 3")


def _docx_body(doc, answer: Answer) -> None:
    """Paragraphs for the answer: quotes as paragraphs, list items as real Word bullets,
    supporting points as bullets under an italic attribution line."""
    structure = answer_lines(answer)
    if not structure:
        doc.add_paragraph(answer.answer)
        return
    for line in structure:
        text = line.text + (f" [{line.n}]" if line.n is not None else "")
        if line.kind == "part":
            doc.add_heading(line.text, level=3)
        elif line.kind == "source":
            doc.add_paragraph().add_run(line.text).italic = True
        elif line.kind == "quote":
            doc.add_paragraph(text.strip(), style=_BULLETS[0] if line.support else None)
        elif line.kind in ("item", "subitem"):
            depth = (1 if line.kind == "subitem" else 0) + (1 if line.support else 0)
            doc.add_paragraph(text, style=_BULLETS[depth])
        else:
            doc.add_paragraph(text)


def to_docx(answers: list[Answer], today: date | None = None) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(messages.UI_EXPORT_TITLE, level=0)
    doc.add_paragraph(f"Exported {today or date.today():%d %B %Y}.")
    for i, answer in enumerate(answers, start=1):
        doc.add_heading(f"{i}. {answer.question}", level=1)
        doc.add_paragraph(f"{_status(answer)} · {answer.mode}").runs[0].italic = True
        _docx_body(doc, answer)
        if answer.note:
            doc.add_paragraph(f"Note: {answer.note}")
        for c in answer.citations:
            doc.add_paragraph(f"[{c.n}] {c.quote}", style="Quote")
        if answer.citations:
            doc.add_heading(messages.UI_EXPORT_REFERENCES, level=2)
            for c in answer.citations:
                # Numbers written out (not a Word list) so they match [n] in every viewer.
                doc.add_paragraph(f"{c.n}. {reference(c)}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
