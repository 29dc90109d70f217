"""Case studies derived from the indexed documents: which places and organisations the library
describes as cases, with country, level of government, themes and the passages about them.

Rules (applied to every stored chunk at the end of ingest; ~1 s for 2,000 chunks):

1. Candidates. A name is a candidate when it occurs in a chunk and is either
   - in GAZETTEER below (data: what a name *is* — country and level — not whether the library
     has it as a case), or
   - found by a pattern the documents use to introduce cases: "Camden Council (London, UK)",
     "Barcelona, Spain", "### Sweden: Vinnova", "City of Vienna", "Bristol City Council".
     Such names get their country from the pattern and a level from their wording.
2. Case evidence. A chunk counts as describing the candidate when the candidate's name is in
   the chunk's section heading, or a sentence naming it also contains a case cue (mission,
   programme, launched, strategy, pilot, initiative, example, ...). Names with no such chunk
   are mentions, not cases, and are left out.
3. Themes come from THEMES keywords counted in the evidence sentences (top three that occur at
   least twice, else the top one).

The result goes to settings.cases_path (index_dir/cases.json); the UI reads it via load_cases.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter, defaultdict

from assistant.settings import Settings
from assistant.store import LibraryIndex

log = logging.getLogger(__name__)

# name -> (country, level, aliases). Level: local | regional | national | international.
GAZETTEER: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Camden": ("United Kingdom", "local", ("Camden Council", "London Borough of Camden")),
    "Greater Manchester": ("United Kingdom", "regional", ()),
    "Bristol": ("United Kingdom", "local", ()),
    "Glasgow": ("United Kingdom", "local", ()),
    "London": ("United Kingdom", "regional", ("Greater London Authority",)),
    "Scotland": ("United Kingdom", "regional", ("Scottish Government",)),
    "Wales": ("United Kingdom", "regional", ("Welsh Government",)),
    "UK Government": ("United Kingdom", "national", ("HM Government", "Cabinet Office")),
    "Innovate UK": ("United Kingdom", "national", ("UKRI", "UK Research and Innovation")),
    "Valencia": ("Spain", "local", ()),
    "Barcelona": ("Spain", "local", ()),
    "Madrid": ("Spain", "local", ()),
    "Vinnova": ("Sweden", "national", ()),
    "Stockholm": ("Sweden", "local", ()),
    "Sitra": ("Finland", "national", ()),
    "Business Finland": ("Finland", "national", ()),
    "Helsinki": ("Finland", "local", ()),
    "Health Holland": ("Netherlands", "national", ()),
    "Amsterdam": ("Netherlands", "local", ()),
    "Rotterdam": ("Netherlands", "local", ()),
    "Innovation Fund Denmark": ("Denmark", "national", ()),
    "Copenhagen": ("Denmark", "local", ()),
    "Vienna": ("Austria", "local", ()),
    "SPRIND": ("Germany", "national", ("SPRIN-D",)),
    "CSIRO": ("Australia", "national", ()),
    "Innovation, Science and Economic Development Canada": ("Canada", "national", ("ISED",)),
    "Paris": ("France", "local", ()),
    "ENISA": ("European Union", "international", ()),
    "European Commission": ("European Union", "international", ()),
    "Horizon Europe": ("European Union", "international", ()),
    "EIT": ("European Union", "international", ("European Institute of Innovation",)),
    "OECD": ("International", "international", ()),
    "United Nations": ("International", "international", ("UNDP",)),
    "DARPA": ("United States", "national", ()),
    "ARPA-H": ("United States", "national", ()),
    "Chile": ("Chile", "national", ()),
    "Colombia": ("Colombia", "national", ()),
    "Brazil": ("Brazil", "national", ()),
    "New Zealand": ("New Zealand", "national", ()),
    "Sweden": ("Sweden", "national", ()),
    "Finland": ("Finland", "national", ()),
    "Denmark": ("Denmark", "national", ()),
    "Netherlands": ("Netherlands", "national", ()),
    "Norway": ("Norway", "national", ()),
    "Austria": ("Austria", "national", ()),
    "Germany": ("Germany", "national", ()),
    "Canada": ("Canada", "national", ()),
    "Australia": ("Australia", "national", ()),
    "Japan": ("Japan", "national", ()),
    "Korea": ("South Korea", "national", ("South Korea",)),
    "Estonia": ("Estonia", "national", ()),
    "Ireland": ("Ireland", "national", ()),
}
# Country words the patterns accept after a name, mapped to the country they mean.
COUNTRIES = {c: c for c, level, _ in GAZETTEER.values() if level != "international"}
COUNTRIES.update({"UK": "United Kingdom", "U.K.": "United Kingdom", "England": "United Kingdom",
                  "US": "United States", "USA": "United States", "The Netherlands": "Netherlands",
                  "Spain": "Spain", "Italy": "Italy", "France": "France", "Portugal": "Portugal",
                  "Belgium": "Belgium", "EU": "European Union"})
THEMES: dict[str, tuple[str, ...]] = {
    "climate and net zero": ("climate", "carbon", "net zero", "net-zero", "emission",
                             "decarbon", "neutral"),
    "housing and retrofit": ("housing", "homes", "retrofit", "estate", "buildings"),
    "health and care": ("health", "cancer", "care", "patient", "medicine", "hospital"),
    "food": ("food", "nutrition", "diet"),
    "energy": ("energy", "renewable", "electric", "heat"),
    "mobility and transport": ("transport", "mobility", "traffic", "cycling"),
    "digital, data and cyber": ("data", "digital", "cyber", "technology", "ai "),
    "innovation funding": ("fund", "funding", "investment", "grant", "procurement", "finance"),
    "community and participation": ("citizen", "community", "resident", "participat",
                                    "co-creat", "cocreat", "engagement"),
    "economy and jobs": ("economy", "economic", "jobs", "business", "wealth", "industry"),
}
CUES = re.compile(r"\b(missions?|mission-oriented|case|programmes?|programs?|launched|launch|"
                  r"strateg\w*|pilot\w*|initiatives?|examples?|embarked|set up|established|"
                  r"implemented|developed|agency|challenge|project|approach|commission)\b", re.I)
_NAME = r"[A-Z][\w&'’.-]*(?: (?:of |de |for |and )?[A-Z][\w&'’.-]*){0,4}"
_COUNTRY_ALT = "|".join(sorted(map(re.escape, COUNTRIES), key=len, reverse=True))
# "Camden Council (London, UK)", "Barcelona (Spain)", "Valencia, Spain", "### Sweden: Vinnova".
PATTERNS = [
    re.compile(rf"(?P<name>{_NAME}) \((?:[A-Z][\w ]+, )?(?P<country>{_COUNTRY_ALT})\)"),
    re.compile(rf"(?:in|at|from|by) (?P<name>{_NAME}), (?P<country>{_COUNTRY_ALT})\b"),
    re.compile(rf"^#+ (?:\d+\. )?(?P<country>{_COUNTRY_ALT})\s*[:–-]\s*(?P<name>{_NAME})", re.M),
    re.compile(rf"\b(?P<name>(?:City|Municipality|County|Region|Province) of [A-Z][\w-]+)"),
    re.compile(rf"\b(?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+)? (?:City|County|Borough|District) "
               rf"Council)"),
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_GENERIC = {"The", "This", "Our", "Their", "A", "An", "In", "For", "Example", "Case", "Mission",
            "Government", "Council", "City", "Country", "Department"}
# Words that mark a pattern match as a programme or topic rather than a place or organisation.
_PROGRAMME_WORDS = {"Mission", "Missions", "Approach", "Model", "Project", "Participation",
                    "Strategy", "Policymaking", "Populations", "Culture", "Spaces", "Integrating",
                    "From", "Scaling", "Programme", "Program", "Cancer", "Helix", "Data",
                    "Health", "Care", "Evidence-Informed", "Collaborative", "Public", "Services"}
MAX_PASSAGES = 8


def _level_of(name: str) -> str:
    lowered = name.lower()
    if any(w in lowered for w in ("council", "city", "municipality", "borough", "mayor")):
        return "local"
    if any(w in lowered for w in ("region", "county", "province", "state of")):
        return "regional"
    if any(w in lowered for w in ("ministry", "agency", "national", "government")):
        return "national"
    return "not stated"


def _canonical(name: str) -> str:
    """Gazetteer key for a name or alias ('Camden Council' -> 'Camden'), else the name."""
    for key, (_, _, aliases) in GAZETTEER.items():
        # "Camden Council", "CSIRO's Mission Model": the organisation itself is the case.
        if name == key or name in aliases or name.startswith((key + " ", key + "'", key + "’")):
            return key
    return name


def _candidates(text: str, gazetteer_re: re.Pattern) -> dict[str, tuple[str, str]]:
    """name -> (country, level) of every candidate in one chunk (rule 1)."""
    found: dict[str, tuple[str, str]] = {}
    for match in gazetteer_re.finditer(text):
        key = _canonical(match.group(0))
        found[key] = GAZETTEER[key][:2]
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            name = match.group("name").strip(" .")
            words = set(name.replace("'s", "").replace("’s", "").split())
            if name.split()[0] in _GENERIC or name in COUNTRIES:
                continue
            key = _canonical(name)
            if key not in GAZETTEER and words & _PROGRAMME_WORDS:
                continue  # "Vision Zero Cancer Mission" is a programme, not a place or body
            if key in GAZETTEER:
                found[key] = GAZETTEER[key][:2]
            elif key not in found:
                country = COUNTRIES.get(match.groupdict().get("country") or "", "")
                found[key] = (country or "not stated", _level_of(key))
    return found


def _themes(sentences: list[str]) -> list[str]:
    counts = Counter()
    for sentence in sentences:
        lowered = sentence.lower()
        for theme, words in THEMES.items():
            counts[theme] += sum(lowered.count(w) for w in words)
    ranked = [t for t, n in counts.most_common() if n >= 2][:3]
    return ranked or [t for t, n in counts.most_common(1) if n]


def extract_cases(chunks) -> list[dict]:
    """Cases from (ids, documents, metadatas) batches, best documented first (rules 1-3)."""
    names = sorted({n for k, (_, _, al) in GAZETTEER.items() for n in (k, *al)}, key=len,
                   reverse=True)
    gazetteer_re = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    evidence: dict[str, list[dict]] = defaultdict(list)
    about: dict[str, tuple[str, str]] = {}
    for ids, texts, metas in chunks:
        for chunk_id, text, meta in zip(ids, texts, metas):
            section = f"{meta.get('section', '')} {meta.get('title', '')}"
            for name, info in _candidates(text, gazetteer_re).items():
                spellings = [name, *GAZETTEER.get(name, ("", "", ()))[2]]
                hits = [s.strip() for s in _SENTENCE.split(text)
                        if any(sp in s for sp in spellings) and CUES.search(s)]
                if not hits and not any(sp in section for sp in spellings):
                    continue  # a mention, not a description (rule 2)
                about.setdefault(name, info)
                evidence[name].append({
                    "chunk_id": chunk_id, "doc_id": str(meta.get("doc_id", "")),
                    "title": str(meta.get("title", "")),
                    "publisher": str(meta.get("publisher", "")),
                    "type": str(meta.get("type", "")), "date": str(meta.get("date", "")),
                    "url": str(meta.get("url", "")), "section": str(meta.get("section", "")),
                    "sentences": hits[:3], "text": text,
                })
    cases = []
    for name, passages in evidence.items():
        passages.sort(key=lambda p: -len(p["sentences"]))
        country, level = about[name]
        cases.append({
            "name": name, "country": country, "level": level,
            "themes": _themes([s for p in passages for s in p["sentences"]] or
                              [p["text"] for p in passages]),
            "documents": sorted({p["doc_id"] for p in passages}),
            "mentions": len(passages),
            "passages": passages[:MAX_PASSAGES],
        })
    cases.sort(key=lambda c: (-len(c["documents"]), -c["mentions"], c["name"]))
    return cases


def write_cases(settings: Settings, index: LibraryIndex) -> None:
    """Rebuild settings.cases_path from the whole index. Never fails the ingest: the case list
    is a convenience, so an error is logged and the old file kept."""
    try:
        started = time.time()
        cases = extract_cases(index.all_chunks())
        payload = {"generated": time.time(), "seconds": round(time.time() - started, 2),
                   "chunks": index.count(), "cases": cases}
        path = settings.cases_path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except Exception:  # noqa: BLE001 - see docstring
        log.exception("could not derive case studies; keeping the previous cases file")


def load_cases(settings: Settings) -> dict | None:
    """The cases file written by the last ingest, or None when there is none yet."""
    try:
        return json.loads(settings.cases_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
