"""Ingest throughput against its physical limit: raw SentenceTransformer.encode on the very
texts the pipeline embedded (node.get_content(metadata_mode=EMBED), rebuilt from what Chroma
stored), same model object, same batch size. Then a re-ingest of the unchanged files."""

from __future__ import annotations

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


def embedded_texts(settings: Settings) -> list[str]:
    from assistant.store import LibraryIndex

    index = LibraryIndex.open(settings)
    return [_node(cid, text, meta).get_content(metadata_mode=MetadataMode.EMBED)
            for ids, texts, metas in index.all_chunks()
            for cid, text, meta in zip(ids, texts, metas)]


def raw_encode_rate(settings: Settings, texts: list[str]) -> tuple[float, float]:
    """(seconds, chunks/s) of SentenceTransformer.encode alone, batched like the pipeline."""
    model = load_embedding(settings)._model
    model.encode(texts[:8], batch_size=settings.embedding_batch_size)  # warm-up, not timed
    t = time.perf_counter()
    model.encode(texts, batch_size=settings.embedding_batch_size, normalize_embeddings=True,
                 show_progress_bar=False)
    seconds = time.perf_counter() - t
    return seconds, len(texts) / seconds


def bench_ingest(settings: Settings, files: list[Path]) -> dict:
    load_embedding(settings)  # model load is a one-off per process: not ingest throughput
    t = time.perf_counter()
    first = ingest(settings, paths=files, include_corpus=False, progress=False)
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    again = ingest(settings, paths=files, include_corpus=False, progress=False)
    again_s = time.perf_counter() - t
    texts = embedded_texts(settings)
    raw_s, raw_rate = raw_encode_rate(settings, texts)
    chunks = first.embedded_chunks
    return {
        "files": len(files), "documents_ingested": len(files) - len(first.failed),
        "failed": len(first.failed), "chunks": chunks, "ingest_s": round(first_s, 1),
        "docs_per_s": round(len(files) / first_s, 2), "chunks_per_s": round(chunks / first_s, 2),
        "raw_encode_s": round(raw_s, 1), "raw_encode_chunks_per_s": round(raw_rate, 2),
        "ratio_to_raw_encode": round((chunks / first_s) / raw_rate, 3),
        "reingest_s": round(again_s, 2), "reingest_embedded": again.embedded_chunks,
        "reingest_share_of_first": round(again_s / first_s, 4),
    }
