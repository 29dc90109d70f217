"""How the support threshold was chosen. Run: .venv/bin/python -m tests.fakes.support_study

Scores every hand-written claim in support_cases.py against its real corpus paragraph with
the verifier's own scorer (with and without its lexical part), plus, for 40 sampled chunks of
the real index (if built), the most similar sentence from a *different* document. Those are
not labelled: reading them, most turn out to be genuine paraphrases (the OPSI talk summaries
repeat each other), so they show how much real paraphrase a threshold keeps. Prints the score
distributions and, per threshold, the share of each group kept."""

from __future__ import annotations

import random

import numpy as np

from assistant.answer.verify import EmbeddingSupport
from assistant.embedding import load_embedding
from assistant.sentences import sentence_spans
from assistant.settings import Settings
from assistant.types import Passage
from tests.fakes.support_cases import CASES, paragraph


def hard_negatives(settings: Settings, scorer, n_chunks: int = 40) -> list[float]:
    try:
        from assistant.store import LibraryIndex
        index = LibraryIndex.open(settings)
    except Exception:  # no index built: the hand-written negatives still count
        return []
    chunks = [(d, m["doc_id"]) for _, docs, metas in index.all_chunks() for d, m in zip(docs, metas)]
    rng = random.Random(7)
    sample = rng.sample(chunks, min(n_chunks, len(chunks)))
    pool = rng.sample(chunks, min(400, len(chunks)))
    pool_sents = [(t[s:e], doc) for t, doc in pool for s, e in sentence_spans(t)
                  if 8 <= len(t[s:e].split()) <= 40]
    vecs = np.asarray(scorer.embed([s for s, _ in pool_sents]))
    scores = []
    for text, doc in sample:
        pvec = np.asarray(scorer.embed([text]))[0]
        sims = vecs @ pvec
        for i in np.argsort(-sims):
            if pool_sents[i][1] != doc and sims[i] < 0.9:
                scores.append(scorer.score(pool_sents[i][0], Passage(chunk_id="c", doc_id=doc,
                                                                      text=text))[0])
                break
    return scores


def main() -> None:
    settings = Settings()
    scorer = EmbeddingSupport(load_embedding(settings))
    for weight in (0.0, EmbeddingSupport.LEXICAL_WEIGHT):
        scorer.LEXICAL_WEIGHT = weight
        print(f"--- lexical weight {weight}")
        report(settings, scorer)


def report(settings: Settings, scorer: EmbeddingSupport) -> None:
    pos, neg = [], []
    for path, start, good, bad in CASES:
        passage = Passage(chunk_id="c", doc_id=path, text=paragraph(path, start))
        pos += [scorer.score(c, passage)[0] for c in good]
        neg += [scorer.score(c, passage)[0] for c in bad]
    auto = hard_negatives(settings, scorer)
    for name, xs in [("supported", pos), ("fabricated", neg), ("other-doc", auto or [0.0])]:
        xs = np.asarray(xs)
        print(f"{name:10s} n={len(xs):3d} min={xs.min():.3f} p10={np.percentile(xs, 10):.3f} "
              f"median={np.median(xs):.3f} p90={np.percentile(xs, 90):.3f} max={xs.max():.3f}")
    for t in np.arange(0.45, 0.80, 0.05):
        print(f"threshold {t:.2f}: supported kept {np.mean(np.asarray(pos) >= t):.2f}, "
              f"fabricated kept {np.mean(np.asarray(neg) >= t):.2f}, "
              f"other-doc kept {np.mean(np.asarray(auto) >= t) if auto else float('nan'):.2f}")


if __name__ == "__main__":
    main()
