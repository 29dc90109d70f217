"""Ingest: inputs -> readers -> llama-index chunking -> embedding (chunks and their sentences)
-> Chroma (chunks, sentence records) -> BM25 store.

Incremental by construction. Every chunk stores its document's version hash and chunk count,
so a run compares what Chroma holds with what the corpus holds and embeds only what changed.
Order of writes for a changed document: delete its old chunks and sentence records, add the
new sentence records, then the new chunks. A run killed in between leaves that document missing
or torn (fewer chunks than its count), which the next run detects and redoes — Chroma never
holds two versions of a document at once, and sentence records whose chunk is missing are
removed at the end of the next run.

Both cores work: a background thread reads (in the reader worker process), cleans, chunks and
splits sentences for the next batch of documents while this one is embedded.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from llama_index.core import Document
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.schema import BaseNode
from tqdm import tqdm

from assistant.bm25_store import Bm25Store
from assistant.embedding import embedding_dimension, load_embedding
from assistant.embedding.onnx_export import ensure_export
from assistant.sentence_store import ChunkSentences, embed_sentences
from assistant.settings import Settings
from assistant.store import DocState, LibraryIndex
from ingest.cases import write_cases
from ingest.chunking import EMBEDDED_KEYS, chunking_transformations
from ingest.clean import hyphenated_forms, repair_joined_words
from ingest.fetch import FetchError, fetch
from ingest.manifest import ManifestEntry
from ingest.readers import ReaderError
from ingest.report import FileResult, IngestReport
from ingest.sources import Source, content_hash, discover, pipeline_fingerprint, supported, \
    version_hash
from ingest.worker import ReaderPool

log = logging.getLogger(__name__)
BATCH_DOCUMENTS = 16  # documents per pipeline run: enough chunks to fill embedding batches


def _prepare(source: Source, documents: list[Document], doc_hash: str, sha: str
             ) -> list[Document]:
    """Give a file's Documents the metadata every chunk needs (manifest wins over the file)."""
    base = {"doc_id": source.doc_id, "doc_hash": doc_hash, "content_sha": sha,
            "source": source.label}
    manifest = source.entry.metadata() if source.entry else {}
    for doc in documents:
        meta = {k: v for k, v in doc.metadata.items() if v not in (None, "")}
        meta.update(manifest)
        meta.update(base)
        if source.url:
            meta.setdefault("url", source.url)
            meta.setdefault("type", "web_page")
        meta.setdefault("title", source.path.stem.replace("_", " "))
        # Titles from slugs lose hyphens ("Missionoriented ..."); the document's own spelling
        # and the table in ingest/clean.py put them back.
        meta["title"] = repair_joined_words(str(meta["title"]), hyphenated_forms(doc.text))
        meta.setdefault("type", "document")
        date = str(meta.get("date", ""))
        meta["year"] = int(date[:4]) if date[:4].isdigit() else 0
        doc.metadata = {k: (v if isinstance(v, (int, float, bool)) else str(v))
                        for k, v in meta.items()}
        doc.id_ = source.doc_id
        # Only the title joins the text for embedding; the splitter counts it against chunk_size.
        hidden = [k for k in doc.metadata if k not in EMBEDDED_KEYS]
        doc.excluded_embed_metadata_keys = hidden
        doc.excluded_llm_metadata_keys = list(hidden)
    return documents


def _plan(settings: Settings, sources: list[Source], stored: dict[str, DocState], prune: bool,
          report: IngestReport) -> tuple[list[tuple[Source, str, str]], set[str]]:
    """Decide what each input needs from its bytes alone (cheap); parsing comes later.

    Returns the (source, version hash, content hash) to (re)ingest and the ids to keep."""
    fingerprint = pipeline_fingerprint(settings)
    todo: list[tuple[Source, str, str]] = []
    wanted: set[str] = set()
    by_content = {s.content_sha: d for d, s in stored.items() if s.content_sha}
    listed = {s.doc_id for s in sources}  # a twin counts only if it is still in the corpus

    def skip(source: Source, outcome: str, reason: str, action: str = "not ingested") -> None:
        report.add(FileResult(source.label, source.doc_id, outcome, reason, action))

    for source in sources:
        wanted.add(source.doc_id)
        if source.url:
            try:
                fetched = fetch(source.url, settings)
            except FetchError as exc:
                skip(source, "failed", exc.reason, "not ingested; any previous version kept")
                continue
            source.path = fetched.path
        if not source.path.exists():
            if prune:  # asked to mirror the corpus: a vanished file leaves the index too
                wanted.discard(source.doc_id)
            else:
                skip(source, "failed", "file not found",
                     "kept any previous version (use --prune to remove it)")
            continue
        if not supported(source.path):
            skip(source, "skipped", f"unsupported file type {source.path.suffix or '(none)'}")
            continue
        size_mb = source.path.stat().st_size / 1e6
        if size_mb > settings.max_file_mb:
            skip(source, "skipped",
                 f"file is {size_mb:.1f} MB, over the {settings.max_file_mb:g} MB cap")
            continue
        data = source.path.read_bytes()
        sha = content_hash(data)
        twin = by_content.get(sha)
        if twin is not None and twin != source.doc_id and twin in listed:
            skip(source, "skipped", f"duplicate of {twin} (same content)")
            wanted.discard(source.doc_id)
            continue
        by_content.setdefault(sha, source.doc_id)
        doc_hash = version_hash(data, source.entry, fingerprint)
        state = stored.get(source.doc_id)
        if state and state.doc_hash == doc_hash and state.complete:
            report.add(FileResult(source.label, source.doc_id, "unchanged",
                                  chunks=state.stored_chunks))
            continue
        todo.append((source, doc_hash, sha))
    return todo, wanted


@dataclass
class Prepared:
    """One batch of documents, read, cleaned and chunked, with their sentences: everything
    before embedding."""

    sources: list[Source] = field(default_factory=list)
    nodes: list[BaseNode] = field(default_factory=list)
    sentences: list[ChunkSentences] = field(default_factory=list)
    failures: list[FileResult] = field(default_factory=list)


def chunk_sentences(nodes: list[BaseNode]) -> list[ChunkSentences]:
    return [ChunkSentences.of(n.node_id, str(n.metadata.get("doc_id", "")), n.get_content())
            for n in nodes]


def _prepared(settings: Settings, todo, readers: ReaderPool) -> Iterator[Prepared]:
    chunker = IngestionPipeline(transformations=chunking_transformations(settings),
                                disable_cache=True)
    for start in range(0, len(todo), BATCH_DOCUMENTS):
        batch, documents = Prepared(), []
        for source, doc_hash, sha in todo[start:start + BATCH_DOCUMENTS]:
            try:
                documents.extend(_prepare(source, readers.read(source.path), doc_hash, sha))
                batch.sources.append(source)
            except ReaderError as exc:
                batch.failures.append(FileResult(source.label, source.doc_id, "failed",
                                                 exc.reason, "not ingested; any previous "
                                                 "version kept"))
        batch.nodes = chunker.run(documents=documents) if documents else []
        batch.sentences = chunk_sentences(batch.nodes)
        yield batch


def _ahead(items: Iterator, depth: int = 1) -> Iterator:
    """Produce `items` in a background thread, `depth` ahead of the consumer, so reading and
    chunking the next batch overlaps embedding this one (torch releases the GIL while it
    computes). Hand-written because concurrent.futures has no bounded, ordered prefetch of an
    iterator; the thread stops when the consumer stops or fails, and its errors re-raise here."""
    out: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        out.put(item, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            out.put(done)
        except BaseException as exc:  # handed to the consumer, raised in its thread
            out.put(exc)

    worker = threading.Thread(target=produce, name="ingest-prepare", daemon=True)
    worker.start()
    try:
        while (item := out.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                out.get(timeout=0.2)
        worker.join()


def embed_and_write(index: LibraryIndex, embed_model, nodes: list[BaseNode],
                    sentences: list[ChunkSentences], replace: list[str] = ()) -> None:
    """Embed chunks and their sentences, then write: old versions of `replace` out, sentence
    records, then chunks (so a chunk never exists without its sentences; see
    assistant/sentence_store.py). Shared by ingest and the BEIR index builder."""
    vectors = embed_sentences(sentences, embed_model)
    nodes = embed_model(nodes) if nodes else []
    for doc_id in replace:
        index.delete_document(doc_id)
    index.sentences.write(sentences, vectors)
    if nodes:
        index.vector_store.add(nodes)


def repair_sentences(index: LibraryIndex, embed_model) -> tuple[int, int]:
    """Store the sentences of chunks that have none (an index built before sentence vectors,
    or written by another tool) or an older record (no list-item vectors), and delete records
    whose chunk is gone (a kill between the two writes, a prune). Returns (added, removed)."""
    chunks, stored = index.chunk_ids(), index.sentences.chunk_ids()
    orphans = sorted(stored - chunks)
    index.sentences.delete(orphans)
    missing = sorted((chunks - stored) | (chunks & index.sentences.outdated_ids()))
    for start in range(0, len(missing), 2000):
        got = index.collection.get(ids=missing[start:start + 2000],
                                   include=["documents", "metadatas"])
        todo = [ChunkSentences.of(cid, str((meta or {}).get("doc_id", "")), text or "")
                for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"])]
        index.sentences.write(todo, embed_sentences(todo, embed_model))
    return len(missing), len(orphans)


def ingest(settings: Settings, paths: list[Path] | None = None, prune: bool = False,
           rebuild: bool = False, include_corpus: bool = True, progress: bool = True,
           urls: list[str] | None = None, entries: list[ManifestEntry] | None = None
           ) -> IngestReport:
    """Ingest the corpus (unless include_corpus is False) plus `paths`, `urls` and manifest
    `entries` (the crawler's documents: a cached body and its metadata)."""
    report = IngestReport()
    embed_model = load_embedding(settings)
    if settings.ingest_threads:
        import torch

        torch.set_num_threads(settings.ingest_threads)
    ensure_export(settings, embed_model)  # the ONNX copy questions use (once per model copy)
    if rebuild:
        LibraryIndex.drop(settings)
    index = LibraryIndex.create(settings, settings.embedding_model, embedding_dimension(embed_model))
    stored = index.documents()
    sources = discover(settings, paths, include_corpus, urls, entries)
    todo, wanted = _plan(settings, sources, stored, prune, report)

    bar = tqdm(total=len(todo), desc="Ingesting", unit="doc", disable=not progress or not todo,
               file=sys.stderr)
    with ReaderPool(settings.reader_timeout_s) as readers:
        for batch in _ahead(_prepared(settings, todo, readers)):
            for failure in batch.failures:
                report.add(failure)
            embed_and_write(index, embed_model, batch.nodes, batch.sentences,
                            replace=[s.doc_id for s in batch.sources])
            report.embedded_chunks += len(batch.nodes)
            per_doc: dict[str, int] = {}
            for node in batch.nodes:
                per_doc[node.metadata["doc_id"]] = per_doc.get(node.metadata["doc_id"], 0) + 1
            for source in batch.sources:
                chunks = per_doc.get(source.doc_id, 0)
                if chunks == 0:
                    report.add(FileResult(source.label, source.doc_id, "failed",
                                          "no text to index after cleaning", "not ingested"))
                else:
                    outcome = "updated" if source.doc_id in stored else "ingested"
                    report.add(FileResult(source.label, source.doc_id, outcome, chunks=chunks))
            bar.update(len(batch.sources) + len(batch.failures))
    bar.close()

    # Remove documents that left the corpus (only when asked: a missing file is often a typo).
    if prune:
        for doc_id in sorted(set(stored) - wanted):
            index.delete_document(doc_id)
            report.add(FileResult(stored[doc_id].source or doc_id, doc_id, "removed",
                                  "no longer in the corpus", "chunks deleted"))
    repair_sentences(index, embed_model)

    # Tell other processes, and refresh the keyword index from what Chroma now holds.
    if todo or report.count("removed") or rebuild:
        index.bump_generation()
    Bm25Store(settings.bm25_path).get(index)
    write_cases(settings, index)  # case studies page data, derived from what Chroma now holds
    report.finished = time.time()
    report.write(settings.index_dir / "ingest-report.json")
    return report


def remove(settings: Settings, doc_ids: list[str], reason: str = "removed from the app"
           ) -> IngestReport:
    """Delete documents from the index (the app's librarian action, the crawl's --prune), then
    refresh what derives from it, as an ingest run does. A file uploaded in the app is deleted
    with it; a document still in the corpus folder comes back at the next corpus ingest, as the
    corpus is the source."""
    report = IngestReport()
    index = LibraryIndex.open(settings)
    stored = index.documents()
    for doc_id in doc_ids:
        state = stored.get(doc_id)
        if state is None:
            report.add(FileResult(doc_id, doc_id, "failed", "not in the library"))
            continue
        index.delete_document(doc_id)
        upload = settings.uploads_dir / doc_id
        if upload.is_file():  # an app upload is part of the library until removed
            upload.unlink()
        report.add(FileResult(state.source or doc_id, doc_id, "removed", reason,
                              "chunks deleted", chunks=state.stored_chunks))
    if report.count("removed"):
        index.bump_generation()
    Bm25Store(settings.bm25_path).get(index)
    write_cases(settings, index)
    report.finished = time.time()
    return report
