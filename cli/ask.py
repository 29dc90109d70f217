"""`mission-assistant ask`: one question, answered with quoted, cited passages."""

from __future__ import annotations

import json
import threading

import click

from assistant.settings import Settings


def _preload(settings: Settings) -> None:
    """Load the query model while the index code imports: onnxruntime reads and prepares the
    model largely outside the GIL (fresh `ask` on a busy 2-core machine: 7.4 -> 6.6 s mean of 3).
    Errors are left for the main thread, which loads again and reports them."""
    from assistant.embedding import load_query_embedding

    try:
        load_query_embedding(settings)
    except Exception:
        pass


@click.command()
@click.argument("question", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--top-k", type=int, default=None, help="Passages to retrieve (default 10).")
@click.option("--filter", "filters", multiple=True,
              help="Metadata filter, repeatable: type=case_study, publisher=..., year=2020-2024.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default=None,
              help="Retrieval mode (default from settings: hybrid).")
@click.option("--longer", is_flag=True,
              help="A longer answer (settings.answer_max_words_longer words, not "
                   "answer_max_words).")
def ask(question, as_json, top_k, filters, mode, longer) -> None:
    """Answer QUESTION with quoted, cited sentences from the library."""
    settings = Settings()
    threading.Thread(target=_preload, args=(settings,), daemon=True).start()
    from assistant.retrieve import Filters
    from assistant.service import EmptyQuestion, get_assistant
    from assistant.types import one_per_document
    from assistant import messages

    text = " ".join(question).strip()
    if not text:
        raise EmptyQuestion(messages.EMPTY_QUESTION)
    parsed = Filters.parse(filters)
    answer = get_assistant(settings).ask(
        text, parsed, top_k=top_k, mode=mode,
        max_words=settings.answer_max_words_longer if longer else None)
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
