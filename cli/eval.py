"""`mission-assistant eval` (a question set, with ablations) and `mission-assistant eval beir PATH`."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.settings import PROJECT_ROOT, Settings

RESULTS_DIR = PROJECT_ROOT / "evals" / "results"


def _command(*parts) -> str:
    """The command line that reproduces this run, spelled out with every value used."""
    return " ".join(["mission-assistant eval", *(str(p) for p in parts if p not in (None, ""))])


@click.group("eval", invoke_without_command=True)
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="JSONL question set (default: evals/questions/in_domain.jsonl).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=RESULTS_DIR,
              show_default=True, help="Folder for the JSON, Markdown and PNG reports.")
@click.option("--ablations", default="hybrid+rerank,hybrid,bm25,dense", show_default=True,
              help="Comma-separated configurations to run.")
@click.option("--name", default=None, help="Report file stem (default: the question file's).")
@click.option("--answerer", type=click.Choice(["extractive", "llm"]), default=None,
              help="Override the answerer (llm uses the MISSION_LLM_* settings).")
@click.option("--split", type=click.Choice(["dev", "test"]), default=None,
              help="Only the questions of this split (tune on dev, report test).")
@click.pass_context
def eval_group(ctx, questions, out, ablations, name, answerer, split) -> None:
    """Measure retrieval, answers, citations and refusals on a question set."""
    if ctx.invoked_subcommand:
        return
    from evals.in_domain import default_configuration, run_in_domain
    from evals.questions import DEFAULT_QUESTIONS, load_questions
    from evals.report import run_meta, write_in_domain_report

    path = questions or DEFAULT_QUESTIONS
    qs = load_questions(path, split)
    settings = Settings(**({"answerer": answerer} if answerer else {}))
    result = run_in_domain(qs, settings, tuple(a.strip() for a in ablations.split(",")))
    command = _command("--questions", path, "--out", out, "--ablations", ablations,
                       *(("--answerer", answerer) if answerer else ()),
                       *(("--split", split) if split else ()))
    meta = run_meta(command, settings, question_file=str(path.name), split=split or "all",
                    questions=len(qs), in_scope=sum(q.in_scope for q in qs),
                    index_dir=str(settings.index_dir), corpus_dir=str(settings.corpus_dir))
    paths = write_in_domain_report(out, name or path.stem + (f"_{split}" if split else ""), meta,
                                   result,
                                   primary=default_configuration(settings))
    _print_summary(result["ablations"])
    for p in result.get("checks", []):
        click.echo(f"warning: {p}", err=True)
    click.echo(f"Reports: {paths['md']}  {paths['json']}  {paths['png']}")


def _print_summary(ablations: dict) -> None:
    keys = ("hit@1", "hit@5", "mrr", "ndcg@10", "answer_evidence_recall", "citation_precision",
            "refusal_recall", "false_refusal_rate", "latency_p50_ms")
    for cfg, res in ablations.items():
        if "skipped" in res:
            click.echo(f"{cfg:>14}: {res['skipped']}")
        else:
            s = res["summary"]
            shown = keys + tuple(k for k in ("nugget_recall", "complete_answers",
                                             "nugget_recall_retrieved", "words_per_answer")
                                 if k in s)
            click.echo(f"{cfg:>14}: " + "  ".join(f"{k}={s[k]:.3f}" for k in shown))


@eval_group.command("beir")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["test", "train"]), default="test", show_default=True)
@click.option("--index-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the benchmark's own index lives (default ~/.cache/mission-assistant/"
              "beir/<dataset>). Built on first use, reused after.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=RESULTS_DIR,
              show_default=True)
@click.option("--ablations", default="bm25,dense,hybrid,hybrid+rerank", show_default=True)
@click.option("--max-docs", type=int, default=None, help="Smoke run: index this many documents "
              "(the queries' relevant ones first).")
@click.option("--max-queries", type=int, default=None, help="Smoke run: this many queries.")
@click.option("--indexed-only", is_flag=True, help="Do not build: evaluate the documents "
              "already indexed and the queries whose relevant documents are all among them.")
def beir(path, split, index_dir, out, ablations, max_docs, max_queries, indexed_only) -> None:
    """Index a BEIR dataset with our pipeline and report nDCG@10 / Recall@100."""
    from evals.beir import DEFAULT_INDEX_ROOT, PUBLISHED, beir_settings, build_index, \
        evaluate_beir, load_beir, restrict
    from evals.in_domain import NOT_AVAILABLE
    from evals.report import run_meta, write_beir_report

    dataset = path.resolve().name.replace("beir-", "")
    data = load_beir(path, split)
    if max_docs or max_queries:
        data = restrict(data, max_docs or len(data.corpus), max_queries or len(data.queries))
        dataset += f"-smoke{len(data.corpus)}"
    settings = beir_settings(Settings(), index_dir or DEFAULT_INDEX_ROOT / dataset, dataset)
    if indexed_only:
        from assistant.store import LibraryIndex
        from evals.tune.fusion import indexed_subset

        data = indexed_subset(data, settings)
        index = LibraryIndex.open(settings)
    else:
        index = build_index(data, settings)
    names = [a.strip() for a in ablations.split(",")]
    runnable = [a for a in names if a != "hybrid+rerank" or settings.reranker != "none"]
    results = evaluate_beir(data, settings, runnable)
    for a in names:
        results.setdefault(a, {"skipped": NOT_AVAILABLE})
    results = {a: results[a] for a in names}
    command = _command("beir", path, "--split", split, "--index-dir", settings.index_dir,
                       "--out", out, "--ablations", ablations,
                       *(["--max-docs", max_docs] if max_docs else []),
                       *(["--max-queries", max_queries] if max_queries else []),
                       "--indexed-only" if indexed_only else "")
    meta = run_meta(command, settings, dataset=dataset, split=split,
                    documents=len(data.corpus), chunks=index.count(),
                    queries=len(data.queries), index_dir=str(settings.index_dir))
    stem = f"beir_{dataset}_{split}" + ("_indexed_subset" if indexed_only else "")
    paths = write_beir_report(out, stem, meta, results, PUBLISHED)
    for a, r in results.items():
        click.echo(f"{a:>14}: " + (r["skipped"] if "skipped" in r else
                                   f"nDCG@10={r['ndcg@10']:.4f}  Recall@100={r['recall@100']:.4f}"))
    click.echo(f"Reports: {paths['md']}  {paths['json']}  {paths['png']}")


@eval_group.command("brief")
@click.option("--topics", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="JSONL topics (default: evals/questions/brief_topics.jsonl).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=RESULTS_DIR,
              show_default=True)
def eval_brief(topics, out) -> None:
    """Briefing packs on the bundled topics: sections filled, citation precision, duplicates,
    nugget recall, build seconds (evals/brief.py)."""
    from evals import brief

    result = brief.main(["--out", str(out), *(["--topics", str(topics)] if topics else [])])
    s = result["summary"]
    click.echo(f"sections filled {s['sections_filled']:.3f} · citation precision "
               f"{s['citation_precision']:.3f} · duplicates {s['duplicates']} · build "
               f"{s['build_seconds_mean']:.1f} s mean")
