"""Briefing packs on the bundled topics: per topic, the share of sections filled, citation
precision (each citation's spans re-read from the index: verbatim or not), duplicates across
sections, build seconds, and for topics with nuggets (evals/questions/brief_topics.jsonl) the
nugget recall of the pack's quoted text.

    python -m evals.brief                 # or: mission-assistant eval brief
    python -m evals.brief --topics FILE --out evals/results

Writes brief.json and brief.md (with the machine's load average: build seconds on a busy
2-core machine mean little without it). The pack date is fixed, so reruns compare.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from assistant.packs.build import build_pack
from assistant.packs.model import Pack, PackOptions
from assistant.settings import PROJECT_ROOT, Settings
from evals.metrics import contains_phrase
from evals.report import meta_block, run_meta, table, write_json

TOPICS = PROJECT_ROOT / "evals" / "questions" / "brief_topics.jsonl"
RESULTS = PROJECT_ROOT / "evals" / "results"
DAY = date(2026, 1, 31)


def load_topics(path: Path = TOPICS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def citation_precision(pack: Pack, index) -> float:
    """Share of citations whose every span is the stored chunk's text at that place and
    whose items quote inside it."""
    if not pack.citations:
        return 1.0
    ids = list(dict.fromkeys(s.chunk_id for c in pack.citations for s in c.spans))
    stored = index.chunks(ids)
    good = 0
    for c in pack.citations:
        good += bool(c.spans) and all(
            s.chunk_id in stored and stored[s.chunk_id][0][s.start:s.end] == s.text
            for s in c.spans)
    return good / len(pack.citations)


def items_in_quotes(pack: Pack) -> bool:
    items = [i for s in pack.sections for i in pack.section_items(s)]
    items += [g.item for g in pack.glossary] + [t.item for t in pack.timeline]
    return all(i.text.strip() in pack.citation(i.n).quote for i in items)


def duplicates(pack: Pack) -> int:
    """Pairs of items in different sections that quote overlapping text (same span region of
    one chunk, or the same words)."""
    placed = [(s.key, pack.citation(i.n)) for s in pack.sections for i in pack.section_items(s)]
    count = 0
    for a in range(len(placed)):
        for b in range(a + 1, len(placed)):
            (ka, ca), (kb, cb) = placed[a], placed[b]
            if ka == kb:
                continue
            same_words = " ".join(ca.quote.lower().split()) == " ".join(cb.quote.lower().split())
            overlap = any(x.chunk_id == y.chunk_id and x.start < y.end and y.start < x.end
                          for x in ca.spans for y in cb.spans)
            count += same_words or overlap
    return count


def pack_text(pack: Pack) -> str:
    parts = [" ".join([i.text, *i.items]) for s in pack.sections for i in pack.section_items(s)]
    parts += [g.item.text for g in pack.glossary] + [t.item.text for t in pack.timeline]
    return "\n".join(parts)


def nugget_recall(pack: Pack, nuggets: list[list[str]]) -> float:
    text = pack_text(pack)
    return sum(any(contains_phrase(text, alt) for alt in part) for part in nuggets) / len(nuggets)


def run(settings: Settings, topics: list[dict], options: PackOptions | None = None) -> dict:
    from assistant.service import get_assistant

    assistant = get_assistant(settings)
    started = time.perf_counter()
    assistant.ask("What is a mission?")  # load models and caches once, outside the timings
    warmup = time.perf_counter() - started
    rows = []
    for t in topics:
        pack = build_pack(assistant, t["topic"], options or PackOptions(), DAY)
        row = {"topic": t["topic"], "id": t["id"],
               "sections_filled": len(pack.filled()) / len(pack.sections),
               "filled": f"{len(pack.filled())}/{len(pack.sections)}",
               "not_covered": ", ".join(s.key for s in pack.sections if not s.covered) or "-",
               "citations": len(pack.citations),
               "citation_precision": citation_precision(pack, assistant.index),
               "items_in_quotes": items_in_quotes(pack),
               "duplicates": duplicates(pack), "glossary": len(pack.glossary),
               "timeline": len(pack.timeline), "cases": sum(len(s.cases) for s in pack.sections),
               "build_seconds": round(pack.seconds, 2)}
        if t.get("nuggets"):
            row["nugget_recall"] = nugget_recall(pack, t["nuggets"])
        rows.append(row)
    first = build_pack(assistant, topics[0]["topic"], options or PackOptions(), DAY)
    again = build_pack(assistant, topics[0]["topic"], options or PackOptions(), DAY)
    n = len(rows)
    with_nuggets = [r["nugget_recall"] for r in rows if "nugget_recall" in r]
    summary = {
        "topics": n,
        "sections_filled": sum(r["sections_filled"] for r in rows) / n,
        "topics_all_filled": sum(r["sections_filled"] == 1 for r in rows),
        "citation_precision": sum(r["citation_precision"] for r in rows) / n,
        "duplicates": sum(r["duplicates"] for r in rows),
        "nugget_recall": sum(with_nuggets) / len(with_nuggets) if with_nuggets else None,
        "nugget_topics": len(with_nuggets),
        "build_seconds_mean": sum(r["build_seconds"] for r in rows) / n,
        "build_seconds_max": max(r["build_seconds"] for r in rows),
        "deterministic": first.model_dump_json() == again.model_dump_json(),
        "warmup_seconds": round(warmup, 2),
    }
    return {"summary": summary, "topics": rows}


def write_report(out: Path, meta: dict, result: dict) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "brief.json"
    write_json(json_path, {"meta": meta, **result})
    s = result["summary"]
    cols = ["filled", "not_covered", "citations", "citation_precision", "duplicates",
            "nugget_recall", "glossary", "timeline", "cases", "build_seconds"]
    lines = ["# Briefing packs on the bundled topics", "", meta_block(meta),
             f"- Topics: `{meta.get('topics_file', '')}` ({s['topics']}); pack date fixed "
             f"at {DAY.isoformat()}; options: practitioner, standard length, case studies in.",
             "", "## Summary", "",
             f"- Sections filled (mean share): {s['sections_filled']:.3f}; topics with every "
             f"section filled: {s['topics_all_filled']} of {s['topics']}",
             f"- Citation precision (spans verbatim in the stored chunk): "
             f"{s['citation_precision']:.3f}",
             f"- Duplicates across sections: {s['duplicates']}",
             f"- Nugget recall ({s['nugget_topics']} topics): "
             + (f"{s['nugget_recall']:.3f}" if s["nugget_recall"] is not None else "-"),
             f"- Build seconds: mean {s['build_seconds_mean']:.2f}, max "
             f"{s['build_seconds_max']:.2f} (after a {s['warmup_seconds']} s warm-up question "
             "that loads the models)",
             f"- Same library and options, same pack (built twice): "
             f"{'yes' if s['deterministic'] else 'NO'}", "", "## Per topic", "",
             table(result["topics"], cols, first="topic"), ""]
    md_path = out / "brief.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [json_path, md_path]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--topics", type=Path, default=TOPICS)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    settings = Settings()
    result = run(settings, load_topics(args.topics))
    meta = run_meta(f"python -m evals.brief --topics {args.topics} --out {args.out}", settings,
                    index_dir=str(settings.index_dir), topics_file=str(args.topics))
    for path in write_report(args.out, meta, result):
        print(path)
    return result


if __name__ == "__main__":
    main()
