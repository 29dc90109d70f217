"""The library: every document with its metadata, searchable; open one to read its text."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.roles import Action
from ui import auth, resources
from ui.filters import type_label
from ui.safe import link, md, md_inline

auth.require(Action.BROWSE)  # signed-out visitors never get here, even by URL
resources.assistant_or_stop()
documents = resources.documents()

st.title(messages.UI_NAV_LIBRARY)
st.caption(messages.UI_LIBRARY_COUNT.format(docs=len(documents),
                                            chunks=sum(d["chunks"] for d in documents)))
query = st.text_input(messages.UI_LIBRARY_SEARCH, key="library_search").strip().lower()
shown = [d for d in documents
         if not query or query in " ".join((d["title"], d["publisher"], d["type"], d["date"],
                                            d["doc_id"])).lower()]
if not shown:
    st.info(messages.UI_LIBRARY_EMPTY)
    st.stop()

rows = [{"Title": d["title"], "Type": type_label(d["type"]), "Publisher": d["publisher"],
         "Date": d["date"], "Chunks": d["chunks"], "Source": d["url"] or None} for d in shown]
# st.dataframe draws text on a canvas (never as HTML); LinkColumn only makes http(s) links.
st.dataframe(rows, hide_index=True, width="stretch",
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
