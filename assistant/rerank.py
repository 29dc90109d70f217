"""Second-stage rerankers for the fused passage list, as llama-index node postprocessors.

SentenceRerank (the default) rescores the first few fused passages by their best sentence,
using the same embedding model and the same sentence score the extractive answerer quotes by.
A passage is long and mixed; the question is usually answered by one sentence of it, and a
chunk-level MiniLM vector or a BM25 score blurs that. This is the "MaxP" idea from passage
reranking, done with the bi-encoder we already have because no cross-encoder ships offline.

Why hand-written: llama-index's postprocessors rerank with a cross-encoder, an LLM or a whole-
passage embedding (SentenceTransformerRerank, LLMRerank, SimilarityPostprocessor); none scores a
passage by its best sentence. It costs almost nothing at answer time: the window is the
passages the answerer reads anyway, and their sentence vectors are cached for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llama_index.core.bridge.pydantic import Field
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.answer.scoring import score_candidates
from assistant.answer.units import candidate_sentences
from assistant.types import Passage


class SentenceRerank(BaseNodePostprocessor):
    """Reorder the first `window` nodes by weight x best-sentence score + (1 - weight) x their
    fused score (min-max scaled within the window); nodes after the window keep their order."""

    embed_model: Any = Field(description="The embedding model the index was built with.")
    window: int = Field(6, description="Leading fused passages to rescore.")
    weight: float = Field(0.75, description="Share of the best-sentence score in the new score.")

    @classmethod
    def class_name(cls) -> str:
        return "SentenceRerank"

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        if query_bundle is None or len(nodes) < 2 or self.window < 2:
            return nodes
        head, tail = nodes[: self.window], nodes[self.window:]
        query_vec = query_bundle.embedding or self.embed_model.get_query_embedding(
            query_bundle.query_str)
        best = best_sentence_scores(query_bundle.query_str, np.asarray(query_vec),
                                    [n.node.get_content() for n in head], self.embed_model)
        fused = np.array([float(n.score or 0.0) for n in head])
        new = blend(fused, best, self.weight)
        order = sorted(range(len(head)), key=lambda i: new[i], reverse=True)
        out = [NodeWithScore(node=head[i].node, score=float(new[i])) for i in order]
        # The tail stays below the window: its fused scores rescaled under the lowest new one.
        floor, lowest = float(new.min()), float(fused.min()) or 1.0
        out += [NodeWithScore(node=n.node, score=floor * float(n.score or 0.0) / lowest)
                for n in tail]
        return out


def blend(fused: np.ndarray, best: np.ndarray, weight: float) -> np.ndarray:
    """The new score of each window passage (evals/tune_rerank.py replays this)."""
    span = fused.max() - fused.min()
    scaled = (fused - fused.min()) / span if span > 0 else np.ones_like(fused)
    return weight * best + (1 - weight) * scaled


def best_sentence_scores(question: str, query_vec: np.ndarray, texts: list[str],
                         embed_model) -> np.ndarray:
    """Per text, the highest answerer score of any of its quotable sentences (0 if none)."""
    passages = [Passage(chunk_id=str(i), doc_id="", text=t) for i, t in enumerate(texts)]
    cands = candidate_sentences(passages)
    best = np.zeros(len(texts))
    if cands:
        score_candidates(question, query_vec, cands, embed_model)
        for c in cands:
            best[c.rank] = max(best[c.rank], c.score)
    return best
