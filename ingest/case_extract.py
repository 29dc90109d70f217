"""Find the initiatives one document describes: its structure first, then sentences.

1. Headings. A section whose heading names something ("Vision Zero Cancer (Sweden)",
   "Sweden: Vinnova's Place-Based Missions", "Future Mentors Program, City of Espoo, Finland")
   is about it; the heading's parts give the name, the country and the organisation.
2. List items. A bold lead-in ("**Scottish National Investment Bank:** Designed as ...") is
   read the same way; the item and the items indented under it describe it.
3. Sentences. In prose, a capitalised name ending in an initiative word ("Camden's Community
   Wealth Fund", "the We Make Camden Kit") or a place with a mission ("in Valencia, Spain, a
   mission geared toward ...") is a mention.

Something counts as *named* when spaCy tags it as an organisation, place or work, when it has
an acronym or a mixed-case word (CSIRO, Pilot-E), or when the document writes it capitalised in
the middle of a sentence (a concept heading such as "Key Principles" is written in lower case
there). A place or organisation named alone becomes a case only through an initiative it leads:
a quoted or capitalised initiative name in its section, or a sentence where it launches, runs
or funds a mission, programme, lab, fund, ... Otherwise it is a mention and is left out, which
keeps "OECD", "Sweden" or "London" out of the list unless a document describes their initiative.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ingest.case_fields import Unit, country_of, is_country, text_units
from ingest.case_hints import DEMONYMS, GAZETTEER, INITIATIVE_WORD, LEAD_VERBS

NAME_LABEL = "(name)"  # the unit that is the heading or lead-in naming the case
NAMED_LABELS = {"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"}
_NAME_NOUNS = (r"Missions?|Programmes?|Programs?|Initiative|Lab|Fund|Alliance|Platform|Network|"
               r"Hub|Toolkit|Kit|Scheme|Challenge|Prize|Accelerators?|Incubator|Committee|Bank|"
               r"Coalition|Collaborative|Demonstrations|Decade Against Cancer|Grant|Corridors|"
               r"Pilots?")
_STRONG_NOUN = re.compile(rf"^(?:{_NAME_NOUNS})$")
# What an organisation named alone leads, for a name read from the quote ("CSIRO missions").
_LED_NOUN = re.compile(r"\b(missions?|programmes?|programs?|pilots?|initiatives?|labs?|"
                       r"funds?|schemes?|platforms?)\b", re.I)
_NOT_INITIATIVE_END = re.compile(
    r"\b(?:Tools?|Models?|Frameworks?|Resources|Role|Perspectives?|Approach(?:es)?|Insights|"
    r"Findings|Contribution|Capability|Stance|Trap|Dilemma|Pandemic|Reports?|Crisis|Outlook|"
    r"Challenges|Countries|Engagement|Stakeholders|Goals|Demand|Uncertainty|Mapping|Board|"
    r"Provider \d+|Types of \w+|Criteria)\W*$")
_STOPWORDS = {"of", "for", "and", "the", "de", "on", "in", "to", "by", "a", "an", "at", "&",
              "del", "la", "le", "van", "von", "s"}
_GENERIC_ACRONYMS = {"STI", "SMEs", "SME", "IP", "AI", "COVID-19", "ICT", "R&D", "LMICs",
                     "PPPs", "PPP", "MVP", "EU", "UN", "SDGs", "SDG", "IoT", "GDP", "CEO", "NGO",
                     "NGOs", "ST&I", "OECD", "OPSI", "UK", "US", "USA", "UAE"}
_CAP = r"(?:[A-Z][\w.'’&-]*|of|for|and|the|de|on|in|to|by|Against)"
# "Camden's Community Wealth Fund", "We Make Camden Kit", "European Cancer Mission".
_PROSE_NAME = re.compile(rf"\b((?:[A-Z][\w.'’&-]*\s+)(?:{_CAP}\s+){{0,5}}(?:{_NAME_NOUNS}))\b")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,60})[”\"](?:\s+(\w+))?")
# "- Camden Council (London, UK): Worked on ..." (the reader drops the bold of "**Name:**").
_LEAD_IN = re.compile(r"^(\s*)(?:[-*+•]|\d{1,2}[.)])\s+(?:\*\*)?([^:\n]{2,90}?)(?:\*\*)?:"
                      r"(?:\*\*)?(?:\s+(.*))?$")
# A short line on its own ("Challenges and Lessons Learned") labels the lines below it.
_SUBLABEL = re.compile(r"(?:\*\*)?[A-Z][\w ,&'’/-]{2,58}(?:\*\*)?:?")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_PREFIX = re.compile(r"^(?:\d+\.\s*|case study:\s*|example:\s*|from\s+|mission example:\s*|"
                     r"the\s+)+", re.I)
_PERSONISH = re.compile(r"\b(Head|Director|Founder|Advisor|Adviser|Senior|Chief|Professor|"
                        r"Minister|CEO|Strategic|Manager)\b")
_GENERIC_START = re.compile(r"^(?:A|An|Key|Our|Their|Its|How|Why|What|Role|Lessons?|"
                            r"Challenges?|Approach|Overview|Goals?|Focus|Impact|Results?|Day|"
                            r"Step|Phase|Part|Session|Building|Defining|Understanding|"
                            r"Introduction|Conclusion|Summary|Example|Examples|Case)\b")
_ORG_WORDS = re.compile(r"\b(Agency|Council|Ministry|University|Office|Academy|Institute|City|"
                        r"Municipality|"
                        r"Foundation|Government|Commission|Department|Center|Centre|Bank|"
                        r"Organisation|Organization|Authority|School)\b")
# Concept words that headings and lead-ins use for ideas, not names.
_CONCEPTS = set("""public private partnerships partnership innovation innovations portfolio
portfolios mission missions governance approach approaches model models framework frameworks
strategy strategies policy policies collaboration co-creation cocreation engagement
stakeholder stakeholders system systems thinking change transformation challenges challenge
key principles role roles data digital climate health future futures foresight anticipatory
adaptive enhancement-oriented mission-oriented trust leadership culture capacity capabilities
skills evaluation impact metrics funding investment learning experimentation citizens
citizen participation civil society regulation regulatory sandboxes sandbox market shaping
fixing quadruple helix triple design ecosystem ecosystems tools methods resources case
studies study examples example practice practices success factors lessons overview goals
activities structure vision directionality risk rewards growth science technology
organisational organizational silos dilemma bright side and of the for in a an to with on
from beyond vs vs. towards toward by as using its their new local regional national
international global dedicated targeted anchor anchoring accelerated transformative ambitious
societal green bold big clear specific successful effective existing multiple several four five
three two one first second third current future-ready mission-driven purpose-driven
biggest main major central multi-stakeholder cross-disciplinary contribution engagement
transition transitions demonstration demonstrations other different various""".split())


@dataclass
class Mention:
    """One document's description of one initiative (serialisable: cached between runs)."""

    name: str
    doc_id: str
    found_by: str  # heading | list item | sentence
    aliases: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    name_quote: tuple[str, int, int] = ("", 0, 0)  # (chunk_id, start, end) naming it
    units: list[dict] = field(default_factory=list)  # asdict(Unit)

    def unit_objects(self) -> list[Unit]:
        return [Unit(**{**u, "entities": [tuple(e) for e in u["entities"]]}) for u in self.units]


@dataclass
class Chunk:
    chunk_id: str
    text: str
    section: str
    entities: list[tuple[int, int, str, str]]  # (start, end, label, text)


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
    if len(words) > 1 and _STRONG_NOUN.search(words[-1]) and not words[-1].endswith("s") \
            and not re.search(r"\b(?:of|for|to|and|with|in|on|the|a)\b", name) and not any(
            w.endswith("ing") for w in words[:-1]) and not all(
            w.lower() in _CONCEPTS for w in words[:-1]):
        return True  # '"The Street" Mission', "School Food Mission", "Innovation Incubator"
    if all(w.lower().strip("'’s") in _CONCEPTS for w in words):
        return False
    # Written capitalised in the middle of a sentence: a name, not a heading-cased concept
    # ("German National Decade Against Cancer" is written 'Germany's "National Decade ...').
    forms = {name, re.sub(r"^(?:[A-Z]\w+['’]s|" + "|".join(DEMONYMS) + r")\s+", "", name)}
    return len(words) > 1 and any(
        len(f.split()) > 1 and re.search(r"[a-z,;] (?:the )?[“\"]?" + re.escape(f), body)
        for f in forms)


def _labels(name: str, entities: list[tuple[int, int, str, str]]) -> set[str]:
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
            key = "places" if country_of(bit)[0] or bit in GAZETTEER and not _ORG_WORDS.search(
                bit) else "organisations"
            parts[key].append(bit)

    paren = re.match(r"^(.*?)\s*\(([^)]*)\)\s*(.*)$", text)
    colon = re.match(r"^([^()]{2,60}?)\s*(?::|\s[-–]\s)\s*(.+)$", text)
    if colon and not _GENERIC_START.match(colon.group(2)):
        first, second = colon.group(1), colon.group(2)
        if country_of(first)[0] or _labels(first, entities) & {"GPE", "ORG", "NORP"} or \
                first in GAZETTEER or _ORG_WORDS.search(first) or re.search(
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
                "international" and not _ORG_WORDS.search(before)) and not _PERSONISH.search(
                inside) and not _labels(re.split(r",\s*", inside)[0], entities) & {"PERSON"}:
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
    labels = _labels(text, entities)
    if "PERSON" in labels and not labels & {"ORG", "GPE"} or any(
            text.startswith(p[3]) and len(p[3].split()) > 1 for p in people) or \
            text.split()[0].endswith("ing"):
        return None  # "Fabiana Scopolla (European Commission, Joint Research Centre)"
    located = any(country_of(p)[0] or p in GAZETTEER for p in parts["places"]) or any(
        _ORG_WORDS.search(o) or _labels(o, entities) & {"ORG"} for o in parts["organisations"])
    if not _is_named(text, body, labels):
        # "Cogo Digital Toolkit for Public Administrations": the body names it up to "for".
        prefix = re.match(r"^((?:[A-Z][\w.'’&-]*\s+){1,5}[A-Z][\w.'’&-]*)\s+(?:for|of|in)\b",
                          text)
        if prefix and _is_named(prefix.group(1), body, _labels(prefix.group(1), entities)):
            text = prefix.group(1)
        elif not (located and (INITIATIVE_WORD.search(text) or _ORG_WORDS.search(text) or
                               text in GAZETTEER) and " and " not in text and
                  not text.endswith("Missions") and text.split()[0].lower() not in _CONCEPTS):
            return None
    if all(w.lower() in _CONCEPTS for w in re.findall(r"[\w'’-]+", text)):
        return None
    if is_country(text) or GAZETTEER.get(text, ("", ""))[1] in ("local", "regional") and not \
            _ORG_WORDS.search(text) and "ORG" not in labels or labels == {"GPE"}:
        kind = "place"
        parts["places"].insert(0, text)
    elif INITIATIVE_WORD.search(text) or re.search(r"[“\"]", text):
        kind = "initiative"
    elif labels & {"ORG"} or _ORG_WORDS.search(text) or text in GAZETTEER or any(
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


def _prose_name_ok(name: str) -> bool:
    """A capitalised phrase ending in an initiative word that is a name, not a concept:
    not "Five Launched Missions", "Anticipation to Bold Missions", "GIZ and the World Bank"."""
    words = name.split()
    return len(words) > 1 and not words[0].endswith("ing") and not all(
        w.lower().strip("'’s") in _CONCEPTS for w in words[:-1]) and not name.endswith(
        "Missions") and " and the " not in name


def initiative_in(units: list[Unit], lead: str) -> tuple[str, str, Unit] | None:
    """(initiative name or "", initiative word, unit) for something a place or organisation
    leads, from its own section: a quoted or capitalised name ('its "Pilot-E" scheme', "the
    Innovation Fund's Mission Program"), or the lead itself doing something to a mission or
    programme ("CSIRO ... defines its missions" -> "", "missions")."""
    for unit in units:
        if unit.label == NAME_LABEL:
            continue
        for match in _QUOTED.finditer(unit.text):
            inner, after = match.group(1).strip(), match.group(2) or ""
            if not inner[:1].isupper():
                continue  # "seriously ill children": a quoted phrase, not a name
            if INITIATIVE_WORD.fullmatch(after or "-"):
                return f"{inner} {after}", after, unit
            if _STRONG_NOUN.match(inner.split()[-1]) and len(inner.split()) > 1:
                return inner, inner.split()[-1], unit  # 'the City of Espoo's "Future Mentors
                #                                         Program"'
            noun = INITIATIVE_WORD.search(inner)
            if noun and LEAD_VERBS.search(unit.text) and _STRONG_NOUN.match(
                    inner.split()[-1]):
                return inner, noun.group(0), unit
        for match in _PROSE_NAME.finditer(unit.text):
            name = re.sub(r"^The\s+", "", match.group(1))
            if name != lead and _prose_name_ok(name):
                return name, name.split()[-1], unit
    first = re.escape(lead.split()[0])
    for unit in units[:8]:
        if unit.label != NAME_LABEL and (re.search(rf"\b{first}", unit.text) or re.match(
                r"(?:It|They|Its|Their|The (?:agency|council|fund|organi[sz]ation))\b",
                unit.text)) and LEAD_VERBS.search(unit.text):
            noun = _LED_NOUN.search(unit.text)
            if noun:
                return "", noun.group(0), unit
    return None


def _in_heading_or_lead_in(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:text.find("\n", end) if "\n" in text[end:] else len(text)]
    lead = _LEAD_IN.match(line)
    return bool(_HEADING.match(line) or _SUBLABEL.fullmatch(line.strip()) or
                lead and start - line_start < lead.end(2))


def _units(chunk: Chunk, spans, label: str = "") -> list[Unit]:
    return [Unit(chunk.chunk_id, s, e, chunk.text[s:e], label,
                 [(t, lab) for es, ee, lab, t in chunk.entities if s <= es and ee <= e])
            for s, e in spans]


def _walk(chunks: list[Chunk]):
    """(chunk, line start, line, heading path, sub-label) for every line of the document, in
    order. Chunks after the first of a section do not repeat its heading, so the path is
    carried along; lines the splitter's overlap repeats are skipped (seen already)."""
    path: list[tuple[int, str]] = []
    label = ""
    seen_lines: set[str] = set()
    for chunk in chunks:
        pos = 0
        for line in chunk.text.split("\n"):
            at, pos = pos, pos + len(line) + 1
            heading = _HEADING.match(line)
            if heading:
                depth = len(line) - len(line.lstrip("#"))
                path = [p for p in path if p[0] < depth] + [(depth, heading.group(1).strip())]
                label = ""
                continue
            stripped = line.strip()
            if _SUBLABEL.fullmatch(stripped):
                label = stripped.strip("*:")
                continue
            if not stripped or stripped in seen_lines and len(stripped) > 40:
                continue
            seen_lines.add(stripped)
            yield chunk, at, line, [p[1] for p in path], label


def mentions_in(doc_id: str, chunks: list[Chunk]) -> list[Mention]:
    """Every initiative the document describes (see the module docstring)."""
    lines = list(_walk(chunks))
    # Running text only (no headings, sub-labels or lead-ins): where a name shows its capitals.
    body = "\n".join(line[_LEAD_IN.match(line).end(2):] if _LEAD_IN.match(line) else line
                     for _, _, line, _, _ in lines)
    # spaCy's labels count only where a name is used in a sentence, not in a Title Case heading.
    body_entities = [e for c in chunks for e in c.entities
                     if not _in_heading_or_lead_in(c.text, e[0], e[1])]
    people = [e for c in chunks for e in c.entities if e[2] == "PERSON"]
    found: list[Mention] = []
    by_id = {c.chunk_id: c for c in chunks}
    spans = {c.chunk_id: text_units(c.text) for c in chunks}

    def units_of(chunk: Chunk, lo: int, hi: int, label: str) -> list[Unit]:
        return _units(chunk, [(a, b) for a, b in spans[chunk.chunk_id] if lo <= a < hi], label)

    def add(parsed: dict, units: list[Unit], found_by: str, quote) -> None:
        name = parsed["name"]
        if parsed["kind"] in ("place", "organisation"):
            hit = initiative_in(units, name)
            if hit is None:
                return  # a place or organisation without an initiative: not a case
            initiative, noun, unit = hit
            if initiative:
                # '"Pilot-E" scheme' is written with quotes: cite the quoted name then.
                written = initiative if initiative in unit.text else initiative.split()[0]
                at = unit.start + unit.text.find(written)
                name, quote = initiative, (unit.chunk_id, at, at + len(written))
            elif parsed["kind"] == "place":
                return  # "Sweden has missions": a country, no named initiative
            elif _ORG_WORDS.search(name) or re.fullmatch(r"[A-Z][A-Z-]+", name) or \
                    GAZETTEER.get(name, ("", ""))[1] in ("national", "international"):
                name = f"{name} {noun.lower()}"  # "CSIRO missions", read from the quote
            # else the organisation is the initiative ("Vision Zero Cancer ... it unites")
        chunk = by_id.get(quote[0])
        if chunk is not None:  # the heading or lead-in itself: where the name is written
            units = _units(chunk, [quote[1:]], NAME_LABEL) + units
        found.append(Mention(name, doc_id, found_by, parsed["aliases"],
                             parsed["organisations"], parsed["places"], quote,
                             [asdict(u) for u in units]))

    # 1. Headings: the units under each heading (at any depth below it).
    sections: dict[str, list[Unit]] = {}
    for chunk, at, line, path, label in lines:
        for depth, heading in enumerate(path):
            inner = path[depth + 1:]
            sections.setdefault(heading, []).extend(
                units_of(chunk, at, at + len(line) + 1, inner[-1] if inner else label))
    heading_at: dict[str, tuple[str, int, int]] = {}
    for chunk in chunks:
        for match in re.finditer(r"(?m)^#{1,6}[ \t]+(.+?)[ \t]*#*$", chunk.text):
            heading_at.setdefault(match.group(1), (chunk.chunk_id, match.start(1),
                                                   match.end(1)))
    for heading, units in sections.items():
        parsed = parse_name(heading, body, body_entities, people)
        if parsed and units:
            add(parsed, units, "heading", heading_at.get(heading, ("", 0, 0)))

    # 2. List items with a lead-in ("- Name: text"), and the items indented under them.
    for i, (chunk, at, line, path, label) in enumerate(lines):
        match = _LEAD_IN.match(line)
        if not match:
            continue
        parsed = parse_name(match.group(2), body, body_entities, people)
        if not parsed:
            continue
        indent = len(match.group(1))
        units = units_of(chunk, at, at + len(line) + 1, parsed["name"])
        for other, o_at, o_line, _, _ in lines[i + 1:i + 12]:
            if len(o_line) - len(o_line.lstrip()) <= indent:
                break
            sub = _LEAD_IN.match(o_line)
            units += units_of(other, o_at, o_at + len(o_line) + 1,
                              sub.group(2) if sub else parsed["name"])
        lead_at = at + line.find(match.group(2))
        add(parsed, units, "list item", (chunk.chunk_id, lead_at, lead_at + len(match.group(2))))

    # 3. Prose: capitalised initiative names, and places with a mission.
    for chunk in chunks:
        for s, e in spans[chunk.chunk_id]:
            sentence = chunk.text[s:e]
            for match in _PROSE_NAME.finditer(sentence):
                name = re.sub(r"^(?:The|For|In|And|With|Through|Its|Their)\s+", "",
                              match.group(1))
                labels = _labels(name, chunk.entities)
                if match.start() == 0 and not labels & NAMED_LABELS:
                    continue  # sentence-initial capitals say nothing about a name
                if not _prose_name_ok(name):
                    continue
                at = s + sentence.find(name)
                found.append(Mention(name, doc_id, "sentence", [], [], [],
                                     (chunk.chunk_id, at, at + len(name)),
                                     [asdict(u) for u in _units(chunk, [(s, e)])]))
            for es, ee, label, text in chunk.entities:
                if label not in ("GPE", "LOC") or not (s <= es and ee <= e) or \
                        is_country(text) or \
                        chunk.text[max(0, es - 2):es].strip().endswith(("(", ",")) or \
                        re.search(r"(?:authority|council|borough|based|located|city) in\s*$",
                                  chunk.text[max(0, es - 30):es], re.I):
                    continue  # "Camden Council (London, UK)", "a local authority in London"
                after = chunk.text[ee:e]
                if re.match(r"^(?:,[^.]{0,40}?)?,? (?:[^.]{0,50}?)\b(?:a|its|the) (?:[\w-]+ )"
                            r"{0,3}mission\b(?!-)", after) and LEAD_VERBS.search(sentence) or \
                        re.match(r"^[^.]{0,30}\ba mission (?:geared|to|for|that)", after):
                    found.append(Mention(f"{text} mission", doc_id, "place mission", [text], [],
                                         [text], (chunk.chunk_id, es, ee),
                                         [asdict(u) for u in _units(chunk, [(s, e)])]))
    return found
