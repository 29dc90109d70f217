"""Case records: found at ingest from structure, NER and sentences, merged across documents,
every field quoted verbatim from a stored chunk; a new document about an initiative in a place
the gazetteer does not know becomes a case; queries, CLI and exports over the records."""

from __future__ import annotations

import csv
import io
import json
import shutil

import bibtexparser
import pytest
import rispy
from docx import Document

from assistant.cases import (CaseQueryError, facets, filter_cases, find_cases, load_cases,
                             parse_case_filters, scoped_filters, sort_cases)
from assistant.export import ExportError, export_cases
from assistant.export.references import Reference, to_bibtex, to_ris
from assistant.store import LibraryIndex
from ingest.case_names import parse_name
from ingest.case_hints import GAZETTEER
from ingest.cases import merge_key
from tests.test_cli import run_cli

NEW_DOCUMENT = """# Tampere goes carbon neutral

## Tampere Carbon Neutral Mission (Finland)

The City of Tampere launched the Tampere Carbon Neutral Mission in 2021 to make the city \
carbon neutral by 2030. The council set up a climate budget and worked with residents on \
retrofitting homes.

Challenges and Lessons Learned
- Funding: Securing long-term funding for retrofits was difficult.
- Residents: Involving residents early was crucial for support.

Sweden has many lakes. The OECD published a report on public sector innovation.
"""


@pytest.fixture(scope="module")
def records(sample_settings):
    return load_cases(sample_settings).cases


def by_key(records):
    return {merge_key(c.name.value): c for c in records}


def test_sample_cases_are_initiatives_not_places(records):
    keys = by_key(records)
    for wanted in ("vision zero cancer", "camden council food mission",
                   "national decade against cancer", "scottish national investment bank",
                   "greater manchester mission", "valencia mission", "we make camden kit"):
        wanted = merge_key(wanted)
        assert any(wanted == k or wanted in k for k in keys), (wanted, sorted(keys))
    # A country, a city or an organisation named alone is not a case.
    for bare in ("oecd", "sweden", "london", "european commission", "united kingdom"):
        assert bare not in keys, bare


def test_every_field_is_a_verified_quote(sample_settings, records):
    index = LibraryIndex.open(sample_settings)
    evidence = [e for c in records for e in c.evidence()]
    assert len(evidence) > 3 * len(records)
    got = index.collection.get(ids=sorted({e.chunk_id for e in evidence}),
                               include=["documents"])
    texts = dict(zip(got["ids"], got["documents"]))
    missing = [e for e in evidence if e.quote not in texts.get(e.chunk_id, "")]
    assert not missing, missing[:3]
    assert all(e.doc_id and e.title for e in evidence)
    # A value read from a quote must be in it, or the quote must say where it came from.
    for c in records:
        for name in ("year", "country", "level"):
            for f in c.fields(name):
                e = f.evidence[0]
                assert f.value in e.quote or e.basis, (c.name.value, name, f.value, e.quote)


def test_fields_of_a_well_described_case(records):
    camden = next(c for c in records if merge_key(c.name.value) == "camden council food mission")
    assert camden.country.value == "United Kingdom" and camden.level.value == "local"
    assert camden.organisation.value == "Camden Council"
    assert camden.challenges and camden.lessons
    decade = next(c for c in records if "decade against cancer" in merge_key(c.name.value))
    assert decade.year.value == "2019" and "2019" in decade.year.evidence[0].quote
    assert decade.country.value == "Germany"


def test_a_new_document_in_an_unlisted_place_becomes_a_case(sample_settings, tmp_path):
    from ingest.pipeline import ingest

    assert "Tampere" not in GAZETTEER
    settings = sample_settings.model_copy(update={"index_dir": tmp_path / "index"})
    shutil.copytree(sample_settings.index_dir, settings.index_dir)
    new = tmp_path / "tampere.md"
    new.write_text(NEW_DOCUMENT, encoding="utf-8")
    report = ingest(settings, paths=[new], include_corpus=False, progress=False)
    assert not report.failed, report.failed
    records = load_cases(settings).cases
    case = next(c for c in records if "Tampere" in c.name.value)
    assert case.country.value == "Finland" and case.year.value == "2021"
    assert case.level.value == "local"
    assert case.documents == ["tampere.md"]
    assert any("difficult" in f.value for f in case.challenges)
    assert any("crucial" in f.value for f in case.lessons)
    keys = by_key(records)
    assert "sweden" not in keys and "oecd" not in keys
    # The other documents' records were kept from the cache, not lost.
    assert len(records) > len(load_cases(sample_settings).cases) - 1


@pytest.mark.parametrize("heading, name, kind", [
    ("Sweden (Vinnova)", "Vinnova", "organisation"),
    ("Vision Zero Cancer (Sweden)", "Vision Zero Cancer", "initiative"),
    ("UK Home Office: Accelerated Capability Environment (ACE)",
     "Accelerated Capability Environment", "initiative"),
    ("Future Mentors Program, City of Espoo, Finland", "Future Mentors Program", "initiative"),
])
def test_headings_are_read_as_name_place_and_organisation(heading, name, kind):
    # A name is confirmed where the running text writes it capitalised mid-sentence.
    body = f"This text is about {name} and what it did."
    parsed = parse_name(heading, body, [])
    assert parsed and parsed["name"] == name and parsed["kind"] == kind, parsed


@pytest.mark.parametrize("heading", ["Key Principles", "Challenge 1: Promoting Participation",
                                     "The Need for Proactive Governance",
                                     "Key Criteria for Missions"])
def test_concept_headings_are_not_cases(heading):
    assert parse_name(heading, "the need for proactive governance", []) is None


def test_merge_keys():
    assert merge_key("Swedish Vision Zero Cancer") == merge_key("Vision Zero Cancer")
    assert merge_key("Camden Council's Food Mission") == merge_key("Camden Council Food Mission")
    assert merge_key("Missions Action Lab") == merge_key("Mission Actions Lab")
    assert merge_key("School Food Mission") != merge_key("Camden Council Food Mission")


def test_queries(records):
    values = facets(records)
    assert "United Kingdom" in values["country"] and "local" in values["level"]
    uk = filter_cases(records, country=["United Kingdom"])
    assert uk and all(c.country.value == "United Kingdom" for c in uk)
    local = filter_cases(records, level=["local"], theme=[values["theme"][0]])
    assert all(c.level.value == "local" for c in local)
    dated = filter_cases(records, year=(2019, 2019))
    assert dated and all(c.year.value == "2019" for c in dated)
    assert [c.name.value for c in sort_cases(records, "name")] == \
        sorted((c.name.value for c in records), key=str.lower)
    assert parse_case_filters(["country=Spain", "year=2015-2020"]) == \
        {"country": ["Spain"], "year": (2015, 2020)}
    with pytest.raises(CaseQueryError):
        parse_case_filters(["colour=red"])
    with pytest.raises(CaseQueryError):
        find_cases(records, ["no-such-case"])
    scoped = scoped_filters(uk[:2])
    assert set(scoped.doc_ids) == {d for c in uk[:2] for d in c.documents}


def test_case_exports_parse_back(records):
    chosen = [c for c in records if c.country.value and c.organisation.value][:3]
    rows = list(csv.DictReader(io.StringIO(export_cases("csv", chosen))))
    assert [r["id"] for r in rows] == [c.id for c in chosen]
    assert rows[0]["country"] == chosen[0].country.value
    assert rows[0]["country_sources"].split()[0].split("#")[0] in chosen[0].documents
    library = bibtexparser.parse_string(export_cases("bibtex", chosen))
    docs = {e.doc_id for c in chosen for e in c.evidence()}
    assert not library.failed_blocks and len(library.entries) == len(docs)
    assert all("title" in e.fields_dict and "urldate" in e.fields_dict for e in library.entries)
    ris = rispy.loads(export_cases("ris", chosen))
    assert {r["id"] for r in ris} == docs and all(r.get("access_date") for r in ris)
    md = export_cases("markdown", chosen[:2])
    assert all(c.name.value.split()[0] in md for c in chosen[:2])
    assert "| **Country** |" in md and "\n1. " in md  # a cited row and its references
    table = Document(io.BytesIO(export_cases("docx", chosen[:2]))).tables[0]
    assert len(table.columns) == 3 and table.cell(0, 1).text.startswith(chosen[0].name.value)
    with pytest.raises(ExportError):
        export_cases("pdf", chosen)


def test_references_survive_hostile_text():
    refs = [Reference("a_b.md", "50% of {braces} & C_x #1 — “quoted”", "Nesta & Co", "report",
                      "2024-05-01", "https://example.org/a?b=1&c={x}"),
            Reference("v.md", "A talk", "OPSI", "talk_summary", "", "")]
    library = bibtexparser.parse_string(to_bibtex(refs),
                                        append_middleware=[bibtexparser.middlewares
                                                           .LatexDecodingMiddleware()])
    assert not library.failed_blocks
    first = library.entries[0].fields_dict
    assert first["title"].value == refs[0].title and first["year"].value == "2024"
    assert library.entries[0].entry_type == "techreport"
    ris = rispy.loads(to_ris(refs))
    assert ris[0]["title"] == refs[0].title and ris[0]["urls"] == [refs[0].url]
    assert ris[0]["type_of_reference"] == "RPRT" and ris[1]["type_of_reference"] == "VIDEO"


def test_cases_command(sample_settings, tmp_path):
    listed = run_cli("cases", "--json", "--filter", "country=United Kingdom",
                     settings=sample_settings)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data and all(d["country"]["value"] == "United Kingdom" for d in data)
    first = data[0]
    assert first["country"]["sources"][0]["quote"] and first["documents"]
    out = tmp_path / "cmp.docx"
    ids = [d["id"] for d in data[:2]]
    compared = run_cli("cases", *ids, "--export", "docx", "-o", str(out),
                       settings=sample_settings)
    assert compared.returncode == 0, compared.stderr
    assert len(Document(str(out)).tables[0].columns) == 3
    ris = run_cli("cases", "--export", "ris", settings=sample_settings)
    assert ris.returncode == 0 and rispy.loads(ris.stdout)
    bad = run_cli("cases", "--filter", "colour=red", settings=sample_settings)
    assert bad.returncode == 1 and "bad case filter 'colour=red'" in bad.stderr
    one = run_cli("cases", ids[0], "--export", "markdown", settings=sample_settings)
    assert one.returncode == 1 and "2 to 4 cases" in one.stderr
