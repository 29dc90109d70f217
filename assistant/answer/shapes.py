"""Question shapes: what kind of answer a question asks for, split into its parts.

"What is mission washing and how can it be avoided?" is two parts: a definition and a practice.
Each part gets its own coverage in the answer, and `partial` can say which part the library
does not cover. The rules are deliberately small and readable (regular expressions over the
question's wording); tests/test_shapes.py has cases per shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Shape(str, Enum):
    definition = "definition"  # what is X / what does X mean
    list = "list"  # what are the principles / which ... / key steps
    how = "how"  # how should / how can / ways to
    why = "why"  # why / what is the reason
    case = "case"  # what did X do / example of X
    number = "number"  # how many / how much / what percentage
    comparison = "comparison"  # compare A and B / difference between A and B
    general = "general"  # anything else: best passages, no special preference


@dataclass
class Part:
    """One thing the question asks. `text` is the user's wording of this part (used for search
    and in the answer's part headings); `subject` is what it is about; `focus` the noun that
    names the list asked for ("principles", "steps") where there is one."""

    text: str
    shape: Shape
    subject: str = ""
    focus: str = ""
    asked: str = ""  # the user's own words for this part (text may have a pronoun resolved)

    def __post_init__(self) -> None:
        self.asked = self.asked or self.text


@dataclass
class QuestionPlan:
    question: str
    parts: list[Part] = field(default_factory=list)

    @property
    def shape(self) -> str:
        if len(self.parts) > 1 and self.parts[0].shape is not Shape.comparison:
            return "multi_part"
        return self.parts[0].shape.value if self.parts else Shape.general.value


_WH = r"(?:what|how|why|which|who|when|where|does|do|did|can|could|should|is|are|was|were)"
# "... and how can it be avoided" / "...? Why does it matter?" start a new part.
_SPLIT = re.compile(rf"\?\s+(?=\S)|,?\s+and\s+(?={_WH}\b)|;\s+(?={_WH}\b)", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|they|them|this|these|those|its|their)\b", re.IGNORECASE)

_LIST_NOUNS = (
    "principles|criteria|steps|stages|phases|elements|components|characteristics|features|"
    "challenges|barriers|obstacles|risks|pitfalls|lessons|roles|tools|methods|approaches|"
    "practices|recommendations|capabilities|factors|pillars|dimensions|types|kinds|examples|"
    "benefits|advantages|areas|missions|goals|priorities|actions|ingredients|conditions|"
    "enablers|functions|instruments|mechanisms|questions|ways|strategies|facets|themes|"
    "requirements|components|skills|levers|cases|initiatives|projects|pilots|partners|"
    "stakeholders|actors|things|points|ideas|models|policies|tensions|trade-offs|shifts|trends|"
    "drivers|outcomes|impacts|objectives|activities|measures|sectors"
)
_LIST = re.compile(
    rf"^(?:what|which)\s+(?:are|were)\s+(?:the\s+|some\s+(?:of\s+the\s+)?)?"
    rf"(?:\w+\s+){{0,3}}?(?P<focus>{_LIST_NOUNS})\b"
    rf"|^(?:list|name|outline|summari[sz]e|give)\b.*?\b(?P<focus2>{_LIST_NOUNS})\b"
    rf"|^which\s+(?P<focus3>\w+)"
    rf"|^what\s+(?P<focus4>{_LIST_NOUNS})\b"
    rf"|\b(?:key|main|core|common|major|three|four|five|six|seven|several)\s+"
    rf"(?P<focus5>{_LIST_NOUNS})\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:how\s+(?:many|much|large|big|long|often)|what\s+(?:percentage|"
                     r"share|proportion|number|amount|budget|sum)|in\s+what\s+year|when\b|"
                     r"what\s+(?:is|was|are|were)\s+the\s+(?:target|size|scale|cost|budget)s?\b)",
                     re.IGNORECASE)
_COMPARE = re.compile(
    r"^(?:compare|contrast)\s+(?P<a>.+?)\s+(?:and|with|to|versus|vs\.?)\s+(?P<b>.+)$"
    r"|^(?:what\s+is\s+|what\s+are\s+)?(?:the\s+)?differences?\s+between\s+(?P<a2>.+?)\s+and\s+"
    r"(?P<b2>.+)$"
    r"|^how\s+(?:does|do|is|are)\s+(?P<a3>.+?)\s+(?:differ|different)\s+from\s+(?P<b3>.+)$"
    r"|^(?P<a4>.+?)\s+(?:versus|vs\.?)\s+(?P<b4>.+)$",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"^(?:what\s+(?:is|are|was|were)\s+(?:meant\s+by\s+)?(?:a|an|the)?\s*(?P<s>.+?)"
    r"|what\s+does\s+(?P<s2>.+?)\s+mean(?:\s+.*)?"
    r"|(?:define|explain)\s+(?P<s3>.+?)"
    r"|what\s+is\s+the\s+(?:meaning|definition)\s+of\s+(?P<s4>.+?))$",
    re.IGNORECASE,
)
_CASE = re.compile(
    r"^(?:what|how)\s+(?:did|has|have|is|are|was|were)\s+(?P<s>.+?)\s+"
    r"(?:do|done|doing|did|achieve[ds]?|approach(?:ed)?|tackle[ds]?|use[ds]?|run|organi[sz]e[ds]?)"
    r"\b(?P<rest>.*)$"
    r"|^(?:tell\s+me\s+about|describe)\s+(?P<s2>.+?)(?:'s)?(?:\s+(?:mission|work|approach)s?)?$"
    r"|^(?:what\s+(?:is|was)\s+|give\s+(?:me\s+)?)?(?:an?\s+)?examples?\s+of\s+(?P<s3>.+)$"
    r"|^how\s+(?:did|has|have)\s+(?P<s4>(?:(?-i:[A-Z])[\w'’-]*\s*)+)\b(?P<rest2>.*)$",
    re.IGNORECASE,
)
_HOW = re.compile(r"^(?:how\s+(?:should|can|could|do|does|to|might|would|will|are|is)|"
                  r"what\s+(?:steps|actions)|in\s+what\s+ways|what\s+can\s+(?:\w+\s+){1,3}do|"
                  r"what\s+should)\b", re.IGNORECASE)
_WHY = re.compile(r"^(?:why|what\s+(?:is|are)\s+the\s+reasons?|for\s+what\s+reason)\b",
                  re.IGNORECASE)
# A definition question about a list noun ("what are the principles") is a list question, and
# "what is the role of X" asks for a role, not a definition of "the role".
_NOT_A_TERM = re.compile(r"^(?:the\s+)?(?:(?:role|purpose|point|aim|goal|impact|value|"
                         r"difference|relationship|link)\s+(?:of|for|between|in)|best|most|main|"
                         r"biggest|first)\b", re.IGNORECASE)
_ROLES = re.compile(r"^what\s+roles?\s+(?:do|does|did|can|could|should|will|would)\b.*\bplay\b",
                    re.IGNORECASE)
_CONSISTS = re.compile(r"\b(?:consist\s+of|made\s+up\s+of|comprise|include|involve)\b",
                       re.IGNORECASE)


# "According to Nesta, what ..." / "In the OECD's view, how ...": the attribution names a
# source, not what the answer must say, so it is left out of the part's wording.
_PREAMBLE = re.compile(r"^(?:according\s+to|in\s+the\s+view\s+of|as\s+described\s+by|"
                       r"in|for|from)\s+[^,?]{2,80},\s*(?=(?:what|how|why|which|who|when|"
                       r"where|does|do|did|can|could|should|is|are)\b)", re.IGNORECASE)
_LEARNED = re.compile(r"^what\s+(?:did|have|has|can)\s+(?P<s>.+?)\s+(?:learn|learned|learnt)\b",
                      re.IGNORECASE)
_PLURAL_ASKED = re.compile(r"^(?:what|which)\s+(?:(?!(?:do|does|did|can|could|should|are|is|"
                           r"were|was|have|has)\b)[\w-]+\s+){0,3}?(?P<focus>[a-z-]{4,}(?<!ss)"
                           r"(?<!us)(?<!is)s)\s+(?:do|does|did|can|could|should|would|are|were|"
                           r"have|has|help|make|must|need|will|in|of|for|to)\b", re.IGNORECASE)


_POSTSCRIPT = re.compile(r",?\s+(?:according\s+to|as\s+(?:described|set\s+out)\s+by|in\s+the\s+"
                         r"view\s+of)\s+[^,?]{2,80}[?.!]*$", re.IGNORECASE)


def _clean(text: str) -> str:
    text = _PREAMBLE.sub("", text.strip()).strip()
    return _POSTSCRIPT.sub("", text).strip().strip("?.!").strip()


def classify(text: str) -> Part:
    """The shape of one part, with its subject and list focus."""
    q = _clean(text)
    if m := _NUMBER.match(q):
        return Part(q, Shape.number)
    if _ROLES.match(q):  # "what role(s) do X play": usually several, so a list
        return Part(q, Shape.list, focus="roles")
    if m := _LEARNED.match(q):  # "what did X learn": its lessons, as a list
        return Part(q, Shape.list, subject=_clean(m.group("s")), focus="lessons")
    if m := _CASE.match(q):
        subject = m.group("s") or m.group("s2") or m.group("s3") or m.group("s4") or ""
        if not _NOT_A_TERM.match(subject):
            return Part(q, Shape.case, subject=_clean(subject))
    if m := _LIST.search(q):
        focus = next(g for g in m.groups() if g)
        if not q.lower().startswith(("how ", "why ")) or m.group("focus5"):
            return Part(q, Shape.list, focus=focus.lower())
    if m := _PLURAL_ASKED.match(q):  # "what behavioural trends does the report identify"
        return Part(q, Shape.list, focus=m.group("focus").lower())
    if q.lower().startswith("what") and _CONSISTS.search(q):  # "what does X consist of"
        return Part(q, Shape.list, focus="elements")
    if _WHY.match(q):
        return Part(q, Shape.why)
    if _HOW.match(q):
        return Part(q, Shape.how)
    if m := _DEFINITION.match(q):
        subject = next((g for g in m.groups() if g), "")
        if subject and not _NOT_A_TERM.match(subject) and len(subject.split()) <= 8:
            return Part(q, Shape.definition, subject=_clean(subject))
    return Part(q, Shape.general)


def plan(question: str) -> QuestionPlan:
    """Split a question into parts and give each its shape."""
    q = " ".join(question.split())
    compare = _COMPARE.match(_clean(q))
    if compare:
        a, b = [_clean(g) for g in compare.groups() if g][:2]
        return QuestionPlan(question, [Part(a, Shape.comparison, subject=a),
                                       Part(b, Shape.comparison, subject=b)])
    pieces = [p for p in (_clean(x) for x in _SPLIT.split(q)) if len(p.split()) >= 2]
    parts = [classify(p) for p in pieces] or [classify(q)]
    subject = parts[0].subject or _topic(parts[0].text) or parts[0].focus
    for part in parts[1:]:
        if subject and _PRONOUN.search(part.text):
            # "how can it be avoided" is searched as "how can mission washing be avoided".
            part.text = _PRONOUN.sub(subject, part.text, count=1)
            part.subject = part.subject or subject
    return QuestionPlan(question, parts)


_TOPIC = re.compile(r"^(?:what|how|why|which|who)\s+(?:is|are|was|were|does|do|did)\s+"
                    r"(?:a|an|the)?\s*(?P<t>.+?)(?:\s+(?:mean|do|work|matter))?$", re.IGNORECASE)


def _topic(text: str) -> str:
    m = _TOPIC.match(text)
    return _clean(m.group("t")) if m and len(m.group("t").split()) <= 6 else ""


# --- what a complete answer needs, per shape ---------------------------------------------------
# A bonus (or penalty) added to a unit's relevance when choosing what to quote for a part. Kept
# small: relevance decides, the shape breaks near-ties towards the kind of unit the part asks for.
_DEFINES = re.compile(r"\b(?:is|are)\s+(?:a|an|the|defined|described|when|where|about)\b|"
                      r"\brefers?\s+to\b|\bmeans?\b|\bdefined\s+as\b|\bdescribes?\b|"
                      r"\bis\s+(?:\w+\s+){0,2}(?:approach|concept|term|practice|process|way|"
                      r"framework|idea|model|method)\b", re.IGNORECASE)
_CAUSE = re.compile(r"\b(?:because|since|as a result|due to|so that|in order to|leads? to|"
                    r"helps?|enables?|ensures?|crucial|important|essential|matters?|key to|"
                    r"reason|why|allows?|drives?|undermin\w*|prevents?)\b", re.IGNORECASE)
_PRACTICE = re.compile(r"\b(?:should|must|need(?:s)? to|can|by|through|start|involv\w+|"
                       r"step|approach|use|using|build|set|engage|design|establish)\b",
                       re.IGNORECASE)
_INLINE_LIST = re.compile(r"(?::|\binclud\w*|\bsuch as|\bare)\s+[^.;]+,[^.;]+,?\s+(?:and|or)\s",
                          re.IGNORECASE)
_NUMBERS = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|"
                      r"thousand|million|billion|dozen|percent)\b", re.IGNORECASE)


_COUNT = re.compile(r"(?:\d[\d,.]*%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"hundreds?|thousands?|millions?|billions?)\b)\s+(?:[\w-]+\s+){0,2}?"
                    r"(?P<noun>[\w-]+)", re.IGNORECASE)


def _counts_term(text: str, terms: set[str]) -> bool:
    """A number followed (within two words) by one of the question's keywords."""
    from assistant.answer.scoring import keywords  # scoring imports units, not shapes

    return any(keywords(m.group("noun")) & terms for m in _COUNT.finditer(text))


def _names(subject: str) -> list[str]:
    """The words of a subject that must appear for a passage to be about it: its capitalised
    names ("Camden", "Greater Manchester"), else its content words."""
    words = re.findall(r"[\w'-]+", subject)
    names = [w.split("'")[0] for w in words if w[:1].isupper() and w.lower() not in
             ("what", "how", "the", "a", "an")]
    return names or [w for w in words if len(w) > 3]


# The heading a unit sits under says which aspect it covers: "Strategies for Building Trust"
# answers "how can trust be built", "Challenges in Building Trust" does not, though its
# sentences share every keyword. Checked on the section's own heading (the last of its path).
_SOLUTION_HEADING = re.compile(r"\b(?:strateg\w*|how|ways?|approach\w*|practices?|recommend\w*|"
                               r"steps?|solutions?|overcom\w*|tips|lessons?|guid\w*|enabl\w*|"
                               r"success\w*|principles?|ingredients?|actions?|tools?|"
                               r"methods?)\b", re.IGNORECASE)
_PROBLEM_HEADING = re.compile(r"\b(?:challenges?|barriers?|obstacles?|problems?|risks?|"
                              r"difficult\w*|pitfalls?|hurdles?|limitations?|issues?|"
                              r"tensions?|criticism\w*)\b", re.IGNORECASE)
_REASON_HEADING = re.compile(r"\b(?:why|importance|important|matters?|benefits?|reasons?|"
                             r"value|rationale|need)\b", re.IGNORECASE)
HEADING_FIT = 0.04
CASE_PROFILE_FIT = 0.05  # chosen on the multipart dev split


def _heading_fit(part: Part, context: str) -> float:
    """A small preference for units under a heading that names the aspect the part asks
    for (ways for "how", reasons for "why"), and against one that names problems when the
    part does not ask about them. Chosen on the multipart dev split."""
    heading = context.rsplit(" > ", 1)[-1]
    if not heading or part.shape not in (Shape.how, Shape.why):
        return 0.0
    wanted = _SOLUTION_HEADING if part.shape is Shape.how else _REASON_HEADING
    aspect = bool(wanted.search(heading))
    problem = bool(_PROBLEM_HEADING.search(heading)) and not _PROBLEM_HEADING.search(part.text)
    if aspect == problem:  # neither, or "Challenges and Solutions"
        return 0.0
    return HEADING_FIT if aspect else -HEADING_FIT


def outline_answers(part: Part, section: str) -> bool:
    """Whether a section's sub-headings can answer the part: a list question whose focus the
    section's path names ("the key trends" under "Key Trends"). Sub-headings that name places
    or organisations ("Natural Resources Wales", "City of Lund") are not lessons or roles."""
    if part.shape is not Shape.list:
        return False
    focus = part.focus.rstrip("s")[:6].lower()
    return bool(focus) and focus in section.lower()


def fit(part: Part, kind: str, text: str, context: str = "", terms: set[str] = frozenset()
        ) -> float:
    """How well a unit of this kind and text suits the part's shape (added to relevance).
    `context` is where the unit sits (its section), which names a list's topic; `terms` are the
    part's stemmed keywords (a number next to one, "17 organizations", answers "how many")."""
    low = text.lower()
    if part.shape is Shape.list:
        focus = part.focus.rstrip("s")[:6]
        named = bool(focus) and focus in (low + " " + context.lower())
        if kind != "list":  # "three key roles: driving ..., shaping ... and harnessing ..."
            return 0.08 if named and _INLINE_LIST.search(text) else 0.0
        return 0.10 + (0.05 if named else 0.0)
    if part.shape is Shape.how:
        return (0.06 if kind == "list" else (0.02 if _PRACTICE.search(text) else 0.0)) + \
            _heading_fit(part, context)
    if part.shape is Shape.why:
        return (0.04 if _CAUSE.search(text) else 0.0) + _heading_fit(part, context)
    if part.shape in (Shape.case, Shape.comparison):
        names = _names(part.subject)
        if not names:
            return 0.0
        hit = sum(n.lower() in low for n in names) / len(names)
        if not hit:
            return -0.10 if part.shape is Shape.case else -0.05
        # A case's profile ("UK (Royal Academy of Engineering):" with its role, example and
        # approach as sub-items) answers "what did X do" more fully than any one sentence.
        profile = CASE_PROFILE_FIT if kind == "list" and part.shape is Shape.case else 0.0
        return 0.06 * hit + profile
    if part.shape is Shape.number:
        if not _NUMBERS.search(text):
            return -0.08
        return 0.06 + (0.06 if terms and _counts_term(text, terms) else 0.0)
    if part.shape is Shape.definition:
        about = all(n.lower() in low for n in _names(part.subject)) if part.subject else True
        return (0.06 if _DEFINES.search(text) else 0.02) if about else 0.0
    return 0.0
