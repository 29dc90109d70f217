"""Markdown: YAML front matter becomes metadata, Obsidian links become their label, and
YouTube timestamp anchors become location markers (see ingest.locations)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from llama_index.core import Document

from ingest.clean import strip_boilerplate
from assistant.locations import timestamp_marker, to_seconds
from ingest.readers.base import ReaderError, read_text_file

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_WIKI_LINK = re.compile(r"\[\[([^\]|]+?)(?:\s*\|\s*([^\]]+?))?\]\]")
_YT_ANCHOR = re.compile(
    r"\s*<a\s+class=\"yt-timestamp\"\s+data-t=\"(\d{1,2}:\d{2}(?::\d{2})?)\"\s*>\s*\[[^\]]*\]\s*</a>"
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
    body = _YT_ANCHOR.sub(lambda m: timestamp_marker(to_seconds(m.group(1))), body)
    body = _BARE_STAMP.sub(lambda m: timestamp_marker(to_seconds(m.group(1))), body)
    body = _WIKI_LINK.sub(_wiki_label, body)
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
        metadata["title"] = str(meta["title"])
    if meta.get("videoId"):
        metadata["video_id"] = str(meta["videoId"])
        metadata["url"] = f"https://www.youtube.com/watch?v={meta['videoId']}"
    for key in ("date", "publisher", "url", "author"):
        if meta.get(key):
            metadata[key] = str(meta[key])
    return [Document(text=text, metadata=metadata)]
