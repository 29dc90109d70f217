"""What a crawl did to each URL, for the terminal, the app and crawl-report.json."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.report import write_json

# Every outcome a URL can have, in the order the summary lists them.
OUTCOMES = {
    "fetched": "fetched",  # new or changed content; the reason says what ingest did
    "unchanged": "unchanged",  # HTTP 304, or the same text as the indexed version
    "discovered": "discovery",  # robots.txt, sitemaps, feeds: URLs found
    "links_only": "navigation",  # too little text to index; links followed
    "duplicate": "duplicate",
    "robots": "robots-disallowed",
    "out_of_scope": "out of scope",
    "script_shell": "script shell",
    "vanished": "vanished",
    "removed": "removed",
    "failed": "failed",
}


@dataclass
class UrlResult:
    source: str
    url: str
    kind: str
    outcome: str
    reason: str = ""
    doc_id: str = ""


@dataclass
class CrawlReport:
    sources: list[str]
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    results: list[UrlResult] = field(default_factory=list)
    documents_ingested: int = 0  # new or updated documents embedded in this crawl
    chunks_embedded: int = 0
    resumed: list[str] = field(default_factory=list)  # sources whose killed run was resumed

    def count(self, *outcomes: str) -> int:
        return sum(1 for r in self.results if r.outcome in outcomes)

    @property
    def failed(self) -> list[UrlResult]:
        return [r for r in self.results if r.outcome == "failed"]

    def summary(self) -> str:
        parts = [f"{self.count(key)} {label}" for key, label in OUTCOMES.items()
                 if self.count(key)]
        text = ", ".join(parts) or "nothing to crawl"
        return (f"{len(self.results)} URLs: {text}; {self.documents_ingested} documents "
                f"ingested ({self.chunks_embedded} chunks)"
                + (f"; resumed {', '.join(self.resumed)}" if self.resumed else ""))

    def rows(self) -> list[dict]:
        """The per-URL table: one row per URL, in the order handled."""
        return [{"Source": r.source, "URL": r.url, "Outcome": OUTCOMES.get(r.outcome, r.outcome),
                 "Reason": r.reason} for r in self.results]

    def to_json(self) -> dict:
        return {"sources": self.sources, "started": self.started, "finished": self.finished,
                "summary": self.summary(), "documents_ingested": self.documents_ingested,
                "chunks_embedded": self.chunks_embedded, "resumed": self.resumed,
                "results": [asdict(r) for r in self.results]}

    def write(self, path: Path) -> None:
        write_json(path, self.to_json())
