"""BM25 ablation on a FULL BEIR corpus without embedding it (minutes instead of an hour on a
busy 2-core machine): the ingest chunking transformations (minus the embedder) and the same
BM25Retriever construction as Bm25Store.build, over title + text as the index stores them.

    python -m evals.tune.bm25_only ../shared/data/beir-scifact
"""

from __future__ import annotations

import sys
from pathlib import Path

import Stemmer
from llama_index.core import Document, QueryBundle
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.settings import Settings
from assistant.types import Passage
from evals.beir import load_beir, rank_documents
from evals.metrics import mean, ndcg_at_k, recall_at_k
from ingest.chunking import EMBEDDED_KEYS, chunking_transformations


def main(path: Path) -> None:
    settings = Settings()
    retriever = None
    for split in ("train", "test"):
        data = load_beir(path, split)
        if retriever is None:
            nodes = []
            for doc_id, d in data.corpus.items():
                meta = {"doc_id": doc_id, "title": d["title"], "type": "abstract"}
                hidden = [k for k in meta if k not in EMBEDDED_KEYS]
                nodes.append(Document(text=d["text"] or "(empty)", id_=doc_id, metadata=meta,
                                      excluded_embed_metadata_keys=hidden,
                                      excluded_llm_metadata_keys=hidden))
            for step in chunking_transformations(settings)[:-1]:  # all but SortByLength
                nodes = step(nodes)
            retriever = BM25Retriever.from_defaults(
                nodes=nodes, stemmer=Stemmer.Stemmer("english"), language="en",
                similarity_top_k=200)
            print("chunks", len(nodes))
        ndcg, recall = [], []
        for qid, text in data.queries.items():
            hits = retriever.retrieve(QueryBundle(text))
            ranking = rank_documents([Passage(chunk_id=h.node.node_id, doc_id=h.node.metadata[
                "doc_id"], text=h.node.get_content()) for h in hits])
            ndcg.append(ndcg_at_k(ranking, data.qrels[qid], 10))
            recall.append(recall_at_k(ranking, data.qrels[qid], 100))
        print(f"{split}: {len(ndcg)} queries  nDCG@10 {mean(ndcg):.4f}  "
              f"Recall@100 {mean(recall):.4f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
