"""The default second stage: rescore the first few fused passages by their best sentence.

It uses the same embedding model and the same sentence score the extractive answerer quotes
by. A passage is long and mixed; the question is usually answered by one sentence of it, and a
chunk-level MiniLM vector or a BM25 score blurs that. This is the "MaxP" idea from passage
reranking, done with the bi-encoder we already have because no cross-encoder ships offline.

Why hand-written: llama-index's postprocessors rerank with a cross-encoder, an LLM or a whole-
passage embedding (SentenceTransformerRerank, LLMRerank, SimilarityPostprocessor); none scores a
passage by its best sentence. It costs almost nothing at answer time: the window is the
passages the answerer reads anyway, and their sentence vectors are stored at ingest (or cached
for it). Plain functions over retrieval hits (anything with .text, .score and .rescored()), so
the question path needs no llama-index import.
"""

from __future__ import annotations

import numpy as np

from assistant.answer.scoring import LEXICAL_WEIGHT, score_candidates
from assistant.answer.units import candidate_sentences
from assistant.types import Passage


def rerank_by_sentences(question: str, query_vec, hits: list, embed_model, window: int,
                        weight: float, lexical_weight: float = LEXICAL_WEIGHT,
                        term_weights: dict[str, float] | None = None) -> list:
    """Reorder the first `window` hits by weight x best-sentence score + (1 - weight) x their
    fused score (min-max scaled within the window); hits after the window keep their order.
    A sentence scores (1 - lexical_weight) x cosine + lexical_weight x the share of the
    question's keywords it holds, each keyword weighted by term_weights (its IDF) if given."""
    if len(hits) < 2 or window < 2:
        return hits
    head, tail = hits[:window], hits[window:]
    best = best_sentence_scores(question, np.asarray(query_vec), [h.text for h in head],
                                embed_model, lexical_weight, term_weights)
    fused = np.array([float(h.score or 0.0) for h in head])
    new = blend(fused, best, weight)
    order = sorted(range(len(head)), key=lambda i: new[i], reverse=True)
    out = [head[i].rescored(float(new[i])) for i in order]
    # The tail stays below the window: its fused scores rescaled under the lowest new one.
    floor, lowest = float(new.min()), float(fused.min()) or 1.0
    out += [h.rescored(floor * float(h.score or 0.0) / lowest) for h in tail]
    return out


def blend(fused: np.ndarray, best: np.ndarray, weight: float) -> np.ndarray:
    """The new score of each window passage (evals/tune/rerank.py replays this)."""
    span = fused.max() - fused.min()
    scaled = (fused - fused.min()) / span if span > 0 else np.ones_like(fused)
    return weight * best + (1 - weight) * scaled


def best_sentence_scores(question: str, query_vec: np.ndarray, texts: list[str],
                         embed_model, lexical_weight: float = LEXICAL_WEIGHT,
                         term_weights: dict[str, float] | None = None) -> np.ndarray:
    """Per text, the highest score of any of its quotable sentences (0 if none): the
    answerer's sentence score, with the lexical weighting given."""
    passages = [Passage(chunk_id=str(i), doc_id="", text=t) for i, t in enumerate(texts)]
    cands = candidate_sentences(passages)
    best = np.zeros(len(texts))
    if cands:
        score_candidates(question, query_vec, cands, embed_model, lexical_weight, term_weights)
        for c in cands:
            best[c.rank] = max(best[c.rank], c.score)
    return best
