"""Markdown for `make bench`: tables first, then exactly how each figure was produced."""

from __future__ import annotations


def _g(d: dict, *path, default="-"):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def _ratio(a, b) -> str:
    return f"{a / b:.2f}x" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b \
        else "-"


def render(r: dict) -> str:
    m, ing, q = r["machine"], r.get("ingest", {}), r.get("quality", {})
    lines = [
        "# Performance benchmark (`make bench`)", "",
        f"- Date (UTC): {_g(r, 'meta', 'date')} · git {_g(r, 'meta', 'git_commit')}",
        f"- Machine: {m['cpus']} CPU cores, {m['ram_gib']} GiB RAM, {m['gpu']}; "
        f"load average at start {tuple(round(x, 1) for x in m['load_avg_at_start'])}",
        f"- Settings: {r['settings']}", f"- Total run time: {r.get('total_s', '-')} s", "",
        "## Ingest", "",
        "| files | chunks | ingest s | docs/s | chunks/s | raw encode chunks/s | ratio "
        "(target >= 0.85) | re-ingest s | re-ingest / first (target <= 0.05) |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {ing.get('files')} | {ing.get('chunks')} | {ing.get('ingest_s')} | "
        f"{ing.get('docs_per_s')} | {ing.get('chunks_per_s')} | "
        f"{ing.get('raw_encode_chunks_per_s')} | {ing.get('ratio_to_raw_encode')} | "
        f"{ing.get('reingest_s')} | {ing.get('reingest_share_of_first')} |", "",
        f"Subset: {ing.get('subset')} of ../shared/data/opsi (full opsi is ~12k chunks, ~12 min "
        "of pure embedding here, which does not fit the 20-minute budget with the rest).", "",
        "## Question latency and memory", "",
        "| chunks | real | retrieve p50 / p95 ms | answer p50 / p95 ms (target 300 / 800) | "
        "first answer s | peak RSS MB | HNSW recall@10 (ef configured / 100) | build s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in r.get("scale", []):
        recall = (f"{s['recall10_at_configured_ef']:.3f} / {s['recall10_at_ef100']:.3f}"
                  if "recall10_at_ef100" in s else "-")
        lines.append(
            f"| {s['size']} | {s['real_chunks']} | {s['retrieve']['p50_ms']} / "
            f"{s['retrieve']['p95_ms']} | {s['ask']['p50_ms']} / {s['ask']['p95_ms']} | "
            f"{s['first_answer_s']} | {s['peak_rss_mb']:.0f} | {recall} | {s['build_s']} |")
    sc = r.get("scale", [])
    if len(sc) >= 2:
        a, b = sc[0], sc[-1]
        lines += ["", f"Growth {a['size']} -> {b['size']} chunks ({b['size'] / a['size']:.0f}x): "
                  f"answer p50 {_ratio(b['ask']['p50_ms'], a['ask']['p50_ms'])}, "
                  f"retrieve p50 {_ratio(b['retrieve']['p50_ms'], a['retrieve']['p50_ms'])}, "
                  f"peak RSS {_ratio(b['peak_rss_mb'], a['peak_rss_mb'])}."]
    lines += ["", "## Baselines (same run)", "",
              "| chunks | ours retrieve p50 ms | llama-index VectorStoreIndex p50 ms (ratio to "
              "ours) | plain BM25 p50 ms (ratio) |", "|---|---|---|---|"]
    for s in sc:
        b = s.get("baselines")
        if not b:
            continue
        ours = b["ours_retrieve"]["p50_ms"]
        vec, bm = b["llamaindex_vector_default"]["p50_ms"], b["bm25_alone"]["p50_ms"]
        lines.append(f"| {s['size']} | {ours} | {vec} ({_ratio(vec, ours)}) | "
                     f"{bm} ({_ratio(bm, ours)}) |")
    lines += ["", "Quality, hit@5 on the bundled question set (answerable questions, starter "
              f"library, {q.get('chunks', '-')} chunks, {q.get('questions', '-')} questions):", "",
              "| ours (default: hybrid + sentence rerank) | llama-index VectorStoreIndex (dense only) | plain BM25 |",
              "|---|---|---|",
              f"| {_fmt(q.get('hit5_ours_hybrid'))} | "
              f"{_fmt(q.get('hit5_llamaindex_vector_default'))} | "
              f"{_fmt(q.get('hit5_bm25_alone'))} |", "", METHOD.format(
                  pool=_g(r, "pool", "by_source"), real=_g(r, "pool", "real_chunks"))]
    return "\n".join(lines) + "\n"


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v if v is not None else "-")


METHOD = """## How these were measured

- **Ingest**: `ingest.pipeline.ingest` (the CLI's code path) on the subset, model already loaded.
  Raw encode = `SentenceTransformer.encode` on the exact texts the pipeline embedded
  (`node.get_content(metadata_mode=EMBED)`, rebuilt from Chroma), same model object and batch
  size. Re-ingest = the same call again with nothing changed.
- **Indexes of 1k/10k/100k chunks**: {real} real chunks with their real MiniLM vectors
  ({pool}); the first `size` rows are real chunks while the pool lasts, the rest synthetic
  variants: a real vector plus Gaussian noise (norm ~0.5 of the vector, renormalised: cosine
  ~0.9 to its source), with a real text from the pool taken at a different position, 12 variants
  per synthetic document. Written through Chroma's API with the configured HNSW settings; the
  BM25 store built by the app's own `Bm25Store`. Nothing at 100k was embedded in this run.
- **Latency**: a fresh process per size (`evals/bench_latency.py`) opens `Assistant`, answers
  one question (cold: loads the persisted BM25 store), then times `retrieve()` (both
  retrievers, fusion and the sentence reranker) and `ask()` (extractive; the sentence-vector
  cache is cleared first, so each answer embeds its sentences) over the bundled questions one at
  a time. Peak RSS = `ru_maxrss` after our runs,
  before the baselines are built. Latencies include the query embedding.
- **HNSW recall@10**: the bundled questions' embeddings; Chroma's top-10 vs exact cosine top-10
  over every stored vector (numpy), at the configured `hnsw_ef_search` and at Chroma's default 100.
  Each value is read through a fresh Chroma client after changing `ef_search`: a process keeps
  the search breadth its HNSW segment was loaded with (runs before 2026-11-24 05:20 UTC showed
  the same figure in both columns for that reason).
- **Baselines**: llama-index's default `VectorStoreIndex(nodes).as_retriever()` over the same
  chunks and stored vectors (in-memory SimpleVectorStore, no re-embedding; build time
  excluded from its latency) and llama-index `BM25Retriever` alone over our BM25 index,
  each on the first few questions; ratios are baseline / ours (above 1 = ours faster). "Ours"
  runs after the answer timing, so its sentence reranker finds those sentences cached: the
  column compares the retrieval stages, not the reranker's cold cost (see the latency table).
- The machine was shared with other CPU-heavy jobs during the run; see the load average.
"""
