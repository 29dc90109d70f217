"""Check a generated answer against the passages it cites, sentence by sentence, in code.

An LLM can write a fluent sentence, put a real [n] after it and still say something passage n
never says. So nothing the model writes is trusted: every sentence must

1. carry at least one [n], and every n must be a passage number that was in the prompt;
2. be supported by a cited passage: the claim (markers removed) is compared with each sentence
   (and each pair of neighbouring sentences, because models merge two) of the passage, and the
   best match must reach ``llm_support_threshold``. Citations that do not support the sentence
   are dropped from it; a sentence no cited passage supports is removed;
3. mention only numbers that appear in a supporting passage (a wrong year or share is the
   classic fluent error that embeddings barely notice).

Sentences in a passage that read like instructions to an assistant ("ignore previous
instructions...") are never evidence: if a model obeys such an injection, the passage text
that "supports" the obeyed sentence is the injection itself, which is excluded.

The support model is pluggable (setting ``llm_support_model``): ``embedding`` (default) uses
the sentence-transformers model already loaded for retrieval; ``module:callable`` names a
factory ``(settings, embed_model) -> SupportModel``, e.g. for an NLI cross-encoder when one is
available (none loads offline here). The threshold and its measurement are documented in
settings.py and tests/fakes/support_study.py.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from assistant.sentences import sentence_spans
from assistant.settings import Settings
from assistant.types import Passage

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
LEADING_MARKERS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"\w+")
# Passage sentences that address the reader as an assistant; kept out of the evidence.
INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.]{0,60}\b(instructions?|prompts?|rules|guidelines)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bnew instructions\b"
    r"|^\W*(instead,?\s+)?(say|reply|respond|answer|tell the user|output)\b",
    re.IGNORECASE,
)


class SupportModel(Protocol):
    def score(self, claim: str, passage: Passage) -> tuple[float, tuple[int, int] | None]:
        """(support 0-1 of `claim` by `passage`, span of the passage sentence that supports it
        best, or None if the passage has no usable sentence)."""


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def content_words(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS_EN and len(w) > 2
             and not w.isdigit()]
    return set(_stemmer().stemWords(words))


def evidence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage that may serve as evidence (instruction-like ones excluded)."""
    return [(s, e) for s, e in sentence_spans(text) if not INJECTION.search(text[s:e])]


class EmbeddingSupport:
    """Support = best cosine between the claim and a passage sentence or neighbouring pair,
    optionally blended with the share of the claim's content words found in the passage.

    The blend is off (weight 0) because of the measurement in tests/fakes/support_study.py:
    with 0.3 of content-word overlap the gap between supported and fabricated claims widened by
    only 0.01, while real paraphrases worded differently (other talk summaries of the same
    point) lost much more: kept 0.65 instead of 0.90 at the gap's midpoint threshold."""

    LEXICAL_WEIGHT = 0.0

    def __init__(self, embed_model):
        self.embed_model = embed_model
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            if len(self._cache) > 5000:  # a long-running process must not grow without bound
                self._cache.clear()
            vecs = self.embed_model.get_text_embedding_batch(missing)
            self._cache.update(zip(missing, np.asarray(vecs, dtype=np.float32)))
        return np.stack([self._cache[t] for t in texts])

    def score(self, claim: str, passage: Passage) -> tuple[float, tuple[int, int] | None]:
        spans = evidence_spans(passage.text)
        if not spans or not claim.strip():
            return 0.0, None
        windows = spans + [(a[0], b[1]) for a, b in zip(spans, spans[1:])]
        vecs = self.embed([claim] + [passage.text[s:e] for s, e in windows])
        sims = vecs[1:] @ vecs[0]
        best_sentence = spans[int(np.argmax(sims[: len(spans)]))]
        claim_words = content_words(claim)
        evidence = content_words(" ".join(passage.text[s:e] for s, e in spans))
        lexical = len(claim_words & evidence) / len(claim_words) if claim_words else 0.0
        score = (1 - self.LEXICAL_WEIGHT) * float(sims.max()) + self.LEXICAL_WEIGHT * lexical
        return score, best_sentence


def load_support_model(settings: Settings, embed_model) -> SupportModel:
    name = settings.llm_support_model
    if name == "embedding":
        return EmbeddingSupport(embed_model)
    module, _, attr = name.partition(":")
    if not attr:
        raise ValueError(f"llm_support_model must be 'embedding' or 'module:callable', not {name!r}")
    return getattr(importlib.import_module(module), attr)(settings, embed_model)


@dataclass
class SentenceCheck:
    text: str                      # the sentence as generated, markers included
    claim: str                     # the sentence without its [n] markers
    cited: list[int]               # passage numbers (1-based) it cites
    support: dict[int, float] = field(default_factory=dict)  # passage number -> score
    quotes: dict[int, tuple[int, int]] = field(default_factory=dict)  # supporting n -> span
    problem: str = ""              # why it was removed; empty when kept

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class Verification:
    sentences: list[SentenceCheck]

    @property
    def kept(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if s.ok]

    @property
    def removed(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if not s.ok]

    @property
    def supported_share(self) -> float:
        return len(self.kept) / len(self.sentences) if self.sentences else 0.0


def split_answer(text: str) -> list[str]:
    """Sentences of a generated answer. Markers written after the full stop ("... . [2]") belong
    to the sentence before them, whether they stand alone or lead the next sentence
    ("A. [1] B. [2]" splits as "A. [1]" and "B. [2]")."""
    out: list[str] = []
    for s, e in sentence_spans(text):
        piece = text[s:e].strip()
        lead = LEADING_MARKERS.match(piece)
        if out and lead:
            out[-1] = f"{out[-1]} {lead.group(0).strip()}"
            piece = piece[lead.end():].strip()
        if out and not re.sub(r"[\W_]", "", MARKER.sub("", piece)):
            out[-1] = f"{out[-1]} {piece}".rstrip()
        elif piece:
            out.append(piece)
    return out


def numbers_in(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)}


def check_sentence(sentence: str, passages: list[Passage], support: SupportModel,
                   threshold: float) -> SentenceCheck:
    cited = [int(n) for group in MARKER.findall(sentence) for n in re.split(r"[,;]", group)]
    claim = re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", sentence)).strip()
    check = SentenceCheck(sentence, claim, list(dict.fromkeys(cited)))
    if not cited:
        check.problem = "no citation"
        return check
    bad = [n for n in check.cited if not 1 <= n <= len(passages)]
    if bad:  # a number that was never in the prompt: the model invented a source
        check.problem = f"citation out of range: {bad}"
        return check
    for n in check.cited:
        score, span = support.score(claim, passages[n - 1])
        check.support[n] = score
        if span is not None and score >= threshold:
            check.quotes[n] = span
    if not check.quotes:
        check.problem = "not supported by the cited passage"
        return check
    evidence = set().union(*(numbers_in(passages[n - 1].text) for n in check.quotes))
    missing = sorted(numbers_in(claim) - evidence)
    if missing:
        check.problem = f"number(s) not in the cited passage: {', '.join(missing)}"
    return check


def verify_answer(text: str, passages: list[Passage], support: SupportModel,
                  threshold: float) -> Verification:
    return Verification([check_sentence(s, passages, support, threshold)
                         for s in split_answer(text)])
