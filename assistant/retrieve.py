"""Hybrid retrieval: dense (Chroma) and BM25, fused (weighted scores or reciprocal rank),
filtered by metadata, then reranked (by best sentence, or by a cross-encoder if configured)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from llama_index.core import QueryBundle, VectorStoreIndex
from llama_index.core.postprocessor import SentenceTransformerRerank
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.retrievers.bm25 import BM25Retriever

from assistant import messages
from assistant.bm25_store import Bm25Store
from assistant.rerank import SentenceRerank
from assistant.settings import Settings
from assistant.store import LibraryIndex
from assistant.types import Passage

log = logging.getLogger(__name__)
FILTER_KEYS = ("type", "publisher", "year", "doc_id")


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None

    @classmethod
    def parse(cls, raw: list[str] | tuple[str, ...] | None) -> "Filters":
        """From CLI-style strings: type=case_study, publisher=Nesta, year=2020-2024."""
        values: dict[str, list[str]] = {"type": [], "publisher": [], "doc_id": []}
        year_min = year_max = None
        for item in raw or ():
            key, sep, value = item.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or key not in FILTER_KEYS or not value:
                raise FilterError(messages.BAD_FILTER.format(raw=item, keys=", ".join(FILTER_KEYS)))
            if key == "year":
                lo, _, hi = value.partition("-")
                try:
                    year_min, year_max = int(lo), int(hi or lo)
                except ValueError as exc:
                    raise FilterError(
                        messages.BAD_FILTER.format(raw=item, keys=", ".join(FILTER_KEYS))
                    ) from exc
            else:
                values[key].append(value)
        return cls(tuple(values["type"]), tuple(values["publisher"]), tuple(values["doc_id"]),
                   year_min, year_max)

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self) -> dict:
        out: dict = {}
        if self.types:
            out["type"] = list(self.types)
        if self.publishers:
            out["publisher"] = list(self.publishers)
        if self.doc_ids:
            out["doc_id"] = list(self.doc_ids)
        if self.year_min is not None:
            out["year"] = [self.year_min, self.year_max]
        return out

    def to_metadata_filters(self) -> MetadataFilters | None:
        parts: list[MetadataFilter] = []
        for key, vals in (("type", self.types), ("publisher", self.publishers),
                          ("doc_id", self.doc_ids)):
            if len(vals) == 1:
                parts.append(MetadataFilter(key=key, value=vals[0], operator=FilterOperator.EQ))
            elif vals:
                parts.append(MetadataFilter(key=key, value=list(vals), operator=FilterOperator.IN))
        if self.year_min is not None:
            parts.append(MetadataFilter(key="year", value=self.year_min, operator=FilterOperator.GTE))
            parts.append(MetadataFilter(key="year", value=self.year_max, operator=FilterOperator.LTE))
        return MetadataFilters(filters=parts) if parts else None


def to_passage(hit: NodeWithScore) -> Passage:
    return passage_from(hit.node.node_id, hit.node.get_content(), hit.node.metadata,
                        float(hit.score or 0.0))


def passage_from(chunk_id: str, text: str, meta: dict, score: float = 0.0) -> Passage:
    """A stored chunk (id, text, metadata) as a citable Passage."""
    try:
        stamps = [tuple(x) for x in json.loads(meta.get("timestamps") or "[]")]
    except (TypeError, ValueError):
        stamps = []
    page = meta.get("page")
    return Passage(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        text=text,
        score=score,
        title=str(meta.get("title", "")),
        publisher=str(meta.get("publisher", "")),
        type=str(meta.get("type", "")),
        date=str(meta.get("date", "")),
        url=str(meta.get("url", "")),
        section=str(meta.get("section", "")),
        page=int(page) if page not in (None, "", 0) else None,
        timestamps=stamps,
        video_id=str(meta.get("video_id", "")),
        chunk_index=int(meta.get("chunk_index", -1)),
        list_continues=bool(meta.get("list_continues", False)),
    )


class _MatchingBM25(BM25Retriever):
    """BM25 that returns only chunks sharing a term with the query.

    bm25s fills its top-k with score-0 rows when fewer chunks match, including rows that the
    filter mask zeroed out; dropping them keeps filters exact and keyword-free noise out of
    the fusion.
    """

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [hit for hit in super()._retrieve(query_bundle) if (hit.score or 0.0) > 0.0]


def _normalized(hits: list[NodeWithScore]) -> dict[str, float]:
    """Min-max scale one retriever's scores to 0-1 within its own candidate list, so BM25
    (unbounded) and cosine (about 0.1-0.8) can be added."""
    scores = [float(h.score or 0.0) for h in hits]
    lo, hi = (min(scores), max(scores)) if scores else (0.0, 0.0)
    span = hi - lo
    return {h.node.node_id: (s - lo) / span if span > 0 else 1.0 for h, s in zip(hits, scores)}


def fuse(ranked: list[list[NodeWithScore]], weights: list[float], method: str = "weighted",
         rrf_k: int = 60) -> list[NodeWithScore]:
    """Combine several best-first lists into one.

    weighted: sum of weight x min-max-normalised score (a passage missing from a list gets 0).
    rrf: sum of weight / (rrf_k + rank). Weighted keeps how far ahead a strong match is, which
    rank-only RRF throws away; the choice and weights were tuned on SciFact train (see evals/).

    Why not QueryFusionRetriever: its "relative_score" mode computes the same ranking (checked:
    identical top-10 on five questions), but fusion must also run offline over cached ranked
    lists (evals/tune_fusion.py sweeps hundreds of settings), and its RRF ignores weights.
    """
    nodes: dict[str, NodeWithScore] = {}
    total: dict[str, float] = {}
    for hits, weight in zip(ranked, weights):
        norm = _normalized(hits) if method == "weighted" else {}
        for rank, hit in enumerate(hits, start=1):
            key = hit.node.node_id
            nodes.setdefault(key, hit)
            part = norm[key] if method == "weighted" else 1.0 / (rrf_k + rank)
            total[key] = total.get(key, 0.0) + weight * part
    order = sorted(total, key=lambda k: total[k], reverse=True)
    return [NodeWithScore(node=nodes[k].node, score=total[k]) for k in order]


@dataclass
class HybridRetriever:
    settings: Settings
    index: LibraryIndex
    embed_model: object
    bm25_store: Bm25Store
    _reranker: BaseNodePostprocessor | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._vector_index = VectorStoreIndex.from_vector_store(
            self.index.vector_store, embed_model=self.embed_model
        )
        s = self.settings
        if s.reranker == "sentences":
            self._reranker = SentenceRerank(embed_model=self.embed_model,
                                            window=s.rerank_candidates,
                                            weight=s.rerank_sentence_weight)
        elif s.reranker == "cross-encoder":
            self._reranker = SentenceTransformerRerank(model=s.rerank_model, top_n=s.top_k)

    def _dense(self, k: int, filters: MetadataFilters | None) -> BaseRetriever:
        return self._vector_index.as_retriever(similarity_top_k=k, filters=filters)

    def _bm25(self, k: int, filters: MetadataFilters | None) -> BaseRetriever | None:
        shared = self.bm25_store.get(self.index)
        if shared is None:
            return None
        # A per-query view over the shared, read-only BM25 index: filters become a 0/1 mask,
        # cached by the store per filter and index version (building it walks every chunk).
        mask = self.bm25_store.mask(shared, filters) if filters and filters.filters else None
        if mask is not None and not any(mask):
            return None  # every chunk filtered out
        return _MatchingBM25(existing_bm25=shared.bm25, similarity_top_k=k,
                             corpus_weight_mask=mask, stemmer=shared.stemmer)

    def retrieve(self, question: str, filters: Filters | None = None, top_k: int | None = None,
                 mode: str | None = None, query_embedding: list[float] | None = None,
                 rerank: bool = True) -> list[Passage]:
        top_k = top_k or self.settings.top_k
        mode = mode or self.settings.retrieval_mode
        k = max(self.settings.candidates_per_retriever, top_k)
        meta_filters = (filters or Filters()).to_metadata_filters()
        retrievers: list[BaseRetriever] = []
        if mode in ("hybrid", "dense"):
            retrievers.append(self._dense(k, meta_filters))
        if mode in ("hybrid", "bm25"):
            bm25 = self._bm25(k, meta_filters)
            if bm25 is not None:
                retrievers.append(bm25)
        if not retrievers:
            return []
        bundle = QueryBundle(question, embedding=query_embedding)
        wanted = max(top_k, self.settings.rerank_candidates if self._reranker else 0)
        if len(retrievers) == 1:
            hits = retrievers[0].retrieve(bundle)[:wanted]
        else:
            dense_w = self.settings.fusion_dense_weight
            hits = fuse([r.retrieve(bundle) for r in retrievers], [dense_w, 1.0 - dense_w],
                        self.settings.fusion_method, self.settings.rrf_k)[:wanted]
        if self._reranker is not None and rerank and hits:
            hits = self._reranker.postprocess_nodes(hits, query_bundle=bundle)
        return [to_passage(h) for h in hits[:top_k]]
