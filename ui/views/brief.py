"""Briefing pack: one topic in, a structured handout of cited quotes out, shown on the page
and downloadable as Word, Markdown or slides. Readers may build packs (it only asks
questions). Headings stay in order: page title (h1), pack title (h2), sections (h3)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant import messages
from assistant.export import PACK_EXPORTS, export_pack
from assistant.export.pack_common import about, further, reference
from assistant.packs.build import build_pack
from assistant.packs.model import Item, Pack, PackOptions
from assistant.roles import Action
from ui import auth, resources
from ui.filters import type_label, years_of
from ui.safe import md_inline

settings = resources.settings()
auth.require(Action.ASK, settings)
st.title(messages.UI_NAV_BRIEF)
st.caption(messages.UI_BRIEF_INTRO)
assistant = resources.assistant_or_stop()
documents = resources.documents()

with st.form("brief_form"):
    topic = st.text_input(messages.UI_BRIEF_TOPIC, help=messages.UI_BRIEF_TOPIC_HELP,
                          key="brief_topic")
    cols = st.columns(3)
    audience = cols[0].radio(messages.UI_BRIEF_AUDIENCE, list(messages.UI_BRIEF_AUDIENCES),
                             format_func=messages.UI_BRIEF_AUDIENCES.get, index=1,
                             key="brief_audience")
    length = cols[1].radio(messages.UI_BRIEF_LENGTH, list(messages.UI_BRIEF_LENGTHS),
                           format_func=messages.UI_BRIEF_LENGTHS.get, index=1,
                           key="brief_length")
    include_cases = cols[2].toggle(messages.UI_BRIEF_CASES, value=True, key="brief_cases")
    cols = st.columns(2)
    types = cols[0].multiselect(messages.UI_BRIEF_TYPES,
                                sorted({d["type"] for d in documents if d.get("type")}),
                                format_func=type_label, key="brief_types")
    publishers = cols[1].multiselect(
        messages.UI_BRIEF_PUBLISHERS,
        sorted({d["publisher"] for d in documents if d.get("publisher")}), key="brief_pubs")
    years = years_of(documents)
    chosen = None
    if len(years) > 1:
        chosen = st.slider(messages.UI_BRIEF_YEARS, years[0], years[-1], (years[0], years[-1]),
                           key="brief_years")
    submitted = st.form_submit_button(messages.UI_BRIEF_BUILD, type="primary")

if submitted and topic.strip():
    span = chosen if chosen and tuple(chosen) != (years[0], years[-1]) else (None, None)
    options = PackOptions(audience=audience, length=length, include_cases=include_cases,
                          types=types, publishers=publishers, year_min=span[0],
                          year_max=span[1])
    with st.spinner(messages.UI_BRIEF_BUILDING):
        st.session_state.brief_pack = build_pack(assistant, topic, options, date.today())
elif submitted:
    st.warning(messages.PACK_EMPTY_TOPIC)

pack: Pack | None = st.session_state.get("brief_pack")


def quote(item: Item) -> str:
    label = f"**{md_inline(item.label)}:** " if item.label else ""
    lines = [f"- {label}{md_inline(item.text)} \\[{item.n}\\]"]
    return "\n".join(lines + [f"  - {md_inline(x)}" for x in item.items])


if pack is not None:
    st.success(messages.UI_BRIEF_DONE.format(filled=len(pack.filled()),
                                             total=len(pack.sections),
                                             cites=len(pack.citations)))
    cols = st.columns(3)
    for col, fmt in zip(cols, ("docx", "markdown", "pptx")):
        _, suffix, mime = PACK_EXPORTS[fmt]
        col.download_button(messages.UI_BRIEF_DOWNLOADS[fmt], export_pack(fmt, pack),
                            file_name=f"briefing-pack.{suffix}", mime=mime,
                            key=f"brief-{fmt}")
    st.header(md_inline(messages.PACK_TITLE.format(topic=pack.topic)))
    st.caption(md_inline(about(pack)))
    for section in pack.sections:
        st.subheader(section.title)
        st.caption(md_inline(messages.PACK_ASKED.format(question=section.question)))
        if not section.covered:
            st.info(messages.PACK_NOT_COVERED)
            continue
        body = [quote(i) for i in section.items]
        for case in section.cases:
            body.append(f"\n**{md_inline(case.name)}**\n")
            body += [quote(f) for f in case.facts]
        st.markdown("\n".join(body))
    st.subheader(messages.PACK_GLOSSARY)
    st.markdown("\n".join(f"- **{md_inline(g.term)}**: {md_inline(g.item.text)} "
                          f"\\[{g.item.n}\\]" for g in pack.glossary)
                or messages.PACK_EMPTY_AID)
    st.subheader(messages.PACK_FAQ)
    st.markdown("\n".join(f"- **{md_inline(f.question)}**  \n  {md_inline(f.item.text)} "
                          f"\\[{f.item.n}\\]" for f in pack.faq) or messages.PACK_EMPTY_AID)
    st.subheader(messages.PACK_TIMELINE)
    st.markdown("\n".join(f"- **{t.year}**: {md_inline(t.item.text)} \\[{t.item.n}\\]"
                          for t in pack.timeline) or messages.PACK_EMPTY_AID)
    st.subheader(messages.PACK_PROMPTS)
    st.caption(messages.PACK_PROMPTS_NOTE)
    st.markdown("\n".join(f"{i}. {md_inline(p)}" for i, p in enumerate(pack.prompts, 1))
                or messages.PACK_EMPTY_AID)
    st.subheader(messages.PACK_FURTHER)
    st.markdown("\n".join(f"- {md_inline(further(r))}" for r in pack.references))
    st.subheader(messages.PACK_REFERENCES)
    st.markdown("\n".join(f"{c.n}. {md_inline(reference(c))}" for c in pack.citations))
