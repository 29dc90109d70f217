"""Access to the Chroma index: embedded (PersistentClient) or a `chroma run` server (HttpClient).

The collection's metadata records which embedding model built it, so opening it with another
model is a clear error instead of silently meaningless search results. Chroma itself is the
source of truth for what has been ingested: every chunk carries its document id, the hash of
the document version it came from, and the document's chunk count.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlparse


@contextmanager
def _override_checks_skipped():
    """Import chromadb without its `overrides` signature checks.

    chromadb marks ~160 methods with `overrides.override`, which compares each signature with
    the base class's while the module loads: 0.4 s of a 2 s cold `ask` (cProfile). The checks
    guard chromadb's own development; chromadb's releases already pass them. So while chromadb
    is imported, the decorator only sets the `__override__` mark that `EnforceOverrides`
    reads, and the package's own functions are put back afterwards. A client imports more of
    chromadb when it is made, so making one (`_new_client`) does the same.
    The `overrides` package has no switch for this, hence the swap."""
    try:
        import overrides
    except ImportError:  # a chromadb that no longer uses it
        yield
        return
    saved = overrides.override, overrides.overrides

    def mark(method=None, **_options):
        if method is None:  # used as @override(check_signature=False)
            return mark
        method.__override__ = True
        return method

    overrides.override = overrides.overrides = mark
    try:
        yield
    finally:
        overrides.override, overrides.overrides = saved


with _override_checks_skipped():
    import chromadb
    from chromadb.api.models.Collection import Collection

from assistant import messages  # noqa: E402
from assistant.settings import Settings  # noqa: E402

SCHEMA_VERSION = 1


class IndexNotFound(RuntimeError):
    pass


class ModelMismatch(RuntimeError):
    pass


@dataclass
class DocState:
    doc_hash: str
    expected_chunks: int
    stored_chunks: int
    title: str = ""
    type: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    content_sha: str = ""

    @property
    def complete(self) -> bool:
        return self.expected_chunks == self.stored_chunks


_clients: dict[str, chromadb.ClientAPI] = {}
_clients_lock = threading.Lock()


def open_client(settings: Settings) -> chromadb.ClientAPI:
    """One client per location per process (Chroma dislikes two clients on one folder)."""
    key = settings.chroma_url or str(settings.chroma_path.resolve())
    with _clients_lock:
        if key not in _clients:
            _clients[key] = _new_client(settings)
        return _clients[key]


def _new_client(settings: Settings) -> chromadb.ClientAPI:
    with _override_checks_skipped():  # a client imports its backend modules
        chroma_settings = chromadb.Settings(anonymized_telemetry=False)
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path),
                                         settings=chroma_settings)


def where(settings: Settings) -> str:
    return settings.chroma_url or str(settings.chroma_path)


class LibraryIndex:
    """The chunks of every ingested document, with their embeddings and metadata."""

    def __init__(self, settings: Settings, collection: Collection):
        self.settings = settings
        self.collection = collection
        self._vector_store = None
        self._sentences = None

    @property
    def vector_store(self):
        """llama-index's ChromaVectorStore over the collection, for ingest pipelines (imported
        on first use: questions query Chroma directly)."""
        if self._vector_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vector_store = ChromaVectorStore(chroma_collection=self.collection)
        return self._vector_store

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> "LibraryIndex":
        """Open an existing index for reading; raise IndexNotFound / ModelMismatch."""
        if not settings.chroma_url and not settings.chroma_path.exists():
            raise IndexNotFound(messages.NO_INDEX.format(where=where(settings)))
        client = open_client(settings)
        try:
            collection = client.get_collection(settings.collection)
        except Exception as exc:  # chromadb raises NotFoundError / ValueError by version
            raise IndexNotFound(messages.NO_INDEX.format(where=where(settings))) from exc
        index = cls(settings, collection)
        index.check_model(settings.embedding_model)
        return index

    @classmethod
    def create(cls, settings: Settings, model_name: str, dimension: int) -> "LibraryIndex":
        """Open for writing, creating the collection (with its HNSW breadth) if needed."""
        client = open_client(settings)
        collection = client.get_or_create_collection(
            settings.collection,
            configuration={
                "hnsw": {
                    "space": "cosine",
                    "ef_search": settings.hnsw_ef_search,
                    "ef_construction": settings.hnsw_ef_construction,
                }
            },
            metadata={"embedding_model": model_name, "embedding_dim": dimension,
                      "schema": SCHEMA_VERSION, "generation": 0},
            embedding_function=None,
        )
        index = cls(settings, collection)
        index.check_model(model_name, dimension)
        return index

    @property
    def sentences(self):
        """The sentence vectors stored beside the chunks (assistant/sentence_store.py)."""
        if self._sentences is None:
            from assistant.sentence_store import SentenceStore

            self._sentences = SentenceStore(self.settings)
        return self._sentences

    @staticmethod
    def drop(settings: Settings) -> None:
        from assistant.sentence_store import SentenceStore

        client = open_client(settings)
        try:
            client.delete_collection(settings.collection)
        except Exception:
            pass  # nothing to drop
        SentenceStore.drop(settings)

    def check_model(self, model_name: str, dimension: int | None = None) -> None:
        meta = self.collection.metadata or {}
        built, built_dim = meta.get("embedding_model"), meta.get("embedding_dim")
        if built != model_name or (dimension is not None and built_dim != dimension):
            raise ModelMismatch(
                messages.MODEL_MISMATCH.format(
                    where=where(self.settings), built=built, built_dim=built_dim,
                    wanted=model_name, wanted_dim=dimension or "?",
                )
            )

    # --- bookkeeping -------------------------------------------------------------------------
    @property
    def info(self) -> dict:
        return dict(self.collection.metadata or {})

    def refresh(self) -> dict:
        """Re-read the collection from Chroma and return its metadata.

        The client caches a collection's metadata when it is opened, so without this a process
        never sees another process's bump_generation (server mode: every replica; embedded: the
        UI while the CLI ingests). If the collection was dropped and recreated elsewhere
        (`ingest --rebuild`), switch to the new one, in place, so dense search follows.
        """
        latest = open_client(self.settings).get_collection(self.collection.name)
        self.collection = latest
        if self._vector_store is not None:  # an ingest pipeline may hold this vector store
            self._vector_store._collection = latest
        return dict(latest.metadata or {})

    @property
    def generation(self) -> int:
        return int(self.info.get("generation", 0))

    def change_stamp(self) -> dict:
        """What identifies the current contents: fresh generation, change token, size, id.
        The count catches writers that did not bump; the token catches two writers that bumped
        from the same old generation (a read-modify-write race on one counter)."""
        meta = self.refresh()
        return {"generation": int(meta.get("generation", 0)), "token": meta.get("changed", ""),
                "count": self.count(), "collection": f"{self.collection.name}:{self.collection.id}"}

    def bump_generation(self) -> int:
        """Mark a change so other processes reload their BM25 store."""
        meta = self.refresh()
        meta["generation"] = int(meta.get("generation", 0)) + 1
        meta["changed"] = uuid.uuid4().hex
        self.collection.modify(metadata=meta)
        return meta["generation"]

    def count(self) -> int:
        return self.collection.count()

    def documents(self) -> dict[str, DocState]:
        """What each stored document looks like, read from its chunks' metadata."""
        states: dict[str, DocState] = {}
        total = self.count()
        for offset in range(0, total, 5000):
            batch = self.collection.get(include=["metadatas"], limit=5000, offset=offset)
            for meta in batch["metadatas"]:
                doc_id = str(meta.get("doc_id", ""))
                state = states.get(doc_id)
                if state is None:
                    state = states[doc_id] = DocState(
                        doc_hash=str(meta.get("doc_hash", "")),
                        expected_chunks=int(meta.get("chunk_count", 0)),
                        stored_chunks=0,
                        **{k: str(meta.get(k, "")) for k in
                           ("title", "type", "publisher", "date", "url", "source", "content_sha")},
                    )
                if meta.get("doc_hash") != state.doc_hash:
                    state.doc_hash = "mixed"  # chunks of two versions: a torn write
                state.stored_chunks += 1
        return states

    def chunks(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Stored (text, metadata) of the chunks with these ids that exist."""
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        return {cid: (text, meta) for cid, text, meta in
                zip(got["ids"], got["documents"], got["metadatas"])}

    def document_chunks(self, doc_id: str) -> dict[str, tuple[str, dict]]:
        """Stored (text, metadata) of every chunk of one document."""
        got = self.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        return {cid: (text, meta) for cid, text, meta in
                zip(got["ids"], got["documents"], got["metadatas"])}

    def delete_document(self, doc_id: str) -> None:
        """Chunks first: a kill in between leaves the document missing (redone next time) and
        sentence records without chunks (removed next time), never chunks without them."""
        self.collection.delete(where={"doc_id": doc_id})
        self.sentences.delete_document(doc_id)

    def chunk_ids(self) -> set[str]:
        total, ids = self.count(), set()
        for offset in range(0, total, 20000):
            ids.update(self.collection.get(include=[], limit=20000, offset=offset)["ids"])
        return ids

    def all_chunks(self, batch_size: int = 5000):
        """Yield (ids, documents, metadatas) batches of every stored chunk."""
        total = self.count()
        for offset in range(0, total, batch_size):
            batch = self.collection.get(
                include=["documents", "metadatas"], limit=batch_size, offset=offset
            )
            yield batch["ids"], batch["documents"], batch["metadatas"]
