"""Score answers produced elsewhere — e.g. by an earlier version of the product — with the same
nugget metrics as `mission-assistant eval`, so a before/after comparison uses one yardstick.

    # answers of the answerer before issue 11 (commit 0a02a40), one JSON object per line:
    git worktree add --detach ../old 0a02a40
    for each question: (cd ../old && mission-assistant ask "QUESTION" --json)  # {"citations": [...]}
    python -m evals.answer_baseline evals/questions/multipart.jsonl --split test OLD.jsonl

Each line of OLD.jsonl: {"id": ..., "status": ..., "quotes": [...], "retrieved": [...]} or the
`ask --json` output with an "id" added. Prints nugget recall, complete answers, their ceiling
on the retrieved passages, and words per answer.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evals.metrics import mean
from evals.questions import load_questions


def score(questions, answers: dict[str, dict]) -> dict:
    recall, complete, ceiling, words = [], [], [], []
    for q in questions:
        a = answers.get(q.id)
        if a is None or not q.nuggets:
            continue
        quotes = a.get("quotes")
        if quotes is None:
            quotes = [c["quote"] for c in a.get("citations", [])]
        if a.get("status") == "not_found":
            quotes = []
        shown = "\n".join(quotes)
        retrieved = a.get("retrieved", [])
        retrieved = "\n".join(r["text"] if isinstance(r, dict) else r for r in retrieved[:10])
        got, top = q.nuggets_covered(shown), q.nuggets_covered(retrieved)
        recall.append(sum(got) / len(got))
        complete.append(float(all(got)))
        ceiling.append(sum(top) / len(top))
        words.append(len(shown.split()))
    return {"questions": len(recall), "nugget_recall": mean(recall),
            "complete_answers": mean(complete), "nugget_recall_retrieved": mean(ceiling),
            "words_per_answer": mean(words)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("answers", type=Path)
    ap.add_argument("--split", choices=["dev", "test"], default=None)
    args = ap.parse_args(argv)
    answers = {}
    for line in args.answers.read_text().splitlines():
        if line.strip():
            a = json.loads(line)
            answers[a["id"]] = a
    result = score(load_questions(args.questions, args.split), answers)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                      for k, v in result.items()}, indent=1))


if __name__ == "__main__":
    main()
