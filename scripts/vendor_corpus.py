"""Rebuild corpus/ from ../shared: the five seeds plus the OPSI talk summaries about missions.

Run once by maintainers (`python scripts/vendor_corpus.py`); the result is committed. The
selection rule is deliberately simple and printed in the manifest header: an OPSI article is
"about missions" when the word "mission" occurs at least 3 times per 1,000 words.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
OPSI_PUBLISHER = "OECD Observatory of Public Sector Innovation (OPSI)"
OPSI_PROVENANCE = (
    "sieve-data/tubegraph (MIT) content/oecdobservatoryofpublicsec3116/{name} at commit "
    "090759ea47e6bc1eaefed1de5673d6133ae5e967; machine-generated summary of an OPSI video"
)
MISSION_DENSITY = 3.0  # mentions of "mission" per 1,000 words

# What is known about each seed, read from the documents themselves. No URL is invented:
# where the source page is unknown the field stays empty.
SEEDS = {
    "000_c1bfdc396474f115.txt": {
        "title": "Embracing culture changes to enable a mission-driven approach",
        "publisher": "Whitehall & Industry Group (WIG)",
        "type": "blog",
        "date": "2024",
        "url": "",
    },
    "001_90c229dbe2879bfb.txt": {
        "title": "What does a 'mission-driven' approach to government mean and how can it be "
        "delivered?",
        "publisher": "EIN Presswire (Institute for Government and Nesta)",
        "type": "press_release",
        "date": "2024-07-15",
        "url": "",
    },
    "002_0a47f12bf97b6036.txt": {
        "title": "Insights Blog - Cross-Sector Collaboration",
        "publisher": "LinkedIn article",
        "type": "blog",
        "date": "2024",
        "url": "",
    },
    "003_8f7f1693dd71a2ea.txt": {
        "title": "A playbook for taking missions to the next level in cities",
        "publisher": "Bloomberg Cities",
        "type": "blog",
        "date": "2024-06-20",
        "url": "",
    },
    "004_68bdecd6a7b44e26.txt": {
        "title": "Integrating mission-oriented approaches in government and policymaking",
        "publisher": OPSI_PUBLISHER,
        "type": "talk_summary",
        "date": "",
        "url": "https://www.youtube.com/watch?v=-KQokCATILo",
    },
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def about_missions(text: str) -> bool:
    words = max(1, len(text.split()))
    return len(re.findall(r"mission", text, re.IGNORECASE)) * 1000 / words >= MISSION_DENSITY


def main() -> int:
    seeds_dir, opsi_dir = SHARED / "seeds", SHARED / "data" / "opsi"
    if not seeds_dir.is_dir() or not opsi_dir.is_dir():
        print(f"expected {seeds_dir} and {opsi_dir}", file=sys.stderr)
        return 1
    for sub in ("seeds", "opsi"):
        shutil.rmtree(CORPUS / sub, ignore_errors=True)
        (CORPUS / sub).mkdir(parents=True)

    entries, seen = [], {}
    for name, meta in SEEDS.items():
        src = seeds_dir / name
        shutil.copyfile(src, CORPUS / "seeds" / name)
        seen[digest(src)] = name
        entries.append(
            {"id": name, "path": f"seeds/{name}", **meta,
             "provenance": f"shared/seeds/{name} (starter seed document)"}
        )
    skipped_duplicates = []
    for src in sorted(opsi_dir.glob("*.md")):
        text = src.read_text(encoding="utf-8")
        title_match = re.search(r"^title:\s*(.*)$", text, re.MULTILINE)
        video_match = re.search(r"^videoId:\s*(\S+)", text, re.MULTILINE)
        if not title_match or not video_match or not about_missions(text):
            continue  # SOURCES.md, the channel index page, and off-topic talks
        if digest(src) in seen:
            skipped_duplicates.append(f"{src.name} = {seen[digest(src)]}")
            continue
        shutil.copyfile(src, CORPUS / "opsi" / src.name)
        entries.append(
            {
                "id": src.name,
                "path": f"opsi/{src.name}",
                "title": title_match.group(1).strip().strip("\"'"),
                "publisher": OPSI_PUBLISHER,
                "type": "talk_summary",
                "date": "",
                "url": f"https://www.youtube.com/watch?v={video_match.group(1).strip()}",
                "provenance": OPSI_PROVENANCE.format(name=src.name),
            }
        )
    header = (
        "# The bundled starter library. One entry per document: id, path (relative to this\n"
        "# folder), title, publisher, type (report | case_study | blog | press_release |\n"
        "# talk_summary), date (YYYY, YYYY-MM or YYYY-MM-DD, empty if unknown), url (empty if\n"
        "# unknown), provenance. Entries may also be `url:` only (fetched and cached at ingest).\n"
        f"# OPSI talks selected by scripts/vendor_corpus.py: 'mission' >= {MISSION_DENSITY} per\n"
        "# 1,000 words; exact duplicates of a seed skipped: "
        + "; ".join(skipped_duplicates) + "\n"
    )
    body = yaml.safe_dump({"documents": entries}, sort_keys=False, allow_unicode=True, width=100)
    (CORPUS / "manifest.yaml").write_text(header + body, encoding="utf-8")
    print(f"{len(entries)} documents written to {CORPUS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
