"""The questions a pack asks of the library, as data: one template per section and audience,
plus the words that say whether a quoted unit is about the topic at all.

Templates are phrased so the question shapes (assistant/answer/shapes.py) read them as the
intended shape: "What is" -> definition, "Why" -> why, "How can" -> how, "What are the
pitfalls" -> list. An introductory pack asks plainer questions and quotes fewer units.
"""

from __future__ import annotations

import re

from assistant.answer.verify import content_words

# key -> {audience: question template}; order is the pack's section order.
SECTION_QUESTIONS: dict[str, dict[str, str]] = {
    "definition": {"introductory": "What is {topic}?",
                   "practitioner": "What is {topic}?"},
    "why": {"introductory": "Why does {topic} matter?",
            "practitioner": "Why is {topic} important for governments?"},
    "practices": {"introductory": "How can {topic} be done well?",
                  "practitioner": "What practices work for {topic}?"},
    "cases": {"introductory": "What are examples of {topic}?",
              "practitioner": "Which case studies show {topic} in practice?"},
    "pitfalls": {"introductory": "What are the pitfalls of {topic} and how can they be avoided?",
                 "practitioner": "What are the challenges and pitfalls of {topic} and how can "
                                 "they be avoided?"},
    "numbers": {"introductory": "How much funding or how many targets are there for {topic}?",
                "practitioner": "What figures, targets and amounts describe {topic}?"},
}

# Asked only when the first question leaves a section empty (its units were off-topic or
# already quoted by an earlier section): another wording often reaches other passages.
FALLBACK_QUESTIONS: dict[str, str] = {
    "definition": "What does {topic} mean?",
    "why": "Why does {topic} matter?",
    "practices": "How should governments approach {topic}?",
    "pitfalls": "What are the risks of {topic}?",
}

# Quoted units per section, by length; an introductory pack uses the lower figure of the two.
LENGTH_UNITS = {"short": 2, "standard": 4, "long": 6}

# Words too common in this library to show that a unit is about one topic: almost every
# passage mentions missions, so "citizen engagement in missions" is judged by "citizen" and
# "engagement", not by "missions".
GENERIC = content_words("mission missions mission-oriented oriented approach approaches "
                        "government governments public policy policies innovation work")

# Terms a glossary may define when the pack uses them (the topic is always tried first).
GLOSSARY_TERMS = (
    "mission-oriented innovation", "mission-oriented policy", "mission washing",
    "market shaping", "market fixing", "co-creation", "directionality", "public value",
    "dynamic capabilities", "portfolio", "procurement", "theory of change", "systems change",
    "public sector innovation", "experimentation", "citizen engagement", "co-design",
    "moonshot", "grand challenges", "green deal", "mission", "innovation policy",
)

# Workshop prompts: fixed words around the pack's own terms; shown as prompts, never facts.
PROMPTS = {
    "practice": "How could “{x}” apply in your team?",
    "case": "What could your organisation learn from {x}? What would be different in your "
            "context?",
    "pitfall": "Which pitfalls quoted in this pack, such as “{x}”, is your team most exposed "
               "to, and what would you do first to avoid them?",
    "term": "How would you explain “{x}” to a colleague, using the defining quote in the "
            "glossary?",
    "topic": "What would success on {x} look like for your organisation in three years, and "
             "how would you know?",
}


def topic_terms(topic: str) -> set[str]:
    """Stemmed words that mark a unit as about the topic: its specific words (all of them
    when the topic is made only of generic ones, e.g. "mission-oriented innovation")."""
    words = content_words(topic)
    return (words - GENERIC) or words


def mentions(text: str, terms: set[str]) -> bool:
    return bool(terms & content_words(text))


def strongly_mentions(text: str, terms: set[str]) -> bool:
    """At least two of the topic's words (or its only one): for sentences found by scanning
    passages, which have no answerer's relevance score behind them ("progress" alone would let
    any sentence about progress into a pack on measuring mission progress)."""
    return len(terms & content_words(text)) >= min(2, len(terms))


def short_phrase(text: str, words: int = 9) -> str:
    """A list item or name short enough to drop into a prompt ("" when too long)."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:;,")
    text = re.sub(r"^[-*•\d.)\s]+", "", text)
    # "Market shaping: governments should ..." -> "Market shaping"
    head = re.split(r"[:—–]\s", text, maxsplit=1)[0]
    return head if 0 < len(head.split()) <= words else ""
