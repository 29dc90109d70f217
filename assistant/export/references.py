"""The sources of an answer, a pack or a case set as BibTeX and RIS, for Zotero, EndNote and
reference managers: title, publisher, date, URL, access date (and the document id in a note).

BibTeX is written with bibtexparser (LaTeX-encoded text, the URL left verbatim) and RIS with
rispy, so both parse back with the same libraries (imported when writing: a briefing pack
keeps its reference list as `Reference`s without loading them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Library document type -> (BibTeX entry type, RIS type).
_TYPES = {"report": ("techreport", "RPRT"), "case_study": ("techreport", "RPRT"),
          "blog": ("online", "BLOG"), "press_release": ("online", "PRESS"),
          "web_page": ("online", "ELEC"), "talk_summary": ("misc", "VIDEO")}


@dataclass(frozen=True)
class Reference:
    """One document in a reference list; `cited` is False for further reading that was found
    for a topic but not quoted (briefing packs)."""

    doc_id: str
    title: str
    publisher: str = ""
    type: str = ""
    date: str = ""
    url: str = ""
    cited: bool = True


def dedupe(items, cited: bool = True) -> list[Reference]:
    """One Reference per document, in first-seen order, from anything with doc_id, title,
    publisher, type, date and url (Citation, Passage, Evidence). The link is the document's,
    not one moment of a video or one page of a PDF."""
    seen: dict[str, Reference] = {}
    for it in items:
        if it.doc_id not in seen:
            url = it.url
            if getattr(it, "video_id", ""):  # a passage: cite the video, not one moment of it
                url = f"https://www.youtube.com/watch?v={it.video_id}"
            seen[it.doc_id] = Reference(it.doc_id, it.title or it.doc_id, it.publisher,
                                        it.type, it.date,
                                        re.sub(r"([&?]t=\d+s|#page=\d+)$", "", url or ""), cited)
    return list(seen.values())


def _key(ref: Reference, taken: set[str]) -> str:
    words = re.findall(r"[A-Za-z0-9]+", ref.publisher.split("(")[0])[:1] or ["src"]
    year = ref.date[:4] if ref.date[:4].isdigit() else "nd"
    title = re.findall(r"[A-Za-z0-9]+", ref.title)[:2]
    base = "".join([words[0].lower(), year, *(t.capitalize() for t in title)])
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(96 + n)}"
    taken.add(key)
    return key


def to_bibtex(refs: list[Reference], accessed: date | None = None) -> str:
    import bibtexparser
    from bibtexparser import model
    from pylatexenc.latexencode import unicode_to_latex

    accessed = accessed or date.today()
    entries, taken = [], set()
    for ref in refs:
        kind = _TYPES.get(ref.type, ("misc", "GEN"))[0]
        fields = [("title", unicode_to_latex(ref.title, non_ascii_only=False))]
        if ref.publisher:
            who = "institution" if kind == "techreport" else "organization"
            fields.append((who, unicode_to_latex(ref.publisher, non_ascii_only=False)))
        if ref.date[:4].isdigit():
            fields.append(("year", ref.date[:4]))
            fields.append(("date", ref.date))
        if ref.url:  # verbatim for the url package; only braces would unbalance the entry
            fields.append(("url", ref.url.replace("{", "%7B").replace("}", "%7D")))
            fields.append(("urldate", accessed.isoformat()))
        fields.append(("note", f"Accessed {accessed.isoformat()}. Library document "
                               f"{unicode_to_latex(ref.doc_id, non_ascii_only=False)}"))
        entries.append(model.Entry(kind, _key(ref, taken), [model.Field(k, v)
                                                            for k, v in fields]))
    return bibtexparser.write_string(bibtexparser.Library(entries))


def to_ris(refs: list[Reference], accessed: date | None = None) -> str:
    import rispy

    accessed = accessed or date.today()
    records = []
    for ref in refs:
        rec = {"type_of_reference": _TYPES.get(ref.type, ("misc", "GEN"))[1],
               "title": ref.title, "id": ref.doc_id,
               "access_date": accessed.strftime("%Y/%m/%d"),
               "notes": [f"Library document {ref.doc_id}"]}
        if ref.publisher:
            rec["publisher"] = ref.publisher
        if ref.date[:4].isdigit():
            rec["year"] = ref.date[:4]
            rec["date"] = ref.date.replace("-", "/")
        if ref.url:
            rec["urls"] = [ref.url]
        records.append(rec)
    return rispy.dumps(records)
