"""Choose the refusal threshold from an in-domain run's recorded best-sentence scores.

The extractive answerer refuses (not_found) when the best sentence of the top passages scores
below `answer_partial_threshold`. Each record in an in-domain JSON keeps that score, so
thresholds can be replayed without re-running the assistant:

    python -m evals.tune.calibrate evals/results/in_domain.json --ablation hybrid
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evals.metrics import refusal_metrics


def sweep(records: list[dict], lo: float = 0.30, hi: float = 0.70, step: float = 0.01
          ) -> list[dict]:
    should = [r["expect"] == "not_found" for r in records]
    rows, t = [], lo
    while t <= hi + 1e-9:
        refused = [r["best_sentence_score"] < t for r in records]
        rows.append({"threshold": round(t, 2), **{k: round(v, 3) for k, v in
                                                  refusal_metrics(should, refused).items()}})
        t += step
    return rows


def best_threshold(rows: list[dict], max_false_refusals: float = 0.05) -> dict:
    """Highest refusal recall whose false refusal rate stays within the budget; ties go to
    the midpoint of the tied range (the widest margin on both sides)."""
    ok = [r for r in rows if r["false_refusal_rate"] <= max_false_refusals]
    top = max(r["refusal_recall"] for r in ok)
    tied = [r for r in ok if r["refusal_recall"] == top]
    return tied[len(tied) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("report", type=Path)
    ap.add_argument("--ablation", default="hybrid")
    args = ap.parse_args()
    records = json.loads(args.report.read_text())["ablations"][args.ablation]["records"]
    rows = sweep(records)
    for r in rows:
        print(r)
    print("chosen:", best_threshold(rows))
    scores = sorted((r["best_sentence_score"], r["expect"], r["id"]) for r in records)
    print("lowest answerable:", [s for s in scores if s[1] == "answer"][:5])
    print("highest out-of-scope:", [s for s in scores if s[1] == "not_found"][-5:])


if __name__ == "__main__":
    main()
