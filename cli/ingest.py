"""`mission-assistant ingest`: add the corpus, files, folders or web pages to the index."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant import audit
from assistant.settings import Settings
from cli import fail


def record_in_audit_log(settings: Settings, results) -> None:
    """Who changed the library from the terminal: pruned documents as prune, changed ones as
    reingest, new and failed ones as add (unchanged ones are not recorded)."""
    actor = audit.cli_actor()
    for action, outcomes in (("prune", ("removed",)), ("reingest", ("updated",)),
                             ("add", ("ingested", "failed", "skipped"))):
        audit.record_results(settings, actor, action,
                             [r for r in results if r.outcome in outcomes])


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Remove documents no longer in the corpus.")
@click.option("--rebuild", is_flag=True, help="Drop the index and build it from scratch.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any input failed.")
@click.option("--no-corpus", is_flag=True, help="Only ingest PATHS, not the corpus folder.")
@click.option("--url", "urls", multiple=True, help="Fetch and ingest this web page (repeatable).")
@click.option("--quiet", is_flag=True, help="No progress bar or per-file lines.")
def ingest(paths, prune, rebuild, strict, no_corpus, urls, quiet) -> None:
    """Add the corpus (and any PATHS) to the index; unchanged documents are skipped."""
    from ingest.pipeline import ingest as run_ingest

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    settings = Settings()
    report = run_ingest(settings, list(paths), prune=prune, rebuild=rebuild,
                        include_corpus=not no_corpus, progress=not quiet, urls=list(urls))
    record_in_audit_log(settings, report.results)
    if not quiet:
        for r in report.results:
            if r.outcome in ("failed", "skipped", "removed"):
                click.echo(f"{r.outcome:>8}  {r.source}: {r.reason}", err=True)
    click.echo(report.summary())
    if strict and report.failed:
        sys.exit(1)
