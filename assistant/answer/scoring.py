"""How relevant a sentence or unit is to one part of a question: cosine to the part's query
vector, blended with the share of the part's keywords the text contains.

Only sentences (and a few headings) are embedded; a paragraph's or a list's relevance is read
from its sentences, so a unit costs no extra model call.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from assistant.answer.units import Sentence, Unit

_WORD = re.compile(r"\w+")
_STOP = set(STOPWORDS_EN) | {"what", "how", "why", "who", "which", "when", "where", "does", "do",
                             "did", "can", "could", "should", "would", "tell", "explain", "mean",
                             "describe", "give", "example", "examples", "about", "us", "we"}
LEXICAL_WEIGHT = 0.3  # share of a sentence's score from the question's keywords it contains


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def keywords(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]
    return set(_stemmer().stemWords(words))


_VEC_CACHE: dict[tuple[int, str], np.ndarray] = {}
_VEC_CACHE_MAX = 20_000  # ~30 MB of MiniLM vectors


def sentence_vectors(texts: list[str], embed_model) -> np.ndarray:
    """Embed sentences, reusing vectors seen before: the same passages come back for related
    questions, and embedding ~60 sentences per question dominated `ask` latency on CPU.
    New sentences go to the model shortest first: llama-index cuts them into batches before
    sentence-transformers sorts by length, so similar lengths per batch mean less padding
    (measured: answer p50 955 -> 803 ms with a cold cache, 30 questions)."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    key = id(embed_model)
    found = {t: _VEC_CACHE.get((key, t)) for t in texts}
    missing = sorted((t for t, v in found.items() if v is None), key=len)
    if missing:
        if len(_VEC_CACHE) + len(missing) > _VEC_CACHE_MAX:
            _VEC_CACHE.clear()
        for text, vec in zip(missing, embed_model.get_text_embedding_batch(missing)):
            found[text] = _VEC_CACHE[(key, text)] = np.asarray(vec, dtype=np.float32)
    return np.stack([found[t] for t in texts])


def unknown(texts: list[str], embed_model) -> set[str]:
    """The texts sentence_vectors would have to embed now."""
    key = id(embed_model)
    return {t for t in texts if (key, t) not in _VEC_CACHE}


def remember_sentence_vectors(texts: list[str], vectors, embed_model) -> None:
    """Put vectors computed elsewhere (stored at ingest: assistant/sentence_store.py) where
    sentence_vectors finds them, so it does not embed those sentences again."""
    key = id(embed_model)
    if len(_VEC_CACHE) + len(texts) > _VEC_CACHE_MAX:
        _VEC_CACHE.clear()
    for text, vec in zip(texts, vectors):
        _VEC_CACHE[(key, text)] = np.asarray(vec, dtype=np.float32)


def clear_sentence_vectors() -> None:
    """Forget cached sentence vectors (benchmarks use it to time a cold cache)."""
    _VEC_CACHE.clear()


CONTEXT_WEIGHT = 0.5  # a question keyword found only in the sentence's section counts half


def relevance(terms: set[str], query_vec: np.ndarray, texts: list[str],
              vecs: np.ndarray, contexts: list[str] | None = None,
              lexical_weight: float = LEXICAL_WEIGHT,
              term_weights: dict[str, float] | None = None) -> np.ndarray:
    """Relevance 0-1 of each text: (1 - lexical_weight) x cosine + lexical_weight x keyword
    share (each keyword counting its term_weights value, e.g. its IDF, when given; else 1).
    A keyword missing from the text but present in its context (the section heading:
    "Netherlands: Health Holland ..." above "The initiative involves 97 partners") counts
    CONTEXT_WEIGHT."""
    if not texts:
        return np.zeros(0)
    cos = vecs @ query_vec
    contexts = contexts or [""] * len(texts)
    weight = (lambda held: sum(term_weights.get(t, 1.0) for t in held)) if term_weights \
        else len
    total = weight(terms)
    lexical = []
    for text, context in zip(texts, contexts):
        own = terms & keywords(text)
        around = (terms & keywords(context)) - own if context else set()
        lexical.append(min(1.0, (weight(own) + CONTEXT_WEIGHT * weight(around)) / total)
                       if total else 0.0)
    return (1 - lexical_weight) * cos + lexical_weight * np.array(lexical)


def score_candidates(question: str, query_vec: np.ndarray, cands: list[Sentence],
                     embed_model, lexical_weight: float = LEXICAL_WEIGHT,
                     term_weights: dict[str, float] | None = None) -> np.ndarray:
    """Score sentences in place for one question; returns their vectors (the sentence
    reranker uses this, with its own lexical weighting)."""
    vecs = sentence_vectors([c.text for c in cands], embed_model)
    for c, score in zip(cands, relevance(keywords(question), query_vec,
                                         [c.text for c in cands], vecs,
                                         lexical_weight=lexical_weight,
                                         term_weights=term_weights)):
        c.score = float(score)
    return vecs


def unit_relevance(unit: Unit, sentence_rel: np.ndarray, lead_rel: float | None) -> float:
    """A unit's relevance from its sentences': a paragraph must be relevant throughout; a list
    by its lead-in and its best items together."""
    rel = [float(sentence_rel[i]) for i in unit.sentences]
    if unit.kind == "sentence":  # one sentence, or one with the sentence it points back to
        return max(rel)
    if unit.kind == "paragraph":
        return 0.5 * max(rel) + 0.5 * sum(rel) / len(rel)
    top = sorted(rel, reverse=True)[:3]
    items = sum(top) / len(top) if top else 0.0
    if lead_rel is None:
        return 0.9 * items
    return max(lead_rel, 0.5 * lead_rel + 0.5 * items)
