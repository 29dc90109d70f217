"""Find the initiatives one document describes: its structure first, then sentences.

1. Headings. A section whose heading names something ("Vision Zero Cancer (Sweden)",
   "Sweden: Vinnova's Place-Based Missions", "Future Mentors Program, City of Espoo, Finland")
   is about it; the heading's parts give the name, the country and the organisation.
2. List items. A bold lead-in ("**Scottish National Investment Bank:** Designed as ...") is
   read the same way; the item and the items indented under it describe it.
3. Sentences. In prose, a capitalised name ending in an initiative word ("Camden's Community
   Wealth Fund", "the We Make Camden Kit"), a quoted or distinctive name with a lower-case
   initiative word ('the "Edge of Government" initiative', "Norway's Pilot-E scheme") or a
   place with a mission ("in Valencia, Spain, a mission geared toward ...") is a mention.

Whether a heading or lead-in is a name, and of what, is decided in ingest/case_names.py.
A place or organisation named alone becomes a case only through an initiative it leads:
a quoted or capitalised initiative name in its section, or a sentence where it launches, runs
or funds a mission, programme, lab, fund, ... Otherwise it is a mention and is left out, which
keeps "OECD", "Sweden" or "London" out of the list unless a document describes their initiative.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ingest.case_fields import Unit, is_country, text_units
from ingest.case_hints import GAZETTEER, GENERIC_ACRONYMS, INITIATIVE_WORD, LEAD_VERBS
from ingest.case_names import (LED_NOUN, ORG_WORDS, PROSE_NAME, QUOTED, STRONG_NOUN,
                               NAMED_LABELS, entity_labels, prose_name_ok, parse_name)

NAME_LABEL = "(name)"  # the unit that is the heading or lead-in naming the case
# "- Camden Council (London, UK): Worked on ..." (the reader drops the bold of "**Name:**").
_LEAD_IN = re.compile(r"^(\s*)(?:[-*+•]|\d{1,2}[.)])\s+(?:\*\*)?([^:\n]{2,90}?)(?:\*\*)?:"
                      r"(?:\*\*)?(?:\s+(.*))?$")
# A short line on its own ("Challenges and Lessons Learned") labels the lines below it.
_SUBLABEL = re.compile(r"(?:\*\*)?[A-Z][\w ,&'’/-]{2,58}(?:\*\*)?:?")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")


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


def initiative_in(units: list[Unit], lead: str) -> tuple[str, str, Unit] | None:
    """(initiative name or "", initiative word, unit) for something a place or organisation
    leads, from its own section: a quoted or capitalised name ('its "Pilot-E" scheme', "the
    Innovation Fund's Mission Program"), or the lead itself doing something to a mission or
    programme ("CSIRO ... defines its missions" -> "", "missions")."""
    for unit in units:
        if unit.label == NAME_LABEL:
            continue
        for match in QUOTED.finditer(unit.text):
            inner, after = match.group(1).strip(), match.group(2) or ""
            if not inner[:1].isupper():
                continue  # "seriously ill children": a quoted phrase, not a name
            if INITIATIVE_WORD.fullmatch(after or "-"):
                return f"{inner} {after}", after, unit
            if STRONG_NOUN.match(inner.split()[-1]) and len(inner.split()) > 1:
                return inner, inner.split()[-1], unit  # 'the City of Espoo's "Future Mentors
                #                                         Program"'
            noun = INITIATIVE_WORD.search(inner)
            if noun and LEAD_VERBS.search(unit.text) and STRONG_NOUN.match(
                    inner.split()[-1]):
                return inner, noun.group(0), unit
        for match in PROSE_NAME.finditer(unit.text):
            name = re.sub(r"^The\s+", "", match.group(1))
            if name != lead and prose_name_ok(name):
                return name, name.split()[-1], unit
        for name, _, _ in written_initiatives(unit.text):  # "Norway's Pilot-E scheme"
            return name, name.split()[-1], unit
    own = re.compile(rf"\b{re.escape(lead)}['’]s (?:[\w-]+ ){{0,2}}?({LED_NOUN.pattern[2:-2]})\b",
                     re.I)
    for unit in units[:8]:  # "Health Holland's mission is for all Dutch citizens to ..."
        match = own.search(unit.text) if unit.label != NAME_LABEL else None
        if match:
            return "", match.group(1), unit
    first = re.escape(lead.split()[0])
    body = [u for u in units[:9] if u.label != NAME_LABEL]
    for i, unit in enumerate(body[:8]):
        if (re.search(rf"\b{first}", unit.text) or re.match(
                r"(?:It|They|Its|Their|The (?:agency|council|fund|organi[sz]ation))\b",
                unit.text)) and LEAD_VERBS.search(unit.text):
            # "... agency (CDTI) aims to coordinate ministries ... One such mission is to ..."
            for said in body[i:i + 2]:
                noun = LED_NOUN.search(said.text)
                if noun:
                    return "", noun.group(0), said
    return None


# 'the "Edge of Government" initiative', "Norway's Pilot-E scheme": a name the sentence writes
# in quotes, or with an acronym, digit or inner capital, then a lower-case initiative word.
_WRITTEN_NOUN = r"(scheme|programme|program|initiative|mission|platform|lab|fund|project|network|"\
    r"prize|award|challenge|sandbox|accelerator|incubator|toolkit|hub)"
_QUOTED_NAME = re.compile(rf"[“\"]([A-Z][^”\"]{{2,58}})[”\"] (?:{_WRITTEN_NOUN}\b|\((?:an?|the) "
                          rf"(?:[\w-]+ ){{0,2}}{_WRITTEN_NOUN}\b)")  # '"Future of Work" (a lab
_DISTINCT_NAME = re.compile(rf"(?<![\w-])([A-Z][\w.]*(?:-[A-Z0-9][\w]*)+|[A-Z][a-z]+[A-Z][\w]*"
                            rf"|[A-Z][a-z]+\d[\w]*) {_WRITTEN_NOUN}\b")


def written_initiatives(sentence: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of quoted or distinctive names with an initiative word; a quoted
    name is cited by the words inside the quote marks (the name leaves the marks out)."""
    out = []
    for match in _QUOTED_NAME.finditer(sentence):
        inner = match.group(1).strip()
        if len(inner.split()) > 6 or inner.endswith((".", ",", "?", "!")):
            continue  # a quoted sentence, not a name
        name = f"{inner} {match.group(2)}" if match.group(2) else inner
        out.append((name, match.start(1), match.start(1) + len(inner)))
    for match in _DISTINCT_NAME.finditer(sentence):
        if match.group(1) not in GENERIC_ACRONYMS and not sentence[:match.start()].endswith(
                ("“", '"')):
            out.append((match.group(0), match.start(), match.end()))
    return out


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
    # People spaCy tags; in a heading one ending in an initiative word ("Sitra Lab (Finnish
    # Futures Fund)") is not a person unless a sentence tags it too.
    people = [e for c in chunks for e in c.entities if e[2] == "PERSON" and (
        e in body_entities or not STRONG_NOUN.match(e[3].split()[-1]))]
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
            elif ORG_WORDS.search(name) or re.fullmatch(r"[A-Z][A-Z-]+", name) or \
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
            for match in PROSE_NAME.finditer(sentence):
                name = re.sub(r"^(?:The|For|In|And|With|Through|Its|Their)\s+", "",
                              match.group(1))
                labels = entity_labels(name, chunk.entities)
                if match.start() == 0 and not labels & NAMED_LABELS:
                    continue  # sentence-initial capitals say nothing about a name
                if not prose_name_ok(name):
                    continue
                at = s + sentence.find(name)
                found.append(Mention(name, doc_id, "sentence", [], [], [],
                                     (chunk.chunk_id, at, at + len(name)),
                                     [asdict(u) for u in _units(chunk, [(s, e)])]))
            for name, at, end in written_initiatives(sentence):
                found.append(Mention(name, doc_id, "sentence", [], [], [],
                                     (chunk.chunk_id, s + at, s + end),
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
