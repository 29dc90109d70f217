"""Server mode: a real `chroma run` on a free loopback port, several app processes sharing it.

Each app process keeps its own BM25 copy (MISSION_INDEX_DIR differs), rebuilt from Chroma when
the collection's change stamp moves, so a document ingested by one process must be found, by
keywords as well as by meaning, from another one that keeps running.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import chromadb
import pytest

from assistant.service import Assistant
from evals.bench.server import chroma_server
from tests.conftest import SEED_IDS, settings_for, write_corpus

FIRST = SEED_IDS[:2]  # 000 (culture change), 001 (mission-driven government)
LATER = SEED_IDS[2]  # 002, the only seed that mentions a "VUCA" world
VUCA = "What is a VUCA world, volatile, uncertain, complex and ambiguous?"
CLI = str(Path(sys.executable).parent / "mission-assistant")
pytestmark = pytest.mark.slow


def cli(url: str, corpus: Path, index_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "MISSION_CHROMA_URL": url, "MISSION_CORPUS_DIR": str(corpus),
           "MISSION_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish(proc: subprocess.Popen, timeout: float = 240) -> str:
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    return out


def doc_ids(passages) -> set[str]:
    return {p.doc_id for p in passages}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server holding FIRST, ingested in-process (process 'writer')."""
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("served")
    corpus = write_corpus(tmp / "corpus", FIRST)
    with chroma_server(tmp / "server") as url:
        writer = settings_for(tmp / "writer", corpus, chroma_url=url)
        report = ingest(writer, progress=False)
        assert not report.failed and report.embedded_chunks > 0
        yield url, corpus, tmp, writer


def test_ask_through_the_server(served):
    url, corpus, tmp, writer = served
    settings = settings_for(tmp / "reader", corpus, chroma_url=url)
    answer = Assistant(settings).ask("What does a mission-driven approach to government mean?")
    assert answer.status.value in ("answered", "partial") and answer.citations
    assert {c.doc_id for c in answer.citations} <= set(FIRST)
    assert not settings.chroma_path.exists()  # nothing embedded: the chunks live in the server
    host, port = url.rsplit(":", 1)
    direct = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    assert direct.get_collection(writer.collection).count() == Assistant(settings).index.count()


def test_two_processes_answer_and_see_each_others_ingest(served):
    url, corpus, tmp, writer = served
    question = "What does a mission-driven approach to government mean?"
    # Two app processes at once, each with its own BM25 copy.
    procs = [cli(url, corpus, tmp / name, "ask", question, "--json") for name in ("p1", "p2")]
    outs = [json.loads(finish(p)) for p in procs]
    for out, name in zip(outs, ("p1", "p2")):
        assert out["status"] in ("answered", "partial") and out["citations"]
        assert (tmp / name / "bm25" / "stamp.json").exists()  # its own keyword index
        assert not (tmp / name / "chroma").exists()  # and no embedded Chroma
    assert [r["doc_id"] for r in outs[0]["retrieved"]] == [r["doc_id"] for r in outs[1]["retrieved"]]

    # A long-lived third process (this one) has never seen LATER.
    reader = Assistant(settings_for(tmp / "reader2", corpus, chroma_url=url))
    assert LATER not in doc_ids(reader.retrieve(VUCA, mode="bm25"))
    assert LATER not in doc_ids(reader.retrieve(VUCA, mode="dense"))

    # p1 ingests LATER into the shared server; the server keeps running.
    write_corpus(corpus, [*FIRST, LATER])
    finish(cli(url, corpus, tmp / "p1", "ingest", "--quiet"))

    # Visible at once to the running reader: dense via Chroma, BM25 rebuilt from Chroma, and
    # the sentence vectors p1 stored for the new chunks.
    later = reader.index.collection.get(where={"doc_id": LATER}, include=["documents"])
    pairs = list(zip(later["ids"], later["documents"]))
    assert pairs and set(reader.index.sentences.lookup(pairs)) == {cid for cid, _ in pairs}
    assert LATER in doc_ids(reader.retrieve(VUCA, mode="dense"))
    assert LATER in doc_ids(reader.retrieve(VUCA, mode="bm25"))
    assert LATER in doc_ids(reader.retrieve(VUCA, top_k=3))
    # And to p2, whose BM25 copy on disk is stamped with the old generation.
    out = json.loads(finish(cli(url, corpus, tmp / "p2", "ask", VUCA, "--json", "--mode", "bm25")))
    assert LATER in {r["doc_id"] for r in out["retrieved"]}


def test_same_size_change_is_seen_through_the_generation(served):
    """An edit that keeps the chunk count: only the collection's change stamp can reveal it,
    and the client caches collection metadata, so the reader must re-read it."""
    from ingest.pipeline import ingest

    url, corpus, tmp, writer = served
    reader = Assistant(settings_for(tmp / "reader3", corpus, chroma_url=url))
    word = "zorblaxian"
    assert not reader.retrieve(word, mode="bm25")
    before = reader.index.count()

    path = corpus / "seeds" / f"{FIRST[1]}"
    path.write_text(path.read_text().replace("committees", word, 1))
    report = ingest(writer, progress=False)
    assert report.count("updated") == 1
    assert reader.index.count() == before  # same size: the count alone would not tell

    hits = reader.retrieve(word, mode="bm25")
    assert hits and hits[0].doc_id == FIRST[1] and word in hits[0].text
