"""Where to put the crawler's near-duplicate threshold (settings.crawl_near_duplicate).

On the 20 real pages of ../shared/data/html-extraction: the simhash similarity of the main
text trafilatura extracts from each pair of distinct articles (must stay below the threshold)
and of each article against a print view of it (its human-annotated text re-served in bare
markup with a "Printed from" line: different markup, the same words; must reach it).

`python -m evals.tune.near_duplicates` writes evals/results/near-duplicates.json.
"""

from __future__ import annotations

import itertools
import json
import sys

from evals.html_extraction import DATA
from evals.report import run_meta
from assistant.settings import PROJECT_ROOT, Settings
from ingest.crawl.documents import analyse_html, similarity

OUT = PROJECT_ROOT / "evals" / "results" / "near-duplicates.json"


def print_view(article_body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in article_body.split("\n") if p.strip())
    return ("<html><head><title>Print</title></head><body><article><p>Printed from Site test "
            f"on 18 November 2024.</p>{paragraphs}</article></body></html>")


def study() -> dict:
    rows = [json.loads(line) for line in (DATA / "ground-truth.jsonl").open()]
    originals, prints = {}, {}
    for row in rows:
        html = (DATA / row["html_file"]).read_text(encoding="utf-8", errors="replace")
        originals[row["id"]] = analyse_html(html, "http://site.test/a").simhash
        prints[row["id"]] = analyse_html(print_view(row["articleBody"]), "http://site.test/a/print").simhash
    distinct = [similarity(originals[a], originals[b])
                for a, b in itertools.combinations(originals, 2)]
    same = [similarity(originals[k], prints[k]) for k in originals]
    return {"pages": len(rows), "distinct_pairs": len(distinct),
            "distinct_max": max(distinct), "distinct_p99": sorted(distinct)[int(0.99 * len(distinct))],
            "print_view_min": min(same), "print_view_all": sorted(same),
            "threshold": Settings().crawl_near_duplicate,
            "print_views_caught": sum(s >= Settings().crawl_near_duplicate for s in same),
            "distinct_pairs_merged": sum(s >= Settings().crawl_near_duplicate for s in distinct)}


def main() -> None:
    if not DATA.exists():
        sys.exit(f"{DATA} is missing (the shared html-extraction data)")
    result = study()
    result["meta"] = run_meta("python -m evals.tune.near_duplicates", Settings())
    OUT.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "meta"}, indent=1))


if __name__ == "__main__":
    main()
