"""Is a heading or a lead-in a name, and of what: an initiative, an organisation or a place?

Something counts as *named* when spaCy tags it as an organisation, place or work, when it has
an acronym or a mixed-case word (CSIRO, Pilot-E), when it ends in an initiative word after
words that are not concepts ("School Food Mission"), or when the document writes it capitalised
in the middle of a sentence (a concept heading such as "Key Principles" is written in lower
case there). The heading's other parts give a country, a place or an organisation:
"Sweden (Vinnova)", "UK Home Office: Accelerated Capability Environment (ACE)",
"Future Mentors Program, City of Espoo, Finland".
"""

from __future__ import annotations

import re

from ingest.case_fields import country_of, is_country
from ingest.case_hints import CONCEPTS as _CONCEPTS
from ingest.case_hints import DEMONYMS, GAZETTEER, INITIATIVE_WORD
from ingest.case_hints import GENERIC_ACRONYMS as _GENERIC_ACRONYMS
from ingest.case_hints import STOPWORDS as _STOPWORDS

NAMED_LABELS = {"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"}
_NAME_NOUNS = (r"Missions?|Programmes?|Programs?|Initiative|Lab|Fund|Alliance|Platform|Network|"
               r"Hub|Toolkit|Kit|Scheme|Challenge|Prize|Accelerators?|Incubator|Committee|Bank|"
               r"Coalition|Collaborative|Demonstrations|Decade Against Cancer|Grant|Corridors|"
               r"Pilots?")
STRONG_NOUN = re.compile(rf"^(?:{_NAME_NOUNS})$")
# What an organisation named alone leads, for a name read from the quote ("CSIRO missions").
LED_NOUN = re.compile(r"\b(missions?|programmes?|programs?|pilots?|initiatives?|labs?|"
                       r"funds?|schemes?|platforms?)\b", re.I)
_NOT_INITIATIVE_END = re.compile(
    r"\b(?:Tools?|Models?|Frameworks?|Resources|Role|Perspectives?|Approach(?:es)?|Insights|"
    r"Findings|Contribution|Capability|Stance|Trap|Dilemma|Pandemic|Reports?|Crisis|Outlook|"
    r"Challenges|Countries|Engagement|Stakeholders|Goals|Demand|Uncertainty|Mapping|Board|"
    r"Provider \d+|Types of \w+|Criteria)\W*$")
_CAP = r"(?:[A-Z][\w.'’&-]*|of|for|and|the|de|on|in|to|by|Against)"
# "Camden's Community Wealth Fund", "We Make Camden Kit", "European Cancer Mission".
PROSE_NAME = re.compile(rf"\b((?:[A-Z][\w.'’&-]*\s+)(?:{_CAP}\s+){{0,5}}(?:{_NAME_NOUNS}))(?![\w-])")
QUOTED = re.compile(r"[“\"]([^”\"]{3,60})[”\"](?:\s+(\w+))?")
_PREFIX = re.compile(r"^(?:\d+\.\s*|case study:\s*|example:\s*|from\s+|mission example:\s*|"
                     r"the\s+)+", re.I)
_PERSONISH = re.compile(r"\b(Head|Director|Founder|Advisor|Adviser|Senior|Chief|Professor|"
                        r"Minister|CEO|Strategic|Manager)\b")
_GENERIC_START = re.compile(r"^(?:A|An|Key|Our|Their|Its|How|Why|What|Role|Lessons?|"
                            r"Challenges?|Approach|Overview|Goals?|Focus|Impact|Results?|Day|"
                            r"Step|Phase|Part|Session|Building|Defining|Understanding|"
                            r"Introduction|Conclusion|Summary|Example|Examples|Case)\b")
ORG_WORDS = re.compile(r"\b(Agency|Council|Ministry|University|Office|Academy|Institute|City|"
                        r"Municipality|"
                        r"Foundation|Government|Commission|Department|Center|Centre|Bank|"
                        r"Organisation|Organization|Authority|School)\b")

def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w-]*", text) if w[0].isupper())


def _clean(text: str) -> str:
    text = re.sub(r"\[\[[^\]|]*\|\s*([^\]]*)\]\]|\[\[([^\]]*)\]\]", lambda m: m.group(1) or
                  m.group(2), text)
    text = re.sub(r"[`*_]", "", text).strip(" :.-–")
    return _PREFIX.sub("", text).strip(" :.-–")


def _is_named(name: str, body: str, labels: set[str]) -> bool:
    words = [w for w in re.findall(r"[\w.'’&-]+", name)]
    if not words or labels & {"PERSON"} and not labels & NAMED_LABELS:
        return False
    if _NOT_INITIATIVE_END.search(name) or any(
            w[0].islower() and w not in _STOPWORDS for w in words):
        return False  # "OECD Public Sector Innovation Model", "Bias towards SMEs"
    if len(words) == 1:  # one word: an acronym or mixed-case name spaCy also calls a name
        return bool(re.search(r"[A-Z]{2}|[a-z][A-Z]|\.[a-z]|\d", words[0])) and \
            words[0] not in _GENERIC_ACRONYMS or name in GAZETTEER
    if labels & NAMED_LABELS:
        return True
    if any(re.search(r"[A-Z]{2}|\d|[a-z][A-Z]|\.[a-z]", w) and w not in _GENERIC_ACRONYMS
           for w in words):
        return True  # CSIRO, Pilot-E, 5G, Innovative.si
    if len(words) > 1 and STRONG_NOUN.search(words[-1]) and not words[-1].endswith("s") \
            and not re.search(r"\b(?:of|for|to|and|with|in|on|the|a)\b", name) and not any(
            w.endswith("ing") for w in words[:-1]) and not all(
            w.lower() in _CONCEPTS for w in words[:-1]):
        return True  # '"The Street" Mission', "School Food Mission", "Innovation Incubator"
    if all(w.lower().strip("'’s") in _CONCEPTS for w in words):
        return False
    # Written capitalised in the middle of a sentence: a name, not a heading-cased concept
    # ("German National Decade Against Cancer" is written 'Germany's "National Decade ...').
    forms = {name, re.sub(r"^(?:[A-Z]\w+['’]s|" + "|".join(DEMONYMS) + r")\s+", "", name)}
    # Or given a possessive ("Health Holland's mission is ..."): concepts do not own things.
    return len(words) > 1 and any(
        len(f.split()) > 1 and (re.search(r"[a-z,;] (?:the )?[“\"]?" + re.escape(f), body) or
                                re.search(re.escape(f) + r"['’]s\b", body))
        for f in forms)


def entity_labels(name: str, entities: list[tuple[int, int, str, str]]) -> set[str]:
    """Entity labels spaCy gave to (most of) this name somewhere in the document."""
    bare = re.sub(r"^the\s+", "", name, flags=re.I)
    return {label for _, _, label, text in entities
            if re.sub(r"^the\s+", "", text, flags=re.I) in (bare, bare + "'s", bare + "’s")}


def parse_name(raw: str, body: str, entities, people=()) -> dict | None:
    """A heading or lead-in -> {name, aliases, organisations, places, kind}, or None when it
    names nothing (a concept, a person)."""
    text = _clean(raw)
    if not text or _PERSONISH.search(text) and "(" not in text:
        return None
    parts = {"aliases": [], "organisations": [], "places": []}

    def side(piece: str) -> None:  # a country, place or organisation beside the name
        piece = piece.strip(" ,")
        if not piece or _PERSONISH.search(piece):
            return
        for bit in re.split(r",\s*", piece):
            key = "places" if country_of(bit)[0] or bit in GAZETTEER and not ORG_WORDS.search(
                bit) else "organisations"
            parts[key].append(bit)

    paren = re.match(r"^(.*?)\s*\(([^)]*)\)\s*(.*)$", text)
    colon = re.match(r"^([^()]{2,60}?)\s*(?::|\s[-–]\s)\s*(.+)$", text)
    if colon and not _GENERIC_START.match(colon.group(2)):
        first, second = colon.group(1), colon.group(2)
        if country_of(first)[0] or entity_labels(first, entities) & {"GPE", "ORG", "NORP"} or \
                first in GAZETTEER or ORG_WORDS.search(first) or re.search(
                    r"\b(?:Labs|Group|Partners|Foundation)$", first):
            side(first)
            text = second
        else:
            text = first
        paren = re.match(r"^(.*?)\s*\(([^)]*)\)\s*(.*)$", text)
    elif colon:
        text = colon.group(1)
        paren = re.match(r"^(.*?)\s*\(([^)]*)\)\s*(.*)$", text)
    if paren:
        before, inside = paren.group(1).strip(), paren.group(2).strip()
        if (is_country(before) or before in GAZETTEER and GAZETTEER[before][1] !=
                "international" and not ORG_WORDS.search(before)) and not _PERSONISH.search(
                inside) and not entity_labels(re.split(r",\s*", inside)[0], entities) & {"PERSON"}:
            side(before)  # "Sweden (Vinnova)", "Basque Country (Gipuzkoa ...)"
            text, _, short = re.split(r",\s*", inside)[0].partition(" - ")
            if short:  # "Norway (Research Council of Norway - RCN)"
                parts["aliases"].append(short.strip())
        elif _initials(before).startswith(inside.replace("-", "")) or inside.isupper() and \
                len(inside) <= 6:
            parts["aliases"].append(inside)  # "Accelerated Capability Environment (ACE)"
            text = before
        else:
            side(inside)
            text = before
    elif "," in text:
        head, _, rest = text.partition(",")
        side(rest)
        text = head
    text = _PREFIX.sub("", text).strip(" :.-–,")
    if _NOT_INITIATIVE_END.search(text) or re.search(r"\b(?:to|for|in|of|into)\b.*\bMissions?$",
                                                     text) or re.search(r"\binto\b", text):
        return None  # "Key Criteria for Missions", "Health Holland's Quadruple Helix Approach"
    if not text or re.fullmatch(r"\w+ \d+", text) or _GENERIC_START.match(text) and not \
            INITIATIVE_WORD.search(text.split(maxsplit=1)[-1]):
        return None  # "Challenge 1", "Key Principles"
    labels = entity_labels(text, entities)
    if "PERSON" in labels and not labels & {"ORG", "GPE"} or any(
            text.startswith(p[3]) and len(p[3].split()) > 1 for p in people) or \
            text.split()[0].endswith("ing"):
        return None  # "Fabiana Scopolla (European Commission, Joint Research Centre)"
    located = any(country_of(p)[0] or p in GAZETTEER for p in parts["places"]) or any(
        ORG_WORDS.search(o) or entity_labels(o, entities) & {"ORG"} for o in parts["organisations"])
    acronym = any(re.fullmatch(r"[A-Z][A-Z-]{2,5}", a) and a not in _GENERIC_ACRONYMS
                  for a in parts["aliases"])  # "Spain (National Innovation Agency - CDTI)"
    if not acronym and not _is_named(text, body, labels):
        # "Cogo Digital Toolkit for Public Administrations": the body names it up to "for".
        prefix = re.match(r"^((?:[A-Z][\w.'’&-]*\s+){1,5}[A-Z][\w.'’&-]*)\s+(?:for|of|in)\b",
                          text)
        if prefix and _is_named(prefix.group(1), body, entity_labels(prefix.group(1), entities)):
            text = prefix.group(1)
        elif not (located and (INITIATIVE_WORD.search(text) or ORG_WORDS.search(text) or
                               text in GAZETTEER) and " and " not in text and
                  not text.endswith("Missions") and text.split()[0].lower() not in _CONCEPTS):
            return None
    if all(w.lower() in _CONCEPTS for w in re.findall(r"[\w'’-]+", text)):
        return None
    if is_country(text) or GAZETTEER.get(text, ("", ""))[1] in ("local", "regional") and not \
            ORG_WORDS.search(text) and "ORG" not in labels or labels == {"GPE"}:
        kind = "place"
        parts["places"].insert(0, text)
    elif INITIATIVE_WORD.search(text) or re.search(r"[“\"]", text):
        kind = "initiative"
    elif labels & {"ORG"} or ORG_WORDS.search(text) or text in GAZETTEER or any(
            GAZETTEER.get(w, ("", ""))[1] in ("national", "international") for w in
            text.split()):  # "UNDP Vietnam"
        kind = "organisation"
        parts["organisations"].insert(0, text)
    else:
        kind = "initiative"
    possessive = re.match(r"^(.+?)['’]s\s+(.+)$", text)
    if possessive and kind == "initiative":
        owner = possessive.group(1)  # "UNDP's Deep Demonstrations", "Germany's National ..."
        parts["places" if country_of(owner)[0] else "organisations"].insert(0, owner)
    return {"name": text, "kind": kind, **parts}


def prose_name_ok(name: str) -> bool:
    """A capitalised phrase ending in an initiative word that is a name, not a concept:
    not "Five Launched Missions", "Anticipation to Bold Missions", "GIZ and the World Bank"."""
    words = name.split()
    return len(words) > 1 and not words[0].endswith("ing") and not all(
        w.lower().strip("'’s") in _CONCEPTS for w in words[:-1]) and not name.endswith(
        "Missions") and " and the " not in name
