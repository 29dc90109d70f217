"""The Answer contract shared by the CLI, the UI, exports and the evals. Change it here only."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


def chunk_id(doc_id: str, index: int) -> str:
    """Deterministic: the same document text always yields the same ids."""
    return f"{doc_id}#{index:04d}"


class AnswerStatus(str, Enum):
    answered = "answered"
    partial = "partial"
    not_found = "not_found"


class Passage(BaseModel):
    """One retrieved chunk, with the document metadata needed to cite it."""

    chunk_id: str
    doc_id: str
    text: str
    score: float = 0.0
    title: str = ""
    publisher: str = ""
    type: str = ""
    date: str = ""
    url: str = ""
    section: str = ""
    page: int | None = None
    # [[offset_in_text, seconds], ...] for talk summaries with video timestamps.
    timestamps: list[tuple[int, int]] = Field(default_factory=list)
    video_id: str = ""
    chunk_index: int = Field(-1, description="Position of the chunk in its document.")
    list_continues: bool = Field(
        False, description="The chunk opens with the rest of a list begun in the chunk before.")


def one_per_document(passages: list[Passage], limit: int | None = None) -> list[Passage]:
    """The best passage of each document, in rank order: "nearest sources" and the document
    ranking used by the evals."""
    seen: set[str] = set()
    out: list[Passage] = []
    for p in passages:
        if p.doc_id not in seen:
            seen.add(p.doc_id)
            out.append(p)
            if limit is not None and len(out) == limit:
                break
    return out


class QuoteSpan(BaseModel):
    """One verbatim piece of a quote: text == stored text of chunk_id [start:end]."""

    chunk_id: str
    start: int
    end: int
    text: str


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    title: str
    publisher: str
    type: str
    date: str = ""
    location: str = Field(description="Human-readable place: page, section, or timestamp.")
    url: str = Field(description="Link to the place: timestamped video, page anchor or source.")
    quote: str = Field(description="What is quoted: one verbatim span, or for a list the "
                       "verbatim spans (lead-in, items) one per line.")
    passage: str = Field("", description="The stored chunk text the quote comes from.")
    spans: list[QuoteSpan] = Field(
        default_factory=list, description="The verbatim spans of the quote, each checked against "
        "its stored chunk; a list may continue into the next chunk of the same document.")
    passages: dict[str, str] = Field(
        default_factory=dict, description="Stored text of every chunk a span comes from.")


class AnswerPart(BaseModel):
    """One part of the question ("what is X", "how can it be avoided") and whether the library
    covers it."""

    text: str = Field(description="The part as the user asked it.")
    shape: str = Field(description="definition, list, how, why, case, number, comparison or "
                       "general (assistant/answer/shapes.py).")
    covered: bool = True


class AnswerUnit(BaseModel):
    """One quoted unit of the answer: a sentence, a short paragraph, or a lead-in with its
    list. Every text here is verbatim from the cited chunk(s)."""

    n: int = Field(description="Its citation number.")
    kind: str = Field(description="sentence, paragraph or list.")
    part: int = Field(0, description="Index of the question part it answers.")
    role: str = Field("direct", description="direct (leads the part) or support.")
    text: str = Field("", description="The quote (a sentence or paragraph); for a list, the "
                      "lead-in.")
    items: list[str] = Field(default_factory=list, description="List items shown, in order.")
    subitems: list[list[str]] = Field(
        default_factory=list, description="Per item, the sub-items shown under it.")
    doc_id: str = ""


class Answer(BaseModel):
    question: str
    status: AnswerStatus
    answer: str = Field(description="Answer text with [n] markers pointing at citations.")
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[Passage] = Field(default_factory=list)
    mode: str = Field("extractive", description="Which answerer produced the text.")
    filters: dict = Field(default_factory=dict, description="Filters the question ran with.")
    note: str = Field("", description="Extra message to show, e.g. why a fallback happened.")
    shape: str = Field("", description="The question's shape, or multi_part.")
    parts: list[AnswerPart] = Field(default_factory=list)
    units: list[AnswerUnit] = Field(
        default_factory=list, description="The answer's structure: quoted units in reading "
        "order (empty for answers written by an LLM).")

    def to_public_json(self) -> dict:
        """The documented `ask --json` shape."""
        return {
            "status": self.status.value,
            "answer": self.answer,
            "mode": self.mode,
            "citations": [
                {
                    "n": c.n,
                    "doc_id": c.doc_id,
                    "title": c.title,
                    "publisher": c.publisher,
                    "type": c.type,
                    "location": c.location,
                    "url": c.url,
                    "quote": c.quote,
                    "spans": [span.model_dump() for span in c.spans],
                }
                for c in self.citations
            ],
            "shape": self.shape,
            "parts": [part.model_dump() for part in self.parts],
            "units": [unit.model_dump() for unit in self.units],
            "retrieved": [
                {"doc_id": p.doc_id, "chunk_id": p.chunk_id, "text": p.text, "score": p.score}
                for p in self.retrieved
            ],
        }
