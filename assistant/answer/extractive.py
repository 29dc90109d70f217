"""The default answerer: quote the units that best answer each part of the question.

No text is generated, so nothing can be invented: every word of the answer is a verbatim slice
of a stored passage (a sentence, a short paragraph, or a lead-in with its list). Written by hand
because llama-index's extractive pieces (SentenceEmbeddingOptimizer) shorten context for an LLM
rather than pick citable units. Flow: question shapes (shapes.py) -> units from the read
passages (units.py) -> relevance per part (scoring.py) -> choice and layout (compose.py).
"""

from __future__ import annotations

import numpy as np

from assistant.answer import shapes
from assistant.answer.compose import Scored, build_answer, choose
from assistant.answer.scoring import keywords, relevance, sentence_vectors, unit_relevance
from assistant.answer.units import Neighbour, Unit, build_units, candidate_sentences
from assistant.settings import Settings
from assistant.types import Answer, Passage


def answer_extractive(question: str, passages: list[Passage], query_vec, embed_model,
                      settings: Settings, *, neighbour: Neighbour | None = None,
                      plan: shapes.QuestionPlan | None = None, part_vecs: list | None = None,
                      reading: list[Passage] | None = None) -> Answer:
    """Answer from `reading` (default: the first answer_passages of `passages`). For a question
    of several parts, `plan` and `part_vecs` (one query vector per part) come from the caller,
    which may also have added each part's own best passages to `reading`."""
    plan = plan or shapes.plan(question)
    if part_vecs is None or len(part_vecs) != len(plan.parts):
        part_vecs = [query_vec] * len(plan.parts)
    reading = reading if reading is not None else passages[: settings.answer_passages]
    sentences = candidate_sentences(reading)
    units = build_units(reading, sentences, neighbour)
    texts = [s.text for s in sentences]
    contexts = [s.passage.section for s in sentences]
    where = {(s.passage.chunk_id, s.start): i for i, s in enumerate(sentences)}
    for unit in units:  # lead-ins that are not quotable sentences (headings, short lines)
        if unit.kind == "list" and unit.lead is not None:
            key = (unit.lead.passage.chunk_id, unit.lead.start)
            if key not in where:
                where[key] = len(texts)
                texts.append(unit.lead.text)
                contexts.append(unit.lead.passage.section)
    vecs = sentence_vectors(texts, embed_model) if texts else np.zeros((0, 1))
    unit_vecs = [_unit_vector(unit, vecs, where) for unit in units]
    ranked: list[list[Scored]] = []
    for part, part_vec in zip(plan.parts, part_vecs):
        terms = keywords(part.text if len(plan.parts) > 1 else question)
        rel = relevance(terms, np.asarray(part_vec), texts, vecs, contexts)
        scored = []
        for unit, vec in zip(units, unit_vecs):
            lead = _lead_index(unit, where)
            r = unit_relevance(unit, rel, None if lead is None else float(rel[lead]))
            fit = shapes.fit(part, unit.kind, unit.text, unit.passage.section, terms)
            scored.append(Scored(unit, r, r + fit, vec))
        scored.sort(key=lambda s: s.final, reverse=True)
        ranked.append(scored)
    return build_answer(question, plan, choose(plan, ranked, settings), passages, settings)


def _lead_index(unit: Unit, where: dict) -> int | None:
    if unit.kind != "list" or unit.lead is None:
        return None
    return where.get((unit.lead.passage.chunk_id, unit.lead.start))


def _unit_vector(unit: Unit, vecs: np.ndarray, where: dict) -> np.ndarray:
    """The mean of its sentences' vectors (its lead-in's for a list without scored items),
    normalised, for telling near-duplicate units apart."""
    rows = list(unit.sentences)
    lead = _lead_index(unit, where)
    if lead is not None:
        rows.append(lead)
    if not rows:
        return np.zeros(vecs.shape[1], dtype=np.float32)
    v = vecs[rows].mean(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v
