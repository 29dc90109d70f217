"""Does the ONNX query backend retrieve as well as torch? SciFact nDCG@10 on one index.

    python -m evals.bench.onnx_quality ../shared/data/beir-scifact [--split test]

Builds (or reuses) the SciFact index `mission-assistant eval beir` uses, then runs the same
queries with embedding_backend=torch and =onnx. With stored sentence vectors off, each backend
also embeds every sentence the reranker reads, so the two runs differ only in the model that
embeds at question time (the strict comparison); a third run is the shipped configuration
(onnx + sentence vectors stored at ingest). Writes evals/results/onnx_vs_torch_scifact.json/.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.settings import PROJECT_ROOT, Settings

MODES = ["hybrid+rerank", "dense"]
RUNS = {"torch": {"embedding_backend": "torch", "stored_sentence_vectors": False},
        "onnx": {"embedding_backend": "onnx", "stored_sentence_vectors": False},
        "onnx + stored sentence vectors": {"embedding_backend": "onnx",
                                           "stored_sentence_vectors": True}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--split", default="test")
    parser.add_argument("--max-docs", type=int, default=None,
                        help="Index only the queries' relevant documents plus the shortest "
                        "others up to this many (all queries kept): a faster, smaller index.")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "evals" / "results")
    args = parser.parse_args(argv)
    from evals.beir import DEFAULT_INDEX_ROOT, beir_settings, build_index, evaluate_beir, \
        load_beir, restrict
    from evals.report import run_meta

    data = load_beir(args.path, args.split)
    dataset = args.path.resolve().name.replace("beir-", "")
    if args.max_docs:
        data = restrict(data, args.max_docs, len(data.queries))
        dataset += f"-smoke{len(data.corpus)}"
    base = beir_settings(Settings(), DEFAULT_INDEX_ROOT / dataset, dataset)
    index = build_index(data, base)
    rows = {}
    for name, update in RUNS.items():
        results = evaluate_beir(data, base.model_copy(update=update), MODES, progress=False)
        rows[name] = {m: {"ndcg@10": round(r["ndcg@10"], 4),
                          "recall@100": round(r["recall@100"], 4), "seconds": r["seconds"]}
                      for m, r in results.items()}
        print(name, rows[name], flush=True)
    diff = {m: round(rows["onnx"][m]["ndcg@10"] - rows["torch"][m]["ndcg@10"], 4) for m in MODES}
    meta = run_meta("python -m evals.bench.onnx_quality " + " ".join(argv or sys.argv[1:]), base,
                    dataset=dataset, split=args.split, queries=len(data.queries),
                    chunks=index.count())
    result = {"meta": meta, "runs": rows, "onnx_minus_torch_ndcg@10": diff}
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"onnx_vs_torch_{dataset}"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2))
    lines = [f"# ONNX vs torch query embedding: {dataset} {args.split}", "",
             f"- Command: `{meta['command']}`", f"- Date (UTC): {meta['date']} · git "
             f"{meta['git_commit']} · load average {meta['load_average']}",
             f"- {len(data.queries)} queries, {len(data.corpus)} documents, {index.count()} "
             "chunks, one index for every run", "",
             "| run | " + " | ".join(f"{m} nDCG@10" for m in MODES) + " |",
             "|---|" + "---|" * len(MODES)]
    lines += [f"| {name} | " + " | ".join(f"{r[m]['ndcg@10']:.4f}" for m in MODES) + " |"
              for name, r in rows.items()]
    lines += ["", "onnx - torch: " + ", ".join(f"{m} {d:+.4f}" for m, d in diff.items()) +
              " (target: within 0.002).", "",
              "Without stored sentence vectors each run embeds the query and every sentence "
              "the reranker reads with its own backend."]
    (args.out / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
