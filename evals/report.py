"""Write an eval run as JSON (everything), Markdown (tables for people) and one PNG chart."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in tests
import matplotlib.pyplot as plt  # noqa: E402

from assistant.settings import PROJECT_ROOT, Settings  # noqa: E402

SETTINGS_SHOWN = ("embedding_model", "embedding_backend", "chunk_size", "chunk_overlap",
                  "retrieval_mode", "top_k", "candidates_per_retriever", "fusion_method",
                  "fusion_dense_weight", "rrf_k", "reranker", "rerank_candidates",
                  "rerank_sentence_weight", "rerank_lexical_weight",
                  "rerank_keyword_idf", "rerank_model", "answer_passages",
                  "answer_min_sentence_score", "answer_found_threshold",
                  "answer_partial_threshold", "hnsw_ef_search")


def _git_state() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=5).stdout.strip()
        # Code that differs from the commit would make the report unreproducible: say so.
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "assistant", "ingest",
                                "evals/*.py", "evals/questions"], cwd=PROJECT_ROOT, timeout=5)
        return commit + ("+uncommitted changes" if commit and dirty.returncode == 1 else "")
    except (OSError, subprocess.SubprocessError):
        return ""


# Read when a run starts (this module is imported before the work): edits made while a long
# run is going must not be attributed to it.
GIT_AT_START = _git_state()


def portable(value):
    """Paths as a reader of the report can follow them: relative to the project, ../shared for
    the shared data, ~ for the home folder. Reports never carry this machine's absolute paths."""
    if isinstance(value, dict):
        return {k: portable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [portable(v) for v in value]
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str):
        return value
    # The temp folder before the project's parent: a clone made in /tmp would otherwise show
    # a temporary index as a sibling ("../idx") of the project.
    for root, shown in ((str(PROJECT_ROOT.parent / "shared"), "../shared"),
                        (str(PROJECT_ROOT) + "/", ""), (str(PROJECT_ROOT), "."),
                        (tempfile.gettempdir().rstrip("/") + "/", "$TMPDIR/"),
                        (str(PROJECT_ROOT.parent) + "/", "../"),  # a sibling checkout
                        (str(Path.home()), "~")):
        value = value.replace(root, shown)
    return value


def load_average() -> str:
    """The 1/5/15-minute load at the start of the write-up, so timings can be read against how
    busy this 2-core machine was."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def run_meta(command: str, settings: Settings, **extra) -> dict:
    return portable({
        "command": command,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "git_commit": GIT_AT_START or "unknown",
        "python": platform.python_version(),
        "load_average": load_average(),
        "cpus": os.cpu_count(),
        "model": settings.embedding_model,
        "settings": {k: getattr(settings, k) for k in SETTINGS_SHOWN},
        **extra,
    })


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def table(rows: list[dict], columns: list[str], first: str = "configuration") -> str:
    lines = [f"| {first} | " + " | ".join(columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for row in rows:
        lines.append(f"| {row[first]} | " + " | ".join(_fmt(row.get(c, "")) for c in columns)
                     + " |")
    return "\n".join(lines)


def meta_block(meta: dict) -> str:
    settings = ", ".join(f"{k}={v}" for k, v in meta["settings"].items())
    return (f"- Command: `{meta['command']}`\n- Date (UTC): {meta['date']}  · git "
            f"{meta['git_commit']} · Python {meta['python']}\n- Model: `{meta['model']}`\n"
            f"- Settings: {settings}\n"
            + (f"- Machine: {meta['cpus']} CPUs, load average {meta['load_average']} "
               "(1 / 5 / 15 min)\n" if meta.get("load_average") else "")
            + (f"- Index: `{meta['index_dir']}`\n" if meta.get("index_dir") else "")
            + (f"- Library: `{meta['corpus_dir']}`\n" if meta.get("corpus_dir") else ""))


def bar_chart(path: Path, title: str, groups: dict[str, dict[str, float]],
              reference: dict[str, float] | None = None) -> None:
    """Grouped bars: one group per metric, one bar per configuration; optional dashed lines
    for published reference figures."""
    configs = list(groups)
    metrics = list(next(iter(groups.values()))) if groups else []
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(metrics) + 2), 4.2))
    width = 0.8 / max(1, len(configs))
    for i, cfg in enumerate(configs):
        xs = [j + i * width for j in range(len(metrics))]
        bars = ax.bar(xs, [groups[cfg][mt] for mt in metrics], width, label=cfg)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    for j, (name, value) in enumerate((reference or {}).items()):
        ax.axhline(value, linestyle="--", linewidth=1, color=f"C{len(configs) + j}",
                   label=f"{name}: {value:.3f}")
    ax.set_xticks([j + width * (len(configs) - 1) / 2 for j in range(len(metrics))], metrics)
    ax.set_ylim(0, 1.08)
    ax.set_title(title)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str))


IN_DOMAIN_COLUMNS = ["hit@1", "hit@5", "mrr", "ndcg@10", "answer_evidence_recall",
                     "citation_precision", "citation_support", "refusal_precision",
                     "refusal_recall", "false_refusal_rate", "latency_p50_ms", "latency_p95_ms"]
TARGETS = {"hit@5": (">=", 0.95), "hit@1": (">=", 0.80), "refusal_recall": (">=", 0.95),
           "false_refusal_rate": ("<=", 0.05), "citation_precision": (">=", 1.0)}
NUGGET_COLUMNS = ["nugget_recall", "complete_answers", "nugget_recall_retrieved",
                  "complete_retrieved", "words_per_answer", "citation_precision"]
NUGGET_TARGETS = {"nugget_recall": (">=", 0.85), "complete_answers": (">=", 0.70),
                  "citation_precision": (">=", 1.0)}


def _nugget_lines(result: dict, primary: str) -> list[str]:
    """Nugget metrics per configuration, their targets, and the parts each answer missed."""
    rows = [{"configuration": cfg, **res["summary"]} for cfg, res in result["ablations"].items()
            if "summary" in res and "nugget_recall" in res["summary"]]
    if not rows:
        return []
    lines = ["", "## Answer completeness (nuggets)\n",
             "Nugget recall: share of a complete answer's parts found in the answer's quotes; "
             "complete: every part found; *_retrieved: the same over the top 10 retrieved "
             "passages (the ceiling for answers drawn from them).\n",
             table(rows, NUGGET_COLUMNS), ""]
    main = result["ablations"].get(primary, {})
    if "summary" in main and "nugget_recall" in main["summary"]:
        s = main["summary"]
        lines.append(f"Targets ({primary}):\n")
        for k, (op, goal) in NUGGET_TARGETS.items():
            ok = s[k] >= goal if op == ">=" else s[k] <= goal
            lines.append(f"- {k} {op} {goal}: {s[k]:.3f} {'met' if ok else 'NOT met'}")
        lines += ["", f"Parts missing from the answer ({primary}):\n"]
        for r in main["records"]:
            missed = [i + 1 for i, ok in enumerate(r.get("nuggets", [])) if not ok]
            if missed:
                lines.append(f"- {r['id']} ({r['category']}, {r['shape']}): parts {missed} of "
                             f"{len(r['nuggets'])}; in retrieved: "
                             f"{sum(r['nuggets_retrieved'])}/{len(r['nuggets'])} — {r['question']}")
    return lines


def _failures(records: list[dict]) -> list[str]:
    out = []
    for r in records:
        if r["expect"] == "answer" and not r["hit@5"]:
            out.append(f"- {r['id']} not in top 5: {r['question']} (top: {r['top_docs'][:3]})")
        if r["expect"] == "answer" and r["status"] == "not_found":
            out.append(f"- {r['id']} false refusal: {r['question']}")
        if r["expect"] == "not_found" and r["status"] != "not_found":
            out.append(f"- {r['id']} answered out-of-scope ({r['status']}): {r['question']}")
    return out


def write_in_domain_report(out_dir: Path, name: str, meta: dict, result: dict,
                           primary: str = "hybrid+rerank") -> dict[str, Path]:
    paths = {k: out_dir / f"{name}.{k}" for k in ("json", "md", "png")}
    write_json(paths["json"], {"meta": meta, **result})
    rows, groups = [], {}
    for cfg, res in result["ablations"].items():
        if "skipped" in res:
            rows.append({"configuration": cfg, "hit@1": res["skipped"]})
            continue
        rows.append({"configuration": cfg, **res["summary"]})
        groups[cfg] = {k: res["summary"][k] for k in ("hit@1", "hit@5", "mrr", "ndcg@10",
                                                      "answer_evidence_recall", "refusal_recall")}
    bar_chart(paths["png"], f"In-domain eval ({meta['questions']} questions)", groups)
    lines = [f"# In-domain evaluation: {meta['question_file']}\n", meta_block(meta),
             f"Questions: {meta['questions']} ({meta['in_scope']} answerable, "
             f"{meta['questions'] - meta['in_scope']} out of scope).\n",
             "## Results per configuration\n", table(rows, IN_DOMAIN_COLUMNS), "",
             f"![chart]({paths['png'].name})\n"]
    main = result["ablations"].get(primary, {})
    if "summary" in main:
        s = main["summary"]
        lines.append(f"## Targets ({primary}, the default pipeline)\n")
        for k, (op, goal) in TARGETS.items():
            ok = s[k] >= goal if op == ">=" else s[k] <= goal
            lines.append(f"- {k} {op} {goal}: {s[k]:.3f} {'met' if ok else 'NOT met'}")
        cats = sorted({r["category"] for r in main["records"] if r["expect"] == "answer"})
        by_cat = []
        for c in cats:
            rs = [r for r in main["records"] if r["category"] == c and r["expect"] == "answer"]
            by_cat.append({"category": c, "n": len(rs), "hit@1": sum(r["hit@1"] for r in rs)
                           / len(rs), "hit@5": sum(r["hit@5"] for r in rs) / len(rs)})
        lines += ["", "## hit@5 / hit@1 by category (" + primary + ")\n",
                  table(by_cat, ["n", "hit@1", "hit@5"], "category"), "",
                  "## Misses (" + primary + ")\n", *(_failures(main["records"]) or ["- none"])]
    lines += _nugget_lines(result, primary)
    if result.get("checks"):
        lines += ["", "## Question-set problems\n", *[f"- {p}" for p in result["checks"]]]
    paths["md"].write_text("\n".join(lines) + "\n")
    return paths


def write_beir_report(out_dir: Path, name: str, meta: dict, results: dict,
                      published: dict[str, float]) -> dict[str, Path]:
    paths = {k: out_dir / f"{name}.{k}" for k in ("json", "md", "png")}
    write_json(paths["json"], {"meta": meta, "published_ndcg@10": published, "results": results})
    rows, groups = [], {}
    for cfg, res in results.items():
        if "skipped" in res:
            rows.append({"configuration": cfg, "ndcg@10": res["skipped"]})
            continue
        rows.append({"configuration": cfg, **{k: res[k] for k in
                     ("ndcg@10", "recall@100", "queries", "seconds")}})
        groups[cfg] = {"nDCG@10": res["ndcg@10"], "Recall@100": res["recall@100"]}
    pub_rows = [{"configuration": f"published: {k}", "ndcg@10": v} for k, v in published.items()]
    bar_chart(paths["png"], f"BEIR {meta['dataset']} ({meta['split']}, {meta['queries']} queries,"
              f" {meta['documents']} docs)", groups, published)
    lines = [f"# BEIR {meta['dataset']}: {meta['split']} split\n", meta_block(meta),
             f"Documents: {meta['documents']} · chunks: {meta['chunks']} · queries: "
             f"{meta['queries']} · index: `{meta['index_dir']}`\n",
             "Documents are ranked by their best chunk. Published figures are for whole "
             "documents on the test split (see the dataset's SOURCES.md).\n",
             table(rows + pub_rows, ["ndcg@10", "recall@100", "queries", "seconds"]), "",
             f"![chart]({paths['png'].name})\n"]
    paths["md"].write_text("\n".join(lines) + "\n")
    return paths
