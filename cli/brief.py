"""`mission-assistant brief "TOPIC" --out pack.docx|pack.md|pack.pptx`: a briefing pack, one
topic in, a structured handout of cited quotes out (assistant/packs/)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from assistant.settings import Settings


@click.command()
@click.argument("topic", nargs=-1)
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the pack here; the suffix picks the format: .docx, .md "
              "or .pptx. Without it the Markdown is printed.")
@click.option("--audience", type=click.Choice(["introductory", "practitioner"]),
              default="practitioner", show_default=True)
@click.option("--length", type=click.Choice(["short", "standard", "long"]), default="standard",
              show_default=True, help="Quoted units per section.")
@click.option("--filter", "filters", multiple=True,
              help="Repeatable: type=case_study, publisher=..., year=2020-2024.")
@click.option("--cases/--no-cases", "include_cases", default=True, show_default=True,
              help="Include or leave out the case studies section.")
@click.option("--date", "generated", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Generation date stated in the pack (default: today), e.g. 2026-01-31.")
@click.option("--json", "as_json", is_flag=True, help="Print the pack model as JSON.")
def brief(topic, out, audience, length, filters, include_cases, generated, as_json) -> None:
    """Build a briefing pack on TOPIC from the library: definitions, why it matters, practices,
    case studies, pitfalls, key numbers, glossary, FAQ, timeline, prompts and references."""
    from assistant import messages
    from assistant.export import PACK_SUFFIXES, ExportError, export_pack
    from assistant.packs.build import build_pack
    from assistant.packs.model import PackOptions
    from assistant.retrieve import Filters
    from assistant.service import EmptyQuestion, get_assistant

    text = " ".join(topic).strip()
    if not text:
        raise EmptyQuestion(messages.PACK_EMPTY_TOPIC)
    fmt = "markdown"
    if out is not None:
        fmt = PACK_SUFFIXES.get(out.suffix.lower().lstrip("."))
        if fmt is None:
            raise ExportError(f"unknown pack format {out.suffix!r}: use .docx, .md or .pptx")
    parsed = Filters.parse(filters)
    options = PackOptions(audience=audience, length=length, include_cases=include_cases,
                          types=list(parsed.types), publishers=list(parsed.publishers),
                          year_min=parsed.year_min, year_max=parsed.year_max)
    pack = build_pack(get_assistant(Settings()), text, options,
                      generated.date() if generated else date.today())
    if as_json:
        click.echo(pack.model_dump_json(indent=2))
        return
    data = export_pack(fmt, pack)
    if out is None:
        click.echo(data, nl=False)
        return
    out.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    click.echo(f"{len(pack.filled())} of {len(pack.sections)} sections filled, "
               f"{len(pack.citations)} citations, {pack.seconds:.1f} s -> {out}", err=True)
