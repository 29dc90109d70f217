"""Study aids for a pack: glossary, FAQ, timeline (each entry a verified quote) and workshop
discussion prompts (fixed templates filled with the pack's own terms, labelled as prompts).

Glossary and timeline read only passages the pack already retrieved, so they cost no further
searches; a quote becomes an item only through make_citation, which checks it verbatim.
"""

from __future__ import annotations

import re

from assistant.answer.verify import content_words
from assistant.packs.model import FaqEntry, GlossaryEntry, Item, Pack, TimelineEntry
from assistant.packs.topics import GLOSSARY_TERMS, PROMPTS, short_phrase, strongly_mentions
from assistant.sentences import sentence_spans

YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
# "X is ...", "X refers to ...", "X (Y) means ...": the sentence defines X.
_DEFINES = r"(?:is|are|refers to|means|describes|can be defined as|is defined as|is about)\b"


def spans_of(text: str) -> list[tuple[int, int]]:
    return sentence_spans(text)


def words(text: str) -> set[str]:
    return content_words(text)


def _defining(term: str) -> re.Pattern:
    t = re.escape(term).replace(r"\-", "[- ]").replace(r"\ ", "[- ]")
    # ... or a glossary-style line, "Mission Washing: A significant danger is ...".
    return re.compile(rf"^\W*(?:the\s+)?(?:term\s+|concept\s+of\s+)?[\"“‘']?{t}[\"”’']?"
                      rf"(?:\s*\([^)]{{1,60}}\))?(?:,?\s+{_DEFINES}|\s*:\s+\w)",
                      re.IGNORECASE)


def _pack_text(pack: Pack) -> str:
    return " ".join(" ".join([i.text, *i.items]) for s in pack.sections
                    for i in pack.section_items(s)).lower()


def glossary(b, pack: Pack) -> list[GlossaryEntry]:
    """The topic and the library terms the pack uses, each with a sentence from the read
    passages that defines it ("Market shaping is ..."). The topic falls back to the lead
    quote of the "what it is" section."""
    used = _pack_text(pack)
    terms = [pack.topic] + [t for t in GLOSSARY_TERMS if t.lower() != pack.topic.lower()
                            and re.search(rf"\b{re.escape(t.lower())}\b", used)]
    out: list[GlossaryEntry] = []
    for term in terms:
        if len(out) >= b.settings.pack_glossary_terms:
            break
        found = _definition(b, term)
        if found is None and term == pack.topic:
            first = next((s.items[0] for s in pack.sections
                          if s.key == "definition" and s.items), None)
            found = first
        if found is not None:
            out.append(GlossaryEntry(term=term, item=found))
    return out


def _definition(b, term: str) -> Item | None:
    pattern = _defining(term)
    for p in b.pool.values():
        for start, end in spans_of(p.text):
            text = p.text[start:end]
            if pattern.search(text) and len(text.split()) >= 6:
                return Item(n=b.cite_sentence(p, start, end), text=text)
    return None


def faq(pack: Pack) -> list[FaqEntry]:
    """The questions the pack asked and answered, each with its lead quote (same number)."""
    return [FaqEntry(question=s.question, item=s.items[0])
            for s in pack.sections if s.covered and s.items and s.question]


def timeline(b) -> list[TimelineEntry]:
    """Sentences about the topic that give a year, oldest first; one entry per sentence.
    Cited only once chosen, so the pack's citation list holds no unused numbers."""
    found: list[tuple[int, int, object, int, str]] = []
    seen: set[str] = set()
    for order, p in enumerate(b.pool.values()):
        for start, end in spans_of(p.text):
            text = p.text[start:end]
            year = YEAR.search(text)
            key = " ".join(text.lower().split())
            if (not year or key in seen or not strongly_mentions(text, b.terms)
                    or len(text.split()) < 6):
                continue
            seen.add(key)
            found.append((int(year.group(1)), order, p, start, text))
    found.sort(key=lambda f: (f[0], f[1], f[3]))
    return [TimelineEntry(year=year, item=Item(n=b.cite_sentence(p, start, start + len(text)),
                                               text=text))
            for year, _, p, start, text in found[: b.settings.pack_timeline_events]]


def prompts(topic: str, pack: Pack) -> list[str]:
    """Discussion prompts from fixed templates: one per practice, case, pitfall and term
    taken from the pack itself, and one on the topic. Empty slots are skipped."""
    by_key = {s.key: s for s in pack.sections}
    out: list[str] = []

    def first_phrase(key: str) -> str:
        section = by_key.get(key)
        for item in (section.items if section else []):
            for text in [*item.items, item.text]:
                if phrase := short_phrase(text):
                    return phrase
        return ""

    if practice := first_phrase("practices"):
        out.append(PROMPTS["practice"].format(x=practice))
    cases = by_key.get("cases")
    if cases and cases.cases:
        out.append(PROMPTS["case"].format(x=cases.cases[0].name))
    if pitfall := first_phrase("pitfalls"):
        out.append(PROMPTS["pitfall"].format(x=pitfall))
    terms = [g.term for g in pack.glossary if g.term.lower() != topic.lower()]
    if terms:
        out.append(PROMPTS["term"].format(x=terms[0]))
    if pack.filled():
        out.append(PROMPTS["topic"].format(x=topic))
    return out
