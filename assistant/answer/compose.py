"""Turn the chosen units into an Answer: verified citations (one per unit, every span checked),
the structure (parts, units) and its text. Choosing the units is select.py's job; the reading
shape is layout.py's.
"""

from __future__ import annotations

from assistant import messages
from assistant.answer.citations import QuoteNotInPassage, make_unit_citation
from assistant.answer.layout import answer_lines, to_text
from assistant.answer.shapes import QuestionPlan
from assistant.answer.select import Chosen, PartResult
from assistant.answer.units import Piece
from assistant.settings import Settings
from assistant.types import Answer, AnswerPart, AnswerStatus, AnswerUnit, Citation, Passage


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
    for chosen in order:
        spans, items, subitems = _pieces(chosen)
        try:
            citation = make_unit_citation(len(citations) + 1, spans)
        except QuoteNotInPassage:
            continue  # cannot happen for slices, but a quote we cannot verify is never shown
        unit = chosen.scored.unit
        citations.append(citation)
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
    answer = Answer(question=question, answer="",
                    status=AnswerStatus.answered if covered_all else AnswerStatus.partial,
                    citations=citations, retrieved=passages, shape=plan.shape, parts=parts,
                    units=units)
    answer.answer = to_text(answer_lines(answer))
    if missing:
        answer.note = messages.PARTS_NOT_COVERED.format(parts="; ".join(f"“{m}”"
                                                                         for m in missing))
    elif answer.status is AnswerStatus.partial:
        answer.answer = f"{messages.PARTIAL_PREFIX}\n\n{answer.answer}"
    return answer
