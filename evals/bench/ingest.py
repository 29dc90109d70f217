"""Ingest throughput against its physical limit: raw SentenceTransformer.encode on the very
texts the pipeline embedded (node.get_content(metadata_mode=EMBED), rebuilt from what Chroma
stored, plus the distinct quotable sentences and list items whose vectors it stored), same
model object, same batch size. Then a re-ingest of the unchanged files, and the disk the sentence vectors take
next to the chunk index."""

from __future__ import annotations

import json

import time
from pathlib import Path

from llama_index.core.schema import MetadataMode

from assistant.bm25_store import _node
from assistant.embedding import load_embedding
from assistant.settings import Settings
from ingest.pipeline import ingest


def opsi_files(folder: Path, limit: int | None) -> list[Path]:
    """The talk summaries in name order (SOURCES.md describes the set; it is not one)."""
    files = sorted(p for p in folder.glob("*.md") if p.name != "SOURCES.md")
    return files[:limit] if limit else files


def embedded_texts(settings: Settings) -> tuple[list[str], list[str]]:
    """The chunk texts as embedded, and the distinct texts stored with them (quotable
    sentences and list items: sentence_store.ChunkSentences.embedded_texts)."""
    from assistant.sentence_store import ChunkSentences
    from assistant.store import LibraryIndex

    index = LibraryIndex.open(settings)
    chunks, sentences = [], set()
    for ids, texts, metas in index.all_chunks():
        for cid, text, meta in zip(ids, texts, metas):
            chunks.append(_node(cid, text, meta).get_content(metadata_mode=MetadataMode.EMBED))
            sentences.update(ChunkSentences.of(cid, "", text).embedded_texts)
    return chunks, sorted(sentences)


def raw_encode_seconds(settings: Settings, texts: list[str]) -> float:
    """Seconds of SentenceTransformer.encode alone, batched like the pipeline."""
    model = load_embedding(settings)._model
    model.encode(texts[:8], batch_size=settings.embedding_batch_size)  # warm-up, not timed
    t = time.perf_counter()
    model.encode(texts, batch_size=settings.embedding_batch_size, normalize_embeddings=True,
                 show_progress_bar=False)
    return time.perf_counter() - t


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def sentence_disk_share(settings: Settings) -> dict:
    """Disk of the index with sentence records vs the same chunks copied alone into a fresh
    Chroma folder (Chroma keeps both collections in one SQLite file, so this is how the
    sentence records' share can be seen)."""
    import shutil
    import tempfile

    import chromadb

    from assistant.store import LibraryIndex

    source = LibraryIndex.open(settings)
    tmp = Path(tempfile.mkdtemp(prefix="bench-chunks-only-"))
    try:
        client = chromadb.PersistentClient(str(tmp), settings=chromadb.Settings(
            anonymized_telemetry=False))
        target = client.create_collection("chunks", configuration={"hnsw": {
            "space": "cosine", "ef_search": settings.hnsw_ef_search,
            "ef_construction": settings.hnsw_ef_construction}}, embedding_function=None)
        for offset in range(0, source.count(), 1000):
            got = source.collection.get(include=["documents", "metadatas", "embeddings"],
                                        limit=1000, offset=offset)
            target.add(ids=got["ids"], documents=got["documents"], metadatas=got["metadatas"],
                       embeddings=got["embeddings"])
        del client, target
        chunks_only, both = disk_mb(tmp), disk_mb(settings.chroma_path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"chunk_index_mb": round(chunks_only, 1), "with_sentences_mb": round(both, 1),
            "sentence_share_of_chunk_index": round((both - chunks_only) / chunks_only, 2)}


def bench_ingest(settings: Settings, files: list[Path]) -> dict:
    load_embedding(settings)  # model load is a one-off per process: not ingest throughput
    t = time.perf_counter()
    first = ingest(settings, paths=files, include_corpus=False, progress=False)
    first_s = time.perf_counter() - t
    # The case stage (spaCy tagging at the end of ingest) embeds nothing; reported apart so
    # the ratio of the embedding pipeline itself can be seen beside the whole ingest's.
    try:
        case_s = float(json.loads(settings.cases_path.read_text())["seconds"])
    except (OSError, ValueError, KeyError):
        case_s = 0.0
    t = time.perf_counter()
    again = ingest(settings, paths=files, include_corpus=False, progress=False)
    again_s = time.perf_counter() - t
    texts, sentences = embedded_texts(settings)
    raw_s = raw_encode_seconds(settings, texts) + raw_encode_seconds(settings, sentences)
    chunks = first.embedded_chunks
    return {
        "case_stage_s": round(case_s, 1),
        "ratio_without_case_stage": round(raw_s / max(first_s - case_s, 1e-9), 3),
        "files": len(files), "documents_ingested": len(files) - len(first.failed),
        "failed": len(first.failed), "chunks": chunks, "sentences": len(sentences),
        "ingest_s": round(first_s, 1),
        "docs_per_s": round(len(files) / first_s, 2), "chunks_per_s": round(chunks / first_s, 2),
        "raw_encode_s": round(raw_s, 1), "raw_encode_chunks_per_s": round(chunks / raw_s, 2),
        "ratio_to_raw_encode": round(raw_s / first_s, 3), **sentence_disk_share(settings),
        "reingest_s": round(again_s, 2), "reingest_embedded": again.embedded_chunks,
        "reingest_share_of_first": round(again_s / first_s, 4),
    }
