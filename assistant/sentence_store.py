"""Sentence vectors stored at ingest, so a question embeds only itself.

The answerer and the sentence reranker score every quotable sentence of the passages they
read (~60 per question); embedding them on the CPU was most of a question's time. Ingest now
stores, per chunk, its sentence spans (`sentence_spans(text)`, all of them) and a vector for each
quotable one (`quotable`, the answerer's own filter), and a question loads them for the chunks
it retrieved (`prime`) into the two memos the answerer already reads: the spans memo of
assistant/sentences.py and the vector cache of `sentence_vectors` (answer/scoring.py). Both are keyed by text, so
anything built from these sentence spans (answer units) finds them; whatever is not stored (an
older index, a text that changed) is computed at question time exactly as before.

Storage: a second Chroma collection, "<collection>_sentences", one record per chunk with the
chunk's id, so embedded and server mode, prune and rebuild work as for chunks and a replica sees
another process's writes at once. The spans and float16 vectors live in the record's metadata
(base64); float16 changes a cosine by < 1e-3. Format 2 adds the chunk's other scored spans
(`unit_only_spans`: list items and lead-ins that are not sentences) with their vectors; a
format-1 record (an older index) still serves its sentences, the rest is embedded at question
time, `status` advises a re-ingest and the next ingest rewrites it. Chroma needs an embedding
per record, and these records are only fetched by id (or listed by format), so each carries a
one-number placeholder instead of a vector Chroma would index for nothing. A record holds a hash of its chunk's text and is used only
when it matches, so a record left from an older version of a chunk is never trusted.

Write order (ingest/pipeline.py): a batch's sentence records are written before its chunks, so
a chunk that exists has its sentences (a kill in between leaves records without chunks, which
the next ingest removes or rewrites).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, field

import numpy as np

from assistant.answer.scoring import remember_sentence_vectors
from assistant.answer.units import quotable, unit_only_spans
from assistant.sentences import remember_spans, sentence_spans
from assistant.settings import Settings

log = logging.getLogger(__name__)
SUFFIX = "_sentences"
PLACEHOLDER = [0.0]
FORMAT = 2
READABLE_FORMATS = (1, 2)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


@dataclass
class ChunkSentences:
    """One chunk's sentences: every span, which of them (rows) get a vector, and the other
    spans the answerer scores (extras), which get one too."""

    chunk_id: str
    doc_id: str
    text: str
    spans: list[tuple[int, int]]
    rows: list[int]
    extras: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, chunk_id: str, doc_id: str, text: str) -> "ChunkSentences":
        spans = sentence_spans(text)
        rows = [i for i, (s, e) in enumerate(spans) if quotable(text[s:e])]
        return cls(chunk_id, doc_id, text, spans, rows, unit_only_spans(chunk_id, text))

    @property
    def quotable_texts(self) -> list[str]:
        return [self.text[self.spans[i][0]:self.spans[i][1]] for i in self.rows]

    @property
    def extra_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.extras]

    @property
    def embedded_texts(self) -> list[str]:
        return self.quotable_texts + self.extra_texts


def _spans_text(spans: list[tuple[int, int]]) -> str:
    return ",".join(f"{s}-{e}" for s, e in spans)


def _spans(value: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in p.split("-")) for p in value.split(",") if p]


def _vectors_text(vectors: np.ndarray) -> str:
    return base64.b64encode(vectors.astype(np.float16).tobytes()).decode("ascii")


def _vectors(value: str, rows: int) -> np.ndarray:
    vectors = np.frombuffer(base64.b64decode(value), dtype=np.float16)
    return vectors.reshape(rows, -1).astype(np.float32) if rows else vectors


def _encode(chunk: ChunkSentences, vectors: np.ndarray, extra_vectors: np.ndarray) -> dict:
    return {"doc_id": chunk.doc_id, "chunk_sha": text_hash(chunk.text), "format": FORMAT,
            "spans": _spans_text(chunk.spans), "rows": ",".join(map(str, chunk.rows)),
            "vectors": _vectors_text(vectors), "extra_spans": _spans_text(chunk.extras),
            "extra_vectors": _vectors_text(extra_vectors)}


@dataclass
class StoredSentences:
    """A decoded record: the chunk's sentence spans, the rows with vectors, and the extra
    spans with theirs (none in a format-1 record)."""

    spans: list[tuple[int, int]]
    rows: list[int]
    vectors: np.ndarray
    extras: list[tuple[int, int]]
    extra_vectors: np.ndarray


def _decode(meta: dict) -> StoredSentences:
    rows = [int(r) for r in meta["rows"].split(",") if r]
    extras = _spans(meta.get("extra_spans", ""))
    return StoredSentences(_spans(meta["spans"]), rows, _vectors(meta["vectors"], len(rows)),
                           extras, _vectors(meta.get("extra_vectors", ""), len(extras)))


class SentenceStore:
    """The sentence collection beside the chunk collection of `settings`."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.collection + SUFFIX
        self._collection = None

    def _client(self):
        from assistant.store import open_client

        return open_client(self.settings)

    def collection(self, create: bool = False):
        """The collection, or None if this index has none (built before sentence vectors)."""
        if self._collection is None:
            client = self._client()
            if create:
                self._collection = client.get_or_create_collection(
                    self.name, embedding_function=None, configuration={"hnsw": {"space": "l2"}},
                    metadata={"embedding_model": self.settings.embedding_model})
            else:
                try:
                    self._collection = client.get_collection(self.name)
                except Exception:  # NotFoundError / ValueError by chromadb version
                    return None
        return self._collection

    def _call(self, method: str, **kwargs):
        """Run a collection call; if the handle went stale (another process dropped and
        recreated the collection: `ingest --rebuild`), fetch it again and retry once."""
        for attempt in (0, 1):
            collection = self.collection()
            if collection is None:
                return None
            try:
                return getattr(collection, method)(**kwargs)
            except Exception:
                self._collection = None
                if attempt:
                    raise
        return None

    @staticmethod
    def drop(settings: Settings) -> None:
        from assistant.store import open_client

        try:
            open_client(settings).delete_collection(settings.collection + SUFFIX)
        except Exception:
            pass  # nothing to drop

    # --- writing (ingest) -----------------------------------------------------------------
    def write(self, chunks: list[ChunkSentences], vectors: dict[str, np.ndarray]) -> None:
        """Upsert one record per chunk; `vectors` maps each embedded text (quotable sentences
        and extras) to its unit vector (texts repeat across overlapping chunks: embedded once)."""
        if not chunks:
            return
        collection = self.collection(create=True)
        dim = len(next(iter(vectors.values()))) if vectors else 0

        def stack(texts: list[str]) -> np.ndarray:
            return np.array([vectors[t] for t in texts], dtype=np.float32) if texts \
                else np.zeros((0, dim), np.float32)

        metas = [_encode(c, stack(c.quotable_texts), stack(c.extra_texts)) for c in chunks]
        collection.upsert(ids=[c.chunk_id for c in chunks], metadatas=metas,
                          embeddings=[PLACEHOLDER] * len(chunks))

    def delete_document(self, doc_id: str) -> None:
        self._call("delete", where={"doc_id": doc_id})

    def delete(self, chunk_ids: list[str]) -> None:
        for start in range(0, len(chunk_ids), 5000):
            self._call("delete", ids=chunk_ids[start:start + 5000])

    def chunk_ids(self) -> set[str]:
        collection = self.collection()
        if collection is None:
            return set()
        total, ids = collection.count(), set()
        for offset in range(0, total, 20000):
            ids.update(collection.get(include=[], limit=20000, offset=offset)["ids"])
        return ids

    def outdated_ids(self) -> set[str]:
        """Chunks whose record is of an older format (no unit vectors): the next ingest
        rewrites them."""
        collection = self.collection()
        if collection is None:
            return set()
        return set(collection.get(where={"format": {"$ne": FORMAT}}, include=[])["ids"])

    # --- reading (questions) ----------------------------------------------------------------
    def lookup(self, chunks: list[tuple[str, str]]) -> dict[str, StoredSentences]:
        """The decoded record per chunk id, for the (chunk_id, text) pairs whose stored
        record matches the text; missing or stale ones are left out."""
        wanted = {cid: text for cid, text in chunks}
        if not wanted:
            return {}
        try:
            got = self._call("get", ids=list(wanted), include=["metadatas"])
        except Exception as exc:  # the store is an accelerator: never fail a question on it
            log.info("sentence store unavailable (%s); embedding sentences instead", exc)
            return {}
        out = {}
        for cid, meta in zip((got or {}).get("ids", []), (got or {}).get("metadatas", [])):
            if meta and meta.get("chunk_sha") == text_hash(wanted[cid]) \
                    and meta.get("format") in READABLE_FORMATS:
                out[cid] = _decode(meta)
        return out

    def prime(self, chunks: list[tuple[str, str]], embed_model) -> int:
        """Load the stored spans and vectors of these (chunk_id, text) pairs into the memos
        the answerer reads; returns how many chunks were found."""
        found = self.lookup(chunks)
        texts = dict(chunks)
        for cid, got in found.items():
            text = texts[cid]
            remember_spans(text, got.spans)
            remember_sentence_vectors([text[got.spans[i][0]:got.spans[i][1]] for i in got.rows],
                                      got.vectors, embed_model)
            remember_sentence_vectors([text[s:e] for s, e in got.extras], got.extra_vectors,
                                      embed_model)
        return len(found)


def embed_sentences(chunks: list[ChunkSentences], embed_model) -> dict[str, np.ndarray]:
    """Each distinct quotable sentence and extra span of these chunks -> its unit vector."""
    from assistant.embedding import encode

    texts = sorted({t for c in chunks for t in c.embedded_texts})
    return dict(zip(texts, encode(embed_model, texts)))
