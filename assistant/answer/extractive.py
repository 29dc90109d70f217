"""The default answerer: quote the units that best answer each part of the question.

No text is generated, so nothing can be invented: every word of the answer is a verbatim slice
of a stored passage (a sentence, a short paragraph, or a lead-in with its list). Written by hand
because llama-index's extractive pieces (SentenceEmbeddingOptimizer) shorten context for an LLM
rather than pick citable units. Flow: question shapes (shapes.py) -> units from the read
passages (units.py, outline.py) -> relevance per part (scoring.py) -> choice (select.py) ->
layout (compose.py).
"""

from __future__ import annotations

import numpy as np

from assistant.answer import shapes
from assistant.answer.compose import build_answer
from assistant.answer.outline import outline_units
from assistant.answer.scoring import keywords, relevance, sentence_vectors, unknown
from assistant.answer.select import Element, Scored, choose
from assistant.answer.units import (ChunkSource, Texts, Unit, build_units,
                                    candidate_sentences)
from assistant.settings import Settings
from assistant.types import Answer, Passage

# What the best passage says near its best sentence usually belongs to the answer too (the
# other parts of a list item, the rest of the paragraph): for coverage, a sentence counts at
# least this share of the best relevance in its chunk. Chosen on the multipart dev split
# (evals/tune/answers.py).
LOCAL_CONTEXT = 0.85
# How much of a list's lead-in relevance its items inherit: for a list question the items are
# the answer even when they do not repeat the question's words.
INHERIT = {shapes.Shape.list: 0.9, shapes.Shape.how: 0.85, shapes.Shape.case: 0.75,
           shapes.Shape.general: 0.75}
# Retrieval already judged whole passages (keywords, meaning, best sentence); a unit from a
# passage it ranked higher is more likely the one the question is about.
PASSAGE_PRIOR = 0.05


def answer_extractive(question: str, passages: list[Passage], query_vec, embed_model,
                      settings: Settings, *, library: ChunkSource | None = None,
                      plan: shapes.QuestionPlan | None = None, part_vecs: list | None = None,
                      reading: list[Passage] | None = None) -> Answer:
    """Answer from `reading` (default: the first answer_passages of `passages`). For a question
    of several parts, `plan` and `part_vecs` (one query vector per part) come from the caller,
    which may also have added each part's own best passages to `reading`. `library` lets a list
    continue into the next chunk and a section's sub-headings be quoted as a list."""
    plan = plan or shapes.plan(question)
    if part_vecs is None or len(part_vecs) != len(plan.parts):
        part_vecs = [query_vec] * len(plan.parts)
    reading = reading if reading is not None else passages[: settings.answer_passages]
    sentences = candidate_sentences(reading)
    units = build_units(reading, sentences, library)
    if library is not None:
        units += outline_units(reading, library)
    texts = Texts(sentences, units)
    if library is not None:  # headings and items of other chunks: their vectors were stored
        missing = unknown(texts.texts, embed_model)
        chunks = {cid for cid, t in zip(texts.chunks, texts.texts) if t in missing}
        if chunks:
            library.prime([(cid, texts.chunk_texts[cid]) for cid in sorted(chunks)])
    vecs = sentence_vectors(texts.texts, embed_model) if texts.texts else np.zeros((0, 1))
    unit_vecs = [_unit_vector(unit, vecs, texts) for unit in units]
    top = max((p.score for p in reading), default=0.0) or 1.0
    prior = {p.chunk_id: PASSAGE_PRIOR * max(0.0, p.score) / top for p in reading}
    ranked: list[list[Scored]] = []
    part_terms = [keywords(part.text) for part in plan.parts]  # without an "according to"
    for part, part_vec, terms in zip(plan.parts, part_vecs, part_terms):
        rel = relevance(terms, np.asarray(part_vec), texts.texts, vecs, texts.contexts)
        local = _in_context(rel, texts.chunks)
        inherit = INHERIT.get(part.shape, 0.6)
        scored = []
        for unit, vec in zip(units, unit_vecs):
            if unit.outline and not shapes.outline_answers(part, unit.passage.section):
                continue  # sub-headings answer "what are the trends" under "Key Trends"
            r, lead_rel = _relevance(unit, rel, texts)
            fit = shapes.fit(part, unit.kind, unit.text, unit.passage.section, terms)
            fit += prior.get(unit.passage.chunk_id, 0.0)
            elements = _elements(unit, local, lead_rel, texts, inherit)
            scored.append(Scored(unit, r, r + fit, vec, elements, fit))
        scored.sort(key=lambda s: s.final, reverse=True)
        ranked.append(scored)
    homes = _homes(units, part_terms)
    return build_answer(question, plan, choose(plan, ranked, settings, homes), passages,
                        settings)


def _homes(units: list[Unit], part_terms: list[set[str]]) -> dict[int, int]:
    """A unit that names what only one part asks about ("avoid" in "how can it be avoided",
    in its text or its section heading) supports that part; others go where they score best.
    Without this, the part with fewer words wins every tie on keyword share."""
    if len(part_terms) < 2:
        return {}
    shared = set.intersection(*part_terms)
    own = [terms - shared for terms in part_terms]
    homes = {}
    for unit in units:
        words = keywords(unit.text + " " + unit.passage.section)
        hits = [p for p, terms in enumerate(own) if terms & words]
        if len(hits) == 1:
            homes[id(unit)] = hits[0]
    return homes


def _best(rows: list[int], rel: np.ndarray) -> float | None:
    return max((float(rel[i]) for i in rows), default=None)


def _relevance(unit: Unit, rel: np.ndarray, texts: Texts) -> tuple[float, float | None]:
    """(the unit's relevance, its lead-in's). A paragraph must be relevant throughout; a list
    counts by its lead-in and its best items together."""
    if unit.kind != "list":
        values = [float(rel[i]) for i in unit.sentences]
        if unit.kind == "sentence":  # one sentence, or one with the sentence it points back to
            return max(values), None
        return 0.5 * max(values) + 0.5 * sum(values) / len(values), None
    lead = _best(texts.inside(unit.lead), rel) if unit.lead else None
    items = sorted((v for v in (_best(texts.inside(i), rel) for i in unit.items)
                    if v is not None), reverse=True)[:3]
    mean = sum(items) / len(items) if items else 0.0
    if lead is None:
        return 0.9 * mean, None
    return max(lead, 0.5 * lead + 0.5 * mean), lead


def _in_context(rel: np.ndarray, chunk_of: list[str]) -> np.ndarray:
    best: dict[str, float] = {}
    for value, chunk in zip(rel, chunk_of):
        best[chunk] = max(best.get(chunk, 0.0), float(value))
    return np.array([max(float(v), LOCAL_CONTEXT * best[c]) for v, c in zip(rel, chunk_of)])


def _elements(unit: Unit, local: np.ndarray, lead_rel: float | None, texts: Texts,
              inherit: float) -> list[Element]:
    """A unit's content for coverage: its sentences, and for a list its lead-in and items (an
    item counts at least `inherit` x the lead-in's relevance)."""
    out: list[Element] = []
    floor = inherit * lead_rel if lead_rel is not None else 0.0
    for k, piece in enumerate(unit.pieces()):
        cid = piece.passage.chunk_id
        is_item = unit.kind == "list" and not (k == 0 and unit.lead is not None)
        rows = texts.inside(piece)
        if not rows:
            out.append(Element(cid, (piece.start + piece.end) // 2, floor if is_item else 0.0))
        for i in rows:
            value = max(float(local[i]), floor) if is_item else float(local[i])
            out.append(Element(cid, texts.start_of[i] + 1, value))  # a character inside it
    return out


def _unit_vector(unit: Unit, vecs: np.ndarray, texts: Texts) -> np.ndarray:
    """The mean of its texts' vectors, normalised, for telling near-duplicate units apart."""
    rows = list(unit.sentences) or [i for p in unit.pieces() for i in texts.inside(p)]
    if not rows:
        return np.zeros(vecs.shape[1], dtype=np.float32)
    v = vecs[rows].mean(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v
