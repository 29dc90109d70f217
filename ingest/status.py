"""`mission-assistant status`: what the index holds, and where it disagrees with the corpus."""

from __future__ import annotations

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
    }
