"""The Pack contract: a briefing pack on one topic, shared by the builder, the exporters
(DOCX, Markdown, PPTX), the CLI, the app and the evals. Change it here only.

Every text a reader could take for a statement about the world is a verbatim quote with a
citation number (an Item); the only other words are fixed template text from
assistant/messages.py (headings, "not covered", the labelled discussion prompts).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.export.references import Reference
from assistant.types import Citation

Audience = Literal["introductory", "practitioner"]
Length = Literal["short", "standard", "long"]


class PackOptions(BaseModel):
    """What the person asked for; the same options on the same library give the same pack."""

    audience: Audience = "practitioner"
    length: Length = "standard"
    include_cases: bool = True
    types: list[str] = Field(default_factory=list, description="Document types to draw on.")
    publishers: list[str] = Field(default_factory=list)
    year_min: int | None = None
    year_max: int | None = None


class Item(BaseModel):
    """One quoted unit: a sentence, a short paragraph, or a lead-in with its list items. The
    text and items are verbatim from the citation's chunk(s)."""

    n: int = Field(description="Its citation number in the pack.")
    text: str = ""
    items: list[str] = Field(default_factory=list)
    label: str = Field("", description="Fixed field label for case facts ('Place'), or empty.")


class CaseStudy(BaseModel):
    """A case record that matches the topic: its name and facts, each a cited quote."""

    name: str
    case_id: str = ""
    facts: list[Item] = Field(default_factory=list)


class Section(BaseModel):
    key: str = Field(description="definition, why, practices, cases, pitfalls, numbers.")
    title: str
    question: str = Field("", description="The question asked of the library for it.")
    items: list[Item] = Field(default_factory=list)
    cases: list[CaseStudy] = Field(default_factory=list)
    covered: bool = False


class GlossaryEntry(BaseModel):
    term: str
    item: Item


class FaqEntry(BaseModel):
    question: str
    item: Item


class TimelineEntry(BaseModel):
    year: int
    item: Item


class Pack(BaseModel):
    topic: str
    generated: date = Field(description="The stated generation date (a parameter, so tests "
                            "and reruns can fix it); nothing else in a pack varies with time.")
    options: PackOptions = Field(default_factory=PackOptions)
    sections: list[Section] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    prompts: list[str] = Field(default_factory=list, description="Discussion prompts for a "
                               "workshop: fixed templates filled with the pack's own terms; "
                               "prompts, never facts.")
    references: list[Reference] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    seconds: float = Field(0.0, exclude=True, description="Build time (not part of the pack).")

    def citation(self, n: int) -> Citation:
        return self.citations[n - 1]

    def filled(self) -> list[Section]:
        return [s for s in self.sections if s.covered]

    def section_items(self, section: Section) -> list[Item]:
        """Every quoted item of a section, case facts included."""
        return section.items + [f for c in section.cases for f in c.facts]
