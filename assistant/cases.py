"""Case records and the queries over them: named initiatives (a mission, a programme, a lab, a
fund) that the library describes, with their fields and where each one comes from.

The records are written beside the index by the ingest stage (ingest/cases.py) and read here;
the CLI and the app use only this module (and assistant/export/) for cases.

Fields follow the OECD OPSI case-study library and the UCL IIPP mission casebooks: name, who
leads it (organisation, type), place, country, level of government, goal, themes, year
launched, what was done, results, challenges, lessons, and the passages it comes from. Every
field value is a verbatim quote or a value read from one, and carries that quote's citation
(document, location, link); a field the sources do not give stays empty.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.retrieve import Filters
from assistant.settings import Settings

LEVELS = ("local", "regional", "national", "international")
# Field name -> label shown to people (CLI, app, exports), in display order.
FIELD_LABELS: dict[str, str] = {
    "organisation": "Led by", "organisation_type": "Type of organisation", "place": "Place",
    "country": "Country", "level": "Level of government", "goal": "Mission or goal",
    "themes": "Themes", "year": "Year launched", "actions": "What was done",
    "results": "Results", "challenges": "Challenges", "lessons": "Lessons",
}
LIST_FIELDS = ("themes", "actions", "results", "challenges", "lessons")
SORT_KEYS = ("documents", "name", "year", "country")


class Evidence(BaseModel):
    """A verbatim quote from one stored chunk and where it is."""

    quote: str
    doc_id: str
    chunk_id: str
    title: str = ""
    publisher: str = ""
    type: str = ""
    date: str = ""
    location: str = ""
    url: str = ""
    basis: str = Field("", description="How the value was read from the quote, when it is not "
                       "the quote itself, e.g. 'named in the heading', 'demonym Swedish'.")


class CaseField(BaseModel):
    value: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class CasePassage(BaseModel):
    chunk_id: str
    doc_id: str
    title: str = ""
    section: str = ""
    url: str = ""
    text: str = ""


class CaseRecord(BaseModel):
    id: str
    name: CaseField
    aliases: list[str] = Field(default_factory=list)
    organisation: CaseField = Field(default_factory=CaseField)
    organisation_type: CaseField = Field(default_factory=CaseField)
    place: CaseField = Field(default_factory=CaseField)
    country: CaseField = Field(default_factory=CaseField)
    level: CaseField = Field(default_factory=CaseField)
    goal: CaseField = Field(default_factory=CaseField)
    year: CaseField = Field(default_factory=CaseField)
    themes: list[CaseField] = Field(default_factory=list)
    actions: list[CaseField] = Field(default_factory=list)
    results: list[CaseField] = Field(default_factory=list)
    challenges: list[CaseField] = Field(default_factory=list)
    lessons: list[CaseField] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    publishers: list[str] = Field(default_factory=list)
    passages: list[CasePassage] = Field(default_factory=list)
    found_by: list[str] = Field(default_factory=list, description="heading, list item, sentence")

    def fields(self, name: str) -> list[CaseField]:
        """A field as a list (single fields give one item, or none when empty)."""
        got = getattr(self, name)
        if isinstance(got, list):
            return [f for f in got if f.value]
        return [got] if got.value else []

    def text(self, name: str, sep: str = "; ") -> str:
        return sep.join(f.value for f in self.fields(name))

    def year_int(self) -> int | None:
        return int(self.year.value) if self.year.value[:4].isdigit() else None

    def evidence(self) -> list[Evidence]:
        """Every quote behind the record, name first, without repeats."""
        seen, out = set(), []
        for name in ("name", *FIELD_LABELS):
            for f in self.fields(name):
                for e in f.evidence:
                    if (e.chunk_id, e.quote) not in seen:
                        seen.add((e.chunk_id, e.quote))
                        out.append(e)
        return out


class CaseSet(BaseModel):
    generated: float = 0.0
    seconds: float = 0.0
    model: str = ""
    cases: list[CaseRecord] = Field(default_factory=list)


def load_cases(settings: Settings) -> CaseSet:
    """The records written by the last ingest (an empty set when there are none yet)."""
    try:
        return CaseSet.model_validate_json(settings.cases_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return CaseSet()


def write_case_set(path: Path, case_set: CaseSet) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(case_set.model_dump_json(), encoding="utf-8")
    tmp.replace(path)


def facets(cases: list[CaseRecord]) -> dict[str, list]:
    """Values to filter on: countries, levels, themes, years, publishers."""
    return {
        "country": sorted({c.country.value for c in cases if c.country.value}),
        "level": [lv for lv in LEVELS if any(c.level.value == lv for c in cases)],
        "theme": sorted({t.value for c in cases for t in c.themes}),
        "year": sorted({y for c in cases if (y := c.year_int())}),
        "publisher": sorted({p for c in cases for p in c.publishers if p}),
    }


def filter_cases(cases: list[CaseRecord], country=(), level=(), theme=(), publisher=(),
                 year: tuple[int, int] | None = None, text: str = "") -> list[CaseRecord]:
    """Cases matching every given facet (any of the values within a facet). A year range
    keeps only cases whose launch year the sources give."""
    text = text.strip().lower()
    out = []
    for c in cases:
        if country and c.country.value not in country:
            continue
        if level and c.level.value not in level:
            continue
        if theme and not {t.value for t in c.themes} & set(theme):
            continue
        if publisher and not set(c.publishers) & set(publisher):
            continue
        if year and not (c.year_int() and year[0] <= c.year_int() <= year[1]):
            continue
        if text and text not in " ".join([c.name.value, *c.aliases, c.organisation.value,
                                          c.place.value, c.country.value]).lower():
            continue
        out.append(c)
    return out


def sort_cases(cases: list[CaseRecord], key: str = "documents") -> list[CaseRecord]:
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort {key!r}: use one of {', '.join(SORT_KEYS)}")
    if key == "name":
        return sorted(cases, key=lambda c: c.name.value.lower())
    if key == "year":  # newest first; cases without a year last
        return sorted(cases, key=lambda c: (c.year_int() is None, -(c.year_int() or 0)))
    if key == "country":
        return sorted(cases, key=lambda c: (not c.country.value, c.country.value, c.name.value))
    return sorted(cases, key=lambda c: (-len(c.documents), -len(c.passages), c.name.value))


def parse_case_filters(raw: list[str]) -> dict:
    """["country=Sweden", "level=national", "year=2015-2020"] -> filter_cases keyword args."""
    keys = ("country", "level", "theme", "publisher", "year", "text")
    out: dict = {}
    for item in raw:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in keys or not value:
            raise CaseQueryError(f"bad case filter {item!r}: use key=value with key one of "
                                 f"{', '.join(keys)}")
        if key == "year":
            lo, _, hi = value.partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()):
                raise CaseQueryError(f"bad year {value!r}: use 2019 or 2015-2020")
            out["year"] = (int(lo), int(hi or lo))
        elif key == "text":
            out["text"] = value
        else:
            out.setdefault(key, []).append(value)
    return out


class CaseQueryError(ValueError):
    pass


def find_cases(cases: list[CaseRecord], ids: list[str]) -> list[CaseRecord]:
    by_id = {c.id: c for c in cases}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise CaseQueryError(f"no case with id {', '.join(missing)} (see `mission-assistant "
                             "cases` for the ids)")
    return [by_id[i] for i in ids]


def case_documents(cases: list[CaseRecord]) -> set[str]:
    return {d for c in cases for d in c.documents}


def scoped_filters(cases: list[CaseRecord], base: Filters | None = None) -> Filters:
    """Filters that keep a question to the documents of the given cases."""
    return replace(base or Filters(), doc_ids=tuple(sorted(case_documents(cases))))


def comparison(cases: list[CaseRecord]) -> list[dict]:
    """Rows of a side-by-side table: {"field", "label", "cells": [[CaseField, ...] per case]}."""
    rows = []
    for name, label in FIELD_LABELS.items():
        cells = [c.fields(name) for c in cases]
        if any(cells):
            rows.append({"field": name, "label": label, "cells": cells})
    return rows


def to_public_json(case: CaseRecord) -> dict:
    """The documented `cases --json` shape: values with their quotes and citations."""
    def one(f: CaseField) -> dict:
        return {"value": f.value, "sources": [e.model_dump(exclude={"basis"} if not e.basis
                                                           else set()) for e in f.evidence]}
    out = {"id": case.id, "name": case.name.value, "aliases": case.aliases}
    for name in FIELD_LABELS:
        got = getattr(case, name)
        out[name] = [one(f) for f in got] if isinstance(got, list) else (
            one(got) if got.value else None)
    out["documents"] = case.documents
    out["passages"] = [p.chunk_id for p in case.passages]
    return out


def dumps(cases: list[CaseRecord]) -> str:
    return json.dumps([to_public_json(c) for c in cases], indent=2, ensure_ascii=False)
