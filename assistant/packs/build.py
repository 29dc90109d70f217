"""Build a briefing pack: ask the Assistant one focused question per section, keep the quoted
units that are about the topic and not already used, and mark a section "not covered" when
none are left. No text is written here: every item is an answer unit (already verified by the
answerer) or a case-record quote, re-checked verbatim against its stored chunk by
make_citation before it gets a number.
"""

from __future__ import annotations

import re
import time
from datetime import date

from assistant import messages
from assistant.answer.citations import QuoteNotInPassage, make_citation
from assistant.cases import CaseRecord, Evidence, load_cases
from assistant.packs import aids
from assistant.export.references import Reference, dedupe
from assistant.packs.model import CaseStudy, Item, Pack, PackOptions, Section
from assistant.packs.topics import (FALLBACK_QUESTIONS, SECTION_QUESTIONS, mentions,
                                     strongly_mentions, topic_terms)
from assistant.retrieve import Filters
from assistant.types import AnswerStatus, Citation, Passage

# A number a reader would call a figure: not a bare year (years go to the timeline).
FIGURE = re.compile(r"(?:[£$€]\s?\d|\d\s?%|\bper\s?cent\b|\b\d[\d,.]*\s*(?:million|billion|bn|"
                    r"m|k|trillion)\b|\b(?!(?:19|20)\d\d\b)\d[\d,.]*\b)", re.IGNORECASE)
LENGTH_FACTOR = {"short": 0.5, "standard": 1.0, "long": 1.5}
CASE_FACTS = (("place", messages.PACK_CASE_PLACE), ("organisation", messages.PACK_CASE_ORG),
              ("actions", messages.PACK_CASE_DID), ("results", messages.PACK_CASE_RESULTS))


def filters_of(options: PackOptions) -> Filters:
    year_max = options.year_max if options.year_max is not None else options.year_min
    year_min = options.year_min if options.year_min is not None else options.year_max
    return Filters(tuple(options.types), tuple(options.publishers), (), year_min, year_max)


class PackBuilder:
    """Holds what the sections share: the pack-wide citation numbers, the spans already
    quoted (so no unit appears in two sections) and every passage read (the pool the glossary,
    timeline and further reading draw on)."""

    def __init__(self, assistant, topic: str, options: PackOptions):
        self.assistant = assistant
        self.settings = assistant.settings
        self.topic = " ".join(topic.split())
        self.options = options
        self.filters = filters_of(options)
        self.terms = topic_terms(self.topic)
        units = self.settings.pack_section_units * LENGTH_FACTOR[options.length]
        if options.audience == "introductory":
            units = min(units, 3)  # a first read: the clearest few quotes
        self.budget = max(1, round(units))
        self.citations: list[Citation] = []
        self._by_quote: dict[tuple[str, str], int] = {}
        self._used_spans: list[tuple[str, int, int]] = []
        self._used_texts: set[str] = set()
        self.pool: dict[str, Passage] = {}

    # --- citations and duplicates -------------------------------------------------------
    def cite(self, c: Citation) -> int:
        key = (c.chunk_id, c.quote)
        if key not in self._by_quote:
            self.citations.append(c.model_copy(update={"n": len(self.citations) + 1}))
            self._by_quote[key] = len(self.citations)
        return self._by_quote[key]

    def cite_sentence(self, p: Passage, start: int, end: int) -> int:
        """A sentence of a passage: the number of a citation already quoting it whole (a
        glossary definition inside a section's paragraph), else a new citation."""
        for c in self.citations:
            if any(s.chunk_id == p.chunk_id and s.start <= start and end <= s.end
                   for s in c.spans):
                return c.n
        return self.cite(make_citation(0, p, p.text[start:end], start))

    def is_used(self, c: Citation) -> bool:
        """Overlapping an already quoted span, or the same words from another summary."""
        for s in c.spans:
            if any(cid == s.chunk_id and s.start < end and start < s.end
                   for cid, start, end in self._used_spans):
                return True
        return _norm(c.quote) in self._used_texts

    def use(self, c: Citation) -> int:
        self._used_spans += [(s.chunk_id, s.start, s.end) for s in c.spans]
        self._used_texts.add(_norm(c.quote))
        return self.cite(c)

    def read(self, passages) -> None:
        for p in passages:
            self.pool.setdefault(p.chunk_id, p)

    # --- sections -------------------------------------------------------------------------
    def ask(self, question: str):
        answer = self.assistant.ask(question, self.filters)
        self.read(answer.retrieved)
        return answer

    def section(self, key: str, want=None) -> Section:
        """The section from its question, or from the fallback wording when the first one
        leaves it empty; the question that filled it is the one shown."""
        questions = [SECTION_QUESTIONS[key][self.options.audience]]
        if key in FALLBACK_QUESTIONS:
            questions.append(FALLBACK_QUESTIONS[key])
        section = Section(key=key, title=messages.PACK_SECTIONS[key])
        for template in questions:
            section.question = template.format(topic=self.topic)
            self.fill(section, self.ask(section.question), want)
            if section.covered:
                break
        if not section.covered:
            section.question = questions[0].format(topic=self.topic)
        return section

    def fill(self, section: Section, answer, want=None) -> None:
        if answer.status is AnswerStatus.not_found:
            return
        by_n = {c.n: c for c in answer.citations}
        for unit in answer.units:
            c = by_n.get(unit.n)
            whole = " ".join([unit.text, *unit.items])
            if c is None or not unit.text.strip() or self.is_used(c):
                continue  # a bare list of sub-headings says nothing on its own in a handout
            if not self.about_topic(unit, c):
                continue  # loosely related text would only fill space
            if want is not None and not want(whole):
                continue
            section.items.append(Item(n=self.use(c), text=unit.text, items=unit.items))
            if len(section.items) == self.budget:
                break
        section.covered = bool(section.items)

    def about_topic(self, unit, c: Citation) -> bool:
        """The unit names the topic: in its text or its section heading (a unit under
        "Avoiding mission washing" is about it). A list must name it in its lead-in or
        heading, or in at least a third of its items: a list of thirteen general challenges
        with one item on citizens is not a list about citizen engagement."""
        if mentions(f"{unit.text} {c.location}", self.terms):
            return True
        hits = sum(mentions(item, self.terms) for item in unit.items)
        return hits > 0 and 3 * hits >= len(unit.items)

    def numbers(self) -> Section:
        """Units with a figure from the numbers question; topped up with figure-bearing
        sentences about the topic from passages the pack already read."""
        section = self.section("numbers", want=lambda t: bool(FIGURE.search(t)))
        for p in list(self.pool.values()):
            if len(section.items) >= self.budget:
                break
            for start, end in aids.spans_of(p.text):
                text = p.text[start:end]
                if not FIGURE.search(text) or not strongly_mentions(text, self.terms):
                    continue
                c = make_citation(0, p, text, start)
                if not self.is_used(c):
                    section.items.append(Item(n=self.use(c), text=text))
                    if len(section.items) >= self.budget:
                        break
        section.covered = bool(section.items)
        return section

    def cases(self) -> Section:
        """Case records about the topic (place, who led it, what they did, results), each
        fact a quote; without any, the case question's units."""
        question = SECTION_QUESTIONS["cases"][self.options.audience].format(topic=self.topic)
        section = Section(key="cases", title=messages.PACK_SECTIONS["cases"], question=question)
        limit = max(1, self.budget // 2 + (self.options.length == "long"))
        for record in self.matching_cases():
            study = self.case_study(record)
            if study.facts:
                section.cases.append(study)
            if len(section.cases) == limit:
                break
        if not section.cases:
            return self.section("cases")
        section.covered = True
        return section

    def matching_cases(self) -> list[CaseRecord]:
        scored = []
        for r in load_cases(self.settings).cases:
            text = " ".join([r.name.value, r.goal.value, *(f.value for n in
                             ("themes", "actions", "results", "lessons", "challenges")
                             for f in r.fields(n))])
            hits = len(self.terms & aids.words(text))
            if strongly_mentions(text, self.terms):
                scored.append((-hits, -len(r.documents), r.name.value, r))
        return [s[-1] for s in sorted(scored, key=lambda s: s[:3])]

    def case_study(self, record: CaseRecord) -> CaseStudy:
        study = CaseStudy(name=record.name.value, case_id=record.id)
        for name, label in CASE_FACTS:
            for f in record.fields(name)[:2 if name == "actions" else 1]:
                for e in f.evidence[:1]:
                    c = self.evidence_citation(e)
                    if c is not None and not self.is_used(c):
                        study.facts.append(Item(n=self.use(c), text=c.quote, label=label,
                                                items=[f.value] if f.value != e.quote else []))
        return study

    def evidence_citation(self, e: Evidence) -> Citation | None:
        """A case quote as a citation, only if it passes the pack's filters and is still
        verbatim in its stored chunk."""
        if (self.filters.types and e.type not in self.filters.types) or (
                self.filters.publishers and e.publisher not in self.filters.publishers):
            return None
        if self.filters.year_min is not None:
            year = int(e.date[:4]) if e.date[:4].isdigit() else None
            if year is None or not self.filters.year_min <= year <= self.filters.year_max:
                return None
        passage = self.pool.get(e.chunk_id) or self.assistant.chunk(e.chunk_id)
        if passage is None:
            return None
        try:
            return make_citation(0, passage, e.quote)
        except QuoteNotInPassage:
            return None

    def references(self) -> list[Reference]:
        """Every cited document in citation order, then further sources the pack read for
        the topic (one per document) that it did not quote."""
        cited = dedupe(self.citations)
        quoted = {r.doc_id for r in cited}
        further = dedupe((p for p in self.pool.values() if p.doc_id not in quoted
                          and mentions(p.title + " " + p.text, self.terms)), cited=False)
        return cited + further[: self.settings.pack_further_reading]


def build_pack(assistant, topic: str, options: PackOptions | None = None,
               today: date | None = None) -> Pack:
    """The pack for `topic`. `today` is the stated generation date (default: today)."""
    started = time.perf_counter()
    options = options or PackOptions()
    b = PackBuilder(assistant, topic, options)
    if not b.topic:
        raise ValueError(messages.PACK_EMPTY_TOPIC)
    sections = []
    for key in SECTION_QUESTIONS:
        if key == "cases":
            if options.include_cases:
                sections.append(b.cases())
        elif key == "numbers":
            sections.append(b.numbers())
        else:
            sections.append(b.section(key))
    pack = Pack(topic=b.topic, generated=today or date.today(), options=options,
                sections=sections)
    pack.glossary = aids.glossary(b, pack)
    pack.faq = aids.faq(pack)
    pack.timeline = aids.timeline(b)
    pack.prompts = aids.prompts(b.topic, pack)
    pack.references = b.references()
    pack.citations = b.citations
    pack.seconds = time.perf_counter() - started
    return pack


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
