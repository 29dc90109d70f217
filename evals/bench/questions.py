"""The bundled question set for the benchmarks, and hit@5 of ours vs the two baselines.

Reads evals/questions/in_domain.jsonl through evals.questions (its loader and relevance rule)
and evals.metrics; if the set or its loader is missing, latency still runs on a few built-in
questions and quality is reported as unavailable.
"""

from __future__ import annotations

FALLBACK = [
    "What is mission washing?",
    "What does market shaping mean in mission-oriented innovation?",
    "How can governments use procurement to deliver missions?",
    "What did Camden do with missions?",
    "How are missions governed and evaluated?",
    "What is the capital of Australia?",
]


def load_bundled():
    try:
        from evals.questions import DEFAULT_QUESTIONS, load_questions

        return load_questions(DEFAULT_QUESTIONS)
    except Exception:  # being written by someone else, or absent on this checkout
        return None


def question_texts() -> list[str]:
    bundled = load_bundled()
    return [q.question for q in bundled] if bundled else list(FALLBACK)


def hit5(rankings: dict[str, list[tuple[str, str]]], questions) -> float:
    """Mean hit@5 over answerable questions; rankings[qid] = [(doc_id, text), ...]."""
    from evals.metrics import hit_at_k, mean

    return mean(hit_at_k([q.is_relevant(d, t) for d, t in rankings[q.id]], 5)
                for q in questions if q.in_scope)


def quality(assistant, questions) -> dict:
    """hit@5 of our hybrid retrieval, llama-index's default dense retriever and plain BM25,
    all over the same chunks (the index `assistant` opened)."""
    from llama_index.core import MockEmbedding, QueryBundle, VectorStoreIndex
    from llama_index.retrievers.bm25 import BM25Retriever

    from evals.bench.latency import in_memory_nodes

    answerable = [q for q in questions if q.in_scope]
    nodes = in_memory_nodes(assistant.index)
    dim = len(nodes[0].embedding) if nodes else 1  # queries bring their own vectors (below)
    dense = VectorStoreIndex(nodes, embed_model=MockEmbedding(embed_dim=dim),
                             show_progress=False).as_retriever(similarity_top_k=5)
    bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=5)

    def ranked(hits):
        return [(str(h.node.metadata.get("doc_id", "")), h.node.get_content()) for h in hits]

    ours = {q.id: [(p.doc_id, p.text) for p in assistant.retrieve(q.question, top_k=5)]
            for q in answerable}
    return {"questions": len(answerable), "chunks": len(nodes),
            "hit5_ours_hybrid": hit5(ours, answerable),
            "hit5_llamaindex_vector_default": hit5(
                {q.id: ranked(dense.retrieve(QueryBundle(
                    q.question, embedding=assistant.embed_query(q.question))))
                 for q in answerable}, answerable),
            "hit5_bm25_alone": hit5(
                {q.id: ranked(bm25.retrieve(q.question)) for q in answerable}, answerable)}
