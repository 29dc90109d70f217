"""Unit tests of the case extractor's rules (no index, no NER model): names written in quotes
or with a distinctive word, an organisation's own mission, and how mentions are merged."""

from __future__ import annotations

import pytest

from ingest.case_extract import Mention, initiative_in, written_initiatives
from ingest.case_fields import Unit
from ingest.case_names import parse_name
from ingest.cases import _groups, merge_key


@pytest.mark.parametrize("sentence, name, quoted", [
    ('The UAE works with OPSI on the "Edge of Government" initiative, collecting cases.',
     "Edge of Government initiative", "Edge of Government"),
    ("Norway's Pilot-E scheme links tools across agencies.", "Pilot-E scheme", "Pilot-E scheme"),
    ('Its "Pilot-E" scheme started bottom-up.', "Pilot-E scheme", "Pilot-E"),
    ('Projects like "Future of Work" (a real-life lab for mobile work forms) are mapped.',
     "Future of Work", "Future of Work"),
])
def test_written_initiatives(sentence, name, quoted):
    found = written_initiatives(sentence)
    assert [(n, sentence[a:b]) for n, a, b in found] == [(name, quoted)]


@pytest.mark.parametrize("sentence", [
    'It needs a "whole-of-government approach" to work.',  # lower case: a phrase, not a name
    'She said "We Will Do This Together." project teams agreed.',  # a quoted sentence
    "The COVID-19 programme was short.",  # a generic acronym
    "The programme of the ministry runs labs.",
])
def test_no_written_initiative(sentence):
    assert written_initiatives(sentence) == []


def _unit(text: str, label: str = "") -> Unit:
    return Unit("c1", 0, len(text), text, label, [])


def test_an_organisation_s_own_mission():
    units = [_unit("Health Holland's mission is for all Dutch citizens to live five years "
                   "longer in good health by 2040.")]
    assert initiative_in(units, "Health Holland")[:2] == ("", "mission")


def test_a_mission_in_the_sentence_after_the_lead_verb():
    units = [_unit("The Spanish National Innovation Agency (CDTI) aims to coordinate ministries "
                   "around shared goals."),
             _unit("One such mission is to increase sustainable mobility.")]
    assert initiative_in(units, "Spanish National Innovation Agency")[:2] == ("", "mission")


def test_an_organisation_without_an_initiative_is_not_one():
    units = [_unit("Health Holland works with 97 partners."),
             _unit("Its budget is large.")]
    assert initiative_in(units, "Health Holland") is None


def test_headings_named_by_a_possessive_or_an_acronym():
    parsed = parse_name("Netherlands (Health Holland)",
                        "Health Holland's mission is for all Dutch citizens.", [])
    assert parsed and parsed["name"] == "Health Holland" and parsed["places"] == ["Netherlands"]
    parsed = parse_name("Spain (National Innovation Agency - CDTI)",
                        "Spain's national innovation agency (CDTI) aims to ...", [])
    assert parsed and parsed["name"] == "National Innovation Agency" and \
        parsed["aliases"] == ["CDTI"]
    # Without the possessive or acronym a concept-led heading stays a concept.
    assert parse_name("Netherlands (Health Holland)", "health holland", []) is None


def test_merge_keys_drop_a_leading_country_code():
    assert merge_key("UK's Engineering X") == merge_key("Engineering X")
    assert merge_key("EU Missions") == "eu mission"


def _m(name: str, found_by: str = "heading", doc: str = "d1", **kw) -> Mention:
    return Mention(name, doc, found_by, **kw)


def _grouped(mentions: list[Mention]) -> list[set[str]]:
    return sorted(({m.name for m in g} for g in _groups(mentions)), key=sorted)


def test_one_word_left_out_merges_but_not_an_organisation_s_own_name():
    groups = _grouped([_m("National AI Supercomputing Platform"),
                       _m("National AI Platform", "sentence", "d2"),
                       _m("Camden Council Food Mission", organisations=["Camden Council"]),
                       _m("Camden Council mission", "list item", "d3",
                          organisations=["Camden Council"])])
    assert {"National AI Supercomputing Platform", "National AI Platform"} in groups
    assert {"Camden Council mission"} in groups


def test_a_heading_s_organisation_named_elsewhere_as_an_initiative_merges():
    groups = _grouped([
        _m("Safer End of Engineered Life Mission", "list item",
           organisations=["Royal Academy of Engineering / Engineering X"], places=["UK"]),
        _m("UK's Engineering X", "list item", "d2")])
    assert groups == [{"Safer End of Engineered Life Mission", "UK's Engineering X"}]


def test_an_acronym_alias_joins_the_one_name_that_starts_with_it():
    groups = _grouped([_m("Natural Resources Wales", aliases=["NRW"]),
                       _m("NRW's Experience", "list item", "d2"),
                       _m("OECD Mission Action Lab", aliases=["OECD"]),
                       _m("OECD's Mission Lab Initiative", doc="d3")])
    assert {"Natural Resources Wales", "NRW's Experience"} in groups
    assert {"OECD's Mission Lab Initiative"} in groups  # OECD is a generic acronym


def test_a_case_that_is_an_organisation_is_its_own_organisation():
    from ingest.case_fields import organisation_from

    unit = _unit("Natural Resources Wales (NRW) was formed in 2013 to manage the environment.")
    org, _ = organisation_from([unit], ["NRW"], ["Natural Resources Wales", "NRW"])
    assert org.value == "Natural Resources Wales" and org.unit is unit
    bank = _unit("The Scottish National Investment Bank was designed as a mission-led bank.")
    org, kind = organisation_from([bank], [], ["Scottish National Investment Bank"])
    assert org.value == "Scottish National Investment Bank" and kind.value == "bank"
    # An initiative that is not an organisation gets none from its own name.
    lab = _unit("The Innovation Incubator helps public servants test ideas.")
    assert organisation_from([lab], [], ["Innovation Incubator"]) == (None, None)


def _chunk(text: str, people: list[str]):
    from ingest.case_extract import Chunk

    ents = [(text.find(p), text.find(p) + len(p), "PERSON", p) for p in people]
    return Chunk("c1", text, "", ents)


def test_a_heading_tagged_as_a_person_is_a_case_when_it_ends_in_an_initiative_word():
    from ingest.case_extract import mentions_in

    lab = _chunk("### Sitra Lab (Finnish Futures Fund)\n\nA speaker from Sitra Lab said it "
                 "supports other organisations in building capabilities.\n", ["Sitra Lab"])
    assert [m.name for m in mentions_in("d1", [lab])][:1] == ["Sitra Lab"]
    person = _chunk("### Riel Miller (UNESCO)\n\nThe talk covered futures literacy and "
                    "anticipation.\n", ["Riel Miller"])
    assert mentions_in("d1", [person]) == []
