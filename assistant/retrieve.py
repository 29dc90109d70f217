"""Hybrid retrieval: dense (Chroma) and BM25, fused (weighted scores or reciprocal rank),
filtered by metadata, then reranked (by best sentence, or by a cross-encoder if configured).

The question path talks to Chroma and the persisted bm25s index directly, with plain `Hit`
objects, instead of through llama-index's VectorStoreIndex, BM25Retriever and NodeWithScore:
importing llama_index.core takes 1.0-1.4 s, more than half of the 2 s a fresh `ask` may take.
Both sides return exactly what those llama-index retrievers return (same ids, same scores;
tests/test_retrieve_plain.py compares them), so the fusion weights tuned through them hold.
Ingest and evals still use llama-index.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from functools import cached_property

from assistant import messages
from assistant.answer.scoring import keywords
from assistant.bm25_store import Bm25Store
from assistant.rerank import rerank_by_sentences
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

    def conditions(self) -> list[tuple[str, str, object]]:
        """(key, operator, value) triples, all of which must hold; operators are Chroma's."""
        parts: list[tuple[str, str, object]] = []
        for key, vals in (("type", self.types), ("publisher", self.publishers),
                          ("doc_id", self.doc_ids)):
            if len(vals) == 1:
                parts.append((key, "$eq", vals[0]))
            elif vals:
                parts.append((key, "$in", list(vals)))
        if self.year_min is not None:
            parts += [("year", "$gte", self.year_min), ("year", "$lte", self.year_max)]
        return parts

    def where(self) -> dict | None:
        """The Chroma `where` clause (the one llama-index's ChromaVectorStore builds)."""
        parts = [{key: {op: value}} for key, op, value in self.conditions()]
        return None if not parts else parts[0] if len(parts) == 1 else {"$and": parts}

    def matches(self, meta: dict) -> bool:
        """Whether a chunk's metadata passes, as llama-index's build_metadata_filter_fn
        decides for BM25 (a missing key fails)."""
        for key, op, value in self.conditions():
            have = meta.get(key)
            if have is None or not _OPS[op](have, value):
                return False
        return True

    def to_metadata_filters(self):
        """The same filters as llama-index MetadataFilters (evals and tests compare with it)."""
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

        names = {"$eq": FilterOperator.EQ, "$in": FilterOperator.IN,
                 "$gte": FilterOperator.GTE, "$lte": FilterOperator.LTE}
        parts = [MetadataFilter(key=k, value=v, operator=names[op])
                 for k, op, v in self.conditions()]
        return MetadataFilters(filters=parts) if parts else None


_OPS = {"$eq": lambda a, b: a == b, "$in": lambda a, b: a in b,
        "$gte": lambda a, b: a >= b, "$lte": lambda a, b: a <= b}


class Hit:
    """One retrieved chunk and its score: Chroma's or the BM25 store's raw record, parsed only
    as far as it is read (a question fetches ~200 candidates and reads ~10 of them)."""

    def __init__(self, chunk_id: str, raw: dict, score: float, text: str | None = None):
        self.chunk_id, self.raw, self.score, self._text = chunk_id, raw, float(score), text

    @cached_property
    def _content(self) -> dict:
        try:
            return json.loads(self.raw.get("_node_content") or "{}")
        except ValueError:
            return {}

    @property
    def text(self) -> str:
        """The chunk text (Chroma's document; for BM25 the text its node record carries)."""
        if self._text is None:
            self._text = str(self._content.get("text", ""))
        return self._text

    @cached_property
    def metadata(self) -> dict:
        """The node's metadata as llama-index rebuilds it (from _node_content), else the flat
        record without llama-index's own keys."""
        meta = self._content.get("metadata")
        if isinstance(meta, dict):
            return meta
        return {k: v for k, v in self.raw.items() if not k.startswith("_")}

    def rescored(self, score: float) -> "Hit":
        hit = Hit(self.chunk_id, self.raw, score, self._text)
        for parsed in ("_content", "metadata"):  # keep what was parsed already
            if parsed in self.__dict__:
                hit.__dict__[parsed] = self.__dict__[parsed]
        return hit


def to_passage(hit: Hit) -> Passage:
    return passage_from(hit.chunk_id, hit.text, hit.metadata, hit.score)


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


def _normalized(hits: list[Hit]) -> dict[str, float]:
    """Min-max scale one retriever's scores to 0-1 within its own candidate list, so BM25
    (unbounded) and cosine (about 0.1-0.8) can be added."""
    scores = [h.score for h in hits]
    lo, hi = (min(scores), max(scores)) if scores else (0.0, 0.0)
    span = hi - lo
    return {h.chunk_id: (s - lo) / span if span > 0 else 1.0 for h, s in zip(hits, scores)}


def fuse(ranked: list[list[Hit]], weights: list[float], method: str = "weighted",
         rrf_k: int = 60) -> list[Hit]:
    """Combine several best-first lists into one.

    weighted: sum of weight x min-max-normalised score (a passage missing from a list gets 0).
    rrf: sum of weight / (rrf_k + rank). Weighted keeps how far ahead a strong match is, which
    rank-only RRF throws away; the choice and weights were tuned on SciFact train (see evals/).

    Why not QueryFusionRetriever: its "relative_score" mode computes the same ranking (checked:
    identical top-10 on five questions), but fusion must also run offline over cached ranked
    lists (evals/tune/fusion.py sweeps hundreds of settings), and its RRF ignores weights.
    """
    hits: dict[str, Hit] = {}
    total: dict[str, float] = {}
    for ranking, weight in zip(ranked, weights):
        norm = _normalized(ranking) if method == "weighted" else {}
        for rank, hit in enumerate(ranking, start=1):
            key = hit.chunk_id
            hits.setdefault(key, hit)
            part = norm[key] if method == "weighted" else 1.0 / (rrf_k + rank)
            total[key] = total.get(key, 0.0) + weight * part
    order = sorted(total, key=lambda k: total[k], reverse=True)
    return [hits[k].rescored(total[k]) for k in order]


@dataclass
class HybridRetriever:
    settings: Settings
    index: LibraryIndex
    embed_model: object
    bm25_store: Bm25Store
    _cross_encoder: object = field(default=None, init=False)

    def dense(self, query_vec, k: int, filters: Filters | None = None) -> list[Hit]:
        """Chroma's nearest chunks, scored exp(-distance) as llama-index's ChromaVectorStore
        scores them (the fusion weights were tuned on those scores)."""
        where = filters.where() if filters else None
        got = self.index.collection.query(
            query_embeddings=[list(query_vec)], n_results=k,
            include=["documents", "metadatas", "distances"], **({"where": where} if where else {}))
        return [Hit(cid, meta or {}, math.exp(-dist), text or "")
                for cid, text, meta, dist in zip(got["ids"][0], got["documents"][0],
                                                  got["metadatas"][0], got["distances"][0])]

    def bm25(self, question: str, k: int, filters: Filters | None = None) -> list[Hit] | None:
        """BM25 hits sharing a term with the question; None when there is no BM25 index or
        the filters leave no chunk. bm25s fills its top-k with score-0 rows when fewer chunks
        match (including rows the filter mask zeroed out): those are dropped, which keeps
        filters exact and keyword-free noise out of the fusion."""
        shared = self.bm25_store.get(self.index)
        if shared is None:
            return None
        # Filters become a 0/1 mask over the shared index, cached by the store per filter and
        # index version (building it walks every chunk).
        mask = self.bm25_store.mask(shared, filters) if filters and not filters.is_empty() \
            else None
        if mask is not None and not any(mask):
            return None  # every chunk filtered out
        return [Hit(str(record["node_id"]), record, score)
                for record, score in shared.search(question, k, mask) if score > 0.0]

    def retrieve(self, question: str, filters: Filters | None = None, top_k: int | None = None,
                 mode: str | None = None, query_embedding: list[float] | None = None,
                 rerank: bool = True) -> list[Passage]:
        top_k = top_k or self.settings.top_k
        mode = mode or self.settings.retrieval_mode
        k = max(self.settings.candidates_per_retriever, top_k)
        filters = filters or Filters()
        if query_embedding is None and mode in ("hybrid", "dense"):
            query_embedding = self.embed_model.get_query_embedding(question)
        ranked: list[list[Hit]] = []
        weights: list[float] = []
        if mode in ("hybrid", "dense"):
            ranked.append(self.dense(query_embedding, k, filters))
            weights.append(self.settings.fusion_dense_weight)
        if mode in ("hybrid", "bm25"):
            found = self.bm25(question, k, filters)
            if found is not None:
                ranked.append(found)
                weights.append(1.0 - self.settings.fusion_dense_weight)
        if not ranked:
            return []
        reranker = self.settings.reranker if rerank else "none"
        wanted = max(top_k, self.settings.rerank_candidates if reranker != "none" else 0)
        if len(ranked) == 1:
            hits = ranked[0][:wanted]
        else:
            hits = fuse(ranked, weights, self.settings.fusion_method, self.settings.rrf_k)[:wanted]
        reading = max(self.settings.rerank_candidates, self.settings.answer_passages)
        primed = self.prime_sentences(hits[:reading])
        if reranker == "sentences" and hits:
            if query_embedding is None:
                query_embedding = self.embed_model.get_query_embedding(question)
            hits = rerank_by_sentences(question, query_embedding, hits, self.embed_model,
                                       self.settings.rerank_candidates,
                                       self.settings.rerank_sentence_weight,
                                       self.settings.rerank_lexical_weight,
                                       self.keyword_idf(question))
        elif reranker == "cross-encoder" and hits:
            hits = self._rerank_cross_encoder(question, hits)
            self.prime_sentences([h for h in hits[:self.settings.answer_passages]
                                  if h.chunk_id not in primed])
        return [to_passage(h) for h in hits[:top_k]]

    def keyword_idf(self, question: str) -> dict[str, float] | None:
        """The IDF of each of the question's keywords over the library's chunks (from the BM25
        index), for the sentence reranker: a sentence holding the question's rare words ("frugal",
        "sludge") then outscores one holding only its common ones ("innovation", "public")."""
        if not self.settings.rerank_keyword_idf:
            return None
        shared = self.bm25_store.get(self.index)
        return shared.idf(keywords(question)) if shared is not None else None

    def prime_sentences(self, hits: list[Hit]) -> set[str]:
        """Load the stored sentence spans and vectors of the chunks the reranker and the
        answerer are about to read (assistant/sentence_store.py); returns their ids."""
        if not hits or not self.settings.stored_sentence_vectors:
            return set()
        self.index.sentences.prime([(h.chunk_id, h.text) for h in hits], self.embed_model)
        return {h.chunk_id for h in hits}

    def _rerank_cross_encoder(self, question: str, hits: list[Hit]) -> list[Hit]:
        """llama-index's SentenceTransformerRerank over the hits (imports llama-index and
        torch; only with reranker=cross-encoder)."""
        from llama_index.core.postprocessor import SentenceTransformerRerank
        from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

        if self._cross_encoder is None:
            self._cross_encoder = SentenceTransformerRerank(model=self.settings.rerank_model,
                                                            top_n=self.settings.top_k)
        by_id = {h.chunk_id: h for h in hits}
        nodes = [NodeWithScore(node=TextNode(id_=h.chunk_id, text=h.text), score=h.score)
                 for h in hits]
        out = self._cross_encoder.postprocess_nodes(nodes, query_bundle=QueryBundle(question))
        return [by_id[n.node.node_id].rescored(float(n.score or 0.0)) for n in out]
