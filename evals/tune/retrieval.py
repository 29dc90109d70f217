"""Sweep the fusion and reranker knobs on a question set over the current index (a dev set:
never a held-out one).

Each in-scope question's dense and BM25 candidate lists, every candidate's relevance (the
eval's rule: `Question.is_relevant` on doc id and stored text) and the best-sentence score of
every passage any swept setting can put in the reranker's window are computed once; every
setting is then replayed offline through the product's own `fuse` and `blend`, so a sweep of
hundreds of settings costs seconds. hit@k are over passages, as `mission-assistant eval`
scores them (the first 10 passages `retrieve` returns).

    MISSION_INDEX_DIR=... python -m evals.tune.retrieval evals/questions/opsi_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.answer.scoring import LEXICAL_WEIGHT, keywords, sentence_vectors
from assistant.answer.units import candidate_sentences
from assistant.bm25_store import Bm25Store
from assistant.embedding import load_embedding
from assistant.rerank import best_sentence_scores, blend
from assistant.retrieve import Hit, HybridRetriever, fuse
from assistant.settings import Settings
from assistant.store import LibraryIndex
from assistant.types import Passage
from evals.metrics import mean
from evals.questions import load_questions

DEPTHS = (30, 50, 100)
DENSE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
WINDOWS = (0, 3, 5, 10, 20)  # 0 = no reranking
SENTENCE_WEIGHTS = (0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
LEXICAL = ((LEXICAL_WEIGHT, False), (LEXICAL_WEIGHT, True), (0.5, True))  # (weight, idf)
TOP = 10  # passages scored, as the eval scores them


def candidates(path: Path, settings: Settings, depth: int = max(DEPTHS),
               window: int = max(WINDOWS)) -> dict:
    """{qid: {"dense": [[id, score]], "bm25": [[id, score]], "relevant": [ids],
    "best": {id: best-sentence score}}} for the in-scope questions of `path`."""
    index = LibraryIndex.open(settings)
    embed = load_embedding(settings)
    retriever = HybridRetriever(settings, index, embed, Bm25Store(settings.bm25_path))
    out = {}
    for q in tqdm([q for q in load_questions(path) if q.in_scope], desc="candidates",
                  file=sys.stderr):
        vec = embed.get_query_embedding(q.question)
        dense = retriever.dense(vec, depth)
        bm25 = retriever.bm25(q.question, depth) or []
        hits = {h.chunk_id: h for h in dense + bm25}
        # Every passage a swept setting can put in the reranker's window.
        window_ids: dict[str, None] = {}
        for d in DEPTHS:
            for w in DENSE_WEIGHTS:
                for h in fuse([dense[:d], bm25[:d]], [w, 1 - w])[:window]:
                    window_ids[h.chunk_id] = None
        ids = list(window_ids)
        retriever.prime_sentences([hits[i] for i in ids])
        best = best_sentence_scores(q.question, np.asarray(vec), [hits[i].text for i in ids],
                                    embed)
        # Each window passage's sentences as (cosine, question keywords it holds), so other
        # lexical weightings of the sentence score can be replayed.
        terms = keywords(q.question)
        cands = candidate_sentences([Passage(chunk_id=i, doc_id="", text=hits[i].text)
                                     for i in ids])
        cos = sentence_vectors([c.text for c in cands], embed) @ np.asarray(vec) \
            if cands else []
        sents: dict[str, list] = {i: [] for i in ids}
        for c, cs in zip(cands, cos):
            sents[c.passage.chunk_id].append([float(cs), sorted(terms & keywords(c.text))])
        out[q.id] = {
            "category": q.category,
            "dense": [[h.chunk_id, h.score] for h in dense],
            "bm25": [[h.chunk_id, h.score] for h in bm25],
            "relevant": [i for i, h in hits.items()
                         if q.is_relevant(str(h.metadata.get("doc_id", "")), h.text)],
            "best": dict(zip(ids, best.tolist())),
            "sents": sents,
            "idf": term_idf(retriever, terms),
        }
        # The product's own score under the last variant, to check the replay against.
        lexical, idf = LEXICAL[-1]
        out[q.id]["check"] = dict(zip(ids, best_sentence_scores(
            q.question, np.asarray(vec), [hits[i].text for i in ids], embed, lexical,
            out[q.id]["idf"] if idf else None).tolist()))
    return out


def term_idf(retriever: HybridRetriever, terms: set[str]) -> dict[str, float]:
    shared = retriever.bm25_store.get(retriever.index)
    return shared.idf(terms) if shared else {t: 1.0 for t in terms}


def best_scores(c: dict, lexical: float, idf: bool) -> dict[str, float]:
    """Per window passage, its best sentence under this lexical weighting: (1 - lexical) x
    cosine + lexical x (IDF-weighted, if idf) share of the question's keywords it holds."""
    weights = c["idf"] if idf else {t: 1.0 for t in c["idf"]}
    total = sum(weights.values())
    out = {}
    for cid, sents in c["sents"].items():
        out[cid] = max(((1 - lexical) * cos + lexical * (
            sum(weights[t] for t in held) / total if total else 0.0)
                        for cos, held in sents), default=0.0)
    return out


def _hits(pairs: list) -> list[Hit]:
    return [Hit(cid, {}, score, "") for cid, score in pairs]


def replay(c: dict, dense_w: float, depth: int, window: int, weight: float,
           lexical: tuple = (LEXICAL_WEIGHT, False)) -> list[str]:
    """The first TOP chunk ids `retrieve` returns under these settings."""
    key = ("fused", dense_w, depth)  # the fusion is the slow part: once per question
    if key not in c:
        c[key] = fuse([_hits(c["dense"][:depth]), _hits(c["bm25"][:depth])],
                      [dense_w, 1 - dense_w])[:max(TOP, max(WINDOWS))]
    fused = c[key][:max(TOP, window)]
    if window:
        head = fused[:window]
        new = blend(np.array([h.score for h in head]),
                    np.array([c["lexical"][lexical][h.chunk_id] for h in head]), weight)
        order = sorted(range(len(head)), key=lambda i: new[i], reverse=True)
        fused = [head[i] for i in order] + fused[window:]
    return [h.chunk_id for h in fused[:TOP]]


def score(cands: dict, dense_w: float, depth: int, window: int, weight: float,
          lexical: tuple = (LEXICAL_WEIGHT, False)) -> dict:
    h1, h5, rr = [], [], []
    for c in cands.values():
        relevant = set(c["relevant"])
        flags = [i in relevant for i in replay(c, dense_w, depth, window, weight, lexical)]
        first = next((r for r, f in enumerate(flags, 1) if f), None)
        h1.append(float(flags[0]) if flags else 0.0)
        h5.append(float(any(flags[:5])))
        rr.append(1.0 / first if first else 0.0)
    return {"dense_weight": dense_w, "depth": depth, "window": window, "weight": weight,
            "lexical": lexical[0], "idf": lexical[1], "hit@1": round(mean(h1), 4),
            "hit@5": round(mean(h5), 4), "mrr": round(mean(rr), 4)}


def recall(cands: dict, k: int, source: str) -> float:
    """Share of questions with a relevant passage among one retriever's first k."""
    return mean(float(any(cid in set(c["relevant"]) for cid, _ in c[source][:k]))
                for c in cands.values())


def sweep(cands: dict) -> list[dict]:
    rows = []
    for depth in DEPTHS:
        for w in DENSE_WEIGHTS:
            rows.append(score(cands, w, depth, 0, 0.0))
            for window in WINDOWS[1:]:
                for weight in SENTENCE_WEIGHTS:
                    for lexical in LEXICAL:
                        rows.append(score(cands, w, depth, window, weight, lexical))
    return rows


def add_lexical_variants(cands: dict) -> None:
    """Each question's best-sentence scores under every LEXICAL variant (replayed from the
    cached sentence cosines and keywords; the first is the product's own score)."""
    for c in cands.values():
        c["lexical"] = {v: best_scores(c, *v) for v in LEXICAL}
        ours = c["lexical"][(LEXICAL_WEIGHT, False)]
        assert all(abs(ours[i] - b) < 1e-4 for i, b in c["best"].items()), "replay drifted"
        last = c["lexical"][LEXICAL[-1]]
        assert all(abs(last[i] - b) < 1e-4 for i, b in c["check"].items()), "replay drifted"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--cache", type=Path, default=None,
                    help="JSON file for the candidates (reused when it exists).")
    ap.add_argument("--out", type=Path, default=None, help="Write the sweep rows here.")
    args = ap.parse_args()
    if "heldout" in args.questions.name:
        sys.exit("refusing to tune on a held-out set")
    settings = Settings()
    if args.cache and args.cache.exists():
        cands = json.loads(args.cache.read_text())
    else:
        cands = candidates(args.questions, settings)
        if args.cache:
            args.cache.write_text(json.dumps(cands))
    add_lexical_variants(cands)
    first_stage = {src: {f"@{k}": round(recall(cands, k, src), 4) for k in (1, 5, 10, 20, 50, 100)}
                   for src in ("bm25", "dense")}
    print("first-stage recall:", first_stage)
    rows = sweep(cands)
    now = score(cands, settings.fusion_dense_weight, settings.candidates_per_retriever,
                settings.rerank_candidates, settings.rerank_sentence_weight)
    print("current settings:", now)
    for r in sorted(rows, key=lambda r: (r["hit@1"], r["hit@5"], r["mrr"]), reverse=True)[:20]:
        print(r)
    if args.out:
        args.out.write_text(json.dumps({"command": "python -m evals.tune.retrieval "
                                        + " ".join(sys.argv[1:]), "questions": len(cands),
                                        "current": now, "first_stage_recall": first_stage,
                                        "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
