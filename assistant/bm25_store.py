"""The keyword side of hybrid search: a bm25s index persisted beside the vector index.

Built from what Chroma holds (never from an ingest's in-memory nodes), so it cannot drift from
the vector index; stamped with the collection's generation and size so any process can tell
when it is stale and rebuild it. Built and persisted by llama-index's BM25Retriever (so it
tokenises and weights exactly as that retriever does); loaded and searched with bm25s alone,
which is all a question needs (llama-index's import costs over a second of a fresh `ask`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from assistant.store import LibraryIndex

log = logging.getLogger(__name__)
STAMP_FILE = "stamp.json"
RETRIEVER_FILE = "retriever.json"  # written last by BM25Retriever.persist: marks a whole store
MASK_CACHE_SIZE = 64  # distinct filter combinations kept per BM25 version (UI facets are few)
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # BM25Retriever's default, used when it built the index


def _node(chunk_id: str, text: str, meta: dict):
    """A stored chunk as a llama-index node (building the index, evals)."""
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    try:
        node = metadata_dict_to_node(meta, text=text)
    except Exception:  # a chunk written by something other than our pipeline
        node = TextNode(text=text, metadata={k: v for k, v in meta.items()
                                             if not k.startswith("_")})
    node.id_ = chunk_id
    return node


@dataclass
class Bm25Index:
    """A loaded BM25 index: bm25s scores, and per row the record llama-index stored for the
    node (flat metadata, node_id and _node_content with its text)."""

    bm25: bm25s.BM25
    stemmer: Stemmer.Stemmer

    @property
    def corpus(self) -> list[dict]:
        return self.bm25.corpus

    def idf(self, terms) -> dict[str, float]:
        """BM25's inverse document frequency (over chunks) of each stemmed term,
        log(1 + (N - df + 0.5) / (df + 0.5)); a term no chunk holds gets the highest value."""
        scores = self.bm25.scores
        n = int(scores.get("num_docs") or len(self.corpus))
        indptr, vocab = scores["indptr"], self.bm25.vocab_dict
        out = {}
        for term in terms:
            col = vocab.get(term)
            df = int(indptr[col + 1] - indptr[col]) if col is not None \
                and col + 1 < len(indptr) else 0
            out[term] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return out

    def search(self, query: str, k: int, mask: list[int] | None = None) -> list[tuple[dict, float]]:
        """(record, score) best first: BM25Retriever._retrieve's steps, same arguments."""
        tokens = bm25s.tokenize(query, stemmer=self.stemmer, token_pattern=TOKEN_PATTERN,
                                show_progress=False)
        k = min(k, int(self.bm25.scores.get("num_docs") or len(self.corpus)))
        rows, scores = self.bm25.retrieve(tokens, k=k, show_progress=False,
                                          weight_mask=np.array(mask) if mask else None)
        # bm25s returns the records themselves when the index carries its corpus.
        return [(row if isinstance(row, dict) else self.corpus[int(row)], float(score))
                for row, score in zip(rows[0], scores[0])]


class Bm25Store:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()  # guards the cached retriever, stamp and masks
        self._refresh_lock = threading.Lock()  # one load/rebuild at a time; the others wait
        self._retriever: Bm25Index | None = None
        self._stamp: dict | None = None
        self._masks: OrderedDict[str, list[int]] = OrderedDict()

    @staticmethod
    def stamp_of(index: LibraryIndex) -> dict:
        return index.change_stamp()

    def _install(self, retriever: Bm25Index | None, stamp: dict | None) -> None:
        with self._lock:
            self._retriever, self._stamp = retriever, stamp
            self._masks.clear()  # masks index the old corpus order

    def build(self, index: LibraryIndex) -> Bm25Index | None:
        """Rebuild from every chunk in the index and persist atomically."""
        from llama_index.retrievers.bm25 import BM25Retriever

        # It warns on every small filtered view that top-k exceeds the matching chunks.
        logging.getLogger("llama_index.retrievers.bm25.base").setLevel(logging.ERROR)
        stamp = self.stamp_of(index)  # taken first: a write during the build means rebuild again
        nodes = [
            _node(cid, text, meta)
            for ids, texts, metas in index.all_chunks()
            for cid, text, meta in zip(ids, texts, metas)
        ]
        retriever = loaded = None
        if nodes:
            retriever = BM25Retriever.from_defaults(
                nodes=nodes, stemmer=Stemmer.Stemmer("english"), language="en",
                similarity_top_k=index.settings.candidates_per_retriever,
            )
            # A fresh build keeps its corpus on the retriever only; per-query views read it from
            # the bm25s object (as after loading from disk), so put it there too.
            retriever.bm25.corpus = retriever.corpus
            loaded = Bm25Index(retriever.bm25, retriever.stemmer)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=self.path.parent))
        if retriever is not None:
            retriever.persist(str(tmp), show_progress=False)
        (tmp / STAMP_FILE).write_text(json.dumps(stamp))
        old = Path(tempfile.mkdtemp(prefix=".bm25-old-", dir=self.path.parent))
        try:
            if self.path.exists():
                os.replace(self.path, old / "bm25")
            os.replace(tmp, self.path)
        except OSError as exc:  # another process swapped its own build in first: keep ours in memory
            log.info("could not persist BM25 store at %s (%s)", self.path, exc)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        self._install(loaded, stamp)
        return loaded

    def _load(self) -> tuple[Bm25Index | None, dict | None]:
        try:
            stamp = json.loads((self.path / STAMP_FILE).read_text())
            if stamp["count"] == 0:
                return None, stamp
            if not (self.path / RETRIEVER_FILE).exists():  # a persist that never finished
                raise FileNotFoundError(RETRIEVER_FILE)
            bm25 = bm25s.BM25.load(str(self.path), load_corpus=True, show_progress=False)
            return Bm25Index(bm25, Stemmer.Stemmer("english")), stamp
        except Exception as exc:  # missing, half-written by a killed process, old format
            log.info("BM25 store at %s not usable (%s); rebuilding", self.path, exc)
            return None, None

    @property
    def current_stamp(self) -> dict | None:
        """The index state the cached retriever was built for (None before the first get)."""
        with self._lock:
            return self._stamp

    def get(self, index: LibraryIndex) -> Bm25Index | None:
        """The current retriever: cached, loaded from disk, or rebuilt when stale."""
        current = self.stamp_of(index)
        with self._lock:
            if self._stamp == current:
                return self._retriever
        # Twenty threads arriving together must not load (or rebuild) the store twenty times.
        with self._refresh_lock:
            with self._lock:
                if self._stamp == current:
                    return self._retriever
            retriever, stamp = self._load()
            if stamp == current:
                self._install(retriever, stamp)
                return retriever
            return self.build(index)

    def mask(self, shared: Bm25Index, filters) -> list[int]:
        """The 0/1 weight mask of `filters` (retrieve.Filters) over the index's rows, cached per
        filter until the store changes (_install clears it): walking every row in Python costs
        ~0.2 s at 100k chunks. Same rows as llama-index's BM25Retriever(filters=...) selects
        (tests/test_bench_smoke.py compares them)."""
        key = repr(filters)
        with self._lock:
            if shared is self._retriever and key in self._masks:
                self._masks.move_to_end(key)
                return self._masks[key]
        mask = [int(filters.matches(row)) for row in shared.corpus]
        with self._lock:
            if shared is self._retriever:
                self._masks[key] = mask
                while len(self._masks) > MASK_CACHE_SIZE:
                    self._masks.popitem(last=False)
        return mask
