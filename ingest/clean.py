"""Boilerplate and markup rules, kept as data so a new kind of page chrome is one line here.

Rules are applied line by line to text that readers have already extracted. They were written
from the page chrome seen in the seed documents (press-release footers, author bios, share
prompts, cookie banners, related-article teasers).
"""

from __future__ import annotations

import re

# A line matching any of these ends the content: everything from it on is page chrome.
CUT_FROM = [
    r"^You just read:?\s*$",  # press-release footer (EIN Presswire)
    r"^Distribution channels:?\s*$",
    r"^Written by\s*$",  # author bio block
    r"^About the authors?\s*$",
    r"^Originally published:?\s*",
    r"^要查看或添加评论",  # LinkedIn "log in to comment" (Chinese UI)
    r"^(Sign in|Log in) to (view|add) comments",
    r"^Related (articles|posts|stories)\s*$",
]

# Lines dropped wherever they occur.
DROP_LINE = [
    r"^\s*[?？]+\s*$",  # emoji lost in encoding
    r"^\s*Read More\s*$",
    r"^\s*Listen to (This|this) Article\s*$",
    r"^\s*(Share|Share this|Share on \w+|Tweet|Print|Email)\s*$",
    r"^\s*News Search\s*$",
    r"^.*\bSubmit Release\s*$",
    r"^There were [\d,]+ press releases posted",
    r"^We use cookies\b",
    r"\b(accept|manage) (all )?cookies\b",
    r"^\s*(Subscribe|Sign up) (to|for) (our|the) newsletter",
    r"^\s*社区洞察\s*$",
    r"^\s*其他会员也浏览了",
]

# A short line directly followed by one of these is a teaser for another article: drop both.
TEASER_MARKER = r"^\s*Read More\s*$"

_cut = [re.compile(p, re.IGNORECASE) for p in CUT_FROM]
_drop = [re.compile(p, re.IGNORECASE) for p in DROP_LINE]
_teaser = re.compile(TEASER_MARKER, re.IGNORECASE)


def strip_boilerplate(text: str) -> str:
    """Remove page chrome, keep the article. Collapses runs of blank lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        if any(p.search(line.strip()) for p in _cut):
            lines = lines[:i]
            break
    kept: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _teaser.match(nxt) and 0 < len(line.strip()) < 140:
            continue
        if any(p.search(line.strip()) for p in _drop):
            continue
        kept.append(line.rstrip())
    # Drop a title line repeated immediately (seen in scraped blogs).
    non_empty = [i for i, line in enumerate(kept) if line.strip()]
    if len(non_empty) >= 2 and kept[non_empty[0]].strip() == kept[non_empty[1]].strip():
        del kept[non_empty[1]]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


_HEADING_END = re.compile(r"[.!?:;,…]$")


def looks_like_heading(line: str, next_line: str) -> bool:
    """A plain-text heading: short, no end punctuation, and followed by a longer paragraph."""
    s = line.strip()
    words = s.split()
    return (
        2 <= len(words) <= 12
        and len(s) <= 90
        and not _HEADING_END.search(s)
        and s[0].isupper()
        and len(next_line.strip()) > len(s) + 20
    )


def text_to_markdown(text: str) -> str:
    """Mark plain-text headings as Markdown so one chunker handles every format."""
    paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=\S)", text) if p.strip()]
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if i > 0 and "\n" not in para.strip() and looks_like_heading(para, nxt):
            out.append("## " + para.strip())
        else:
            out.append(para.strip())
    return "\n\n".join(out)


# --- joined words --------------------------------------------------------------------------
# The talk summaries' titles and link targets come from URL slugs, which drop hyphens:
# "Missionoriented approaches and cocreation". A word is repaired when the document itself
# spells it with a hyphen ("mission-oriented"), or, failing that, from this table of the joins
# seen across the 878 OPSI summaries.
JOINED_WORDS = {
    "missionoriented": "mission-oriented", "missiondriven": "mission-driven",
    "cocreation": "co-creation", "cocreate": "co-create", "codesign": "co-design",
    "publicprivate": "public-private", "crossborder": "cross-border",
    "crosssectoral": "cross-sectoral", "crosssector": "cross-sector",
    "crossdisciplinary": "cross-disciplinary", "crossagency": "cross-agency",
    "multistakeholder": "multi-stakeholder", "multilevel": "multi-level",
    "postcrisis": "post-crisis", "postpandemic": "post-pandemic", "postcovid": "post-COVID",
    "machinereadable": "machine-readable", "usercentric": "user-centric",
    "usercentered": "user-centered", "humancentered": "human-centered",
    "humancentric": "human-centric", "citizencentered": "citizen-centered",
    "goalbased": "goal-based", "evidencebased": "evidence-based",
    "wholeofgovernment": "whole-of-government", "decisionmaking": "decision-making",
    "longterm": "long-term", "realtime": "real-time", "realworld": "real-world",
    "bottomup": "bottom-up", "topdown": "top-down", "demandside": "demand-side",
    "supplyside": "supply-side", "purposedriven": "purpose-driven",
    "nontechnological": "non-technological", "anticorruption": "anti-corruption",
    "egovernment": "e-government", "sensemaking": "sense-making",
}
_WORDS = re.compile(r"[A-Za-z]+")
_HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")


def hyphenated_forms(text: str) -> dict[str, str]:
    """joined -> hyphenated spelling, for every hyphenated word the text uses."""
    return {w.replace("-", "").lower(): w.lower() for w in _HYPHENATED.findall(text)}


def repair_joined_words(text: str, known: dict[str, str] | None = None) -> str:
    """Put the hyphens back in slug-joined words ("cocreation" -> "co-creation"), keeping an
    initial capital. `known` adds the document's own hyphenated spellings to the table."""
    table = {**JOINED_WORDS, **(known or {})}

    def fix(match: re.Match) -> str:
        word = match.group(0)
        repaired = table.get(word.lower())
        if not repaired or "-" not in repaired:
            return word
        return repaired[:1].upper() + repaired[1:] if word[:1].isupper() else repaired

    return _WORDS.sub(fix, text)
