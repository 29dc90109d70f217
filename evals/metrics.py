"""Retrieval, answer, citation and refusal metrics. Pure functions on plain data, so the tests
can check each against hand-computed values.

Conventions:
- A ranking is a list of ids or of booleans ("is this result relevant?"), best first.
- Ranks are 1-based. A question with no relevant result in the list scores 0 on hit/MRR/nDCG.
- Evidence phrases match case-insensitively with runs of whitespace collapsed, because the
  cleaning step may re-flow lines; citation quotes must match exactly (byte for byte).
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

_SPACE = re.compile(r"\s+")
_MARKER = re.compile(r"(\[\d+\])")


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def normalize(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def contains_phrase(text: str, phrase: str) -> bool:
    return normalize(phrase) in normalize(text)


# --- ranking ---------------------------------------------------------------------------------
def first_hit_rank(flags: Sequence[bool]) -> int | None:
    for i, hit in enumerate(flags, start=1):
        if hit:
            return i
    return None


def hit_at_k(flags: Sequence[bool], k: int) -> float:
    return 1.0 if any(flags[:k]) else 0.0


def reciprocal_rank(flags: Sequence[bool]) -> float:
    rank = first_hit_rank(flags)
    return 1.0 / rank if rank else 0.0


def dcg(gains: Sequence[float], k: int) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))


def ndcg_binary(flags: Sequence[bool], k: int = 10) -> float:
    """nDCG for binary relevance when the total number of relevant items is unknown (passages
    of our library): the ideal ranking puts the relevant results that were found first."""
    gains = [1.0 if f else 0.0 for f in flags]
    ideal = dcg(sorted(gains, reverse=True), k)
    return dcg(gains, k) / ideal if ideal else 0.0


def ndcg_at_k(ranking: Sequence[str], qrels: dict[str, int], k: int = 10) -> float:
    """Standard (BEIR / trec_eval) nDCG@k: linear gains, ideal from all judged documents."""
    gains = [float(qrels.get(doc, 0)) for doc in ranking]
    ideal = dcg(sorted((float(v) for v in qrels.values()), reverse=True), k)
    return dcg(gains, k) / ideal if ideal else 0.0


def recall_at_k(ranking: Sequence[str], qrels: dict[str, int], k: int = 100) -> float:
    relevant = {d for d, v in qrels.items() if v > 0}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


# --- answers and citations ---------------------------------------------------------------------
def citation_support(answer_text: str, sentence_splitter, prefix: str = "") -> tuple[int, int]:
    """(cited sentences, all sentences) of an answer. A sentence is cited when a [n] marker
    follows it before the next sentence starts. `prefix` (a fixed lead-in such as the
    partial-answer notice) is not a claim and is not counted."""
    text = answer_text[len(prefix):] if prefix and answer_text.startswith(prefix) else answer_text
    parts = _MARKER.split(text)
    cited = total = 0
    for i, part in enumerate(parts):
        if _MARKER.fullmatch(part) or not part.strip():
            continue
        n = len(sentence_splitter(part.strip())) or 1
        followed = i + 1 < len(parts) and _MARKER.fullmatch(parts[i + 1] or "")
        total += n
        cited += 1 if followed else 0
    return cited, total


def quote_is_verbatim(quote: str, chunk_text: str | None) -> bool:
    return bool(quote) and chunk_text is not None and quote in chunk_text


# --- refusals ------------------------------------------------------------------------------------
def refusal_metrics(should_refuse: Sequence[bool], refused: Sequence[bool]) -> dict:
    """Precision/recall of refusing (status not_found), treating out-of-scope as positive.
    false_refusal_rate = in-scope questions refused / in-scope questions."""
    tp = sum(s and r for s, r in zip(should_refuse, refused))
    fp = sum((not s) and r for s, r in zip(should_refuse, refused))
    fn = sum(s and (not r) for s, r in zip(should_refuse, refused))
    in_scope = sum(not s for s in should_refuse)
    return {
        "refusal_precision": tp / (tp + fp) if tp + fp else 1.0,
        "refusal_recall": tp / (tp + fn) if tp + fn else 1.0,
        "false_refusal_rate": fp / in_scope if in_scope else 0.0,
    }


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0-100), as numpy's default."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
