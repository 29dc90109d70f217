"""Choose what an answer quotes: coverage, not just the top sentence.

Each part of the question gets its most direct unit first (a list question its whole list).
Then units are added, in turn for each part, by how much relevant content they add that is
not yet quoted, per word — so a unit may also grow into the paragraph or list around it — and
less for repeating what is said or for coming from a source already quoted, until the word
budget is spent. A unit's content is its elements (sentences, a list's lead-in and items), each
with its relevance to the part; an element counts only above the part's floor (its best
relevance minus a margin), so loosely related text is not quoted to fill space.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.answer.scoring import keywords
from assistant.answer.shapes import QuestionPlan, Shape
from assistant.answer.units import Unit
from assistant.settings import Settings

LIST_PREFERENCE = 0.08  # a list within this of the best unit leads a list or how part
SAME_SOURCE = 0.85  # gain kept per unit already quoted from the same document
WORD_SMOOTHING = 20  # gain per (words + this): short units are not favoured without limit
GROW = 1.1  # preference for growing a quoted unit (into its paragraph or list) over a new one
REDUNDANCY_POWER = 2  # similarity to what is quoted, squared: mild for related, harsh for repeats


@dataclass
class Element:
    """A piece of a unit's content (a sentence, a lead-in, a list item) and its relevance."""

    chunk_id: str
    mid: int  # a character inside it, to tell whether a chosen unit already quotes it
    rel: float


@dataclass
class Scored:
    unit: Unit
    rel: float  # relevance of the unit to the part
    final: float  # relevance plus the shape's preference
    vec: np.ndarray
    elements: list[Element] = field(default_factory=list)
    fit: float = 0.0  # the shape's preference for this unit, added once to its gain


@dataclass
class Chosen:
    part: int
    role: str  # direct | support
    scored: Scored
    trim: bool = False


@dataclass
class PartResult:
    best: float = 0.0
    chosen: list[Chosen] = field(default_factory=list)


def _quotes(chosen: list[Chosen], chunk_id: str, mid: int) -> bool:
    return any(p.passage.chunk_id == chunk_id and p.start <= mid < p.end
               for c in chosen for p in c.scored.unit.pieces())


def choose(plan: QuestionPlan, ranked: list[list[Scored]], settings: Settings,
           homes: dict[int, int] | None = None) -> list[PartResult]:
    """`homes` (unit id -> part) says which part a unit may support; by default the part it
    is most relevant to."""
    budget = settings.answer_max_words
    results = [PartResult(best=max((s.rel for s in r), default=0.0)) for r in ranked]
    home = {**_homes(ranked), **(homes or {})}
    everything: list[Chosen] = []
    for p, (part, options) in enumerate(zip(plan.parts, ranked)):
        if results[p].best < settings.answer_partial_threshold:
            continue
        fresh = [s for s in options if not any(s.unit.key() & c.scored.unit.key()
                                               for c in everything)]
        if not fresh:
            continue
        lead = fresh[0]
        if part.shape in (Shape.list, Shape.how, Shape.case):
            lists = [s for s in fresh if s.unit.kind == "list"]
            if lists and lists[0].final >= lead.final - LIST_PREFERENCE:
                lead = lists[0]
        share = budget if len(plan.parts) == 1 else budget // len(plan.parts)
        chosen = Chosen(p, "direct", lead, trim=lead.unit.words() > share)
        results[p].chosen.append(chosen)
        everything.append(chosen)
    # Supporting units in turn: first each part within its share of the budget, then any part
    # in what is left, so one part cannot crowd out another.
    share = budget // max(1, len(plan.parts))
    # What may support each part: what it suits best, and for a case part ("what did Camden
    # do") only what names the case.
    subjects = [keywords(part.subject) if part.shape is Shape.case else set()
                for part in plan.parts]
    supports = [[s for s in options if home.get(id(s.unit), p) == p
                 and _about(s.unit, subjects[p])] for p, options in enumerate(ranked)]
    for shared in (False, True):
        active = [p for p, r in enumerate(results) if r.chosen]
        while active:
            for p in list(active):
                used = sum(c.scored.unit.words(c.trim) for c in everything
                           if shared or c.part == p)
                room = (budget if shared else share) - used
                floor = max(settings.answer_min_sentence_score,
                            results[p].best - settings.answer_support_margin)
                pick = _best_addition(supports[p], p, results[p], everything, floor, room,
                                      settings)
                if pick is None:
                    active.remove(p)
                    continue
                _add(pick, p, results[p], everything)
    return results


def _about(unit: Unit, subject: set[str]) -> bool:
    """The unit names the subject (all its keywords) in its text or its section heading; a
    passage about Camden also says things about cities in general."""
    return not subject or subject <= keywords(unit.text + " " + unit.passage.section)


def _homes(ranked: list[list[Scored]]) -> dict[int, int]:
    """A unit supports the part it suits best, so parts do not repeat each other."""
    if len(ranked) < 2:
        return {}
    rels: dict[int, list[float]] = {}
    for options in ranked:
        for s in options:
            rels.setdefault(id(s.unit), []).append(s.final)
    return {uid: int(np.argmax(r)) for uid, r in rels.items()}


def _best_addition(options: list[Scored], p: int, result: PartResult,
                   everything: list[Chosen], floor: float, room: int, settings: Settings
                   ) -> Scored | None:
    best, best_value = None, 0.0
    for s in options:
        key = s.unit.key()
        inside = [c for c in everything if c.scored.unit.key() <= key]
        if any(key & c.scored.unit.key() for c in everything if c not in inside):
            continue  # overlaps a chosen unit without containing it
        if any(c.part != p for c in inside):
            continue  # grows into what another part quotes
        words = s.unit.words() - sum(c.scored.unit.words(c.trim) for c in inside)
        if words > room:
            continue
        gain = sum(max(0.0, e.rel - floor) for e in s.elements
                   if not _quotes(everything, e.chunk_id, e.mid))
        if gain <= 0 or gain + s.fit <= 0:
            continue
        gain += s.fit
        others = [c.scored for c in everything if c not in inside]
        sims = [float(s.vec @ o.vec) for o in others]
        if sims and max(sims) >= settings.answer_duplicate_similarity:
            continue
        gain *= 1.0 - max(0.0, max(sims, default=0.0)) ** REDUNDANCY_POWER
        if not inside:
            # More from a chunk already quoted completes its point; more chunks of one
            # document, or of another document that says the same, spread less.
            unit = s.unit
            same = sum(c.scored.unit.passage.doc_id == unit.passage.doc_id and
                       c.scored.unit.passage.chunk_id != unit.passage.chunk_id
                       for c in result.chosen)
            if same >= settings.answer_max_per_document:
                continue
            gain *= SAME_SOURCE ** same
        if inside:
            gain *= GROW  # one longer quote reads better than two pieces of it
        value = gain / (max(words, 0) + WORD_SMOOTHING)
        if value > best_value:
            best, best_value = s, value
    return best


def _add(pick: Scored, p: int, result: PartResult, everything: list[Chosen]) -> None:
    """Add a unit; one that contains chosen units (a sentence's paragraph) replaces them in
    place and keeps their role."""
    key = pick.unit.key()
    inside = [c for c in everything if c.scored.unit.key() <= key]
    role = "direct" if any(c.role == "direct" for c in inside) else "support"
    new = Chosen(p, role, pick)
    if inside:
        at = result.chosen.index(inside[0])
        result.chosen[at] = new
        for c in inside[1:]:
            result.chosen.remove(c)
        for c in inside:
            everything.remove(c)
    else:
        result.chosen.append(new)
    everything.append(new)
