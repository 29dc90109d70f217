"""BEIR benchmark (SciFact or any BEIR-format folder) through OUR pipeline.

The corpus is chunked by the project's own transformations, embedded by the configured model,
stored in a LibraryIndex (its own Chroma folder and collection) with a Bm25Store beside it, and
searched by HybridRetriever — so the score measures the assistant, not a reference system.
Documents are ranked by their best chunk (first appearance in the chunk ranking).
"""

from __future__ import annotations

import csv
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from llama_index.core import Document
from llama_index.core.ingestion import IngestionPipeline
from tqdm import tqdm

from assistant.bm25_store import Bm25Store
from assistant.embedding import embedding_dimension, load_embedding, load_query_embedding
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings
from assistant.store import LibraryIndex
from assistant.types import one_per_document
from evals.metrics import mean, ndcg_at_k, recall_at_k
from ingest.chunking import EMBEDDED_KEYS, chunking_transformations
from ingest.pipeline import chunk_sentences, embed_and_write, repair_sentences

log = logging.getLogger(__name__)
DEFAULT_INDEX_ROOT = Path.home() / ".cache" / "mission-assistant" / "beir"
DEPTH = 100  # documents ranked per query: Recall@100 needs 100
BATCH_DOCS = 128
PUBLISHED = {  # nDCG@10 on the SciFact test split; see the dataset's SOURCES.md
    "BM25 (BEIR paper, Elasticsearch)": 0.665,
    "all-MiniLM-L6-v2 (MTEB)": 0.645,
    "bge-small-en-v1.5 (MTEB)": 0.713,
}


@dataclass
class BeirData:
    corpus: dict[str, dict]  # doc id -> {"title", "text"}
    queries: dict[str, str]  # query id -> text (only those with qrels in the split)
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance}


def load_beir(path: Path, split: str) -> BeirData:
    qrels: dict[str, dict[str, int]] = {}
    with open(path / "qrels" / f"{split}.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if int(row["score"]) > 0:
                qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    queries = {}
    for line in open(path / "queries.jsonl"):
        q = json.loads(line)
        if q["_id"] in qrels:
            queries[q["_id"]] = q["text"]
    corpus = {}
    for line in open(path / "corpus.jsonl"):
        d = json.loads(line)
        corpus[d["_id"]] = {"title": d.get("title", ""), "text": d.get("text", "")}
    return BeirData(corpus, queries, qrels)


def restrict(data: BeirData, n_docs: int, n_queries: int) -> BeirData:
    """A small, self-consistent slice for smoke tests: the first n_queries queries, their
    relevant documents, then other documents (shortest first, to embed fast) up to n_docs."""
    qids = sorted(data.queries, key=int)[:n_queries]
    keep = {d for q in qids for d in data.qrels[q] if d in data.corpus}
    for doc_id in sorted(data.corpus, key=lambda d: len(data.corpus[d]["text"])):
        if len(keep) >= n_docs:
            break
        keep.add(doc_id)
    return BeirData({d: data.corpus[d] for d in keep}, {q: data.queries[q] for q in qids},
                    {q: data.qrels[q] for q in qids})


def beir_settings(base: Settings, index_dir: Path, name: str) -> Settings:
    """The same retrieval knobs as `base`, pointed at the benchmark's own index."""
    return base.model_copy(update={"index_dir": index_dir, "collection": f"beir_{name}"})


def build_index(data: BeirData, settings: Settings, progress: bool = True) -> LibraryIndex:
    """Chunk and embed every document not yet complete in the index (resumable), then refresh
    the BM25 store from what Chroma holds — exactly as `mission-assistant ingest` does."""
    embed = load_embedding(settings)
    index = LibraryIndex.create(settings, settings.embedding_model, embedding_dimension(embed))
    done = {d for d, s in index.documents().items() if s.complete}
    todo = [d for d in data.corpus if d not in done]
    chunker = IngestionPipeline(transformations=chunking_transformations(settings),
                                disable_cache=True)
    bar = tqdm(total=len(todo), desc="Indexing BEIR", unit="doc", disable=not progress or not todo,
               file=sys.stderr)
    for start in range(0, len(todo), BATCH_DOCS):
        docs = []
        for doc_id in todo[start:start + BATCH_DOCS]:
            meta = {"doc_id": doc_id, "title": data.corpus[doc_id]["title"], "type": "abstract"}
            hidden = [k for k in meta if k not in EMBEDDED_KEYS]
            docs.append(Document(text=data.corpus[doc_id]["text"] or "(empty)", id_=doc_id,
                                 metadata=meta, excluded_embed_metadata_keys=hidden,
                                 excluded_llm_metadata_keys=hidden))
        nodes = chunker.run(documents=docs)
        # replace: a torn earlier attempt of these documents goes first
        embed_and_write(index, embed, nodes, chunk_sentences(nodes),
                        replace=[d.id_ for d in docs])
        bar.update(len(docs))
    bar.close()
    repair_sentences(index, embed)  # an index built before sentence vectors gets them now
    if todo:
        index.bump_generation()
    Bm25Store(settings.bm25_path).get(index)
    return index


def rank_documents(passages, depth: int = DEPTH) -> list[str]:
    """Chunk ranking -> document ranking (a document scores as its best chunk)."""
    return [p.doc_id for p in one_per_document(passages, depth)]


def evaluate_beir(data: BeirData, settings: Settings, modes: list[str],
                  progress: bool = True) -> dict:
    """nDCG@10 and Recall@100 per retrieval mode. Queries are embedded once and shared."""
    index = LibraryIndex.open(settings)
    embed = load_query_embedding(settings)  # as questions are embedded: settings.embedding_backend
    retriever = HybridRetriever(settings, index, embed, Bm25Store(settings.bm25_path))
    qids = sorted(data.queries, key=int)
    t0 = time.time()
    vectors = [embed.get_query_embedding(data.queries[q]) for q in qids]
    embed_seconds = time.time() - t0
    # Enough chunks to fill DEPTH distinct documents (abstracts have 1-3 chunks).
    chunk_depth = DEPTH * 2
    results = {}
    for mode in modes:
        per_query, t0 = {}, time.time()
        for qid, vec in tqdm(list(zip(qids, vectors)), desc=f"BEIR {mode}", unit="q",
                             disable=not progress, file=sys.stderr):
            passages = retriever.retrieve(data.queries[qid], top_k=chunk_depth,
                                          mode=mode.split("+")[0], query_embedding=vec,
                                          rerank=mode == "hybrid+rerank")
            ranking = rank_documents(passages)
            per_query[qid] = {"ndcg@10": ndcg_at_k(ranking, data.qrels[qid], 10),
                              "recall@100": recall_at_k(ranking, data.qrels[qid], 100),
                              "top": ranking[:10]}
        results[mode] = {
            "ndcg@10": mean(v["ndcg@10"] for v in per_query.values()),
            "recall@100": mean(v["recall@100"] for v in per_query.values()),
            "queries": len(per_query),
            "seconds": round(time.time() - t0 + embed_seconds, 1),
            "per_query": per_query,
        }
    return results
