"""`mission-assistant`: ingest, ask, status, ui (and eval, added by evals/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

from assistant.settings import PROJECT_ROOT, Settings

def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors a user can fix: one line, exit 1. Anything else is a bug and shows a traceback."""
    from assistant.embedding import ModelLoadError
    from assistant.retrieve import FilterError
    from assistant.service import EmptyQuestion
    from assistant.store import IndexNotFound, ModelMismatch
    from ingest.manifest import ManifestError

    return (IndexNotFound, ModelMismatch, ModelLoadError, FilterError, EmptyQuestion,
            ManifestError)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class Cli(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _user_errors() as exc:
            fail(str(exc))


@click.group(cls=Cli)
def main() -> None:
    """Answers questions about mission-oriented government from a cited library."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@main.command()
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
    if not quiet:
        for r in report.results:
            if r.outcome in ("failed", "skipped", "removed"):
                click.echo(f"{r.outcome:>8}  {r.source}: {r.reason}", err=True)
    click.echo(report.summary())
    if strict and report.failed:
        sys.exit(1)


@main.command()
@click.argument("question", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--top-k", type=int, default=None, help="Passages to retrieve (default 10).")
@click.option("--filter", "filters", multiple=True,
              help="Metadata filter, repeatable: type=case_study, publisher=..., year=2020-2024.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default=None,
              help="Retrieval mode (default from settings: hybrid).")
def ask(question, as_json, top_k, filters, mode) -> None:
    """Answer QUESTION with quoted, cited sentences from the library."""
    from assistant.retrieve import Filters
    from assistant.service import EmptyQuestion, get_assistant
    from assistant.types import one_per_document
    from assistant import messages

    text = " ".join(question).strip()
    if not text:
        raise EmptyQuestion(messages.EMPTY_QUESTION)
    parsed = Filters.parse(filters)
    answer = get_assistant(Settings()).ask(text, parsed, top_k=top_k, mode=mode)
    if as_json:
        click.echo(json.dumps(answer.to_public_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"[{messages.STATUS_LABELS[answer.status.value]}]\n")
    click.echo(answer.answer)
    if answer.note:
        click.echo(f"\n{answer.note}")
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            where = f" — {c.location}" if c.location else ""
            click.echo(f"  [{c.n}] {c.title} ({c.publisher}, {c.type}){where}")
            if c.url:
                click.echo(f"      {c.url}")
    else:
        for p in one_per_document(answer.retrieved, 5):
            click.echo(f"  - {p.title} ({p.publisher}, {p.type}) {p.url}".rstrip())


@main.command()
@click.option("--json", "as_json", is_flag=True)
def status(as_json) -> None:
    """Show the index: documents, chunks, model, and drift from the corpus manifest."""
    from ingest.status import index_status

    info = index_status(Settings())
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        if isinstance(value, list):
            click.echo(f"{key}: {len(value)}" + ("" if not value else f"  {', '.join(value[:10])}"))
        else:
            click.echo(f"{key}: {value}")


@main.command()
@click.option("--port", type=int, default=None)
def ui(port) -> None:
    """Start the Streamlit app."""
    settings = Settings()
    app = PROJECT_ROOT / "ui" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.port", str(port or settings.ui_port), "--browser.gatherUsageStats", "false"]
    sys.exit(subprocess.call(cmd))


from evals.cli import eval_group; main.add_command(eval_group, "eval")  # noqa: E402

if __name__ == "__main__":
    main()
