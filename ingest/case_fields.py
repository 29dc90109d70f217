"""A case's fields, read from the text units that describe it.

`text_units` is the one place that decides what a quotable unit is. Today it is a sentence
(assistant/sentences.py); when the answerer moves to answer units (a sentence, a lead-in with
its list, a short paragraph) only this function changes. Every field value below is either a
unit's exact text or a value read from one (a year, a country, a level), and keeps the unit's
position so the stage can build a verified citation from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pycountry

from assistant.sentences import sentence_spans
from ingest.case_hints import COUNTRY_ALIASES, DEMONYMS, GAZETTEER, THEMES

MAX_QUOTES = 3  # per list field (actions, results, challenges, lessons)


def text_units(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the quotable units of a chunk's text."""
    return sentence_spans(text)


@dataclass
class Unit:
    """One quotable unit that describes a case, with what the stage knows about its place."""

    chunk_id: str
    start: int
    end: int
    text: str
    label: str = ""  # the sub-heading or bold lead-in it sits under ("Challenges", "Goals")
    entities: list[tuple[str, str]] = field(default_factory=list)  # (text, label) inside it


@dataclass
class Value:
    value: str
    unit: Unit
    basis: str = ""


# Sub-headings and lead-ins ("**Challenges and Lessons Learned**") say what follows.
_LABELS = [("lessons", re.compile(r"lesson|learn|takeaway|recommend|success factor", re.I)),
           ("challenges", re.compile(r"challenge|barrier|difficult|obstacle", re.I)),
           ("results", re.compile(r"result|achievement|impact|outcome|progress", re.I)),
           ("goal", re.compile(r"goal|aim|objective|vision|mission statement|purpose|ambition",
                               re.I)),
           ("actions", re.compile(r"activit|approach|structure|how it works|key features|"
                                  r"implementation|method|process", re.I))]
_FIELD_CUES = [
    ("challenges", re.compile(r"\b(challeng(?:e|es|ing)\b(?! (?:such as|like|of our time))|"
                              r"difficult|barrier|hurdle|resistance|tension|struggl|hinder|"
                              r"obstacle|lack of)", re.I)),
    ("lessons", re.compile(r"\b(lessons?|learn(?:ed|t|ing) (?:that|from)|key to|is crucial|"
                           r"are crucial|was crucial|is vital|are vital|is essential|is paramount|"
                           r"important to|success depends)\b", re.I)),
    ("results", re.compile(r"\b(resulted in|resulting in|led to|has (?:seen|grown|engaged|"
                           r"conducted|exchanged|helped|achieved|reduced|saved)|have (?:been "
                           r"exchanged|achieved)|achieved|over [\d,.]+ (?:\w+ )?(?:citizens|"
                           r"employees|people|projects|organi[sz]ations|members)|has already)",
                           re.I)),
    ("goal", re.compile(r"\b(aims? to|aim is|aiming to|goal|objective|vision is|ambition|"
                        r"seeks? to|sought to|mission statement|designed to|purpose is|"
                        r"target(?:ed)? (?:is|for|of)|by 20[2-7]\d)\b", re.I)),
    ("actions", re.compile(r"\b(launched|established|created|set up|developed|introduced|"
                           r"built|uses|used|involv|engag|brought|funds|funded|provides|"
                           r"partner|convene|repurposed|worked on|working on|includes|"
                           r"organi[sz]es|runs|connects|facilitat|supports|identified|"
                           r"selected|piloted|tested)", re.I)),
]
_YEAR = re.compile(r"\b(?:launched|established|started|began|begun|initiated|introduced|"
                   r"founded|created|set up|amalgamated|formed|since|inception)\b[^.;]{0,40}?"
                   r"\b((?:19[5-9]|20[0-4])\d)\b", re.I)
_YEAR_BEFORE = re.compile(r"\b((?:19[5-9]|20[0-4])\d)\b[^.;]{0,12}?\b(?:launch|establish)", re.I)
_LEVEL_WORDS = [
    ("international", re.compile(r"\b(European Commission|European Union|EU-funded|"
                                 r"international|intergovernmental|global|UNDP|OECD|"
                                 r"United Nations|across (?:the )?EU)\b", re.I)),
    ("local", re.compile(r"\b(council|city|cities|municipal\w*|borough|mayor\w*|"
                         r"local authority|local government|town|village)\b", re.I)),
    ("regional", re.compile(r"\b(region|regional|county|province|devolved|state government|"
                            r"Scottish|Welsh)\b", re.I)),
    ("national", re.compile(r"\b((?i:national|nationwide|ministry|federal|government agency|"
                            r"country's|innovation agency|science agency|home office)|[A-Z][a-z]+ "
                            r"government|(?i:government) of [A-Z]\w+)\b")),
]
_ORG_TYPES = re.compile(
    r"\b((?:[\w'’-]+ ){0,3}(?:agency|authority|council|ministry|fund|bank|university|academy|"
    r"body|lab|institute|foundation|organi[sz]ation|department|office|centre|center|"
    r"commission|government|network|consortium))\b", re.I)


_SELF_ORG = re.compile(r"\b(?:Bank|Agency|Authority|Council|Ministry|Institute|Foundation)$")


def country_of(name: str) -> tuple[str, str]:
    """(country, basis) for a place, demonym or country name; ('', '') when unknown."""
    name = re.sub(r"^the\s+", "", name.strip().strip(".,"), flags=re.I)
    if name in COUNTRY_ALIASES:
        country = COUNTRY_ALIASES[name]
        return country, "" if country == name else f"{name} is {country}"
    if name in DEMONYMS:
        return DEMONYMS[name], f"nationality word {name}"
    if name in GAZETTEER and GAZETTEER[name][0]:
        return GAZETTEER[name][0], f"{name} is in {GAZETTEER[name][0]}"
    found = _country(name)
    if not found:
        return "", ""
    country = getattr(found, "common_name", found.name)
    return country, "" if country == name else f"{name} is {country}"


def _country(name: str):
    """pycountry by full name only: its lookup also takes codes ("AI" is Anguilla)."""
    if len(name) < 4 or not name[:1].isupper():
        return None
    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    names = {getattr(found, k, "") for k in ("name", "common_name", "official_name")}
    return found if name in names else None


def is_country(name: str) -> bool:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return name in COUNTRY_ALIASES or name == "European Union" or _country(name) is not None


def classify(units: list[Unit]) -> dict[str, list[Unit]]:
    """Units by field (goal, actions, results, challenges, lessons); each used at most once."""
    out: dict[str, list[Unit]] = {k: [] for k in ("goal", "actions", "results", "challenges",
                                                 "lessons")}
    for unit in units:
        if unit.label == "(name)":
            continue  # the heading or lead-in names the case; it says nothing of its fields
        labelled = [f for f, rx in _LABELS if unit.label and rx.search(unit.label)]
        cue = next((f for f, rx in _FIELD_CUES if rx.search(unit.text)), "")
        if cue in labelled or not labelled:  # "Challenges and Lessons": the sentence decides
            chosen = cue
        elif labelled[0] in ("actions", "goal"):  # a cue inside the sentence is more specific
            chosen = cue or labelled[0]
        else:
            chosen = labelled[-1] if len(labelled) > 1 and not cue else labelled[0]
        if chosen:
            out[chosen].append(unit)
    return out


def year_launched(units: list[Unit], names: list[str]) -> Value | None:
    """The year in a sentence that launches the case itself: one naming it, or one whose
    subject is it ("It was launched in 2019", "Launched in January 2019, it ...")."""
    own = [n for n in names if n]
    for unit in units:
        about = any(n in unit.text for n in own) or re.match(
            r"(?:It|Launched|Established|Started|Initiated|Founded|Created|Set up|The (?:"
            r"initiative|programme|program|mission|project|platform|lab|fund|network|scheme|"
            r"bank|committee|alliance))\b", unit.text)
        match = about and (_YEAR.search(unit.text) or _YEAR_BEFORE.search(unit.text))
        if match:
            return Value(match.group(1), unit, "year given with a launch verb")
    return None


def country_from(units: list[Unit], hints: list[str]) -> Value | None:
    """The first country named (or implied by a place or nationality word) in the hints (the
    name's own words) or else in the units, in order."""
    for unit in units:
        for text, label in unit.entities:
            if label in ("GPE", "NORP", "ORG", "LOC"):
                country, basis = country_of(text)
                if country:
                    return Value(country, unit, basis)
        for hint in hints:
            if hint and hint in unit.text:
                country, basis = country_of(hint)
                if country:
                    return Value(country, unit, basis)
    return None


def place_from(units: list[Unit]) -> Value | None:
    """A city or region (a place that is not a country) named in the units."""
    for unit in units:
        for text, label in unit.entities:
            if label == "GPE" and not is_country(text) and text not in DEMONYMS and not \
                    re.fullmatch(r"[A-Z]{2,6}", text):  # "MRFF" is a fund, not a place
                return Value(text, unit)
    return None


def level_from(units: list[Unit], hints: list[str]) -> Value | None:
    for unit in units:
        for hint in hints:
            if hint in GAZETTEER and hint in unit.text and GAZETTEER[hint][1]:
                return Value(GAZETTEER[hint][1], unit, f"{hint} is {GAZETTEER[hint][1]}")
        for level, rx in _LEVEL_WORDS:
            match = rx.search(unit.text)
            if match:
                return Value(level, unit, f"the quote says {match.group(0)!r}")
    return None


def organisation_from(units: list[Unit], hints: list[str], own: list[str]
                      ) -> tuple[Value | None, Value | None]:
    """(organisation, its type): an organisation named with the case, else the first ORG
    entity that is not the case itself (`own`: its name and aliases); the type is read from
    the organisation's own words or an apposition."""
    org = None
    own_l = [o.lower() for o in own if o]
    initials = {"".join(w[0] for w in o.split() if w[0].isupper()) for o in own if o}

    def itself(name: str) -> bool:  # the case's own name, alias or acronym
        low = name.lower().strip("\"“” ").removeprefix("the ")  # the ORG entity '"Edge of Government'
        return name in initials or any(low == o.removeprefix("the ") for o in own_l)

    # The case may be an organisation itself: a heading gave it as one ("Netherlands (Health
    # Holland)") or its name ends in an organisation noun ("Scottish National Investment Bank").
    selves = {h for h in [*hints, *own] if h and itself(h) and not is_country(h) and (
        h in hints or _SELF_ORG.search(h))}
    selves |= {o for o in own if o and "".join(w[0] for w in o.split() if w[0].isupper())
               in selves}  # "NRW" given as an organisation: "Natural Resources Wales" is too
    selves = sorted(selves, key=len, reverse=True)  # the full name before its acronym
    hints = [h for h in hints if h and not itself(h) and not is_country(h)]
    for unit in units:
        for hint in hints:
            if hint in unit.text:
                org = Value(hint, unit)
                break
        if org:
            break
        names = [t for t, label in unit.entities if label == "ORG" and not itself(t)
                 and not is_country(t) and not re.fullmatch(r"[A-Z]{3}", t)]  # "DKK"
        if names:
            org = Value(names[0], unit)
            break
    if not org:
        org = next((Value(h, u, "the case is this organisation") for u in units for h in selves
                    if h in u.text), None)
    if not org:
        return None, None
    if org.value.count("(") > org.value.count(")"):  # "the Medical Research Future Fund (MRFF"
        org.value = org.value.rsplit("(", 1)[0].strip()
    org.value = re.sub(r"^the\s+", "", org.value)
    typed = _ORG_TYPES.search(org.value)
    if typed:
        return org, Value(typed.group(1).split()[-1].lower(), org.unit, "from the name")
    after = org.unit.text.split(org.value, 1)[-1][:90]
    apposition = re.match(r",? (?:an?|the|[A-Z]\w+'s) ([^,.;]+)", after)
    if apposition:
        typed = _ORG_TYPES.search(apposition.group(1))
        if typed:
            return org, Value(typed.group(1).strip(), org.unit, "apposition")
    return org, None


def themes_from(units: list[Unit]) -> list[Value]:
    """Up to three themes whose keywords occur at least twice (else the most frequent one),
    each cited by the unit that names it most."""
    counts: dict[str, tuple[int, Unit | None, int]] = {}
    for theme, words in THEMES.items():
        total, best, best_n = 0, None, 0
        for unit in units:
            lowered = f" {unit.text.lower()} "
            n = sum(lowered.count(w) for w in words)
            total += n
            if n > best_n:
                best, best_n = unit, n
        if total:
            counts[theme] = (total, best, best_n)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1][0])
    chosen = [kv for kv in ranked if kv[1][0] >= 2][:3] or ranked[:1]
    return [Value(theme, best, "keywords in the quote") for theme, (_, best, _) in chosen
            if best is not None]
