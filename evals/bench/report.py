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
        "| files | chunks | sentences | ingest s | chunks/s | raw encode chunks/s (with their "
        "sentences) | ratio (target >= 0.9) | re-ingest s | re-ingest / first (target <= 0.05) "
        "| sentence records / chunk index on disk (target <= 1.5) |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {ing.get('files')} | {ing.get('chunks')} | {ing.get('sentences', '-')} | "
        f"{ing.get('ingest_s')} | {ing.get('chunks_per_s')} | "
        f"{ing.get('raw_encode_chunks_per_s')} | {ing.get('ratio_to_raw_encode')} "
        f"({ing.get('ratio_without_case_stage', '-')} without the "
        f"{ing.get('case_stage_s', '-')} s case stage) | "
        f"{ing.get('reingest_s')} | {ing.get('reingest_share_of_first')} | "
        f"{ing.get('sentence_share_of_chunk_index', '-')} ({ing.get('with_sentences_mb', '-')} "
        f"MB with, {ing.get('chunk_index_mb', '-')} MB without) |", "",
        f"Subset: {ing.get('subset')} of ../shared/data/opsi (full opsi is ~12k chunks, ~12 min "
        "of pure embedding here, which does not fit the 20-minute budget with the rest).", "",
        "## Question latency and memory", "",
        "| chunks | real | retrieve p50 / p95 ms | answer p50 / p95 ms (target 120 / 300) | "
        "answer embedding its sentences (before) p50 / p95 ms | "
        "first answer s | peak RSS MB | HNSW recall@10 (ef configured / 100) | build s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in r.get("scale", []):
        recall = (f"{s['recall10_at_configured_ef']:.3f} / {s['recall10_at_ef100']:.3f}"
                  if "recall10_at_ef100" in s else "-")
        lines.append(
            f"| {s['size']} | {s['real_chunks']} | {s['retrieve']['p50_ms']} / "
            f"{s['retrieve']['p95_ms']} | {s['ask']['p50_ms']} / {s['ask']['p95_ms']} | "
            f"{_g(s, 'ask_embedding_sentences', 'p50_ms')} / "
            f"{_g(s, 'ask_embedding_sentences', 'p95_ms')} | {s['first_answer_s']} | {s['peak_rss_mb']:.0f} | {recall} | {s['build_s']} |")
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
              "| ours (default: hybrid + sentence rerank) | llama-index VectorStoreIndex "
              "(dense only) | plain BM25 |",
              "|---|---|---|",
              f"| {_fmt(q.get('hit5_ours_hybrid'))} | "
              f"{_fmt(q.get('hit5_llamaindex_vector_default'))} | "
              f"{_fmt(q.get('hit5_bm25_alone'))} |", "", METHOD.format(
                  pool=_g(r, "pool", "by_source"), real=_g(r, "pool", "real_chunks"))]
    return "\n".join(lines[:-1] + _cold_and_load(r) + lines[-1:]) + "\n"


def _cold_and_load(r: dict) -> list[str]:
    cold, load = r.get("coldstart") or {}, r.get("load") or {}
    out = []
    if cold:
        o, t = cold.get("onnx", {}), cold.get("torch", {})
        out += ["## Fresh `ask` process (starter library)", "",
                "| backend | runs | p50 s (target <= 2) | p95 s | min / max s | mean 1-min load "
                "| errors |", "|---|---|---|---|---|---|---|"]
        for name, row in (("onnx (default)", o), ("torch (before)", t)):
            if row:
                out.append(f"| {name} | {row['runs']} | {row['p50_s']} | {row['p95_s']} | "
                           f"{row['min_s']} / {row['max_s']} | {row['load1_mean']} | "
                           f"{row['errors']} |")
        imports = cold.get("imports", {})
        out += ["", f"Imported on the question path (cumulative s, `python -X importtime`): "
                f"{imports.get('imported_s')}; not imported: {imports.get('absent')}.", ""]
    if load:
        out += ["## Load: 20 concurrent askers, one process", "",
                "| workers | s | answers | answers/s (target >= 15) | p50 ms | p95 ms (target "
                "<= 2000) | max ms | errors | load average at start |",
                "|---|---|---|---|---|---|---|---|---|",
                f"| {load.get('workers')} | {load.get('elapsed_s')} | {load.get('requests')} | "
                f"{load.get('throughput_qps')} | {load.get('p50_ms')} | {load.get('p95_ms')} | "
                f"{load.get('max_ms')} | {load.get('errors')} | "
                f"{tuple(round(x, 1) for x in load.get('load_avg_at_start', ()))} |", ""]
    return out


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v if v is not None else "-")


METHOD = """## How these were measured

- **Ingest**: `ingest.pipeline.ingest` (the CLI's code path) on the subset, model already loaded;
  it embeds each chunk and each distinct quotable sentence and list item (stored for
  questions), while a background thread reads, cleans, chunks and splits the next batch. Raw encode =
  `SentenceTransformer.encode` on the exact texts the pipeline embedded
  (`node.get_content(metadata_mode=EMBED)`, rebuilt from Chroma, plus the distinct quotable
  sentences of those chunks), same model object and batch size. Re-ingest = the same call
  again with nothing changed. Disk: the index folder vs the same chunks copied alone into a
  fresh Chroma folder.
- **Indexes of 1k/10k/100k chunks**: {real} real chunks with their real MiniLM vectors
  ({pool}); the first `size` rows are real chunks while the pool lasts, the rest synthetic
  variants: a real vector plus Gaussian noise (norm ~0.5 of the vector, renormalised: cosine
  ~0.9 to its source), with a real text from the pool taken at a different position (and that
  text's stored sentence record), 12 variants per synthetic document. Written through Chroma's
  API with the configured HNSW settings; the BM25 store built by the app's own `Bm25Store`.
  Nothing at 100k was embedded in this run.
- **Latency**: a fresh process per size (`evals/bench/latency.py`) opens `Assistant` (query
  backend in the JSON: ONNX unless its export is missing), answers one question (cold: loads
  the persisted BM25 store), then times `retrieve()` (both retrievers, fusion and the sentence
  reranker) and `ask()` (extractive) over the bundled questions one at a time, with the
  sentence caches emptied first: "answer" reads the sentence vectors stored at ingest; "before"
  is the same process answering again with `stored_sentence_vectors` off, so every candidate
  sentence is embedded as before this change. Peak RSS = `ru_maxrss` after our runs, before the
  baselines are built. Latencies include the query embedding.
- **HNSW recall@10**: the bundled questions' embeddings; Chroma's top-10 vs exact cosine top-10
  over every stored vector (numpy), at the configured `hnsw_ef_search` and at Chroma's default 100.
  Each value is read through a fresh Chroma client after changing `ef_search`: a process keeps
  the search breadth its HNSW segment was loaded with (runs before 2026-11-24 05:20 UTC showed
  the same figure in both columns for that reason).
- **Baselines**: llama-index's default `VectorStoreIndex(nodes).as_retriever()` over the same
  chunks and stored vectors (in-memory SimpleVectorStore, no re-embedding; build time
  excluded from its latency; each query embedded by our query model, timed) and llama-index
  `BM25Retriever` alone over our BM25 index, each on the first few questions; ratios are
  baseline / ours (above 1 = ours faster).
- **Fresh `ask`** (`evals/bench/coldstart.py`): the installed CLI started once per question
  (`ask --json`, warm file cache), timed from spawn to exit; a few runs again with
  `MISSION_EMBEDDING_BACKEND=torch` for the before column.
- **Load** (`evals/bench/load.py`): threads sharing one `Assistant` (as Streamlit sessions do)
  ask the bundled questions back to back for the duration; p50/p95 per answer.
- The machine was shared with other CPU-heavy jobs during the run; see the load averages.
"""
