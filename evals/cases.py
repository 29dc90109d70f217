"""Case-record evaluation: detection precision / recall and per-field accuracy against cases
labelled by hand (evals/cases/*.jsonl; how they were labelled: evals/cases/README.md).

    python -m evals.cases                 # the starter library (the index in settings)
    python -m evals.cases --set heldout   # 8 OPSI talk summaries outside it (own temp index)

Matching: a predicted case matches a labelled one when a name or alias of one equals, or is a
whole-word part of, a name or alias of the other (after lower-casing and dropping possessives,
punctuation and nationality words); one prediction per required label, exact matches first,
so a second record of the same initiative (a failed merge) is a false alarm. Labels marked
optional (borderline initiatives, parts of a labelled case, names met in passing) count
neither way and absorb every prediction they match. Precision = matched / (matched + unmatched predictions); recall = matched /
required labels. Fields are scored on matched required labels: a value must equal one of the
labelled values, and a field the label leaves empty must stay empty.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

from assistant.cases import CaseRecord
from assistant.settings import PROJECT_ROOT, Settings
from evals.report import load_average, meta_block, run_meta, table, write_json

CASES_DIR = Path(__file__).parent / "cases"
RESULTS = Path(__file__).parent / "results"
SHARED_OPSI = PROJECT_ROOT.parent / "shared" / "data" / "opsi"
TARGETS = {"precision": 0.85, "recall": 0.80}
FIELDS = ("country", "level", "organisation", "year", "themes")


def norm(name: str) -> str:
    from ingest.cases import merge_key

    return merge_key(name)


def _names(values) -> set[str]:
    return {n for n in (norm(v) for v in values if v) if n}


def _match(pred: set[str], gold: set[str]) -> int:
    """2 = exact, 1 = whole-word part, 0 = no match."""
    if pred & gold:
        return 2
    for p in pred:
        for g in gold:
            if re.search(rf"\b{re.escape(g)}\b", p) or (len(p.split()) > 1 or len(p) <= 6 and
                                                         p.isalnum()) and \
                    re.search(rf"\b{re.escape(p)}\b", g):
                return 1
    return 0


def match_cases(predicted: list[CaseRecord], gold: list[dict]) -> dict:
    pairs = []  # (strength, gold index, predicted index)
    for gi, g in enumerate(gold):
        gnames = _names([g["name"], *g["aliases"]])
        for pi, p in enumerate(predicted):
            strength = _match(_names([p.name.value, *p.aliases]), gnames)
            if strength:
                pairs.append((strength, not g["optional"], gi, pi))
    pairs.sort(key=lambda t: (-t[1], -t[0]))  # required labels first, exact matches first
    gold_to_pred: dict[int, int] = {}
    used: set[int] = set()
    neutral: set[int] = set()
    for _, required, gi, pi in pairs:
        if pi in used:
            continue
        if required and gi not in gold_to_pred:
            gold_to_pred[gi] = pi
            used.add(pi)
        elif not required:  # a "don't care" label absorbs every prediction it matches
            neutral.add(pi)
    used |= neutral
    required = [i for i, g in enumerate(gold) if not g["optional"]]
    hits = [i for i in required if i in gold_to_pred]
    false = [i for i in range(len(predicted)) if i not in used]
    return {"gold_to_pred": gold_to_pred, "required": required, "hits": hits, "false": false}


def field_correct(name: str, case: CaseRecord, label: dict) -> bool:
    want = label.get(name)
    if name == "themes":
        got = {t.value for t in case.themes}
        return bool(got & set(want)) if want else not got
    got = case.text(name) if name != "year" else case.year.value
    if not want:
        return not got
    if name == "year":
        return got == str(want)
    if name == "organisation":
        return bool(got) and any(w.lower() in got.lower() or got.lower() in w.lower()
                                 for w in want)
    return got in want


def score(predicted: list[CaseRecord], gold: list[dict]) -> dict:
    m = match_cases(predicted, gold)
    tp, fp = len(m["hits"]), len(m["false"])
    out = {"labelled": len(m["required"]), "optional_labels": len(gold) - len(m["required"]),
           "predicted": len(predicted), "matched": tp, "false_alarms": fp,
           "neutral": len(predicted) - tp - fp,
           "precision": tp / (tp + fp) if tp + fp else 0.0,
           "recall": tp / len(m["required"]) if m["required"] else 0.0, "fields": {}}
    for f in FIELDS:
        right = sum(field_correct(f, predicted[m["gold_to_pred"][gi]], gold[gi])
                    for gi in m["hits"])
        out["fields"][f] = {"correct": right, "of": tp, "accuracy": right / tp if tp else 0.0}
    docs_hit = docs_all = 0
    for gi in m["hits"]:
        if gold[gi].get("documents"):
            want = set(gold[gi]["documents"])
            docs_all += len(want)
            docs_hit += len(want & set(predicted[m["gold_to_pred"][gi]].documents))
    if docs_all:
        out["document_recall"] = docs_hit / docs_all
    out["missed"] = [gold[i]["name"] for i in m["required"] if i not in m["gold_to_pred"]]
    out["false"] = [predicted[i].name.value for i in m["false"]]
    out["field_errors"] = [
        {"case": gold[gi]["name"], "field": f, "want": gold[gi].get(f),
         "got": [t.value for t in predicted[m["gold_to_pred"][gi]].themes] if f == "themes"
         else getattr(predicted[m["gold_to_pred"][gi]], f).value}
        for gi in m["hits"] for f in FIELDS
        if not field_correct(f, predicted[m["gold_to_pred"][gi]], gold[gi])]
    return out


def verified_share(predicted: list[CaseRecord], settings: Settings) -> float:
    """Share of field quotes found verbatim in their stored chunk (must be 1.0)."""
    from assistant.store import LibraryIndex

    index = LibraryIndex.open(settings)
    evidence = [e for c in predicted for e in c.evidence()]
    ids = sorted({e.chunk_id for e in evidence})
    got = index.collection.get(ids=ids, include=["documents"])
    texts = dict(zip(got["ids"], got["documents"]))
    return sum(e.quote in texts.get(e.chunk_id, "") for e in evidence) / max(1, len(evidence))


def heldout_settings(tmp: Path) -> tuple[Settings, list[Path]]:
    gold = load_gold("heldout")
    files = sorted({SHARED_OPSI / d for g in gold for d in g["documents"]})
    missing = [f for f in files if not f.exists()]
    if missing:
        raise SystemExit(f"held-out documents not found: {missing[0]} (needs ../shared)")
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True)
    return Settings(corpus_dir=corpus, index_dir=tmp / "index"), files


def load_gold(name: str) -> list[dict]:
    path = CASES_DIR / f"{'starter' if name == 'starter' else 'heldout'}_gold.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_report(name: str, meta: dict, result: dict) -> Path:
    write_json(RESULTS / f"cases_{name}.json", {"meta": meta, **result})
    rows = [{"configuration": k, "value": result[k]} for k in
            ("labelled", "optional_labels", "predicted", "matched", "false_alarms", "neutral",
             "precision", "recall", "quotes_verbatim", "document_recall") if k in result]
    frows = [{"configuration": f, "accuracy": v["accuracy"], "correct": v["correct"],
              "of": v["of"]} for f, v in result["fields"].items()]
    targets = [f"- {k} >= {v}: {result[k]:.3f} {'met' if result[k] >= v else 'NOT met'}"
               for k, v in TARGETS.items()]
    lines = [f"# Case detection: {name}\n", meta_block(meta), "## Detection\n",
             table(rows, ["value"], "configuration"), "", "## Targets\n", *targets, "",
             "## Field accuracy (matched cases)\n", table(frows, ["accuracy", "correct", "of"],
                                                          "configuration"), "",
             "## Missed cases\n", *([f"- {n}" for n in result["missed"]] or ["- none"]), "",
             "## False alarms (predicted, matching no label)\n",
             *([f"- {n}" for n in result["false"]] or ["- none"]), "",
             "## Field errors\n",
             *([f"- {e['case']} · {e['field']}: want {e['want']!r}, got {e['got']!r}"
                for e in result["field_errors"]] or ["- none"])]
    path = RESULTS / f"cases_{name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv: list[str] | None = None) -> None:
    from assistant.cases import load_cases
    from ingest.pipeline import ingest

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("starter", "heldout"), default="starter")
    args = parser.parse_args(argv)
    load = load_average()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        if args.set == "heldout":
            settings, files = heldout_settings(Path(tmp))
            ingest(settings, paths=files, include_corpus=False, progress=False)
        else:
            settings = Settings()
        case_set = load_cases(settings)
        result = score(case_set.cases, load_gold(args.set))
        result["quotes_verbatim"] = verified_share(case_set.cases, settings)
    meta = run_meta(f"python -m evals.cases --set {args.set}", settings,
                    load_average=load, seconds=round(time.time() - started, 1),
                    extraction_seconds=case_set.seconds, ner_model=settings.case_ner_model)
    print(write_report(args.set, meta, result).read_text())


if __name__ == "__main__":
    main()
