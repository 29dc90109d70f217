"""The keyword side of hybrid search: llama-index's BM25Retriever, persisted beside the index.

Built from what Chroma holds (never from an ingest's in-memory nodes), so it cannot drift from
the vector index; stamped with the collection's generation and size so any process can tell
when it is stale and rebuild it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import Stemmer
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.types import MetadataFilters
from llama_index.core.vector_stores.utils import build_metadata_filter_fn, metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.store import LibraryIndex

log = logging.getLogger(__name__)
# It warns on every small filtered view that top-k exceeds the matching chunks; expected here.
logging.getLogger("llama_index.retrievers.bm25.base").setLevel(logging.ERROR)
STAMP_FILE = "stamp.json"
MASK_CACHE_SIZE = 64  # distinct filter combinations kept per BM25 version (UI facets are few)


def _node(chunk_id: str, text: str, meta: dict) -> BaseNode:
    try:
        node = metadata_dict_to_node(meta, text=text)
    except Exception:  # a chunk written by something other than our pipeline
        node = TextNode(text=text, metadata={k: v for k, v in meta.items()
                                             if not k.startswith("_")})
    node.id_ = chunk_id
    return node


class Bm25Store:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()  # guards the cached retriever, stamp and masks
        self._refresh_lock = threading.Lock()  # one load/rebuild at a time; the others wait
        self._retriever: BM25Retriever | None = None
        self._stamp: dict | None = None
        self._masks: OrderedDict[str, list[int]] = OrderedDict()

    @staticmethod
    def stamp_of(index: LibraryIndex) -> dict:
        return index.change_stamp()

    def _install(self, retriever: BM25Retriever | None, stamp: dict | None) -> None:
        with self._lock:
            self._retriever, self._stamp = retriever, stamp
            self._masks.clear()  # masks index the old corpus order

    def build(self, index: LibraryIndex) -> BM25Retriever | None:
        """Rebuild from every chunk in the index and persist atomically."""
        stamp = self.stamp_of(index)  # taken first: a write during the build means rebuild again
        nodes = [
            _node(cid, text, meta)
            for ids, texts, metas in index.all_chunks()
            for cid, text, meta in zip(ids, texts, metas)
        ]
        retriever = None
        if nodes:
            retriever = BM25Retriever.from_defaults(
                nodes=nodes, stemmer=Stemmer.Stemmer("english"), language="en",
                similarity_top_k=index.settings.candidates_per_retriever,
            )
            # A fresh build keeps its corpus on the retriever only; per-query views read it from
            # the bm25s object (as after loading from disk), so put it there too.
            retriever.bm25.corpus = retriever.corpus
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=self.path.parent))
        if retriever is not None:
            retriever.persist(str(tmp))
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
        self._install(retriever, stamp)
        return retriever

    def _load(self) -> tuple[BM25Retriever | None, dict | None]:
        try:
            stamp = json.loads((self.path / STAMP_FILE).read_text())
            if stamp["count"] == 0:
                return None, stamp
            return BM25Retriever.from_persist_dir(str(self.path), show_progress=False), stamp
        except Exception as exc:  # missing, half-written by a killed process, old format
            log.info("BM25 store at %s not usable (%s); rebuilding", self.path, exc)
            return None, None

    def get(self, index: LibraryIndex) -> BM25Retriever | None:
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

    def mask(self, retriever: BM25Retriever, filters: MetadataFilters) -> list[int]:
        """The 0/1 weight mask of `filters` over the retriever's corpus, cached per filter.

        Same function llama-index's BM25Retriever applies in its constructor (so results are
        identical), but that walks every chunk in Python on every filtered query: ~0.2 s at
        100k chunks. Cached until the store changes (_install clears it).
        """
        key = filters.model_dump_json()
        with self._lock:
            if retriever is self._retriever and key in self._masks:
                self._masks.move_to_end(key)
                return self._masks[key]
        corpus = retriever.corpus
        by_position = build_metadata_filter_fn(lambda i: corpus[i], filters)
        mask = [int(by_position(i)) for i in range(len(corpus))]
        with self._lock:
            if retriever is self._retriever:
                self._masks[key] = mask
                while len(self._masks) > MASK_CACHE_SIZE:
                    self._masks.popitem(last=False)
        return mask
