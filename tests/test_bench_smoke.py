"""The benchmark's parts at toy sizes (seconds), and the BM25 filter-mask cache it motivated.

Real model, real Chroma, the session's sample index; nothing mocked."""

from __future__ import annotations

import pytest
from llama_index.core import QueryBundle
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.retrieve import Filters
from evals.bench.latency import measure
from evals.bench.report import render
from evals.bench.scale import Pool, build_scaled, hnsw_recall


@pytest.fixture(scope="module")
def pool(sample_settings) -> Pool:
    pool = Pool()
    assert pool.add_chroma(sample_settings.chroma_path, "sample") > 20
    return pool


def test_scaled_index_mixes_real_and_synthetic_and_answers(pool, sample_assistant, tmp_path):
    size = 3 * len(pool)
    settings = sample_assistant.settings.model_copy(
        update={"index_dir": tmp_path / "scaled", "collection": "bench_scale"})
    index, matrix = build_scaled(pool, size, settings)
    assert index.count() == size and matrix.shape == (size, 384)
    docs = index.documents()
    assert sum(d.startswith("syn-") for d in docs) >= (size - len(pool)) // 12
    # Variants sit near, not on, their source vector.
    cos = float(matrix[len(pool)] @ pool.vectors[0])
    assert 0.75 < cos < 0.99
    queries = matrix[:20] * 0.9 + matrix[20:40] * 0.1
    assert hnsw_recall(index, matrix, queries, 256) >= 0.9  # tiny index: HNSW is ~exact

    result = measure(settings.index_dir, settings.collection, n_questions=3, n_baseline=2)
    assert result["chunks"] == size
    assert 0 < result["retrieve"]["p50_ms"] <= result["retrieve"]["p95_ms"]
    assert result["ask"]["n"] == 3 and result["peak_rss_mb"] > 100
    assert set(result["baselines"]) == {"ours_retrieve", "bm25_alone", "llamaindex_vector_default"}

    report = render({"machine": {"cpus": 2, "ram_gib": 24, "gpu": "none",
                                 "load_avg_at_start": (1.0, 1.0, 1.0)},
                     "settings": {}, "scale": [{"size": size, "real_chunks": len(pool),
                                                "build_s": 1.0, **result}]})
    assert f"| {size} | {len(pool)} |" in report and "VectorStoreIndex" in report


@pytest.mark.parametrize("raw", [["type=talk_summary"], ["type=blog", "year=2020-2024"],
                                 ["doc_id=001_90c229dbe2879bfb.txt"]])
def test_cached_filter_mask_and_bm25_hits_match_llama_index(sample_assistant, raw):
    """Our filter mask and BM25 search (bm25s directly, no llama-index on the question path)
    must select and score exactly what llama-index's BM25Retriever(filters=...) does, so the
    cache and the direct search change speed, never results."""
    retriever = sample_assistant.retriever
    store = retriever.bm25_store
    shared = store.get(sample_assistant.index)
    filters = Filters.parse(raw)
    mask = store.mask(shared, filters)
    assert store.mask(shared, filters) is mask  # second call: from the cache
    question = "How do missions use public procurement and budgets?"
    try:
        reference = BM25Retriever(existing_bm25=shared.bm25, similarity_top_k=30,
                                  filters=filters.to_metadata_filters(), stemmer=shared.stemmer)
    except ValueError:  # llama-index: every chunk filtered out
        assert not any(mask) and retriever.bm25(question, 30, filters) is None
        return
    assert mask == reference.corpus_weight_mask
    ours = retriever.bm25(question, 30, filters)
    expected = [h for h in reference.retrieve(QueryBundle(question)) if h.score > 0]
    assert [(h.chunk_id, round(h.score, 6)) for h in ours] == \
        [(h.node.node_id, round(h.score, 6)) for h in expected]
    assert [h.text for h in ours] == [h.node.get_content() for h in expected]


def test_dense_hits_match_llama_index_vector_store(sample_assistant):
    """Direct Chroma queries return the ids, scores, texts and metadata llama-index's
    VectorStoreIndex retriever returns over the same collection, filtered or not."""
    from llama_index.core import MockEmbedding, VectorStoreIndex

    retriever = sample_assistant.retriever
    question = "What is mission washing?"
    vec = sample_assistant.embed_query(question)
    index = VectorStoreIndex.from_vector_store(sample_assistant.index.vector_store,
                                               embed_model=MockEmbedding(embed_dim=len(vec)))
    some = Filters.parse(["type=blog", "type=press_release", "year=2020-2030"])
    for filters in (Filters(), some):
        ours = retriever.dense(vec, 20, filters)
        theirs = index.as_retriever(similarity_top_k=20, filters=filters.to_metadata_filters()) \
            .retrieve(QueryBundle(question, embedding=vec))
        assert ours and [(h.chunk_id, round(h.score, 6)) for h in ours] == \
            [(h.node.node_id, round(h.score, 6)) for h in theirs]
        assert [(h.text, h.metadata) for h in ours] == \
            [(h.node.get_content(), h.node.metadata) for h in theirs]
