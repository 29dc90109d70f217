"""Sweep the hybrid fusion knobs on a BEIR split (use `train`; report `test` with the winner).

Each query's dense and BM25 candidate lists are fetched once through HybridRetriever's own
retrievers; every setting is then replayed offline through assistant.retrieve.fuse, the
function the product uses, so the sweep costs seconds.

    python -m evals.tune.fusion ../shared/data/beir-scifact --split train
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from assistant.bm25_store import Bm25Store
from assistant.embedding import load_embedding
from assistant.retrieve import HybridRetriever, fuse, to_passage
from assistant.settings import Settings
from assistant.store import LibraryIndex
from evals.beir import DEFAULT_INDEX_ROOT, BeirData, beir_settings, load_beir, rank_documents
from evals.metrics import mean, ndcg_at_k, recall_at_k

DEPTHS = (30, 50, 100, 200)
DENSE_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
RRF_KS = (10, 30, 60)


def indexed_subset(data: BeirData, settings: Settings) -> BeirData:
    """The documents already in the index and the queries whose relevant documents are all
    among them: a proxy for a partly built index (the full build is ~11.6k chunks)."""
    have = set(LibraryIndex.open(settings).documents())
    qids = [q for q in data.queries if set(data.qrels[q]) <= have]
    return BeirData({d: data.corpus[d] for d in data.corpus if d in have},
                    {q: data.queries[q] for q in qids}, {q: data.qrels[q] for q in qids})


def candidate_lists(data: BeirData, settings: Settings, depth: int = max(DEPTHS)) -> dict:
    index = LibraryIndex.open(settings)
    embed = load_embedding(settings)
    retriever = HybridRetriever(settings, index, embed, Bm25Store(settings.bm25_path))
    lists = {}
    for qid, text in tqdm(sorted(data.queries.items()), desc="candidates", file=sys.stderr):
        lists[qid] = (retriever.dense(embed.get_query_embedding(text), depth),
                      retriever.bm25(text, depth) or [])
    return lists


def score(lists: dict, data: BeirData, method: str, dense_w: float, depth: int,
          rrf_k: int = 60) -> dict:
    ndcg, recall = [], []
    for qid, (dense, bm25) in lists.items():
        fused = fuse([dense[:depth], bm25[:depth]], [dense_w, 1 - dense_w], method, rrf_k)
        ranking = rank_documents([to_passage(h) for h in fused])
        ndcg.append(ndcg_at_k(ranking, data.qrels[qid], 10))
        recall.append(recall_at_k(ranking, data.qrels[qid], 100))
    return {"method": method, "dense_weight": dense_w, "depth": depth, "rrf_k": rrf_k,
            "ndcg@10": round(mean(ndcg), 4), "recall@100": round(mean(recall), 4)}


def sweep(lists: dict, data: BeirData) -> list[dict]:
    rows = []
    for depth in DEPTHS:
        rows += [score(lists, data, "weighted", w, depth) for w in DENSE_WEIGHTS]
        rows += [score(lists, data, "rrf", w, depth, k) for w in (0.3, 0.4, 0.5, 0.6)
                 for k in RRF_KS]
    return sorted(rows, key=lambda r: r["ndcg@10"], reverse=True)


def sweep_setup(extra_args=()) -> tuple[argparse.Namespace, str, Settings, BeirData]:
    """Shared command line of the sweeps: PATH [--split] [--index-dir] [--out] (+ extras)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--split", default="train")
    ap.add_argument("--index-dir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "results")
    for flags, kwargs in extra_args:
        ap.add_argument(*flags, **kwargs)
    args = ap.parse_args()
    name = args.path.resolve().name.replace("beir-", "")
    settings = beir_settings(Settings(), args.index_dir or DEFAULT_INDEX_ROOT / name, name)
    return args, name, settings, load_beir(args.path, args.split)


def write_sweep(args: argparse.Namespace, kind: str, name: str, data: BeirData,
                rows: list[dict]) -> Path:
    out = args.out / f"{kind}_sweep_{name}_{args.split}.json"
    out.write_text(json.dumps({"command": f"python -m evals.tune.{kind} " + " ".join(sys.argv[1:]),
                               "documents": len(data.corpus), "queries": len(data.queries),
                               "rows": rows}, indent=1))
    return out


def main() -> None:
    args, name, settings, data = sweep_setup([(("--indexed-only",), {
        "action": "store_true",
        "help": "Use only documents already indexed (and queries fully covered by them)."})])
    if args.indexed_only:
        data = indexed_subset(data, settings)
    rows = sweep(candidate_lists(data, settings), data)
    out = write_sweep(args, "fusion", name, data, rows)
    for r in rows[:15]:
        print(r)
    print("wrote", out)


if __name__ == "__main__":
    main()
