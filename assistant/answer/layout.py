"""The reading shape of an answer, as a flat list of lines every front end renders its own way
(plain text for the CLI and `Answer.answer`, Markdown for the app and exports, Word paragraphs).

Per part of the question (headed when there are several): the direct unit, then supporting
units grouped by source under an attribution line built from metadata only — title,
publisher, year, in fixed template words, never a generated claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant import messages
from assistant.types import Answer, AnswerUnit, Citation

Kind = Literal["part", "quote", "item", "subitem", "source", "missing"]


@dataclass(frozen=True)
class Line:
    kind: Kind
    text: str
    n: int | None = None  # citation number shown after the quote
    support: bool = False  # under an attribution line: rendered one level deeper, as a bullet


def attribution(c: Citation) -> str:
    """"From “Title” (Publisher, 2024):" from the citation's metadata."""
    details = ", ".join(x for x in (c.publisher, c.date[:4]) if x)
    return messages.ATTRIBUTION.format(title=c.title or c.doc_id,
                                       details=f" ({details})" if details else "")


def part_heading(text: str, comparison: bool = False) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(("?", ":")) else text + (":" if comparison else "?")


def _unit(unit: AnswerUnit, support: bool) -> list[Line]:
    # A list quoted without its lead-in carries its citation on its first item; an empty
    # quote line would show a bare "[2]" bullet.
    lines = [Line("quote", unit.text, unit.n, support)] if unit.text or not unit.items else []
    for item, subs in zip(unit.items, unit.subitems or [[]] * len(unit.items)):
        lines.append(Line("item", item, unit.n if not lines else None, support))
        lines += [Line("subitem", sub, None, support) for sub in subs]
    return lines


def answer_lines(answer: Answer) -> list[Line]:
    """The structured answer as lines; empty for an answer without units (an LLM's prose)."""
    if not answer.units:
        return []
    by_n = {c.n: c for c in answer.citations}
    parts = answer.parts or []
    lines: list[Line] = []
    for p in range(max(1, len(parts))):
        if len(parts) > 1:
            lines.append(Line("part", part_heading(parts[p].text,
                                                   parts[p].shape == "comparison")))
        mine = [u for u in answer.units if u.part == p]
        if not mine:
            lines.append(Line("missing", messages.PART_NOT_COVERED))
            continue
        for unit in (u for u in mine if u.role == "direct"):
            lines += _unit(unit, support=False)
        groups: dict[str, list[AnswerUnit]] = {}
        for unit in (u for u in mine if u.role != "direct"):
            groups.setdefault(unit.doc_id, []).append(unit)
        for group in groups.values():
            lines.append(Line("source", attribution(by_n[group[0].n])))
            for unit in group:
                lines += _unit(unit, support=True)
    return lines


def to_text(lines: list[Line]) -> str:
    """Plain text with "- " bullets: what the CLI prints and `Answer.answer` holds."""
    out: list[str] = []
    for line in lines:
        cite = f" [{line.n}]" if line.n is not None else ""
        pad = "  " if line.support else ""
        if line.kind == "part":
            out += ["", line.text] if out else [line.text]
        elif line.kind == "source":
            out += ["", line.text]
        elif line.kind == "quote":
            out.append(("- " if line.support else "") + (line.text + cite).strip())
        elif line.kind == "item":
            out.append(f"{pad}- {line.text}{cite}")
        elif line.kind == "subitem":
            out.append(f"{pad}  - {line.text}")
        else:
            out.append(line.text)
    return "\n".join(out).strip()


def markdown_lines(lines: list[Line], escape, cite: str = " [{n}]") -> list[str]:
    """Markdown lines: list units as real lists, supporting points as bullets under their
    source in italics, part headings in bold. `escape` makes document text inert for the
    target (the app's and the export's escaping differ); `cite` formats the marker."""
    out: list[str] = []
    for line in lines:
        marker = cite.format(n=line.n) if line.n is not None else ""
        text = escape(line.text)
        if line.kind == "part":
            out += ["", f"**{text}**", ""]
        elif line.kind == "source":
            out += ["", f"*{text}*", ""]
        elif line.kind == "quote":
            out.append(("- " if line.support else "") + (text + marker).strip())
        elif line.kind == "item":
            out.append(("  - " if line.support else "- ") + text + marker)
        elif line.kind == "subitem":
            out.append(("    - " if line.support else "  - ") + text)
        else:
            out.append(text)
    return out
