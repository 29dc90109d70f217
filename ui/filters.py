"""Sidebar filters -> assistant.retrieve.Filters, plus the description shown on the answer."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.cases import CaseSet
from assistant.cases import case_documents as records_documents
from assistant.retrieve import Filters

NO_MATCH = "__no_case_documents__"  # a doc_id no document has: "case studies only" with none


def type_label(value: str) -> str:
    return (value or "").replace("_", " ")


def years_of(documents: list[dict]) -> list[int]:
    return sorted({int(d["date"][:4]) for d in documents if str(d.get("date", ""))[:4].isdigit()})


def case_documents(documents: list[dict], cases: CaseSet | None) -> set[str]:
    """Documents that count as case studies: typed case_study, or describing a case record."""
    ids = {d["doc_id"] for d in documents if d.get("type") == "case_study"}
    return ids | records_documents(cases.cases if cases else [])


def build_filters(types=(), publishers=(), years: tuple[int, int] | None = None,
                  year_bounds: tuple[int, int] | None = None, cases_only: bool = False,
                  case_doc_ids: set[str] | frozenset = frozenset()) -> tuple[Filters, dict]:
    """(Filters to retrieve with, what to show on the answer). A year range equal to the full
    range is no filter, so documents without a date stay searchable by default."""
    year_min = year_max = None
    if years and year_bounds and tuple(years) != tuple(year_bounds):
        year_min, year_max = int(years[0]), int(years[1])
    doc_ids: tuple[str, ...] = ()
    if cases_only:
        doc_ids = tuple(sorted(case_doc_ids)) or (NO_MATCH,)
    filters = Filters(types=tuple(types), publishers=tuple(publishers), doc_ids=doc_ids,
                      year_min=year_min, year_max=year_max)
    shown = {k: v for k, v in filters.describe().items() if k != "doc_id"}
    if cases_only:
        shown["case_studies_only"] = True  # the doc id list itself means nothing to a reader
    return filters, shown


def describe(shown: dict) -> str:
    parts = []
    for key, value in shown.items():
        if key == "case_studies_only":
            parts.append(messages.UI_FILTER_CASES.lower())
        elif key == "year":
            parts.append(f"year {value[0]}–{value[1]}")
        else:
            parts.append(f"{key}: {', '.join(type_label(v) for v in value)}")
    return "; ".join(parts)


def sidebar(documents: list[dict], cases: CaseSet | None) -> tuple[Filters, dict]:
    """The filter widgets (values persist in session state by key)."""
    st.subheader(messages.UI_FILTERS_HEADER)
    types = sorted({d["type"] for d in documents if d.get("type")})
    publishers = sorted({d["publisher"] for d in documents if d.get("publisher")})
    chosen_types = st.multiselect(messages.UI_FILTER_TYPE, types, format_func=type_label,
                                  key="filter_types")
    chosen_publishers = st.multiselect(messages.UI_FILTER_PUBLISHER, publishers,
                                       key="filter_publishers")
    years = years_of(documents)
    bounds = (years[0], years[-1]) if years else None
    chosen_years = None
    if bounds and bounds[0] < bounds[1]:
        chosen_years = st.slider(messages.UI_FILTER_YEARS, bounds[0], bounds[1], bounds,
                                 help=messages.UI_FILTER_YEARS_HELP, key="filter_years")
    cases_only = st.toggle(messages.UI_FILTER_CASES, help=messages.UI_FILTER_CASES_HELP,
                           key="filter_cases")
    return build_filters(chosen_types, chosen_publishers, chosen_years, bounds, cases_only,
                         case_documents(documents, cases) if cases_only else set())
