"""Bounded load test of the answering layer: N concurrent workers ask for D seconds.

    python -m evals.bench.load [--workers 20] [--duration 60] [--index-dir DIR] [--server]

Workers are threads sharing one Assistant (as Streamlit sessions share get_assistant()), each
asking the bundled questions in its own order, back to back, until the deadline; a request
running at the deadline is finished and counted. --server first copies the index's chunks into
a fresh `chroma run` on loopback and asks through HttpClient. Local only; stops by itself.
Writes evals/results/load[-server].json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant.settings import PROJECT_ROOT, Settings  # noqa: E402
from evals.bench.latency import rss_mb  # noqa: E402
from evals.bench.questions import question_texts  # noqa: E402
from evals.metrics import percentile  # noqa: E402

MAX_REQUESTS = 100_000  # a second bound, should the clock misbehave


def run_load(assistant, workers: int, duration: float) -> dict:
    questions = question_texts()
    deadline = time.monotonic() + duration
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        order = questions[:]
        random.Random(seed).shuffle(order)
        n = 0
        while time.monotonic() < deadline and len(lat) + len(errors) < MAX_REQUESTS:
            t = time.perf_counter()
            try:
                answer = assistant.ask(order[n % len(order)])
                assert answer.status is not None
                with lock:
                    lat.append((time.perf_counter() - t) * 1000)
            except Exception:  # any failure is an error to report, never a crash of the test
                with lock:
                    errors.append(traceback.format_exc(limit=3))
            n += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=duration + 600)  # bounded: a hung request cannot hold the test forever
    elapsed = time.monotonic() - started
    return {"workers": workers, "duration_s": duration, "elapsed_s": round(elapsed, 1),
            "requests": len(lat), "errors": len(errors), "error_samples": errors[:3],
            "throughput_qps": round(len(lat) / elapsed, 2),
            "p50_ms": round(percentile(lat, 50), 0), "p95_ms": round(percentile(lat, 95), 0),
            "max_ms": round(max(lat), 0) if lat else 0, "peak_rss_mb": round(rss_mb(), 0),
            "stuck_threads": sum(th.is_alive() for th in threads)}


def copy_to_server(settings: Settings, url: str) -> Settings:
    """The same chunks and vectors, written into the server through HttpClient."""
    from assistant.store import LibraryIndex

    source = LibraryIndex.open(settings)
    served = settings.model_copy(update={  # its own BM25 copy, never inside the real index
        "chroma_url": url, "index_dir": Path(tempfile.mkdtemp(prefix="load-server-"))})
    target = LibraryIndex.create(served, settings.embedding_model,
                                 int(source.info["embedding_dim"]))
    total = source.count()
    for offset in range(0, total, 1000):
        got = source.collection.get(include=["documents", "metadatas", "embeddings"],
                                    limit=1000, offset=offset)
        target.collection.add(ids=got["ids"], documents=got["documents"],
                              metadatas=got["metadatas"], embeddings=got["embeddings"])
    target.bump_generation()
    return served


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "evals" / "results")
    args = parser.parse_args(argv)
    from assistant.service import Assistant

    settings = Settings(**({"index_dir": args.index_dir} if args.index_dir else {}))
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg(),
              "mode": "server" if args.server else "embedded"}
    if args.server:
        from evals.bench.server import chroma_server

        with chroma_server() as url:
            served = copy_to_server(settings, url)
            assistant = Assistant(served)
            assistant.ask("warm up")  # model, BM25 store: loaded once, not part of the load
            result.update(run_load(assistant, args.workers, args.duration))
    else:
        assistant = Assistant(settings)
        assistant.ask("warm up")
        result.update(run_load(assistant, args.workers, args.duration))
    result["chunks"] = assistant.index.count()
    args.out.mkdir(parents=True, exist_ok=True)
    name = "load-server.json" if args.server else "load.json"
    (args.out / name).write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "error_samples"}, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
