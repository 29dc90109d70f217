"""Follow-up questions -> a standalone retrieval query, by two explainable rules (no model).

Retrieval sees one query, so "What about Valencia?" alone would search for Valencia in general.
The rules, tried in order against the previous standalone question:

1. Swap: the new question only names a new subject ("What about X?", "How about X?", "And X?",
   "What of X?", "Same for X?"). The previous question is reused with its named subject (its
   capitalised names) replaced by X; with no name to replace, X is appended.
   "What did Camden do for its retrofit mission?" + "What about Valencia?"
   -> "What did Valencia do for its retrofit mission?"
2. Carry over: the new question leans on the previous one (a pronoun such as "they", "it",
   "there", "this" and no capitalised name of its own, or fewer than three content words).
   The previous question's names and keywords are appended as context.
   "How was it funded?" -> "How was it funded? Camden retrofit mission"
3. Otherwise the question stands alone and is returned unchanged.

Only questions go in (never answers), so the query stays short and what the user typed stays
visible in the result. The UI shows the rewritten query under the answer when it differs.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SWAP = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+(?:about|of)\s+(?P<x>.+?)\s*\??\s*$"
    r"|^\s*and\s+(?:in\s+|for\s+|with\s+)?(?P<y>[^\s].*?)\s*\??\s*$"
    r"|^\s*(?:the\s+)?same\s+(?:for|in|with)\s+(?P<z>.+?)\s*\??\s*$",
    re.IGNORECASE,
)
_PRONOUNS = {"they", "them", "their", "theirs", "it", "its", "this", "that", "these", "those",
             "there", "he", "she", "his", "her", "him", "one", "ones"}
_STOP = {"a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "with", "by", "at", "from",
         "is", "are", "was", "were", "be", "been", "do", "does", "did", "what", "how", "why",
         "who", "which", "when", "where", "can", "could", "should", "would", "will", "about",
         "tell", "me", "us", "we", "you", "more", "else", "also", "any", "some", "other"}
_STOP |= _PRONOUNS
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Consecutive capitalised words form one name ("Greater Manchester", "Health Holland").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)*")
_QUESTION_WORDS = {"what", "how", "why", "who", "which", "when", "where", "is", "are", "was",
                   "were", "do", "does", "did", "can", "could", "should", "would", "will", "tell",
                   "and", "the", "a", "an", "i", "in", "for", "same"}


class Rewrite(NamedTuple):
    query: str
    rule: str  # "swap", "carry", or "standalone": which rule produced the query


def names(text: str) -> list[str]:
    """Capitalised names in text, skipping a capitalised question word that opens it."""
    found = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in _QUESTION_WORDS:
            words = words[1:]  # "What", "How" at the start are capitalised but not names
        if words:
            found.append(" ".join(words))
    return found


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2]


def _swap(previous: str, previous_names: list[str], subject: str) -> str:
    # Replace the first (main) name; drop other names so the old subject does not dominate.
    out = previous.replace(previous_names[0], subject, 1)
    for other in previous_names[1:]:
        if other != subject:
            out = re.sub(r"\s*(?:,|\band\b|&)?\s*" + re.escape(other), "", out, count=1)
    return out


def _carry(question: str, previous: str) -> Rewrite | None:
    previous_names = names(previous)
    context = previous_names + [w for w in _content_words(previous)
                                if not any(w in n for n in previous_names)]
    extra = [c for c in dict.fromkeys(context) if c.lower() not in question.lower()]
    return Rewrite(f"{question} {' '.join(extra)}", "carry") if extra else None


def rewrite(history: list[str], question: str) -> Rewrite:
    """The query to retrieve with for `question`, given the earlier questions (oldest first,
    each already standalone or as the user typed it)."""
    question = question.strip()
    previous = next((h.strip() for h in reversed(history) if h.strip()), "")
    if not previous or not question:
        return Rewrite(question, "standalone")
    swap = _SWAP.match(question)
    if swap:
        subject = next(g for g in swap.groups() if g).strip().rstrip("?").strip()
        first = subject.split()[0].lower()
        # "And how was it funded?" names no subject: it is a question of its own.
        if first not in _QUESTION_WORDS - {"the", "a", "an"} and len(_content_words(subject)) <= 4:
            previous_names = names(previous)
            if previous_names:
                return Rewrite(_swap(previous, previous_names, subject), "swap")
            # Nothing to swap ("What about market shaping?" after a question with no names).
            return _carry(question, previous) or Rewrite(question, "standalone")
    words = [w.lower() for w in _WORD.findall(question)]
    has_names = bool(names(question))
    leans_on_previous = any(w in _PRONOUNS for w in words) and not has_names
    if leans_on_previous or (len(_content_words(question)) < 2 and not has_names):
        carried = _carry(question, previous)
        if carried:
            return carried
    return Rewrite(question, "standalone")


def standalone_question(history: list[str], question: str) -> str:
    """Just the query string of `rewrite`."""
    return rewrite(history, question).query
