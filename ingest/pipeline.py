"""Ingest: inputs -> readers -> llama-index IngestionPipeline (chunk, embed) -> Chroma.

Incremental by construction. Every chunk stores its document's version hash and chunk count,
so a run compares what Chroma holds with what the corpus holds and embeds only what changed.
Order of writes for a changed document: delete its old chunks, then add the new ones. A run
killed in between leaves that document missing or torn (fewer chunks than its count), which
the next run detects and redoes — Chroma never holds two versions of a document at once.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from llama_index.core import Document
from llama_index.core.ingestion import IngestionPipeline
from tqdm import tqdm

from assistant.bm25_store import Bm25Store
from assistant.embedding import embedding_dimension, load_embedding
from assistant.settings import Settings
from assistant.store import LibraryIndex
from ingest.chunking import EMBEDDED_KEYS, chunking_transformations
from ingest.readers import ReaderError, read_file
from ingest.report import FileResult, IngestReport
from ingest.sources import Source, content_hash, discover, pipeline_fingerprint, supported, \
    version_hash

log = logging.getLogger(__name__)
BATCH_DOCUMENTS = 16  # documents per pipeline run: enough chunks to fill embedding batches


def _prepare(source: Source, data: bytes, doc_hash: str, settings: Settings) -> list[Document]:
    """Read one input into Documents carrying the metadata every chunk needs."""
    documents = read_file(source.path)
    base = {"doc_id": source.doc_id, "doc_hash": doc_hash, "source": source.label}
    manifest = source.entry.metadata() if source.entry else {}
    for doc in documents:
        meta = {k: v for k, v in doc.metadata.items() if v not in (None, "")}
        meta.update(manifest)
        meta.update(base)
        meta.setdefault("title", source.path.stem.replace("_", " "))
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


def ingest(settings: Settings, paths: list[Path] | None = None, prune: bool = False,
           rebuild: bool = False, include_corpus: bool = True, progress: bool = True
           ) -> IngestReport:
    report = IngestReport()
    embed_model = load_embedding(settings)
    if rebuild:
        LibraryIndex.drop(settings)
    index = LibraryIndex.create(settings, settings.embedding_model, embedding_dimension(embed_model))
    stored = index.documents()
    fingerprint = pipeline_fingerprint(settings)

    # 1. Decide what each input needs, reading only bytes (cheap) — parsing waits for step 2.
    todo: list[tuple[Source, bytes, str]] = []
    seen_content: dict[str, str] = {}
    wanted_ids: set[str] = set()
    for source in discover(settings, paths, include_corpus):
        wanted_ids.add(source.doc_id)
        if source.path is None:
            report.add(FileResult(source.label, source.doc_id, "skipped",
                                  "URL entries need `ingest --url` support", "not fetched"))
            continue
        if not source.path.exists():
            if prune:  # asked to mirror the corpus: a vanished file leaves the index too
                wanted_ids.discard(source.doc_id)
            else:
                report.add(FileResult(source.label, source.doc_id, "failed", "file not found",
                                      "kept any previous version (use --prune to remove it)"))
            continue
        if not supported(source.path):
            report.add(FileResult(source.label, source.doc_id, "skipped",
                                  f"unsupported file type {source.path.suffix or '(none)'}",
                                  "not ingested"))
            continue
        size_mb = source.path.stat().st_size / 1e6
        if size_mb > settings.max_file_mb:
            report.add(FileResult(source.label, source.doc_id, "skipped",
                                  f"file is {size_mb:.1f} MB, over the {settings.max_file_mb} MB cap",
                                  "not ingested"))
            continue
        data = source.path.read_bytes()
        digest = content_hash(data)
        if digest in seen_content:
            report.add(FileResult(source.label, source.doc_id, "skipped",
                                  f"duplicate of {seen_content[digest]} (same content)",
                                  "not ingested"))
            wanted_ids.discard(source.doc_id)
            continue
        seen_content[digest] = source.doc_id
        doc_hash = version_hash(data, source.entry, fingerprint)
        state = stored.get(source.doc_id)
        if state and state.doc_hash == doc_hash and state.complete:
            report.add(FileResult(source.label, source.doc_id, "unchanged",
                                  chunks=state.stored_chunks))
            continue
        todo.append((source, data, doc_hash))

    # 2. Parse, chunk, embed and write the new and changed documents in batches.
    pipeline = IngestionPipeline(
        transformations=[*chunking_transformations(settings), embed_model],
        vector_store=index.vector_store,
        disable_cache=True,
    )
    bar = tqdm(total=len(todo), desc="Ingesting", unit="doc", disable=not progress or not todo,
               file=sys.stderr)
    for start in range(0, len(todo), BATCH_DOCUMENTS):
        batch, documents = [], []
        for source, data, doc_hash in todo[start:start + BATCH_DOCUMENTS]:
            try:
                docs = _prepare(source, data, doc_hash, settings)
            except ReaderError as exc:
                report.add(FileResult(source.label, source.doc_id, "failed", exc.reason,
                                      "not ingested; any previous version kept"))
                bar.update(1)
                continue
            batch.append(source)
            documents.extend(docs)
        for source in batch:
            index.delete_document(source.doc_id)
        nodes = pipeline.run(documents=documents) if documents else []
        report.embedded_chunks += len(nodes)
        per_doc: dict[str, int] = {}
        for node in nodes:
            per_doc[node.metadata["doc_id"]] = per_doc.get(node.metadata["doc_id"], 0) + 1
        for source in batch:
            outcome = "updated" if source.doc_id in stored else "ingested"
            chunks = per_doc.get(source.doc_id, 0)
            if chunks == 0:
                outcome, reason = "failed", "no text to index after cleaning"
                report.add(FileResult(source.label, source.doc_id, outcome, reason, "not ingested"))
            else:
                report.add(FileResult(source.label, source.doc_id, outcome, chunks=chunks))
        bar.update(len(batch))
    bar.close()

    # 3. Remove documents that left the corpus (only when asked: a missing file is often a typo).
    if prune:
        for doc_id in sorted(set(stored) - wanted_ids):
            index.delete_document(doc_id)
            report.add(FileResult(stored[doc_id].source or doc_id, doc_id, "removed",
                                  "no longer in the corpus", "chunks deleted"))

    # 4. Tell other processes, and refresh the keyword index from what Chroma now holds.
    if todo or report.count("removed") or rebuild:
        index.bump_generation()
    Bm25Store(settings.bm25_path).get(index)
    report.finished = time.time()
    report.write(settings.index_dir / "ingest-report.json")
    return report
