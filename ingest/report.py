"""What happened to each input of an ingest run, for the terminal and for ingest-report.json."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Outcome = Literal["ingested", "updated", "unchanged", "skipped", "failed", "removed"]


@dataclass
class FileResult:
    source: str
    doc_id: str
    outcome: Outcome
    reason: str = ""
    action: str = ""
    chunks: int = 0


@dataclass
class IngestReport:
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    results: list[FileResult] = field(default_factory=list)
    embedded_chunks: int = 0

    def add(self, result: FileResult) -> None:
        self.results.append(result)

    def count(self, *outcomes: str) -> int:
        return sum(1 for r in self.results if r.outcome in outcomes)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome == "failed"]

    def summary(self) -> str:
        text = (f"{self.count('ingested', 'updated')} ingested, {self.count('skipped')} skipped, "
                f"{self.count('failed')} failed")
        extra = []
        if self.count("unchanged"):
            extra.append(f"{self.count('unchanged')} unchanged")
        if self.count("removed"):
            extra.append(f"{self.count('removed')} removed")
        extra.append(f"{self.embedded_chunks} chunks embedded")
        return f"{text} ({', '.join(extra)})"

    def to_json(self) -> dict:
        return {"started": self.started, "finished": self.finished, "summary": self.summary(),
                "embedded_chunks": self.embedded_chunks,
                "results": [asdict(r) for r in self.results]}

    def write(self, path: Path) -> None:
        write_json(path, self.to_json())


def write_json(path: Path, data: dict) -> None:
    """Replace `path` atomically with `data` as JSON (a reader never sees half a report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
