"""Case records as files researchers use: CSV (one row per case, each field with the ids of
the documents and chunks it is quoted from) and a side-by-side comparison in Markdown or Word,
every cell followed by its numbered source."""

from __future__ import annotations

import csv
import io
from datetime import date

from docx import Document
from docx.shared import Pt

from assistant import messages
from assistant.cases import FIELD_LABELS, CaseField, CaseRecord, comparison
from assistant.export.text import md_export

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Spreadsheet-safe: a value starting like a formula is shown, never run."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _sources(fields: list[CaseField]) -> str:
    return " ".join(sorted({f"{e.doc_id}#{e.chunk_id.rsplit('#', 1)[-1]}"
                            for f in fields for e in f.evidence}))


def to_csv(cases: list[CaseRecord]) -> str:
    """One row per case: id, name, every field's value ("; " between quotes) and, beside each,
    the chunks it is quoted from; then the documents and aliases."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["id", "name", "name_sources"]
    for name in FIELD_LABELS:
        header += [name, f"{name}_sources"]
    writer.writerow(header + ["documents", "aliases"])
    for c in cases:
        row = [c.id, _cell(c.name.value), _sources([c.name])]
        for name in FIELD_LABELS:
            fields = c.fields(name)
            row += [_cell(" | ".join(f.value for f in fields)), _sources(fields)]
        writer.writerow(row + [" ".join(c.documents), _cell(" | ".join(c.aliases))])
    return out.getvalue()


class _Notes:
    """Numbered sources shared by every cell of one comparison."""

    def __init__(self) -> None:
        self.order: dict[tuple[str, str], int] = {}
        self.refs: list[str] = []

    def mark(self, field: CaseField) -> str:
        marks = []
        for e in field.evidence:
            key = (e.chunk_id, e.quote)
            if key not in self.order:
                self.order[key] = len(self.order) + 1
                where = ", ".join(p for p in (e.title or e.doc_id, e.publisher, e.location)
                                  if p)
                self.refs.append(f"“{e.quote}” — {where}" + (f". {e.url}" if e.url else ""))
            marks.append(f"[{self.order[key]}]")
        return "".join(marks)


def to_markdown(cases: list[CaseRecord], today: date | None = None) -> str:
    notes = _Notes()
    names = [md_export(c.name.value) + " " + notes.mark(c.name) for c in cases]
    lines = [f"# {messages.CASES_COMPARE_TITLE}", "",
             f"Exported {today or date.today():%d %B %Y}.", "",
             "| " + " | ".join(["", *names]) + " |", "|---" * (len(cases) + 1) + "|"]
    for row in comparison(cases):
        cells = ["<br>".join(md_export(f.value) + " " + notes.mark(f) for f in fields)
                 or messages.CASES_NOT_GIVEN for fields in row["cells"]]
        lines.append("| " + " | ".join([f"**{row['label']}**", *cells]) + " |")
    lines += ["", f"## {messages.UI_EXPORT_REFERENCES}", ""]
    lines += [f"{i}. {md_export(ref)}" for i, ref in enumerate(notes.refs, start=1)]
    return "\n".join(lines) + "\n"


def to_docx(cases: list[CaseRecord], today: date | None = None) -> bytes:
    notes = _Notes()
    doc = Document()
    doc.styles["Normal"].font.size = Pt(9)
    doc.add_heading(messages.CASES_COMPARE_TITLE, level=0)
    doc.add_paragraph(f"Exported {today or date.today():%d %B %Y}.")
    rows = comparison(cases)
    table = doc.add_table(rows=len(rows) + 1, cols=len(cases) + 1)
    table.style = "Table Grid"
    for j, c in enumerate(cases, start=1):
        table.cell(0, j).text = f"{c.name.value} {notes.mark(c.name)}"
    for i, row in enumerate(rows, start=1):
        table.cell(i, 0).text = row["label"]
        for j, fields in enumerate(row["cells"], start=1):
            table.cell(i, j).text = "\n".join(f"{f.value} {notes.mark(f)}" for f in fields) \
                or messages.CASES_NOT_GIVEN
    doc.add_heading(messages.UI_EXPORT_REFERENCES, level=1)
    for i, ref in enumerate(notes.refs, start=1):
        doc.add_paragraph(f"{i}. {ref}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
