"""Markdown: YAML front matter becomes metadata, Obsidian links become their label, and
YouTube timestamp anchors become location markers (see ingest.locations)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from llama_index.core import Document

from ingest.clean import hyphenated_forms, repair_joined_words, strip_boilerplate
from assistant.locations import timestamp_marker, to_seconds
from ingest.readers.base import ReaderError, read_text_file

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_WIKI_LINK = re.compile(r"\[\[([^\]|]+?)(?:\s*\|\s*([^\]]+?))?\]\]")
# Some files wrap the anchor in a broken Markdown link, "[00:00:19](<a ...>[00:00:19]</a>",
# which would leave "[00:00:19](" in quotes: the wrapper goes with the anchor.
_YT_ANCHOR = re.compile(
    r"\s*(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\()?"
    r"<a\s+class=\"yt-timestamp\"\s+data-t=\"(\d{1,2}:\d{2}(?::\d{2})?)\"\s*>\s*\[[^\]]*\]\s*</a>\)?"
)
_BARE_STAMP = re.compile(r"\s*\[(\d{1,2}:\d{2}:\d{2})\](?!\()")
_FROM_LINE = re.compile(r"^From:\s*.*$", re.MULTILINE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_BULLET = re.compile(r"^(\s*)[*+]\s{1,4}", re.MULTILINE)


def _wiki_label(match: re.Match) -> str:
    target, label = match.group(1), match.group(2)
    return (label or target.replace("_", " ")).strip()


# A talk is at most this long: a time that would point later is read in the other form.
MAX_TALK_SECONDS = 3 * 3600


def _seconds_reader(body: str):
    """How this file writes its video times. Most write HH:MM:SS ("00:22:15"); some write
    MM:SS:xx ("22:15:00", the third field frames or zeros) for the same kind of moment, which
    read as hours would point far past the end of the talk. A file whose times would run past
    MAX_TALK_SECONDS, or whose three-field times all end in ":00", uses the second form; in it
    a time starting "00:" still reads as HH:MM:SS (a summary rarely cites many moments of a
    talk's first minute)."""
    stamps = [[int(x) for x in m.group(1).split(":")] for m in _YT_ANCHOR.finditer(body)]
    stamps += [[int(x) for x in m.group(1).split(":")] for m in _BARE_STAMP.finditer(body)]
    three = [s for s in stamps if len(s) == 3]
    late = any(h * 3600 + m * 60 + s > MAX_TALK_SECONDS for h, m, s in three)
    zeros = len(three) >= 3 and all(s == 0 for _, _, s in three) and any(h for h, _, _ in three)
    minutes_first = late or zeros

    def read(stamp: str) -> int:
        parts = [int(x) for x in stamp.split(":")]
        if len(parts) == 3 and minutes_first and parts[0] != 0:
            return parts[0] * 60 + parts[1]
        return to_seconds(stamp)

    return read


def parse_front_matter(raw: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
    return (meta if isinstance(meta, dict) else {}), raw[match.end():]


def markdown_to_clean_text(body: str) -> str:
    """Turn the talk-summary dialect into plain Markdown with timestamp markers."""
    seconds = _seconds_reader(body)
    body = _YT_ANCHOR.sub(lambda m: timestamp_marker(seconds(m.group(1))), body)
    body = _BARE_STAMP.sub(lambda m: timestamp_marker(seconds(m.group(1))), body)
    known = hyphenated_forms(body)
    body = _WIKI_LINK.sub(lambda m: repair_joined_words(_wiki_label(m), known), body)
    body = _FROM_LINE.sub("", body)
    body = _BR.sub("\n", body)
    body = _TAG.sub("", body)
    body = _BOLD.sub(r"\2", body)
    body = _BULLET.sub(r"\1- ", body)
    body = re.sub(r"`([^`\n]+)`", r"\1", body)
    return strip_boilerplate(body)


def read_markdown(path: Path) -> list[Document]:
    return markdown_documents(read_text_file(path), path)


def markdown_documents(raw: str, path: Path) -> list[Document]:
    meta, body = parse_front_matter(raw)
    text = markdown_to_clean_text(body)
    if not text.strip():
        raise ReaderError(path, "no text after removing markup")
    metadata = {}
    if meta.get("title"):
        metadata["title"] = repair_joined_words(str(meta["title"]), hyphenated_forms(text))
    if meta.get("videoId"):
        metadata["video_id"] = str(meta["videoId"])
        metadata["url"] = f"https://www.youtube.com/watch?v={meta['videoId']}"
    for key in ("date", "publisher", "url", "author"):
        if meta.get(key):
            metadata[key] = str(meta[key])
    return [Document(text=text, metadata=metadata)]
