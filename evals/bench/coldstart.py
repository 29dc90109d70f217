"""Cold start: how long a fresh `mission-assistant ask` process takes, as a new user sees it.

    python -m evals.bench.coldstart [--runs 16] [--torch-runs 4] [--index-dir DIR]

Each run starts the installed CLI in a new process (`ask --json`, a different bundled question
each time) and times it from spawn to exit: interpreter start, imports, opening the index and
model, the answer. The file cache is warm (the runs follow each other), as for a user who asks
twice. `--torch-runs` repeats a few with MISSION_EMBEDDING_BACKEND=torch in the same run, for
a before/after ratio on the same machine state. One run under `python -X importtime` lists the
heavy packages on the path. Writes evals/results/coldstart.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT
from evals.bench.questions import question_texts
from evals.metrics import percentile

CLI = str(Path(sys.executable).parent / "mission-assistant")
HEAVY = ("torch", "transformers", "sentence_transformers", "llama_index.core", "nltk",
         "chromadb", "onnxruntime", "bm25s")


def _env(index_dir: Path | None, **extra) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **extra}
    if index_dir:
        env["MISSION_INDEX_DIR"] = str(index_dir)
    return env


def timed_runs(n: int, env: dict, offset: int = 0) -> list[dict]:
    questions = question_texts()
    runs = []
    for i in range(n):
        question = questions[(offset + i) % len(questions)]
        load = os.getloadavg()[0]
        t = time.perf_counter()
        out = subprocess.run([CLI, "ask", "--json", question], capture_output=True, text=True,
                             env=env, timeout=300)
        seconds = time.perf_counter() - t
        ok = out.returncode == 0 and "citations" in out.stdout
        runs.append({"s": round(seconds, 3), "ok": ok, "load1": round(load, 2),
                     "stderr": out.stderr.strip()[-300:]})
    return runs


def summary(runs: list[dict]) -> dict:
    secs = [r["s"] for r in runs]
    return {"runs": len(runs), "errors": sum(not r["ok"] for r in runs),
            "p50_s": round(percentile(secs, 50), 2), "p95_s": round(percentile(secs, 95), 2),
            "min_s": round(min(secs), 2), "max_s": round(max(secs), 2),
            "load1_mean": round(sum(r["load1"] for r in runs) / len(runs), 2),
            "stderr_lines": sorted({r["stderr"] for r in runs if r["stderr"]})[:3]}


def heavy_imports(env: dict) -> dict:
    code = "import sys; from cli import main; sys.argv[0] = 'mission-assistant'; main()"
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code, "ask", "--json",
                          "What is mission washing?"], capture_output=True, text=True, env=env,
                         timeout=300, cwd=PROJECT_ROOT)
    found: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if line.startswith("import time:"):
            _, cumulative, name = (x.strip() for x in line[len("import time:"):].split("|"))
            if name in HEAVY:
                found[name] = round(int(cumulative) / 1e6, 2)
    return {"imported_s": found, "absent": [h for h in HEAVY if h not in found]}


def measure(runs: int, torch_runs: int, index_dir: Path | None) -> dict:
    env = _env(index_dir)
    timed_runs(1, env)  # warm the file cache: the first process after a build reads from disk
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "load_avg_at_start": os.getloadavg(), "imports": heavy_imports(env)}
    onnx = timed_runs(runs, env)
    result["onnx"] = summary(onnx)
    if torch_runs:
        result["torch"] = summary(timed_runs(torch_runs, _env(
            index_dir, MISSION_EMBEDDING_BACKEND="torch"), offset=runs))
        result["torch_over_onnx_p50"] = round(result["torch"]["p50_s"] / result["onnx"]["p50_s"],
                                              2)
    result["load_avg_at_end"] = os.getloadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=16)
    parser.add_argument("--torch-runs", type=int, default=4)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "evals" / "results")
    args = parser.parse_args(argv)
    from evals.report import run_meta
    from assistant.settings import Settings

    result = measure(args.runs, args.torch_runs, args.index_dir)
    result["meta"] = run_meta("python -m evals.bench.coldstart " + " ".join(argv or sys.argv[1:]),
                              Settings())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "coldstart.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "meta"}, indent=2))
    return 0 if result["onnx"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
