"""Crawl state in one small SQLite file beside the index (settings.crawl_state_path).

- runs:     one per source and crawl; a run without `finished` is resumed by the next crawl.
- queue:    the frontier of a run (FIFO by seq, so the crawl is breadth-first and repeatable).
- outcomes: what happened to each URL in a run: the per-URL report, and the run's seen set.
- pages:    what is known about each document across runs: validators live in the URL cache;
            here are its text hash, simhash, metadata entry and whether it awaits ingest.
- robots:   robots.txt per host, reused for at most 24 h.

Every URL is handled in one transaction (its outcome, its page record, the links it adds, its
removal from the queue), so a crawl killed at any point resumes at the first unhandled URL.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.manifest import ManifestEntry

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL,
    definition TEXT NOT NULL, started REAL NOT NULL, finished REAL);
CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, run INTEGER NOT NULL,
    url TEXT NOT NULL, kind TEXT NOT NULL, depth INTEGER NOT NULL, via TEXT NOT NULL DEFAULT '',
    anchor TEXT NOT NULL DEFAULT '', priority INTEGER NOT NULL DEFAULT 0, UNIQUE (run, url));
CREATE TABLE IF NOT EXISTS outcomes (run INTEGER NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL,
    outcome TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', doc_id TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL, PRIMARY KEY (run, url));
CREATE INDEX IF NOT EXISTS outcomes_doc ON outcomes (run, doc_id);
CREATE TABLE IF NOT EXISTS pages (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL,
    url TEXT NOT NULL, status TEXT NOT NULL, text_sha TEXT NOT NULL, simhash TEXT NOT NULL,
    indexed_sha TEXT NOT NULL DEFAULT '', entry TEXT NOT NULL, run INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS robots (host TEXT PRIMARY KEY, status INTEGER NOT NULL,
    body TEXT NOT NULL, fetched_at REAL NOT NULL);
"""


@dataclass
class QueueItem:
    seq: int
    run: int
    url: str
    kind: str  # robots | sitemap | feed | page | pdf
    depth: int
    via: str
    anchor: str
    priority: int = 0


@dataclass
class Page:
    doc_id: str
    source: str
    url: str  # the URL requested (its cached copy is keyed by it)
    status: str  # pending (awaits ingest) | indexed | gone
    text_sha: str
    simhash: str
    indexed_sha: str
    entry: ManifestEntry


@dataclass
class Outcome:
    url: str
    kind: str
    outcome: str
    reason: str = ""
    doc_id: str = ""


class CrawlState:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")  # readers (the app, tests) never block it
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def transaction(self):
        """`with state.transaction():` commits everything inside at once, or nothing."""
        return _Transaction(self.conn)

    # --- runs -------------------------------------------------------------------------------
    def open_run(self, source: str) -> int | None:
        row = self.conn.execute("SELECT id, finished FROM runs WHERE source=? ORDER BY id DESC "
                                "LIMIT 1", (source,)).fetchone()
        return row[0] if row and row[1] is None else None

    def new_run(self, source: str, definition: str) -> int:
        return self.conn.execute("INSERT INTO runs (source, definition, started) VALUES (?,?,?)",
                                 (source, definition, time.time())).lastrowid

    def finish_run(self, run: int) -> None:
        self.conn.execute("UPDATE runs SET finished=? WHERE id=?", (time.time(), run))

    def saved_sources(self) -> dict[str, str]:
        """Each source's latest definition (JSON), so sources added in the app can be rerun."""
        rows = self.conn.execute("SELECT source, definition FROM runs ORDER BY id").fetchall()
        return dict(rows)

    # --- frontier ---------------------------------------------------------------------------
    def enqueue(self, run: int, url: str, kind: str, depth: int, via: str = "",
                anchor: str = "", priority: int = 0) -> bool:
        """Add `url` unless this run has seen it (queued, handled, or a document's URL).
        Lower priority first, then first come first served."""
        if self.seen(run, url):
            return False
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO queue (run, url, kind, depth, via, anchor, priority) "
            "VALUES (?,?,?,?,?,?,?)", (run, url, kind, depth, via, anchor, priority))
        return cur.rowcount == 1

    def is_queued(self, run: int, url: str) -> bool:
        return self.conn.execute("SELECT 1 FROM queue WHERE run=? AND url=?",
                                 (run, url)).fetchone() is not None

    def dequeue(self, run: int, url: str) -> None:
        self.conn.execute("DELETE FROM queue WHERE run=? AND url=?", (run, url))

    def seen(self, run: int, url: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM queue WHERE run=? AND url=? UNION ALL "
            "SELECT 1 FROM outcomes WHERE run=? AND (url=? OR doc_id=?) LIMIT 1",
            (run, url, run, url, url)).fetchone() is not None

    def queued(self, runs: list[int], limit: int = 500) -> list[QueueItem]:
        marks = ",".join("?" * len(runs))
        rows = self.conn.execute(f"SELECT seq, run, url, kind, depth, via, anchor, priority "
                                 f"FROM queue WHERE run IN ({marks}) ORDER BY priority, seq "
                                 f"LIMIT ?", (*runs, limit))
        return [QueueItem(*row) for row in rows]

    def queue_size(self, runs: list[int]) -> int:
        marks = ",".join("?" * len(runs))
        return self.conn.execute(f"SELECT COUNT(*) FROM queue WHERE run IN ({marks})",
                                 runs).fetchone()[0]

    def done(self, item: QueueItem, outcome: Outcome) -> None:
        self.conn.execute("DELETE FROM queue WHERE seq=?", (item.seq,))
        self.record(item.run, outcome)

    def record(self, run: int, outcome: Outcome) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO outcomes (run, url, kind, outcome, reason, doc_id, at) "
            "VALUES (?,?,?,?,?,?,?)", (run, outcome.url, outcome.kind, outcome.outcome,
                                       outcome.reason, outcome.doc_id, time.time()))

    def outcomes(self, runs: list[int]) -> list[tuple[int, Outcome]]:
        marks = ",".join("?" * len(runs))
        rows = self.conn.execute(f"SELECT run, url, kind, outcome, reason, doc_id FROM outcomes "
                                 f"WHERE run IN ({marks}) ORDER BY at, url", runs).fetchall()
        return [(r[0], Outcome(*r[1:])) for r in rows]

    def fetched_count(self, run: int) -> int:
        """Documents fetched (HTML or PDF) in a run, for the max_pages limit."""
        return self.conn.execute("SELECT COUNT(*) FROM outcomes WHERE run=? AND kind IN "
                                 "('page','pdf') AND outcome NOT IN ('robots','out_of_scope')",
                                 (run,)).fetchone()[0]

    # --- documents --------------------------------------------------------------------------
    def page(self, url: str) -> Page | None:
        """The document whose id (final URL) or requested URL is `url`."""
        row = self.conn.execute("SELECT doc_id, source, url, status, text_sha, simhash, "
                                "indexed_sha, entry FROM pages WHERE doc_id=? OR url=? "
                                "ORDER BY doc_id=? DESC LIMIT 1", (url, url, url)).fetchone()
        return _page(row) if row else None

    def pages(self, source: str | None = None, status: tuple[str, ...] = ()) -> list[Page]:
        sql = "SELECT doc_id, source, url, status, text_sha, simhash, indexed_sha, entry FROM pages"
        clauses, args = [], []
        if source is not None:
            clauses.append("source=?")
            args.append(source)
        if status:
            clauses.append(f"status IN ({','.join('?' * len(status))})")
            args += status
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return [_page(r) for r in self.conn.execute(sql + " ORDER BY doc_id", args)]

    def save_page(self, page: Page, run: int) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO pages (doc_id, source, url, status, text_sha, simhash, "
            "indexed_sha, entry, run) VALUES (?,?,?,?,?,?,?,?,?)",
            (page.doc_id, page.source, page.url, page.status, page.text_sha, page.simhash,
             page.indexed_sha, page.entry.model_dump_json(), run))

    def set_status(self, doc_id: str, status: str, indexed_sha: str | None = None) -> None:
        if indexed_sha is None:
            self.conn.execute("UPDATE pages SET status=? WHERE doc_id=?", (status, doc_id))
        else:
            self.conn.execute("UPDATE pages SET status=?, indexed_sha=? WHERE doc_id=?",
                              (status, indexed_sha, doc_id))

    def forget_page(self, doc_id: str) -> None:
        self.conn.execute("DELETE FROM pages WHERE doc_id=?", (doc_id,))

    # --- robots.txt -------------------------------------------------------------------------
    def robots(self, host: str) -> tuple[int, str, float] | None:
        return self.conn.execute("SELECT status, body, fetched_at FROM robots WHERE host=?",
                                 (host,)).fetchone()

    def save_robots(self, host: str, status: int, body: str, fetched_at: float) -> None:
        self.conn.execute("INSERT OR REPLACE INTO robots VALUES (?,?,?,?)",
                          (host, status, body, fetched_at))


def _page(row) -> Page:
    return Page(*row[:7], entry=ManifestEntry.model_validate(json.loads(row[7])))


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, *_):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def library_entries(state_path: Path) -> list[ManifestEntry]:
    """Crawled documents the library keeps (indexed, awaiting ingest, or vanished but not
    pruned), as manifest entries: `ingest` treats them as part of the corpus, so
    `ingest --prune` keeps them and `ingest --rebuild` restores them from the URL cache."""
    if not state_path.exists():
        return []
    state = CrawlState(state_path)
    try:
        return [p.entry for p in state.pages(status=("pending", "indexed", "gone"))]
    finally:
        state.close()
