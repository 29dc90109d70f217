"""The Answer contract shared by the CLI, the UI, exports and the evals. Change it here only."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


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
    quote: str = Field(description="The exact sentence quoted; occurs verbatim in the chunk.")
    passage: str = Field("", description="The stored chunk text the quote comes from.")


class Answer(BaseModel):
    question: str
    status: AnswerStatus
    answer: str = Field(description="Answer text with [n] markers pointing at citations.")
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[Passage] = Field(default_factory=list)
    mode: str = Field("extractive", description="Which answerer produced the text.")
    filters: dict = Field(default_factory=dict, description="Filters the question ran with.")
    note: str = Field("", description="Extra message to show, e.g. why a fallback happened.")

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
                }
                for c in self.citations
            ],
            "retrieved": [
                {"doc_id": p.doc_id, "chunk_id": p.chunk_id, "text": p.text, "score": p.score}
                for p in self.retrieved
            ],
        }
