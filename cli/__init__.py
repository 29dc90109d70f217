"""`mission-assistant`: a thin command line over ingest/ and assistant/.

One module per command group (cli/ask.py, cli/ingest.py, ...). Commands are imported only when
they run, and each imports the heavy parts (torch, Chroma, llama-index) inside its function, so
`mission-assistant --help` and a quick command start fast.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

# name -> "module:attribute"; add a command group here and in its own module.
COMMANDS = {
    "ingest": "cli.ingest:ingest",
    "crawl": "cli.crawl:crawl",
    "ask": "cli.ask:ask",
    "brief": "cli.brief:brief",
    "status": "cli.status:status",
    "ui": "cli.ui:ui",
    "eval": "cli.eval:eval_group",
    "cases": "cli.cases:cases",
}


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors a user can fix: one line, exit 1. Anything else is a bug and shows a traceback."""
    from assistant.cases import CaseQueryError
    from assistant.embedding import ModelLoadError
    from assistant.export import ExportError
    from assistant.retrieve import FilterError
    from assistant.service import EmptyQuestion
    from assistant.store import IndexNotFound, ModelMismatch
    from ingest.crawl.errors import CrawlError
    from ingest.case_ner import CaseModelError
    from ingest.manifest import ManifestError

    return (IndexNotFound, ModelMismatch, ModelLoadError, FilterError, EmptyQuestion,
            ManifestError, CrawlError, CaseQueryError, ExportError, CaseModelError)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class Cli(click.Group):
    """Loads a command's module on first use (click's documented lazy-group pattern) and turns
    user errors into one line."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except Exception as exc:
            if isinstance(exc, _user_errors()):
                fail(str(exc))
            raise


@click.group(cls=Cli)
def main() -> None:
    """Answers questions about mission-oriented government from a cited library."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


if __name__ == "__main__":
    main()
