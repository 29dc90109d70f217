"""Exporters: Answer, Pack and Case objects rendered to the files people edit and to reference
managers' formats. No Streamlit here, so the CLI and the app share every format.

Each family is a name -> callable table; an unknown name raises ExportError with the names
that exist. `text.py` holds the escaping shared by the Markdown writers.
"""

from __future__ import annotations

from collections.abc import Callable


class ExportError(ValueError):
    """An export that cannot be made; the message says which names exist."""


def _cases_csv(cases, **_):
    from assistant.export.cases import to_csv

    return to_csv(cases)


def _cases_markdown(cases, **kw):
    from assistant.export.cases import to_markdown

    return to_markdown(cases, kw.get("today"))


def _cases_docx(cases, **kw):
    from assistant.export.cases import to_docx

    return to_docx(cases, kw.get("today"))


def _refs(fmt: str):
    def render(cases, **kw):
        from assistant.export import references

        refs = references.dedupe(e for c in cases for e in c.evidence())
        return getattr(references, f"to_{fmt}")(refs, kw.get("accessed"))
    return render


# name -> (callable(cases, **options) -> str | bytes, file suffix, MIME type)
CASE_EXPORTS: dict[str, tuple[Callable, str, str]] = {
    "csv": (_cases_csv, "csv", "text/csv"),
    "bibtex": (_refs("bibtex"), "bib", "application/x-bibtex"),
    "ris": (_refs("ris"), "ris", "application/x-research-info-systems"),
    "markdown": (_cases_markdown, "md", "text/markdown"),
    "docx": (_cases_docx, "docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def export_cases(fmt: str, cases, **options) -> str | bytes:
    """Render case records: csv (one row per case), bibtex / ris (their sources), markdown /
    docx (a side-by-side comparison)."""
    if fmt not in CASE_EXPORTS:
        raise ExportError(f"unknown case export {fmt!r}: use one of {', '.join(CASE_EXPORTS)}")
    return CASE_EXPORTS[fmt][0](cases, **options)


def _pack(fmt: str):
    def render(pack, **_):
        import importlib

        return importlib.import_module(f"assistant.export.pack_{fmt}").__dict__[f"to_{fmt}"](pack)
    return render


# Briefing packs: name -> (callable(pack) -> str | bytes, file suffix, MIME type).
PACK_EXPORTS: dict[str, tuple[Callable, str, str]] = {
    "docx": (_pack("docx"), "docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "markdown": (_pack("markdown"), "md", "text/markdown"),
    "pptx": (_pack("pptx"), "pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
PACK_SUFFIXES = {suffix: name for name, (_, suffix, _) in PACK_EXPORTS.items()}


def export_pack(fmt: str, pack) -> str | bytes:
    """Render a briefing pack: docx, markdown or pptx."""
    if fmt not in PACK_EXPORTS:
        raise ExportError(f"unknown pack format {fmt!r}: use one of {', '.join(PACK_EXPORTS)}")
    return PACK_EXPORTS[fmt][0](pack)
