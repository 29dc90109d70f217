"""`mission-assistant status`: what the index holds and how it differs from the corpus."""

from __future__ import annotations

import json

import click

from assistant.settings import Settings


@click.command()
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
