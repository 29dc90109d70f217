"""`mission-assistant status`: what the index holds, and where it disagrees with the corpus."""

from __future__ import annotations

from assistant import messages
from assistant.settings import Settings
from assistant.store import LibraryIndex, where
from ingest.sources import discover, pipeline_fingerprint, supported, version_hash


def index_status(settings: Settings) -> dict:
    index = LibraryIndex.open(settings)
    stored = index.documents()
    fingerprint = pipeline_fingerprint(settings)
    sources = [s for s in discover(settings) if s.path is None or supported(s.path)]
    wanted = {s.doc_id: s for s in sources}
    stale = []
    for doc_id, source in wanted.items():
        state = stored.get(doc_id)
        if state and source.path is not None and source.path.exists():
            current = version_hash(source.path.read_bytes(), source.entry, fingerprint)
            if state.doc_hash != current:
                stale.append(doc_id)
    info = index.info
    chunk_ids = index.chunk_ids()
    without_sentences = len(chunk_ids - index.sentences.chunk_ids())
    without_units = len(chunk_ids & index.sentences.outdated_ids())
    return {
        "index": where(settings),
        "embedding_model": info.get("embedding_model"),
        "embedding_dim": info.get("embedding_dim"),
        "generation": info.get("generation"),
        "documents": len(stored),
        "chunks": index.count(),
        "not_ingested": sorted(set(wanted) - set(stored)),
        "not_in_corpus": sorted(set(stored) - set(wanted)),
        "changed_since_ingest": sorted(stale),
        "incomplete": sorted(d for d, s in stored.items() if not s.complete),
        "chunks_without_sentence_vectors": without_sentences,
        "chunks_without_unit_vectors": without_units,
        "query_embedding": query_backend(settings),
        "advice": messages.SENTENCES_MISSING.format(n=without_sentences + without_units,
                                                    total=len(chunk_ids))
        if without_sentences or without_units else "",
    }


def query_backend(settings: Settings) -> str:
    """What would embed questions now, and why (without loading torch)."""
    from assistant.embedding import resolve_model_path
    from assistant.embedding.onnx_model import ExportUnusable, export_dir, open_export

    if settings.embedding_backend == "torch":
        return "torch (embedding_backend=torch)"
    model_path = resolve_model_path(settings.embedding_model)
    try:
        open_export(settings, model_path)
    except ExportUnusable as exc:
        return f"torch ({exc.reason})"
    return f"onnx ({export_dir(settings, model_path)})"
