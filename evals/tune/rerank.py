"""Sweep the sentence reranker's knobs (window, weight) on a BEIR split (use `train`).

Each query's fused hybrid list and the best-sentence score of its first MAX_WINDOW passages
are computed once (the slow part: embedding sentences); every (window, weight) is then replayed
offline through assistant.rerank.blend, the arithmetic SentenceRerank uses.

    python -m evals.tune.rerank ../shared/data/beir-scifact --split train
"""

from __future__ import annotations

import json
import sys

import numpy as np
from tqdm import tqdm

from assistant.bm25_store import Bm25Store
from assistant.embedding import load_embedding
from assistant.rerank import best_sentence_scores, blend
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings
from assistant.store import LibraryIndex
from evals.beir import DEPTH
from evals.metrics import mean, ndcg_at_k, recall_at_k
from evals.tune.fusion import sweep_setup, write_sweep

MAX_WINDOW = 10
WINDOWS = (0, 3, 4, 5, 6, 8, 10)  # 0 = no reranking
WEIGHTS = (0.25, 0.4, 0.5, 0.6, 0.75, 1.0)


def candidates(data, settings: Settings) -> dict:
    index = LibraryIndex.open(settings)
    embed = load_embedding(settings)
    retriever = HybridRetriever(settings, index, embed, Bm25Store(settings.bm25_path))
    out = {}
    for qid, text in tqdm(sorted(data.queries.items()), desc="candidates", file=sys.stderr):
        vec = embed.get_query_embedding(text)
        passages = retriever.retrieve(text, top_k=DEPTH * 2, query_embedding=vec, rerank=False)
        best = best_sentence_scores(text, np.asarray(vec),
                                    [p.text for p in passages[:MAX_WINDOW]], embed)
        out[qid] = ([p.doc_id for p in passages], [p.score for p in passages], best.tolist())
    return out


def replay(doc_ids: list[str], fused: list[float], best: list[float], window: int,
           weight: float) -> list[str]:
    """Document ranking after SentenceRerank(window, weight), without re-embedding."""
    order = list(range(len(doc_ids)))
    if window:
        new = blend(np.array(fused[:window]), np.array(best[:window]), weight)
        order = sorted(range(len(new)), key=lambda i: new[i], reverse=True) + order[window:]
    return list(dict.fromkeys(doc_ids[i] for i in order))[:DEPTH]  # best chunk per document


def sweep(cands: dict, qrels: dict) -> list[dict]:
    rows = []
    for window in WINDOWS:
        for weight in (WEIGHTS if window else (0.0,)):
            ndcg, recall = [], []
            for qid, (docs, fused, best) in cands.items():
                ranking = replay(docs, fused, best, window, weight)
                ndcg.append(ndcg_at_k(ranking, qrels[qid], 10))
                recall.append(recall_at_k(ranking, qrels[qid], 100))
            rows.append({"window": window, "weight": weight, "ndcg@10": round(mean(ndcg), 4),
                         "recall@100": round(mean(recall), 4)})
    return sorted(rows, key=lambda r: r["ndcg@10"], reverse=True)


def main() -> None:
    args, name, settings, data = sweep_setup()
    cache = settings.index_dir / f"rerank_candidates_{args.split}.json"  # re-sweeps are instant
    if cache.exists():
        cands = json.loads(cache.read_text())
    else:
        cands = candidates(data, settings)
        cache.write_text(json.dumps(cands))
    rows = sweep(cands, data.qrels)
    out = write_sweep(args, "rerank", name, data, rows)
    for r in rows[:12]:
        print(r)
    print("no rerank:", next(r for r in rows if r["window"] == 0))
    print("wrote", out)


if __name__ == "__main__":
    main()
