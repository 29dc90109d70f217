"""The corpus manifest: one entry per document with its bibliographic metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

DocType = Literal["report", "case_study", "blog", "press_release", "talk_summary", "web_page",
                  "document"]


class ManifestError(ValueError):
    pass


class ManifestEntry(BaseModel):
    id: str = Field(description="Stable document id; seeds keep their file names.")
    path: str = Field("", description="File path relative to the corpus folder.")
    url: str = Field("", description="Where the document lives online (or is fetched from).")
    title: str = ""
    publisher: str = ""
    type: DocType = "document"
    date: str = Field("", description="YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown.")
    provenance: str = ""

    @model_validator(mode="after")
    def _needs_source(self) -> "ManifestEntry":
        if not self.path and not self.url:
            raise ValueError(f"entry {self.id!r} needs a path or a url")
        return self

    @property
    def year(self) -> int:
        return int(self.date[:4]) if self.date[:4].isdigit() else 0

    def metadata(self) -> dict:
        """Manifest fields that override whatever a reader found in the file."""
        fields = {"title": self.title, "publisher": self.publisher, "date": self.date,
                  "url": self.url, "provenance": self.provenance}
        return {k: v for k, v in fields.items() if v} | {"type": self.type}


def first_error(exc: ValidationError) -> str:
    """'field.path: message' of a validation error's first problem, for a one-line error."""
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def load_manifest(path: Path) -> list[ManifestEntry]:
    if not path.exists():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML ({exc})") from exc
    items = raw.get("documents", []) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise ManifestError(f"{path}: expected a top-level 'documents:' list")
    entries, seen = [], set()
    for i, item in enumerate(items):
        try:
            entry = ManifestEntry.model_validate(item)
        except ValidationError as exc:
            raise ManifestError(f"{path}: entry {i + 1} {first_error(exc)}") from exc
        if entry.id in seen:
            raise ManifestError(f"{path}: duplicate id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    return entries
