"""Indexes of 1k-100k chunks for the latency benchmark, without embedding 100k texts.

Embedding 100k chunks takes about two hours on 2 cores, so the larger indexes are built from a
pool of *real* chunks (text, MiniLM vector, metadata) read from existing Chroma indexes (the
opsi ingest of this run, the starter index, a SciFact index when present), then filled up with
synthetic variants: variant j of real chunk i keeps chunk i's vector plus Gaussian noise
(||noise|| ~ NOISE x ||v||, renormalised: cosine ~0.9 to its source), and takes a real text
from the pool shifted by j (so BM25 sees real vocabulary, not copies of one passage). Variants
are grouped 12 to a synthetic document. Everything is written through Chroma's normal API and
the BM25 store is built by the app's own Bm25Store, exactly as after an ingest.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.bm25_store import Bm25Store
from assistant.sentence_store import PLACEHOLDER, SUFFIX
from assistant.settings import Settings
from assistant.store import LibraryIndex

NOISE = 0.5
CHUNKS_PER_SYNTHETIC_DOC = 12
ADD_BATCH = 4000


@dataclass
class Pool:
    """Real chunks: ids, texts, metadatas and unit vectors (float32, one row per chunk)."""
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    sentences: list[dict | None] = field(default_factory=list)  # stored sentence record
    sources: dict[str, int] = field(default_factory=dict)

    def add_chroma(self, chroma_dir: Path, label: str, limit: int | None = None) -> int:
        """Read every chunk of every collection in a Chroma folder, from a temporary copy (the
        folder may belong to a running process; we never open it in place)."""
        import chromadb

        if not (chroma_dir / "chroma.sqlite3").exists():
            return 0
        tmp = Path(tempfile.mkdtemp(prefix="bench-pool-"))
        try:
            shutil.copytree(chroma_dir, tmp / "c")
            client = chromadb.PersistentClient(str(tmp / "c"),
                                               settings=chromadb.Settings(anonymized_telemetry=False))
            added = 0
            names = {c.name for c in client.list_collections()}
            for name in sorted(n for n in names if not n.endswith(SUFFIX)):
                col = client.get_collection(name)
                records = {}
                if name + SUFFIX in names:  # the chunks' stored sentence vectors
                    got = client.get_collection(name + SUFFIX).get(include=["metadatas"])
                    records = dict(zip(got["ids"], got["metadatas"]))
                total = col.count()
                for offset in range(0, total, 5000):
                    got = col.get(include=["documents", "metadatas", "embeddings"],
                                  limit=5000, offset=offset)
                    for cid, text, meta, vec in zip(got["ids"], got["documents"],
                                                    got["metadatas"], got["embeddings"]):
                        if limit is not None and added >= limit:
                            break
                        self.ids.append(f"{label}:{cid}")
                        self.texts.append(text)
                        self.metas.append(dict(meta))
                        self.vectors.append(np.asarray(vec, dtype=np.float32))
                        self.sentences.append(records.get(cid))
                        added += 1
            self.sources[label] = self.sources.get(label, 0) + added
            return added
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def __len__(self) -> int:
        return len(self.ids)


def _node_content(meta: dict, new_id: str, doc_id: str) -> str:
    try:
        content = json.loads(meta.get("_node_content") or "{}")
    except ValueError:
        content = {}
    content["id_"] = new_id  # the dense retriever names hits by this id: keep it unique
    content["relationships"] = {}
    content.setdefault("metadata", {})
    return json.dumps(content)


def synthetic_rows(pool: Pool, size: int, seed: int = 0):
    """Yield (id, text, metadata, vector, sentence record of that text or None) for the first
    `size` chunks: real ones first."""
    rng = np.random.default_rng(seed)
    real = len(pool)
    dim = pool.vectors[0].shape[0]
    for n in range(size):
        i = n % real
        if n < real:
            meta = dict(pool.metas[i])
            meta["_node_content"] = _node_content(meta, f"c{n}", str(meta.get("doc_id", "")))
            yield f"c{n}", pool.texts[i], meta, pool.vectors[i], pool.sentences[i]
            continue
        j = n // real
        vec = pool.vectors[i] + rng.normal(0.0, NOISE / np.sqrt(dim), dim).astype(np.float32)
        vec /= np.linalg.norm(vec)
        doc_id = f"syn-{n // CHUNKS_PER_SYNTHETIC_DOC}"
        source = (i + 7919 * j) % real  # a different real text than the vector's
        text = pool.texts[source]
        meta = {"doc_id": doc_id, "title": f"Synthetic variant {doc_id}", "type": "synthetic",
                "publisher": "bench", "year": 0, "doc_hash": "synthetic", "source": "bench",
                "chunk_count": CHUNKS_PER_SYNTHETIC_DOC, "content_sha": ""}
        meta["_node_content"] = _node_content(meta, f"c{n}", doc_id)
        record = pool.sentences[source]
        yield f"c{n}", text, meta, vec, record and {**record, "doc_id": doc_id}


def build_scaled(pool: Pool, size: int, settings: Settings) -> tuple[LibraryIndex, np.ndarray]:
    """Write a `size`-chunk collection and its BM25 store; return the index and the matrix of
    every stored vector (row k = id c{k}) for exact-search recall."""
    LibraryIndex.drop(settings)
    index = LibraryIndex.create(settings, settings.embedding_model, pool.vectors[0].shape[0])
    matrix = np.empty((size, pool.vectors[0].shape[0]), dtype=np.float32)
    batch: list = []

    sentences = index.sentences.collection(create=True)

    def flush() -> None:
        with_records = [r for r in batch if r[4]]
        if with_records:  # sentence records first, as ingest writes them
            sentences.add(ids=[r[0] for r in with_records], metadatas=[r[4] for r in with_records],
                          embeddings=[PLACEHOLDER] * len(with_records))
        index.collection.add(ids=[r[0] for r in batch], documents=[r[1] for r in batch],
                             metadatas=[r[2] for r in batch],
                             embeddings=np.stack([r[3] for r in batch]))
        batch.clear()

    for k, row in enumerate(synthetic_rows(pool, size)):
        matrix[k] = row[3]
        batch.append(row)
        if len(batch) >= ADD_BATCH:
            flush()
    if batch:
        flush()
    index.bump_generation()
    Bm25Store(settings.bm25_path).get(index)
    return index, matrix


_QUERY_IN_CHILD = """
import json, sys
import chromadb, numpy as np
path, name, queries, k = sys.argv[1], sys.argv[2], np.load(sys.argv[3]), int(sys.argv[4])
client = chromadb.PersistentClient(path=path, settings=chromadb.Settings(anonymized_telemetry=False))
print(json.dumps(client.get_collection(name).query(query_embeddings=queries, n_results=k,
                                                   include=[])["ids"]))
"""


def set_ef_search(index: LibraryIndex, ef: int) -> None:
    index.collection.modify(configuration={"hnsw": {"ef_search": ef}})


def hnsw_recall(index: LibraryIndex, matrix: np.ndarray, queries: np.ndarray, ef: int,
                k: int = 10) -> float:
    """Mean share of the exact cosine top-k that Chroma's HNSW returns at search breadth ef.

    The search runs in a child process: a process keeps the search breadth its HNSW segment
    was loaded with, so after `modify` only a fresh process searches at the new ef (checked:
    in-process, ef 10 gave the same recall as ef 256)."""
    set_ef_search(index, ef)
    with tempfile.TemporaryDirectory() as tmp:
        qfile = Path(tmp) / "queries.npy"
        np.save(qfile, np.asarray(queries, dtype=np.float32))
        out = subprocess.run([sys.executable, "-c", _QUERY_IN_CHILD,
                              str(index.settings.chroma_path), index.collection.name, str(qfile),
                              str(k)], capture_output=True, text=True, check=True, timeout=600)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    exact = np.argsort(-(queries @ matrix.T), axis=1)[:, :k]
    hits = [len({f"c{j}" for j in row} & set(found)) / k for row, found in zip(exact, got)]
    return float(np.mean(hits))
