"""Compose an answer from scored units: the most direct unit for each part of the question
first (a list question gets its whole list), then supporting units that add what is not yet
said — diverse over content and sources — within a word budget; laid out with supporting
points grouped under an attribution line built from metadata only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant import messages
from assistant.answer.citations import QuoteNotInPassage, make_unit_citation
from assistant.answer.shapes import QuestionPlan, Shape
from assistant.answer.units import Piece, Unit
from assistant.settings import Settings
from assistant.types import Answer, AnswerPart, AnswerStatus, AnswerUnit, Citation, Passage

LIST_PREFERENCE = 0.08  # a list within this of the best unit leads a list or how part
SUPPORT_MARGIN = 0.15  # supporting units score at least the part's best minus this
REDUNDANCY = 0.5  # MMR weight on similarity to what is already chosen
SAME_SOURCE = 0.03  # penalty per unit already quoted from the same document


@dataclass
class Scored:
    unit: Unit
    rel: float  # relevance to the part
    final: float  # relevance plus the shape's preference
    vec: np.ndarray


@dataclass
class Chosen:
    part: int
    role: str
    scored: Scored
    trim: bool = False


@dataclass
class PartResult:
    best: float = 0.0
    chosen: list[Chosen] = field(default_factory=list)


def choose(plan: QuestionPlan, ranked: list[list[Scored]], settings: Settings
           ) -> list[PartResult]:
    """Direct units for every part first, then supporting units in turn, within the budget."""
    budget = settings.answer_max_words
    results = [PartResult(best=max((s.rel for s in r), default=0.0)) for r in ranked]
    # A unit supports the part it is most relevant to, so two parts do not repeat each other.
    home: dict[int, int] = {}
    if len(ranked) > 1:
        rels: dict[int, list[float]] = {}
        for options in ranked:
            for s in options:
                rels.setdefault(id(s.unit), []).append(s.rel)
        home = {uid: int(np.argmax(r)) for uid, r in rels.items()}
    taken: set = set()
    chosen: list[Scored] = []
    words = 0
    for p, (part, options) in enumerate(zip(plan.parts, ranked)):
        if results[p].best < settings.answer_partial_threshold or not options:
            continue
        fresh = [s for s in options if not s.unit.key() & taken]
        if not fresh:
            continue
        lead = fresh[0]
        if part.shape in (Shape.list, Shape.how):
            lists = [s for s in fresh if s.unit.kind == "list"]
            if lists and lists[0].final >= lead.final - LIST_PREFERENCE:
                lead = lists[0]
        share = budget if len(plan.parts) == 1 else budget // len(plan.parts)
        trim = lead.unit.words() > share
        results[p].chosen.append(Chosen(p, "direct", lead, trim))
        taken |= lead.unit.key()
        chosen.append(lead)
        words += lead.unit.words(trim)
    active = [p for p, r in enumerate(results) if r.chosen]
    while active:
        for p in list(active):
            options = [s for s in ranked[p] if home.get(id(s.unit), p) == p]
            pick = _next_support(options, results[p], chosen, taken, settings, budget - words)
            if pick is None:
                active.remove(p)
                continue
            results[p].chosen.append(Chosen(p, "support", pick))
            taken |= pick.unit.key()
            chosen.append(pick)
            words += pick.unit.words()
    return results


def _next_support(options: list[Scored], result: PartResult, everywhere: list[Scored],
                  taken: set, settings: Settings, room: int) -> Scored | None:
    """The best next unit for a part: relevant enough, fits the room left, not a repeat of
    anything quoted (in any part), and not one source too many."""
    floor = max(settings.answer_min_sentence_score, result.best - SUPPORT_MARGIN)
    mine = [c.scored for c in result.chosen]
    best, best_value = None, -1e9
    for s in options:
        if s.rel < floor or s.unit.words() > room or s.unit.key() & taken:
            continue
        sims = [float(s.vec @ c.vec) for c in everywhere]
        if sims and max(sims) >= settings.answer_duplicate_similarity:
            continue
        same = sum(c.unit.passage.doc_id == s.unit.passage.doc_id for c in mine)
        if same >= settings.answer_max_per_document:
            continue
        value = s.final - REDUNDANCY * max(sims, default=0.0) - SAME_SOURCE * same
        if value > best_value:
            best, best_value = s, value
    return best


# --- layout ------------------------------------------------------------------------------------

def attribution(passage: Passage) -> str:
    """"From “Title” (Publisher, 2024):" — metadata only, fixed template words."""
    details = ", ".join(x for x in (passage.publisher, passage.date[:4]) if x)
    title = passage.title or passage.doc_id
    return messages.ATTRIBUTION.format(title=title, details=f" ({details})" if details else "")


def _unit_lines(unit: AnswerUnit, indent: str = "") -> list[str]:
    if unit.kind != "list":
        return [f"{indent}{unit.text} [{unit.n}]"]
    lines = [f"{indent}{unit.text} [{unit.n}]" if unit.text else f"{indent}[{unit.n}]"]
    for item, subs in zip(unit.items, unit.subitems):
        lines.append(f"{indent}- {item}")
        lines += [f"{indent}  - {sub}" for sub in subs]
    return lines


def layout(plan: QuestionPlan, parts: list[AnswerPart], units: list[AnswerUnit],
           sources: dict[int, Passage]) -> str:
    """The answer as text: per part (headed when there are several), the direct unit, then
    supporting units grouped by source under an attribution line."""
    lines: list[str] = []
    for p, part in enumerate(parts):
        if len(parts) > 1:
            if lines:
                lines.append("")
            lines.append(part.text[:1].upper() + part.text[1:] + ("" if part.text.endswith(
                ("?", ":")) else ("?" if plan.parts[p].shape is not Shape.comparison else ":")))
        mine = [u for u in units if u.part == p]
        if not mine:
            lines.append(messages.PART_NOT_COVERED)
            continue
        for unit in (u for u in mine if u.role == "direct"):
            lines += _unit_lines(unit)
        groups: dict[str, list[AnswerUnit]] = {}
        for unit in (u for u in mine if u.role == "support"):
            groups.setdefault(unit.doc_id, []).append(unit)
        for group in groups.values():
            lines += ["", attribution(sources[group[0].n])]
            for unit in group:
                first, *rest = _unit_lines(unit)
                lines.append("- " + first)
                lines += ["  " + line for line in rest]
    return "\n".join(lines).strip()


def _pieces(chosen: Chosen) -> tuple[list[Piece], list[Piece], list[list[Piece]]]:
    """(every span in reading order, the items shown, their sub-items shown)."""
    unit = chosen.scored.unit
    items = [item.shown(chosen.trim) for item in unit.items]
    return unit.pieces(chosen.trim), items, [item.children for item in items]


def build_answer(question: str, plan: QuestionPlan, results: list[PartResult],
                 passages: list[Passage], settings: Settings) -> Answer:
    parts = [AnswerPart(text=part.asked, shape=part.shape.value,
                        covered=bool(result.chosen)) for part, result in zip(plan.parts, results)]
    # Reading order: each part's direct unit, then its supporting units grouped by source.
    order: list[Chosen] = []
    for result in results:
        order += [c for c in result.chosen if c.role == "direct"]
        supports = [c for c in result.chosen if c.role == "support"]
        docs = list(dict.fromkeys(c.scored.unit.passage.doc_id for c in supports))
        order += sorted(supports, key=lambda c: docs.index(c.scored.unit.passage.doc_id))
    citations: list[Citation] = []
    units: list[AnswerUnit] = []
    sources: dict[int, Passage] = {}
    for chosen in order:
        spans, items, subitems = _pieces(chosen)
        try:
            citation = make_unit_citation(len(citations) + 1, spans)
        except QuoteNotInPassage:
            continue  # cannot happen for slices, but a quote we cannot verify is never shown
        unit = chosen.scored.unit
        citations.append(citation)
        sources[citation.n] = unit.passage
        lead = unit.lead.text if unit.lead else ""
        units.append(AnswerUnit(
            n=citation.n, kind=unit.kind, part=chosen.part, role=chosen.role, text=lead,
            items=[i.text for i in items], subitems=[[s.text for s in subs] for subs in subitems],
            doc_id=unit.passage.doc_id))
    best = min(r.best for r in results) if results else 0.0
    if not units:
        return Answer(question=question, status=AnswerStatus.not_found, answer=messages.NOT_FOUND,
                      retrieved=passages, shape=plan.shape, parts=parts)
    missing = [p.text for p in parts if not p.covered]
    covered_all = not missing and best >= settings.answer_found_threshold
    status = AnswerStatus.answered if covered_all else AnswerStatus.partial
    text = layout(plan, parts, units, sources)
    note = ""
    if missing:
        note = messages.PARTS_NOT_COVERED.format(parts="; ".join(f"“{m}”" for m in missing))
    elif status is AnswerStatus.partial:
        text = f"{messages.PARTIAL_PREFIX}\n\n{text}"
    return Answer(question=question, status=status, answer=text, citations=citations,
                  retrieved=passages, shape=plan.shape, parts=parts, units=units, note=note)
