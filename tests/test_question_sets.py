"""The bundled question sets stay answerable by construction: every evidence phrase and nugget
alternative occurs in a chunk of a document the line names (see evals/check_phrases.py).
A change to the readers or the chunker that cuts or rewrites a phrase fails here, naming it."""

from __future__ import annotations

import json

import pytest

from assistant.settings import PROJECT_ROOT
from evals.check_phrases import OPSI, problems_of
from evals.questions import load_questions

QUESTIONS = PROJECT_ROOT / "evals" / "questions"


def _rows(name: str) -> list[dict]:
    path = QUESTIONS / name
    load_questions(path)  # the loader accepts it (unknown keys are ignored)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_multipart_phrases_occur_in_their_sources():
    rows = _rows("multipart.jsonl")
    assert len(rows) >= 48
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert [p for r in rows for p in problems_of(r)] == []


@pytest.mark.parametrize("name", ["opsi_dev.jsonl", "opsi_heldout.jsonl"])
def test_opsi_phrases_occur_in_their_sources(name):
    if not OPSI.is_dir():
        pytest.skip(f"{OPSI} is absent (the full OPSI library lives in ../shared)")
    rows = _rows(name)
    answerable = [r for r in rows if r.get("expect") != "not_found"]
    assert len(answerable) == 40 and len(rows) - len(answerable) == 8
    assert [p for r in answerable for p in problems_of(r)] == []


def test_check_names_a_missing_phrase_and_a_bad_nugget_count():
    row = {"id": "x1", "sources": ["004_68bdecd6a7b44e26.txt"],
           "evidence": ["At the core of mission-oriented innovation are several principles"],
           "nuggets": [["Market Shaping and Co-creation", "market shaping by dragons"]]}
    assert problems_of(row) == [
        "x1: nugget 0 'market shaping by dragons' is in none of ['004_68bdecd6a7b44e26.txt']",
        "x1: 1 nugget parts (expected 2-7)",
    ]
