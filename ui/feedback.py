"""Feedback on answers: thumbs up/down and an optional comment, kept in a local SQLite file
with the question, the answer, its sources and who gave it (their sign-in name, or
"anonymous"), so reviewers can see exactly what was judged. Only admins read it (ui/auth.py).

One row per answer (keyed by the turn id): changing the thumb or adding a comment updates it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from assistant.export.sheet import to_csv as rows_to_csv
from assistant.roles import ANONYMOUS
from assistant.types import Answer

COLUMNS = ("turn_id", "created", "updated", "user", "rating", "comment", "question", "query",
           "status", "mode", "answer", "sources", "filters")
_SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    turn_id TEXT PRIMARY KEY, created TEXT, updated TEXT, rating INTEGER, comment TEXT,
    question TEXT, query TEXT, status TEXT, mode TEXT, answer TEXT, sources TEXT, filters TEXT,
    user TEXT)"""


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)  # Streamlit sessions may write at the same time
    conn.execute(_SCHEMA)
    have = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
    if "user" not in have:  # a file from before feedback recorded its user
        conn.execute(f"ALTER TABLE feedback ADD COLUMN user TEXT DEFAULT '{ANONYMOUS}'")
    return conn


def _sources(answer: Answer) -> str:
    items = answer.citations or []
    return json.dumps([{"n": c.n, "doc_id": c.doc_id, "title": c.title, "publisher": c.publisher,
                        "date": c.date, "location": c.location, "url": c.url, "quote": c.quote}
                       for c in items], ensure_ascii=False)


def record(path: Path, turn_id: str, answer: Answer, rating: int | None, comment: str = "",
           query: str = "", user: str = ANONYMOUS) -> None:
    """Insert or update the feedback for one answer. rating: 1 up, 0 down, None not given."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with _connect(path) as conn:
        conn.execute(
            """INSERT INTO feedback (turn_id, created, updated, rating, comment, question,
               query, status, mode, answer, sources, filters, user)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(turn_id) DO UPDATE SET updated=excluded.updated,
               rating=excluded.rating, comment=excluded.comment""",
            (turn_id, now, now, rating, comment.strip(), answer.question, query or
             answer.question, answer.status.value, answer.mode, answer.answer, _sources(answer),
             json.dumps(answer.filters, ensure_ascii=False), user or ANONYMOUS),
        )
    conn.close()


def rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    conn = _connect(path)
    try:
        cursor = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY created")
        return [dict(zip(COLUMNS, row)) for row in cursor]
    finally:
        conn.close()


def to_csv(path: Path) -> str:
    return rows_to_csv(COLUMNS, rows(path))
