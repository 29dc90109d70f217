"""The question-set format (JSONL, one question per line) — see evals/README.md.

    {"id": "q001", "question": "What is mission washing?", "evidence": ["mission washing"]}
    {"id": "q002", "question": "...", "doc_ids": ["003_8f7f1693dd71a2ea.txt"]}
    {"id": "o001", "question": "What is the capital of Australia?", "expect": "not_found"}

A retrieved passage is relevant when it contains one of `evidence` (case-insensitive, spaces
collapsed) or comes from one of `doc_ids`.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator

from evals.metrics import contains_phrase, normalize

DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions" / "in_domain.jsonl"


class QuestionSetError(ValueError):
    pass


class Question(BaseModel):
    id: str = Field(min_length=1)
    question: str = Field(min_length=3)
    evidence: list[str] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    expect: str = "answer"  # or "not_found"
    category: str = ""
    # The parts a complete answer holds; each part is a list of alternative phrases, any one of
    # which (case-insensitive, spaces collapsed) in the answer's quotes covers it.
    nuggets: list[list[str]] = Field(default_factory=list)
    split: str = ""  # "dev" (tuning allowed) or "test" (report only); empty: not split
    sources: list[str] = Field(default_factory=list)  # documents the nuggets come from (notes)

    @model_validator(mode="after")
    def _consistent(self) -> "Question":
        if self.expect not in ("answer", "not_found"):
            raise ValueError(f"expect must be 'answer' or 'not_found', not {self.expect!r}")
        if self.expect == "answer" and not (self.evidence or self.doc_ids):
            raise ValueError("an answerable question needs `evidence` and/or `doc_ids`")
        if self.expect == "not_found" and (self.evidence or self.doc_ids):
            raise ValueError("a not_found question cannot have evidence or doc_ids")
        if any(not e.strip() for e in self.evidence):
            raise ValueError("empty evidence phrase")
        if any(not part or any(not alt.strip() for alt in part) for part in self.nuggets):
            raise ValueError("a nugget needs at least one non-empty phrase")
        if self.split not in ("", "dev", "test"):
            raise ValueError(f"split must be 'dev' or 'test', not {self.split!r}")
        return self

    def nuggets_covered(self, text: str) -> list[bool]:
        """Per nugget, whether `text` holds one of its phrases."""
        return [any(contains_phrase(text, alt) for alt in part) for part in self.nuggets]

    @property
    def in_scope(self) -> bool:
        return self.expect == "answer"

    def is_relevant(self, doc_id: str, text: str) -> bool:
        return doc_id in self.doc_ids or any(contains_phrase(text, e) for e in self.evidence)


def load_questions(path: Path, split: str | None = None) -> list[Question]:
    """Parse and validate a JSONL question set; every problem names its line. `split` keeps
    only the questions of that split (dev or test)."""
    questions, seen, errors = [], set(), []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            q = Question.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc.msg})")
            continue
        except ValidationError as exc:
            errors.append(f"line {n}: {exc.errors()[0]['msg']}")
            continue
        if q.id in seen:
            errors.append(f"line {n}: duplicate id {q.id!r}")
        seen.add(q.id)
        questions.append(q)
    if errors:
        raise QuestionSetError(f"{path}: " + "; ".join(errors[:10]))
    if split:
        questions = [q for q in questions if q.split == split]
    if not questions:
        raise QuestionSetError(f"{path}: no questions")
    return questions


def check_against_index(questions: list[Question], chunks: dict[str, tuple[str, str]]
                        ) -> list[str]:
    """Problems that would make a question unanswerable by construction: an evidence phrase
    found in no stored chunk, or a doc id not in the index. `chunks`: id -> (doc_id, text)."""
    texts = [normalize(t) for _, t in chunks.values()]
    docs = {d for d, _ in chunks.values()}
    problems = []
    for q in questions:
        for e in q.evidence:
            if not any(normalize(e) in t for t in texts):
                problems.append(f"{q.id}: evidence {e!r} is in no stored chunk")
        for n, part in enumerate(q.nuggets, start=1):
            if not any(normalize(alt) in t for alt in part for t in texts):
                problems.append(f"{q.id}: nugget {n} ({part[0]!r}) is in no stored chunk")
        for d in q.doc_ids:
            if d not in docs:
                problems.append(f"{q.id}: doc_id {d!r} is not in the index")
    return problems
