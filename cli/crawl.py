"""`mission-assistant crawl`: crawl the source list (or one site) and ingest what changed."""

from __future__ import annotations

import sys

import click

from assistant.settings import Settings
from cli import fail


@click.command()
@click.argument("url", required=False)
@click.option("--source", "names", multiple=True,
              help="Crawl only this source of the list (repeatable).")
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False), default=None,
              help="Source list to read (default corpus/sources.yaml).")
@click.option("--publisher", default=None, help="With URL: the publisher of its documents.")
@click.option("--type", "doc_type", default=None,
              help="With URL: default document type (report, case_study, blog, ...).")
@click.option("--include", multiple=True, help="With URL: URL regex in scope (repeatable).")
@click.option("--exclude", multiple=True, help="With URL: URL regex out of scope (repeatable).")
@click.option("--max-pages", type=int, default=None, help="With URL: most pages to fetch.")
@click.option("--max-depth", type=int, default=None, help="With URL: most links to follow.")
@click.option("--prune", is_flag=True, help="Remove documents whose pages have vanished.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any URL failed.")
@click.option("--quiet", is_flag=True, help="No progress bar or per-URL table.")
def crawl(url, names, sources_file, publisher, doc_type, include, exclude, max_pages,
          max_depth, prune, strict, quiet) -> None:
    """Crawl the publishers in corpus/sources.yaml, or the site at URL, politely (robots.txt,
    per-host delay) and resumably; ingest new and changed documents."""
    from pathlib import Path

    from tqdm import tqdm

    from ingest.crawl import CrawlError
    from ingest.crawl.runner import crawl as run_crawl
    from ingest.crawl.sources import load_sources, select, site_source

    settings = Settings()
    try:
        if url:
            sources = [site_source(url, publisher=publisher, type=doc_type,
                                   include=list(include), exclude=list(exclude),
                                   max_pages=max_pages, max_depth=max_depth)]
        else:
            path = Path(sources_file) if sources_file else settings.crawl_sources_path
            sources = select(load_sources(path), list(names))
    except CrawlError as exc:
        fail(str(exc))
    bar = tqdm(desc="Crawling", unit="url", disable=quiet, file=sys.stderr)

    def progress(p) -> None:
        bar.total = p.handled + p.queued
        bar.set_postfix_str(f"{p.outcome}: {p.url[-60:]}", refresh=False)
        bar.update(p.handled - bar.n)

    report = run_crawl(settings, sources, prune=prune, on_progress=progress)
    bar.close()
    from assistant import audit

    audit.record_results(settings, audit.cli_actor(), "crawl", report.results)
    if not quiet:
        _print_table(report.rows())
    click.echo(report.summary())
    if strict and report.failed:
        sys.exit(1)


def _print_table(rows: list[dict]) -> None:
    """Outcome, URL and reason per line (URLs vary too much in length for fixed columns)."""
    for row in rows:
        reason = f"  {row['Reason']}" if row["Reason"] else ""
        click.echo(f"{row['Outcome']:>17}  {row['URL']}{reason}")
