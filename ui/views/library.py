"""The library: every document with its metadata; search titles and text by words or an exact
phrase, filter by type, publisher and year, sort; open one to read its cleaned text."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.roles import Action
from assistant.library import search_text, sort_documents
from ui import auth, resources
from ui.filters import type_label, years_of
from ui.safe import link, md, md_inline

auth.require(Action.BROWSE)  # signed-out visitors never get here, even by URL
resources.assistant_or_stop()
documents = resources.documents()

st.title(messages.UI_NAV_LIBRARY)
st.caption(messages.UI_LIBRARY_COUNT.format(docs=len(documents),
                                            chunks=sum(d["chunks"] for d in documents)))
top = st.columns([4, 1])
query = top[0].text_input(messages.UI_LIBRARY_SEARCH, key="library_search").strip()
phrase = top[1].toggle(messages.UI_LIBRARY_PHRASE, key="library_phrase")
cols = st.columns([2, 2, 2, 1])
types = cols[0].multiselect(messages.UI_FILTER_TYPE, sorted({d["type"] for d in documents}),
                            format_func=type_label, key="library_types")
publishers = cols[1].multiselect(messages.UI_FILTER_PUBLISHER,
                                 sorted({d["publisher"] for d in documents if d["publisher"]}),
                                 key="library_publishers")
years = years_of(documents)
span = None
if len(years) > 1:
    span = cols[2].slider(messages.UI_FILTER_YEARS, years[0], years[-1], (years[0], years[-1]),
                          key="library_years", help=messages.UI_FILTER_YEARS_HELP)
    span = None if tuple(span) == (years[0], years[-1]) else span
sort = cols[3].selectbox(messages.UI_LIBRARY_SORT, list(messages.UI_LIBRARY_SORTS),
                         format_func=messages.UI_LIBRARY_SORTS.get, key="library_sort")

hits: dict[str, int] = {}
if query:
    hits = search_text(resources.texts(), query, phrase)
    for d in documents:  # a title, publisher or type match counts too (words, any case)
        meta = " ".join((d["title"], d["publisher"], d["type"], d["doc_id"])).lower()
        if not phrase and all(w in meta for w in query.lower().split()) or \
                phrase and query in " ".join((d["title"], d["publisher"])):
            hits.setdefault(d["doc_id"], 0)
shown = [d for d in documents
         if (not query or d["doc_id"] in hits) and (not types or d["type"] in types)
         and (not publishers or d["publisher"] in publishers)
         and (not span or str(d["date"])[:4].isdigit() and span[0] <= int(d["date"][:4])
              <= span[1])]
shown = sort_documents(shown, sort)
if query:
    st.caption(messages.UI_LIBRARY_TEXT_HITS.format(n=len(shown)))
if not shown:
    st.info(messages.UI_LIBRARY_EMPTY)
    st.stop()

rows = [{"Title": d["title"], "Type": type_label(d["type"]), "Publisher": d["publisher"],
         "Date": d["date"], "Chunks": d["chunks"], **({"Matches": hits.get(d["doc_id"], 0)}
                                                     if query else {}),
         "Source": d["url"] or None} for d in shown]
# st.dataframe draws text on a canvas (never as HTML) and sorts by any column on a click;
# LinkColumn only makes http(s) links.
st.dataframe(rows, hide_index=True, width="stretch", key="library_table",
             column_config={"Source": st.column_config.LinkColumn("Source")})

by_label = {f"{d['title']} — {d['publisher']} ({d['doc_id']})": d for d in shown}
choice = st.selectbox(messages.UI_LIBRARY_OPEN, list(by_label), index=None,
                      key="library_open")
if choice:
    doc = by_label[choice]
    meta, parts = resources.text_of(doc["doc_id"])
    st.header(md_inline(doc["title"]), anchor=False)
    facts = [doc["publisher"], type_label(doc["type"]), doc["date"],
             f"{doc['chunks']} chunks", doc.get("source", "")]
    st.caption(" · ".join(md_inline(f) for f in facts if f))
    if doc["url"]:
        st.markdown(link(messages.UI_OPEN_SOURCE, doc["url"]))
    with st.container(border=True, height=600):
        for section, text in parts:
            if section:
                st.markdown(f"**{md_inline(section)}**")
            st.markdown(md(text))
