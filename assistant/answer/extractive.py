"""The default answerer: quote the sentences that best answer the question, cite each one.

No text is generated, so nothing can be invented: every sentence of the answer is a verbatim
slice of a stored passage. Written by hand because llama-index's extractive pieces
(SentenceEmbeddingOptimizer) shorten context for an LLM rather than pick citable sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from assistant import messages
from assistant.answer.citations import QuoteNotInPassage, make_citation
from assistant.sentences import sentence_spans
from assistant.settings import Settings
from assistant.types import Answer, AnswerStatus, Citation, Passage

_WORD = re.compile(r"\w+")
_STOP = set(STOPWORDS_EN) | {"what", "how", "why", "who", "which", "when", "where", "does", "do",
                             "did", "can", "could", "should", "would", "tell", "explain", "mean",
                             "describe", "give", "example", "examples", "about", "us", "we"}
MIN_WORDS, MAX_WORDS = 5, 90
LEXICAL_WEIGHT = 0.3  # share of a sentence's score from the question's keywords it contains


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def keywords(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]
    return set(_stemmer().stemWords(words))


@dataclass
class Candidate:
    passage_rank: int
    passage: Passage
    start: int
    end: int
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]


def quotable(sentence: str) -> bool:
    """Long enough to say something, short enough to quote (ingest stores vectors for these)."""
    return MIN_WORDS <= len(sentence.split()) <= MAX_WORDS


def candidate_sentences(passages: list[Passage]) -> list[Candidate]:
    out = []
    for rank, passage in enumerate(passages):
        for start, end in sentence_spans(passage.text):
            if quotable(passage.text[start:end]):
                out.append(Candidate(rank, passage, start, end))
    return out


_VEC_CACHE: dict[tuple[int, str], np.ndarray] = {}
_VEC_CACHE_MAX = 20_000  # ~30 MB of MiniLM vectors


def sentence_vectors(texts: list[str], embed_model) -> np.ndarray:
    """Embed sentences, reusing vectors seen before: the same passages come back for related
    questions, and embedding ~60 sentences per question dominated `ask` latency on CPU.
    New sentences go to the model shortest first: llama-index cuts them into batches before
    sentence-transformers sorts by length, so similar lengths per batch mean less padding
    (measured: answer p50 955 -> 803 ms with a cold cache, 30 questions)."""
    key = id(embed_model)
    found = {t: _VEC_CACHE.get((key, t)) for t in texts}
    missing = sorted((t for t, v in found.items() if v is None), key=len)
    if missing:
        if len(_VEC_CACHE) + len(missing) > _VEC_CACHE_MAX:
            _VEC_CACHE.clear()
        for text, vec in zip(missing, embed_model.get_text_embedding_batch(missing)):
            found[text] = _VEC_CACHE[(key, text)] = np.asarray(vec, dtype=np.float32)
    return np.stack([found[t] for t in texts])


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


def score_candidates(question: str, query_vec: np.ndarray, cands: list[Candidate],
                     embed_model) -> np.ndarray:
    """Relevance 0-1 of each sentence: cosine to the question blended with keyword coverage.
    Returns the sentence vectors for the near-duplicate check."""
    vecs = sentence_vectors([c.text for c in cands], embed_model)
    cos = vecs @ query_vec
    q_terms = keywords(question)
    for c, sim in zip(cands, cos):
        lexical = len(q_terms & keywords(c.text)) / len(q_terms) if q_terms else 0.0
        c.score = float((1 - LEXICAL_WEIGHT) * sim + LEXICAL_WEIGHT * lexical)
    return vecs


def select(cands: list[Candidate], vecs: np.ndarray, settings: Settings) -> list[Candidate]:
    """Best first, skipping near-duplicates of what is already chosen (a greedy MMR)."""
    order = sorted(range(len(cands)), key=lambda i: cands[i].score, reverse=True)
    chosen: list[int] = []
    best = cands[order[0]].score if order else 0.0
    for i in order:
        c = cands[i]
        if len(chosen) >= settings.answer_max_sentences:
            break
        if c.score < settings.answer_min_sentence_score or c.score < best - 0.15:
            break
        if any(float(vecs[i] @ vecs[j]) >= settings.answer_duplicate_similarity for j in chosen):
            continue
        if sum(cands[j].passage.doc_id == c.passage.doc_id for j in chosen) >= \
                settings.answer_max_per_document:
            continue
        chosen.append(i)
    picked = [cands[i] for i in chosen]
    # Readable order: the best sentence leads; the rest follow source order.
    return picked[:1] + sorted(picked[1:], key=lambda c: (c.passage_rank, c.start))


def answer_extractive(question: str, passages: list[Passage], query_vec, embed_model,
                      settings: Settings) -> Answer:
    reading = passages[: settings.answer_passages]
    cands = candidate_sentences(reading)
    best = 0.0
    picked: list[Candidate] = []
    if cands:
        vecs = score_candidates(question, np.asarray(query_vec), cands, embed_model)
        best = max(c.score for c in cands)
        picked = select(cands, vecs, settings)
    if best < settings.answer_partial_threshold or not picked:
        return Answer(question=question, status=AnswerStatus.not_found,
                      answer=messages.NOT_FOUND, retrieved=passages)

    citations: list[Citation] = []
    parts: list[str] = []
    for c in picked:
        try:
            citation = make_citation(len(citations) + 1, c.passage, c.text, c.start)
        except QuoteNotInPassage:
            continue  # cannot happen for slices, but a quote we cannot verify is never shown
        citations.append(citation)
        parts.append(f"{c.text} [{citation.n}]")
    status = (AnswerStatus.answered if best >= settings.answer_found_threshold
              else AnswerStatus.partial)
    text = " ".join(parts)
    if status is AnswerStatus.partial:
        text = f"{messages.PARTIAL_PREFIX} {text}"
    return Answer(question=question, status=status, answer=text, citations=citations,
                  retrieved=passages)
