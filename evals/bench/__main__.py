"""`make bench` (python -m evals.bench): ingest throughput, question latency at 1k/10k/100k
chunks with peak RSS, HNSW recall, baselines, fresh `ask` processes and 20 concurrent askers,
all from one run. Prints tables and writes
evals/results/bench.json and bench.md. Method notes live in the report it writes."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant.settings import PROJECT_ROOT, Settings  # noqa: E402
from evals.bench.report import render  # noqa: E402

OPSI = PROJECT_ROOT.parent / "shared" / "data" / "opsi"
SCIFACT_INDEX = Path.home() / ".cache" / "mission-assistant" / "beir" / "scifact" / "chroma"
RESULTS = PROJECT_ROOT / "evals" / "results"


def machine() -> dict:
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in open("/proc/meminfo")
                if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    return {"cpus": os.cpu_count(), "ram_gib": mem, "gpu": "none (CPU only)",
            "platform": platform.platform(), "python": platform.python_version(),
            "load_avg_at_start": os.getloadavg()}


def latency(index_dir: Path, collection: str, n_q: int, n_base: int) -> dict:
    """Run evals.bench.latency in a fresh process (its own peak RSS); bounded in time."""
    out = subprocess.run([sys.executable, "-m", "evals.bench.latency", str(index_dir),
                          collection, str(n_q), str(n_base)], capture_output=True, text=True,
                         timeout=900, cwd=PROJECT_ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_test(index_dir: Path, seconds: float, out: Path) -> dict:
    """evals.bench.load in its own process (its threads, its memory), 20 workers."""
    subprocess.run([sys.executable, "-m", "evals.bench.load", "--workers", "20", "--duration",
                    str(seconds), "--index-dir", str(index_dir), "--out", str(out)],
                   capture_output=True, text=True, timeout=seconds + 900, cwd=PROJECT_ROOT)
    try:
        loaded = json.loads((out / "load.json").read_text())
    except (OSError, ValueError) as exc:
        return {"unavailable": f"load test wrote no result ({exc})"}
    loaded.pop("error_samples", None)
    return loaded


def run(args) -> dict:
    import numpy as np

    from assistant.embedding import load_embedding
    from assistant.service import Assistant
    from evals.bench.ingest import bench_ingest, opsi_files
    from evals.bench.questions import load_bundled, quality, question_texts
    from evals.bench.scale import Pool, build_scaled, hnsw_recall, set_ef_search

    base = Settings()
    tmp = Path(tempfile.mkdtemp(prefix="mission-bench-"))
    result: dict = {"machine": machine(), "settings": {
        "hnsw_ef_search": base.hnsw_ef_search, "embedding_batch_size": base.embedding_batch_size,
        "embedding_backend": base.embedding_backend, "ingest_threads": base.ingest_threads,
        "retrieval_mode": base.retrieval_mode, "top_k": base.top_k,
        "model": base.embedding_model}, "args": vars(args)}
    started = time.perf_counter()
    try:
        # 1. Ingest a fixed subset of opsi (the first N files by name), then re-ingest it.
        opsi = base.model_copy(update={"index_dir": tmp / "opsi", "collection": "bench_opsi"})
        files = opsi_files(Path(args.opsi), args.opsi_files)
        print(f"[bench] ingest {len(files)} opsi files", flush=True)
        result["ingest"] = bench_ingest(opsi, files)
        result["ingest"]["subset"] = f"first {len(files)} of {len(opsi_files(Path(args.opsi), None))} files by name"

        # 2. Quality (hit@5) on the starter library, ours vs baselines; a copy, never in place.
        questions = load_bundled()
        starter = PROJECT_ROOT / ".index" / "chroma"
        if questions and (starter / "chroma.sqlite3").exists():
            print("[bench] quality on a copy of the starter index", flush=True)
            shutil.copytree(starter, tmp / "starter" / "chroma")
            settings = base.model_copy(update={"index_dir": tmp / "starter"})
            result["quality"] = quality(Assistant(settings), questions)
        else:
            result["quality"] = {"unavailable": "no bundled question set or starter index"}

        # 2b. A fresh `ask` process, then 20 concurrent askers, on that copy.
        if (tmp / "starter").exists():
            from evals.bench.coldstart import measure as coldstart

            print("[bench] fresh ask processes", flush=True)
            result["coldstart"] = coldstart(args.coldstart_runs, args.coldstart_torch_runs,
                                            tmp / "starter")
            if args.load_seconds:
                print("[bench] load test", flush=True)
                result["load"] = load_test(tmp / "starter", args.load_seconds, tmp / "load")

        # 3. A pool of real chunks and vectors, then indexes of each size from it.
        pool = Pool()
        pool.add_chroma(tmp / "opsi" / "chroma", "opsi")
        pool.add_chroma(starter, "starter")
        pool.add_chroma(SCIFACT_INDEX, "scifact")
        result["pool"] = {"real_chunks": len(pool), "by_source": pool.sources}
        embed = load_embedding(base)
        qvecs = np.asarray(embed.get_text_embedding_batch(question_texts()), dtype="float32")
        result["scale"] = []
        for size in args.sizes:
            print(f"[bench] build {size} chunks", flush=True)
            settings = base.model_copy(update={"index_dir": tmp / f"s{size}",
                                               "collection": "bench_scale"})
            t = time.perf_counter()
            index, matrix = build_scaled(pool, size, settings)
            row = {"size": size, "real_chunks": min(size, len(pool)),
                   "build_s": round(time.perf_counter() - t, 1)}
            if size >= args.recall_from:
                row["recall10_at_configured_ef"] = hnsw_recall(index, matrix, qvecs,
                                                               base.hnsw_ef_search)
                row["recall10_at_ef100"] = hnsw_recall(index, matrix, qvecs, 100)
                set_ef_search(index, base.hnsw_ef_search)
            del index, matrix
            print(f"[bench] latency at {size} chunks", flush=True)
            row.update(latency(settings.index_dir, settings.collection, args.questions,
                               args.baseline_questions))
            result["scale"].append(row)
            shutil.rmtree(settings.index_dir, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opsi", default=str(OPSI))
    parser.add_argument("--opsi-files", type=int, default=60)
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[1000, 10000, 100000])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--baseline-questions", type=int, default=5)
    parser.add_argument("--recall-from", type=int, default=10000)
    parser.add_argument("--coldstart-runs", type=int, default=16)
    parser.add_argument("--coldstart-torch-runs", type=int, default=4)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--name", default="bench")
    args = parser.parse_args(argv)
    from evals.report import portable, run_meta  # records the git state now, before the run

    result = portable(run(args))  # the arguments hold this machine's paths
    result["meta"] = run_meta("python -m evals.bench " + " ".join(argv or sys.argv[1:]),
                              Settings())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.name}.json").write_text(json.dumps(result, indent=2, default=str))
    report = render(result)
    (out / f"{args.name}.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
