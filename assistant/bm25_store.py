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
from pathlib import Path

import Stemmer
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.store import LibraryIndex

log = logging.getLogger(__name__)
# It warns on every small filtered view that top-k exceeds the matching chunks; expected here.
logging.getLogger("llama_index.retrievers.bm25.base").setLevel(logging.ERROR)
STAMP_FILE = "stamp.json"


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
        self._lock = threading.Lock()
        self._retriever: BM25Retriever | None = None
        self._stamp: dict | None = None

    @staticmethod
    def stamp_of(index: LibraryIndex) -> dict:
        return {"generation": index.generation, "count": index.count(),
                "collection": index.settings.collection}

    def build(self, index: LibraryIndex) -> BM25Retriever | None:
        """Rebuild from every chunk in the index and persist atomically."""
        stamp = self.stamp_of(index)
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
        with self._lock:
            self._retriever, self._stamp = retriever, stamp
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
        retriever, stamp = self._load()
        if stamp == current:
            with self._lock:
                self._retriever, self._stamp = retriever, stamp
            return retriever
        return self.build(index)
