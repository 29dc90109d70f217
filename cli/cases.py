"""`mission-assistant cases`: the case records (named initiatives) with their fields and
sources; filter, sort, compare and export them."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.settings import Settings


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@click.option("--filter", "filters", multiple=True,
              help="Repeatable: country=Sweden, level=local|regional|national|international, "
              "theme=..., publisher=..., year=2015-2020, text=camden.")
@click.option("--sort", "sort_by", type=click.Choice(["documents", "name", "year", "country"]),
              default="documents", show_default=True)
@click.option("--export", "fmt", type=click.Choice(["csv", "bibtex", "ris", "markdown", "docx"]),
              default=None, help="csv: one row per case; bibtex / ris: their sources; "
              "markdown / docx: the cases side by side (give 2-4 IDS).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the export here (docx needs it) instead of printing it.")
def cases(ids, as_json, filters, sort_by, fmt, output) -> None:
    """List case records, or show / compare / export the ones named by IDS."""
    from assistant import messages
    from assistant.cases import (dumps, filter_cases, find_cases, load_cases,
                                 parse_case_filters, sort_cases)
    from assistant.export import CASE_EXPORTS, export_cases

    case_set = load_cases(Settings())
    if not case_set.cases:
        raise click.ClickException(messages.UI_CASES_MISSING)
    chosen = find_cases(case_set.cases, list(ids)) if ids else case_set.cases
    chosen = sort_cases(filter_cases(chosen, **parse_case_filters(list(filters))), sort_by)
    if fmt:
        if fmt in ("markdown", "docx") and not 2 <= len(chosen) <= 4:
            raise click.ClickException(messages.CASES_COMPARE_COUNT.format(n=len(chosen)))
        data = export_cases(fmt, chosen)
        if output:
            output.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            click.echo(f"{len(chosen)} cases -> {output} ({CASE_EXPORTS[fmt][1]})", err=True)
        elif isinstance(data, bytes):
            raise click.ClickException("docx is binary: give -o FILE.docx")
        else:
            click.echo(data, nl=False)
        return
    if as_json:
        click.echo(dumps(chosen))
        return
    if not chosen:
        click.echo(messages.UI_CASES_NONE)
        return
    for c in chosen:
        facts = " · ".join(x for x in (c.country.value, c.level.value, c.year.value,
                                       c.organisation.value) if x)
        click.echo(f"{c.name.value}  [{c.id}]" + (f"\n  {facts}" if facts else ""))
        if ids:  # one or a few cases asked for by id: every field with its sources
            for name, label in messages_fields():
                for f in c.fields(name):
                    src = "; ".join(f"{e.title or e.doc_id}{', ' + e.location if e.location else ''}"
                                    for e in f.evidence)
                    click.echo(f"  {label}: {f.value}\n      ({src})")
        click.echo(f"  {len(c.documents)} documents: {', '.join(c.documents[:5])}"
                   + (" …" if len(c.documents) > 5 else ""))


def messages_fields():
    from assistant.cases import FIELD_LABELS

    return FIELD_LABELS.items()
