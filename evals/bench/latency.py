"""Question latency on one index, run in its own process so peak RSS belongs to one size.

    python -m evals.bench.latency INDEX_DIR COLLECTION N_QUESTIONS N_BASELINE

Prints one JSON object: time to open and to answer the first question (BM25 store load
included), retrieval-only and full extractive answer p50/p95 over the bundled questions (with
the sentence vectors stored at ingest, and again embedding them per question as before), peak
RSS after our runs, then the baselines' retrieval latency (measured after the RSS reading, so
their memory is not counted as ours): llama-index's default in-memory
VectorStoreIndex(nodes).as_retriever() and plain BM25 (llama-index BM25Retriever alone).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from evals.bench.questions import question_texts
from evals.metrics import percentile


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def stats(ms: list[float]) -> dict:
    return {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "n": len(ms)}


def in_memory_nodes(index):
    """Every chunk as a llama-index node carrying its stored vector (nothing re-embedded)."""
    from assistant.bm25_store import _node

    nodes = []
    total = index.count()
    for offset in range(0, total, 5000):
        got = index.collection.get(include=["documents", "metadatas", "embeddings"],
                                   limit=5000, offset=offset)
        for cid, text, meta, vec in zip(got["ids"], got["documents"], got["metadatas"],
                                        got["embeddings"]):
            node = _node(cid, text, meta)
            node.embedding = [float(x) for x in vec]
            nodes.append(node)
    return nodes


def forget() -> None:
    """Empty the per-process sentence caches (vectors and spans)."""
    from assistant.answer.scoring import clear_sentence_vectors
    from assistant.sentences import forget_spans

    clear_sentence_vectors()
    forget_spans()


def measure(index_dir: Path, collection: str, n_questions: int, n_baseline: int) -> dict:
    from assistant.service import Assistant
    from assistant.settings import Settings

    questions = question_texts()[:n_questions]
    t0 = time.perf_counter()
    settings = Settings(index_dir=index_dir, collection=collection)
    assistant = Assistant(settings)
    opened = time.perf_counter() - t0
    t = time.perf_counter()
    assistant.ask(questions[0])  # loads the BM25 store from disk: the cold path
    first = time.perf_counter() - t
    retrieve_ms = timed(assistant.retrieve, questions)
    # Answers are timed with empty caches: sentence vectors come from the store (the default)
    # or, as before they were stored, from the model (every candidate sentence embedded).
    forget()
    ask_ms = timed(assistant.ask, questions)
    stored = assistant.retriever.settings
    assistant.retriever.settings = stored.model_copy(update={"stored_sentence_vectors": False})
    assistant.ask(questions[0])  # loads NLTK's punkt (1-2 s, once), which the stored path skips
    forget()
    embedding_ms = timed(assistant.ask, questions)
    assistant.retriever.settings = stored
    result = {"chunks": assistant.index.count(), "open_s": round(opened, 2),
              "first_answer_s": round(first, 2), "retrieve": stats(retrieve_ms),
              "ask": stats(ask_ms), "ask_embedding_sentences": stats(embedding_ms),
              "backend": type(assistant.embed_model).__name__,
              "peak_rss_mb": round(rss_mb(), 0)}
    if n_baseline <= 0:
        return result

    from llama_index.core import MockEmbedding, QueryBundle, VectorStoreIndex
    from llama_index.retrievers.bm25 import BM25Retriever

    few = questions[:n_baseline]
    ours = timed(assistant.retrieve, few)
    shared = assistant.retriever.bm25_store.get(assistant.index)
    bm25 = BM25Retriever(existing_bm25=shared.bm25, similarity_top_k=settings.top_k,
                         stemmer=shared.stemmer)
    bm25_ms = timed(bm25.retrieve, few)
    t = time.perf_counter()
    # Nodes carry their stored vectors and each query its embedding from our model (timed
    # below, as ours is): the mock is never called.
    dim = len(assistant.embed_query("dimension"))
    dense = VectorStoreIndex(in_memory_nodes(assistant.index), embed_model=MockEmbedding(
        embed_dim=dim), show_progress=False).as_retriever(similarity_top_k=settings.top_k)
    build_s = time.perf_counter() - t
    dense_ms = timed(lambda q: dense.retrieve(QueryBundle(q, embedding=assistant.embed_query(q))),
                     few)
    result["baselines"] = {
        "ours_retrieve": stats(ours), "bm25_alone": stats(bm25_ms),
        "llamaindex_vector_default": {**stats(dense_ms), "build_s": round(build_s, 1)},
    }
    return result


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    index_dir, collection, n_q, n_b = sys.argv[1:5]
    print(json.dumps(measure(Path(index_dir), collection, int(n_q), int(n_b))))
