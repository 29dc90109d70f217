"""Check a question set's phrases against the documents it names, without an index.

    python -m evals.check_phrases evals/questions/multipart.jsonl
    python -m evals.check_phrases evals/questions/opsi_dev.jsonl --df

For every answerable line with `sources` (doc ids: manifest ids of the starter library, or
file names in ../shared/data/opsi): each `evidence` phrase and each alternative of each
`nuggets` part must occur in the cleaned text of one of the sources (the text ingest stores,
video-timestamp markers removed; matched as evals.metrics matches: case-insensitive, spaces
collapsed) and inside one chunk of it (the product's chunking chain, no embedding), since a
phrase cut by a chunk boundary can never be quoted from one passage. `--df` also prints in
how many of the OPSI files each evidence phrase occurs (few = it identifies its passage).
Exits 1 when anything is missing. Writing the sets used this check; no retrieval is run.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

from assistant.locations import extract_timestamps
from assistant.settings import PROJECT_ROOT, Settings
from evals.metrics import normalize
from ingest.chunking import EMBEDDED_KEYS, chunking_transformations
from ingest.manifest import load_manifest
from ingest.readers import ReaderError, read_file

CORPUS = PROJECT_ROOT / "corpus"
OPSI = PROJECT_ROOT.parent / "shared" / "data" / "opsi"


@lru_cache(maxsize=1)
def _starter_paths() -> dict[str, Path]:
    return {e.id: CORPUS / e.path for e in load_manifest(CORPUS / "manifest.yaml") if e.path}


def source_path(doc_id: str) -> Path:
    path = _starter_paths().get(doc_id) or OPSI / doc_id
    if not path.is_file():
        raise SystemExit(f"source {doc_id!r}: not a manifest id and not a file in {OPSI}")
    return path


@lru_cache(maxsize=None)
def cleaned(doc_id: str) -> tuple[str, tuple[str, ...]]:
    """(normalised document text, normalised chunk texts) of one source."""
    docs = read_file(source_path(doc_id))
    text = normalize("\n\n".join(extract_timestamps(d.text)[0] for d in docs))
    for d in docs:
        d.id_ = doc_id
        d.metadata.update(doc_id=doc_id, title=d.metadata.get("title", doc_id))
        d.excluded_embed_metadata_keys = [k for k in d.metadata if k not in EMBEDDED_KEYS]
    nodes = docs
    for step in chunking_transformations(Settings()):  # the chain ingest runs before embedding
        nodes = step(nodes)
    return text, tuple(normalize(n.get_content()) for n in nodes)


def problems_of(row: dict) -> list[str]:
    sources = row.get("sources", [])
    phrases = [("evidence", e) for e in row.get("evidence", [])]
    phrases += [(f"nugget {i}", alt) for i, part in enumerate(row.get("nuggets", []))
                for alt in part]
    found = []
    for kind, phrase in phrases:
        p = normalize(phrase)
        if not any(p in cleaned(s)[0] for s in sources):
            found.append(f"{row['id']}: {kind} {phrase!r} is in none of {sources}")
        elif not any(p in c for s in sources for c in cleaned(s)[1]):
            found.append(f"{row['id']}: {kind} {phrase!r} is cut by a chunk boundary")
    parts = row.get("nuggets")
    if parts is not None and not 2 <= len(parts) <= 7:
        found.append(f"{row['id']}: {len(parts)} nugget parts (expected 2-7)")
    return found


def document_frequency(phrase: str) -> int:
    p = normalize(phrase)
    return sum(p in text for text in _opsi_texts())


@lru_cache(maxsize=1)
def _opsi_texts() -> tuple[str, ...]:
    texts = []
    for path in sorted(OPSI.glob("*.md")):
        if path.name == "SOURCES.md":
            continue
        try:
            docs = read_file(path)
        except ReaderError:  # one summary has no text left after cleaning
            continue
        texts.append(normalize("\n\n".join(extract_timestamps(d.text)[0] for d in docs)))
    return tuple(texts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("--df", action="store_true", help="print each evidence phrase's OPSI df")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    found = []
    for row in rows:
        if row.get("expect") == "not_found":
            continue
        if not row.get("sources"):
            found.append(f"{row['id']}: no sources to check against")
            continue
        found += problems_of(row)
        if args.df:
            for e in row.get("evidence", []):
                print(f"{row['id']}\tdf={document_frequency(e)}\t{e}")
    print("\n".join(found) or f"{args.questions}: all phrases found ({len(rows)} lines)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
