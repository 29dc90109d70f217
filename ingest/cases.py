"""The case-record stage of ingest: initiatives found in every stored document, merged across
documents, with fields read from verbatim quotes (assistant/cases.py describes the record).

Runs at the end of each ingest over what Chroma now holds. Per document it tags places and
organisations with spaCy (settings.case_ner_model) and finds mentions (ingest/case_extract.py);
mentions are cached by the document's version hash (settings.case_mentions_path), so only new
or changed documents are read again. Then mentions of one initiative are merged ("Vision Zero
Cancer" and "Swedish Vision Zero Cancer"; a heading's "(ACE)" alias), fields are read from the
merged units (ingest/case_fields.py), and every quote is checked verbatim against the stored
chunk with make_citation before it is written (settings.cases_path).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from difflib import SequenceMatcher
from itertools import combinations

from assistant.answer.citations import QuoteNotInPassage, make_citation
from assistant.cases import (CaseField, CasePassage, CaseRecord, CaseSet, Evidence,
                             write_case_set)
from assistant.retrieve import passage_from
from assistant.settings import Settings
from assistant.store import LibraryIndex
from ingest import case_fields as F
from ingest.case_extract import Chunk, Mention, mentions_in
from ingest.case_hints import CONCEPTS, DEMONYMS, GENERIC_ACRONYMS, LEAD_VERBS
from ingest.case_ner import entities

log = logging.getLogger(__name__)
EXTRACTOR_VERSION = 30
# Initiative words that say what kind of thing, not which one (merge keys are lower case).
GENERIC_NOUNS = {"bank", "fund", "mission", "programme", "program", "lab", "platform",
                 "network", "initiative", "scheme", "committee", "investment", "innovation",
                 "research", "council", "agency", "city", "food", "school"}  # bump when case_extract changes, so cached mentions are re-read


def _doc_mentions(settings: Settings, index: LibraryIndex, doc_id: str) -> list[Mention]:
    got = index.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
    rows = sorted(zip(got["ids"], got["documents"], got["metadatas"]),
                  key=lambda r: int(r[2].get("chunk_index", 0)))
    ents = entities(settings.case_ner_model, [r[1] for r in rows], settings.case_ner_batch_size)
    chunks = [Chunk(cid, text, str(meta.get("section", "")), e)
              for (cid, text, meta), e in zip(rows, ents)]
    return mentions_in(doc_id, chunks)


def collect_mentions(settings: Settings, index: LibraryIndex) -> list[Mention]:
    """Mentions of every stored document, re-reading only documents whose hash changed."""
    try:
        cache = json.loads(settings.case_mentions_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    if cache.get("model") != settings.case_ner_model or cache.get("version") != \
            EXTRACTOR_VERSION:
        cache = {"model": settings.case_ner_model, "version": EXTRACTOR_VERSION, "docs": {}}
    docs = {}
    for doc_id, state in index.documents().items():
        kept = cache["docs"].get(doc_id)
        if not kept or kept["doc_hash"] != state.doc_hash:
            kept = {"doc_hash": state.doc_hash,
                    "mentions": [asdict(m) for m in _doc_mentions(settings, index, doc_id)]}
        docs[doc_id] = kept
    cache["docs"] = docs
    settings.case_mentions_path.parent.mkdir(parents=True, exist_ok=True)
    settings.case_mentions_path.write_text(json.dumps(cache), encoding="utf-8")
    return [Mention(**{**m, "name_quote": tuple(m["name_quote"])})
            for d in docs.values() for m in d["mentions"]]


def merge_key(name: str) -> str:
    """Spelling-insensitive key: 'Swedish Vision Zero Cancer' = 'Vision Zero Cancer',
    "Camden Council's Food Mission" = 'Camden Council Food Mission', 'Missions Action Lab' =
    'Mission Actions Lab'."""
    key = re.sub(r"\([^)]*\)|[“”\"'’]s\b|[“”\"'’]", " ", name)
    key = re.sub(r"[^\w\s-]", " ", key.replace("&", " and ")).lower().split()
    # A leading nationality or country says where, not which ("Swedish Vision Zero Cancer").
    while key and (key[0] in ("the", "a", "an") or key[0] != "european" and (
            key[0].capitalize() in DEMONYMS or F.is_country(key[0].capitalize()) or
            key[0] in ("uk", "us", "usa", "uae") and len(key) > 1) and
            key[0] not in ("holland", "europe")):  # "UK's Engineering X", not "EU Missions"
        key = key[1:]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us",
                                                                                 "is"))
                    else w for w in key)


def _groups(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions of one initiative: the same key (name or alias), or a key of two or more
    words that sits inside exactly one longer key ("Innovation Fund" in "Innovation Fund
    Denmark"), or inside several that add only an owner ("OECD / OPSI Mission Action Lab").
    "Food Mission" is inside Camden's and Vinnova's "School Food Mission": it joins neither."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for m in mentions:
        keys = [k for k in {merge_key(m.name), *(merge_key(a) for a in m.aliases)} if k]
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
    names = {merge_key(m.name) for m in mentions} - {""}
    led_names = {merge_key(m.name) for m in mentions if any(
        m.name.startswith(o + " ") for o in m.organisations)}  # "Camden Council mission"
    led = {merge_key(o) for m in mentions for o in m.organisations[:1]
           if m.name.startswith(o + " ")} - {""}  # "CSIRO missions": "csiro"
    # An acronym a heading gives ("Natural Resources Wales (NRW)") joins the one longer name
    # that starts with it ("NRW's Experience").
    led |= {merge_key(a) for m in mentions for a in m.aliases
            if re.fullmatch(r"[A-Z][A-Z0-9-]{1,6}", a) and a not in GENERIC_ACRONYMS} - {""}
    for short in sorted(names | led, key=len, reverse=True):
        if len(short.split()) < 2 and short not in led or all(
                w in CONCEPTS or w in GENERIC_NOUNS for w in short.split()):
            continue  # "investment bank" would join the Scottish and the European one
        longer = [k for k in names if k != short and f" {short} " in f" {k} "]
        inside = {find(k) for k in longer}
        owners_only = all(len(k.split()) - len(short.split()) == 1 for k in longer)
        if len(inside) == 1 or inside and owners_only:  # "OECD / OPSI Mission Action Lab"
            for group in inside:
                parent[find(group)] = find(short)
    # One word left out: "National AI Platform" / "National AI Supercomputing Platform".
    for short in sorted(names - led_names):
        ws = short.split()
        if len(ws) < 3 or all(w in CONCEPTS or w in GENERIC_NOUNS for w in ws):
            continue
        longer = [k for k in names if len(k.split()) == len(ws) + 1 and k.split()[0] == ws[0]
                  and k.split()[-1] == ws[-1] and _subsequence(ws, k.split())]
        if len(longer) == 1:
            parent[find(longer[0])] = find(short)
    # A heading's organisation that is itself a named initiative elsewhere: "UK (Royal Academy
    # of Engineering / Engineering X)" above the Safer End of Engineered Life mission, and
    # "UK's Engineering X" in another document. Only when one initiative names it.
    owned: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.found_by == "sentence":
            continue
        for org in m.organisations:
            for part in re.split(r"\s+/\s+|\s+[-–]\s+", org):
                k = merge_key(part)
                if k in names and k != merge_key(m.name) and (
                        len(k.split()) > 1 and not all(w in CONCEPTS or w in GENERIC_NOUNS
                                                       for w in k.split())):
                    owned[k].add(find(merge_key(m.name)))
    for k, groups_in in owned.items():
        if len(groups_in) == 1 and merge_key(k) not in {merge_key(o) for m in mentions
                                                       for o in m.places}:
            parent[find(k)] = find(next(iter(groups_in)))
    # Spellings of one name in different transcripts: "Komet" / "Kommit Committee".
    for a, b in combinations(sorted(names), 2):
        wa, wb = a.split(), b.split()
        differ = [(x, y) for x, y in zip(wa, wb) if x != y]
        if len(wa) == len(wb) > 1 and len(differ) == 1 and differ[0][0][:2] == \
                differ[0][1][:2] and SequenceMatcher(None, *differ[0]).ratio() >= 0.7:
            parent[find(a)] = find(b)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if merge_key(m.name):
            groups[find(merge_key(m.name))].append(m)
    return list(groups.values())


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def _is_case(group: list[Mention]) -> bool:
    """Structure (a heading or list item about it) makes a case; a name met only in prose
    needs a sentence where it is launched, run or funded, or a second document."""
    if any(m.found_by != "sentence" for m in group):
        return True
    if len({m.doc_id for m in group}) > 1 or any(m.found_by == "place mission" for m in group):
        return True  # a second document, or "in Valencia, Spain, a mission geared toward ..."
    for m in group:
        for u in m.units:
            near = re.escape(m.name)
            if re.search(rf"{near}.{{0,60}}{LEAD_VERBS.pattern}|{LEAD_VERBS.pattern}.{{0,60}}"
                         rf"{near}|{near},? (?:an?|the) [\w -]{{0,40}}\b(?:partnership|programme|"
                         rf"program|initiative|fund|scheme|network|platform)\b|{near} as an "
                         rf"example", u["text"], re.I):
                return True  # launched or run, "the We Make Camden Kit, a partnership ..."
    return False


class _Citer:
    """Evidence from units, each quote verified against the stored chunk (make_citation)."""

    def __init__(self, index: LibraryIndex, chunk_ids: set[str]):
        got = index.collection.get(ids=sorted(chunk_ids), include=["documents", "metadatas"]) \
            if chunk_ids else {"ids": [], "documents": [], "metadatas": []}
        self.passages = {cid: passage_from(cid, text, meta)
                         for cid, text, meta in zip(got["ids"], got["documents"],
                                                    got["metadatas"])}
        self.rejected = 0

    def evidence(self, chunk_id: str, start: int, end: int, basis: str = "") -> Evidence | None:
        passage = self.passages.get(chunk_id)
        if passage is None:
            return None
        quote = passage.text[start:end].strip()
        try:
            c = make_citation(1, passage, quote, start + passage.text[start:end].find(quote))
        except QuoteNotInPassage:
            self.rejected += 1
            return None
        return Evidence(quote=c.quote, doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title,
                        publisher=c.publisher, type=c.type, date=c.date, location=c.location,
                        url=c.url, basis=basis)

    def field(self, value: F.Value | None) -> CaseField:
        if value is None:
            return CaseField()
        u = value.unit
        ev = self.evidence(u.chunk_id, u.start, u.end, value.basis)
        return CaseField(value=value.value, evidence=[ev]) if ev else CaseField()

    def quotes(self, units: list[F.Unit]) -> list[CaseField]:
        out = []
        for u in units[:F.MAX_QUOTES]:
            ev = self.evidence(u.chunk_id, u.start, u.end)
            if ev:
                out.append(CaseField(value=ev.quote, evidence=[ev]))
        return out


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "case"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def build_records(groups: list[list[Mention]], citer: _Citer, max_passages: int
                  ) -> list[CaseRecord]:
    records, taken = [], set()
    for group in groups:
        structural = [m for m in group if m.found_by in ("heading", "list item")] or group
        name = Counter(m.name for m in structural).most_common(1)[0][0]
        seen, units = set(), []
        for m in sorted(group, key=lambda m: m.found_by == "sentence"):
            for u in m.unit_objects():
                if (u.chunk_id, u.start) not in seen:
                    seen.add((u.chunk_id, u.start))
                    units.append(u)
        if not units:
            continue
        orgs = [o for m in group for o in m.organisations]
        places = [p for m in group for p in m.places]
        first = next(m for m in group if m.name == name)
        cid, start, end = first.name_quote
        name_ev = citer.evidence(cid, start, end, "named in the " + first.found_by) if cid \
            else None
        # Where it is and who leads it: read near the name (its quote and first units).
        name_unit = next((u for u in units if u.label == "(name)" and u.chunk_id == cid), None)
        named = [u for u in units if u.label == "(name)" and u is not name_unit]
        near = ([name_unit] if name_unit else []) + [u for u in units
                                                     if u.label != "(name)"][:3] + named
        org, org_type = F.organisation_from(near, orgs, [name, *(m.name for m in group),
                                                        *(a for m in group for a in m.aliases)])
        fields = F.classify(units)
        rec_names = sorted({m.name for m in group} | {a for m in group for a in m.aliases})
        body = [u for u in units if u.label != "(name)"] or units
        words = re.findall(r"[A-Z][\w-]+", name)
        rec = CaseRecord(
            id=_slug(name, taken),
            name=CaseField(value=name, evidence=[name_ev] if name_ev else []),
            aliases=sorted({m.name for m in group} - {name} | {a for m in group
                                                               for a in m.aliases}),
            organisation=citer.field(org), organisation_type=citer.field(org_type),
            place=citer.field(F.place_from(near)),
            country=citer.field(F.country_from(near, places + orgs + words)),
            level=citer.field(F.level_from(near, words + orgs + places)),  # its own place first
            goal=(citer.quotes(fields["goal"][:1]) or [CaseField()])[0],
            year=citer.field(F.year_launched(body, [name, *rec_names])),
            themes=[f for f in (citer.field(v) for v in F.themes_from(body)) if f.value],
            actions=citer.quotes(fields["actions"]), results=citer.quotes(fields["results"]),
            challenges=citer.quotes(fields["challenges"]),
            lessons=citer.quotes(fields["lessons"]),
            found_by=sorted({m.found_by for m in group}),
        )
        chunk_ids = list(dict.fromkeys(u.chunk_id for u in units))
        passages = [citer.passages[c] for c in chunk_ids if c in citer.passages]
        rec.documents = sorted({p.doc_id for p in passages})
        rec.publishers = sorted({p.publisher for p in passages if p.publisher})
        rec.passages = [CasePassage(chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title,
                                    section=p.section, url=p.url, text=p.text)
                        for p in passages[:max_passages]]
        records.append(rec)
    return records


def extract_cases(settings: Settings, index: LibraryIndex) -> CaseSet:
    started = time.time()
    mentions = collect_mentions(settings, index)
    groups = [g for g in _groups(mentions) if _is_case(g)]
    chunk_ids = {u["chunk_id"] for g in groups for m in g for u in m.units} | \
        {m.name_quote[0] for g in groups for m in g if m.name_quote[0]}
    citer = _Citer(index, chunk_ids)
    records = build_records(groups, citer, settings.case_max_passages)
    if citer.rejected:
        log.warning("case records: %d quotes were not verbatim in their chunk and were left out",
                    citer.rejected)
    records.sort(key=lambda c: (-len(c.documents), -len(c.passages), c.name.value))
    return CaseSet(generated=time.time(), seconds=round(time.time() - started, 2),
                   model=settings.case_ner_model, cases=records)


def write_cases(settings: Settings, index: LibraryIndex) -> None:
    """Rebuild settings.cases_path. Never fails the ingest: an error is logged and the previous
    records are kept (the chunks themselves are already stored and searchable)."""
    try:
        write_case_set(settings.cases_path, extract_cases(settings, index))
    except Exception:  # noqa: BLE001 - see docstring
        log.exception("could not build case records; keeping the previous %s",
                      settings.cases_path.name)
