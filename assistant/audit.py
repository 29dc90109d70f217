"""The audit log: who added, crawled, re-ingested or removed which document, when, with what
outcome, and who exported feedback or the log itself. Append-only SQLite: triggers refuse
UPDATE and DELETE, so a row once written stays as written (deleting the file is visible to
whoever runs the server, and out of reach of the app's users).

Tiny API for every part that changes the library or reads private data:

    from assistant import audit
    audit.record(settings, actor="kim@dept.gov.uk", action="add", target="report.pdf",
                 outcome="ingested", detail="12 chunks")
    audit.record_results(settings, actor, "crawl", report.results)  # one row per changed input

Actors are e-mail addresses (sign-in on), "anonymous" (sign-in off) or "cli:<os user>".
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from assistant.export.sheet import to_csv as rows_to_csv
from assistant.settings import Settings

COLUMNS = ("id", "time", "actor", "action", "target", "outcome", "detail")
# Actions written by this project; others (a future crawler's) are free text, kept as given.
ACTIONS = ("add", "crawl", "reingest", "remove", "prune", "export_feedback", "export_audit",
           "refused")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
# Ingest outcomes that changed nothing are not worth a row.
# Outcomes that change nothing in the library are not worth a row (a crawl visits many).
_QUIET_OUTCOMES = ("unchanged", "discovered", "links_only", "out_of_scope", "robots",
                   "duplicate")


class IngestResult(Protocol):
    """What ingest.report.FileResult and the crawl's UrlResult carry (the core does not import
    ingest/); `chunks` (ingest) and `url` (crawl) are read when present."""

    source: str
    doc_id: str
    outcome: str
    reason: str


def cli_actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "cli:unknown"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)  # app sessions and the CLI may write together
    conn.executescript(_SCHEMA)
    return conn


def record(settings: Settings, actor: str, action: str, target: str, outcome: str,
           detail: str = "") -> None:
    """Append one row, timed now (UTC)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    conn = _connect(settings.audit_path)
    try:
        with conn:
            conn.execute("INSERT INTO audit (time, actor, action, target, outcome, detail) "
                         "VALUES (?,?,?,?,?,?)",
                         (now, actor or "anonymous", action, target, outcome, detail or ""))
    finally:
        conn.close()


def record_results(settings: Settings, actor: str, action: str,
                   results: Iterable[IngestResult]) -> int:
    """One row per ingest result that changed something or failed; returns how many."""
    written = 0
    for r in results:
        if r.outcome in _QUIET_OUTCOMES:
            continue
        chunks = getattr(r, "chunks", 0)  # ingest results count chunks; crawl results do not
        detail = "; ".join(x for x in (f"{chunks} chunks" if chunks else "", r.reason) if x)
        target = getattr(r, "url", "") or r.source or r.doc_id  # a crawl names the page
        record(settings, actor, action, target, r.outcome, detail)
        written += 1
    return written


def rows(settings: Settings, limit: int | None = None) -> list[dict]:
    """Newest first."""
    if not settings.audit_path.exists():
        return []
    conn = _connect(settings.audit_path)
    try:
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id DESC"
        cursor = conn.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
        return [dict(zip(COLUMNS, row)) for row in cursor]
    finally:
        conn.close()


def to_csv(settings: Settings) -> str:
    return rows_to_csv(COLUMNS, rows(settings))
