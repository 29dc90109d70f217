"""Sweep the answer composer's knobs on the DEV split of a nugget question set.

    python -m evals.tune.answers evals/questions/multipart.jsonl --split dev

Retrieval runs once per question; each setting then re-composes the answer from the same
passages (sentence vectors are cached), so a sweep takes seconds per setting. Reports nugget
recall, complete answers and words per answer per setting; writes
evals/results/answer_sweep_<set>_<split>.json. Never run it on a test split.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

from assistant.answer import extractive, select
from assistant.retrieve import Filters
from assistant.service import get_assistant
from assistant.settings import PROJECT_ROOT, Settings
from evals.in_domain import shown_text
from evals.metrics import mean
from evals.questions import load_questions
from evals.report import run_meta

GRID = {  # (module, name) -> values; settings fields are given as ("settings", field)
    ("settings", "answer_passages"): [6, 10],
    ("settings", "answer_support_margin"): [0.2, 0.25],
    (extractive, "LOCAL_CONTEXT"): [0.8, 0.85],
    (extractive, "PASSAGE_PRIOR"): [0.0, 0.05, 0.1, 0.2, 0.3],
}
DEPTH = 20  # passages retrieved once per question; each setting reads its own share


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--split", default="dev", choices=["dev"])
    args = ap.parse_args(argv)
    qs = [q for q in load_questions(args.questions, args.split) if q.nuggets]
    base = Settings()
    assistant = get_assistant(base)
    prepared = []
    for q in qs:
        question, filters, vec, passages = assistant._search(q.question, Filters(), DEPTH, None)
        prepared.append((q, question, filters, vec, passages))
    rows = []
    keys = list(GRID)
    for values in itertools.product(*GRID.values()):
        overrides = {}
        for (owner, name), value in zip(keys, values):
            if owner == "settings":
                overrides[name] = value
            else:
                setattr(owner, name, value)
        settings = base.model_copy(update=overrides)
        assistant.settings = settings  # reading() takes answer_passages from here
        recall, complete, words = [], [], []
        for q, question, filters, vec, passages in prepared:
            plan, part_vecs, reading = assistant.reading(question, filters, None, vec, passages)
            answer = extractive.answer_extractive(
                question, passages, vec, assistant.embed_model, settings,
                library=assistant, plan=plan, part_vecs=part_vecs, reading=reading)
            shown = shown_text(answer)
            got = q.nuggets_covered(shown)
            recall.append(sum(got) / len(got))
            complete.append(float(all(got)))
            words.append(len(shown.split()))
        row = {f"{getattr(o, '__name__', o)}.{n}": v for (o, n), v in zip(keys, values)}
        row.update(nugget_recall=round(mean(recall), 4), complete=round(mean(complete), 4),
                   words=round(mean(words), 1))
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    assistant.settings = base
    rows.sort(key=lambda r: (r["nugget_recall"], r["complete"]), reverse=True)
    out = PROJECT_ROOT / "evals" / "results" / f"answer_sweep_{args.questions.stem}_{args.split}.json"
    meta = run_meta("python -m evals.tune.answers " + " ".join(argv or sys.argv[1:]), base,
                    questions=len(qs))
    out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    print(json.dumps(rows[:5], indent=1))


if __name__ == "__main__":
    main()
