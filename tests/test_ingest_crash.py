"""Crash safety and concurrency: SIGKILL mid-ingest, questions during ingest."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.bm25_store import Bm25Store
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.store import LibraryIndex
from ingest.pipeline import ingest
from tests.conftest import SHARED

OPSI = SHARED / "data" / "opsi"
CLI = str(Path(sys.executable).parent / "mission-assistant")
pytestmark = pytest.mark.skipif(not OPSI.exists(), reason="../shared/data/opsi not present")


def opsi_folder(target: Path, count: int, start: int = 0) -> Path:
    target.mkdir(parents=True)
    articles = sorted(p for p in OPSI.glob("*.md") if p.name != "SOURCES.md")
    for path in articles[start:start + count]:
        shutil.copyfile(path, target / path.name)
    return target


def everything(settings: Settings) -> dict:
    got = LibraryIndex.open(settings).collection.get(include=["documents", "metadatas"])
    return {i: (d, m["doc_hash"], m["chunk_count"])
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}


def sentence_records(settings: Settings) -> dict:
    """Per chunk: the text hash and spans of its sentence record (vectors from two runs can
    differ in the last float16 bit, so they are compared by the lookup below instead)."""
    got = LibraryIndex.open(settings).sentences.collection().get(include=["metadatas"])
    return {i: (m["chunk_sha"], m["spans"], m["rows"])
            for i, m in zip(got["ids"], got["metadatas"])}


def start_ingest(folder: Path, index_dir: Path) -> tuple[subprocess.Popen, list[str]]:
    env = dict(os.environ, MISSION_INDEX_DIR=str(index_dir), MISSION_CORPUS_DIR=str(folder),
               PYTHONUNBUFFERED="1")  # tqdm redraws with \r: unbuffered so progress shows
    proc = subprocess.Popen([CLI, "ingest", "--no-corpus", str(folder)], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    seen: list[str] = []

    def pump():  # tqdm redraws with \r; keep every fragment so the test can watch progress
        for piece in iter(lambda: proc.stderr.read(64), b""):
            seen.append(piece.decode(errors="replace"))

    threading.Thread(target=pump, daemon=True).start()
    return proc, seen


def test_sigkill_mid_ingest_then_rerun_equals_a_clean_build(tmp_path):
    folder = opsi_folder(tmp_path / "opsi", 32)
    clean = Settings(corpus_dir=folder, index_dir=tmp_path / "clean")
    ingest(clean, [folder], include_corpus=False, progress=False)

    crashed = Settings(corpus_dir=folder, index_dir=tmp_path / "crashed")
    proc, seen = start_ingest(folder, crashed.index_dir)
    deadline = time.time() + 600
    while "16/32" not in "".join(seen) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(2.0)  # into the second batch: reading, embedding or writing
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    report = ingest(crashed, [folder], include_corpus=False, progress=False)
    assert report.count("unchanged") >= 16  # the first batch survived the kill
    assert everything(crashed) == everything(clean)  # same ids, texts, versions; no orphans
    assert sentence_records(crashed) == sentence_records(clean)  # one per chunk, no orphans
    index = LibraryIndex.open(crashed)
    texts = {cid: text for cid, (text, _, _) in everything(crashed).items()}
    assert set(index.sentences.lookup(list(texts.items()))) == set(texts)  # all usable
    states = index.documents()
    assert len(states) == 32 and all(s.complete for s in states.values())
    bm25 = Bm25Store(crashed.bm25_path).get(index)
    assert bm25 is not None and len(bm25.corpus) == index.count()


def test_questions_during_an_ingest_are_answered(tmp_path):
    first = opsi_folder(tmp_path / "first", 6)
    settings = Settings(corpus_dir=first, index_dir=tmp_path / "index")
    ingest(settings, [first], include_corpus=False, progress=False)
    assistant = Assistant(settings)
    more = opsi_folder(tmp_path / "more", 24, start=100)
    proc, _ = start_ingest(more, settings.index_dir)
    answered, errors = 0, []
    started = time.time()
    while proc.poll() is None and time.time() - started < 600:
        try:
            answer = assistant.ask("How do governments work with citizens on innovation?")
            assert answer.retrieved
            answered += 1
        except Exception as exc:  # any error is a failure of this test
            errors.append(repr(exc))
    assert proc.wait(timeout=600) == 0
    assert not errors, errors[:3]
    assert answered >= 3
    # ... and the new state is visible to the long-running process without a restart.
    late = assistant.ask("How do governments work with citizens on innovation?")
    assert late.retrieved and assistant.index.count() > 0
    assert len(LibraryIndex.open(settings).documents()) == 30
