"""Case studies: places and organisations the documents describe as cases (derived at ingest
time by ingest/cases.py), filterable by country, level of government and theme."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.roles import Action
from ui import auth, resources
from ui.filters import type_label
from ui.safe import link, md, md_inline

auth.require(Action.BROWSE)  # signed-out visitors never get here, even by URL
st.title(messages.UI_NAV_CASES)
st.caption(messages.UI_CASES_INTRO)
payload = resources.cases()
if not payload or not payload.get("cases"):
    st.info(messages.UI_CASES_MISSING)
    st.stop()
cases = payload["cases"]

cols = st.columns(4)
countries = cols[0].multiselect(messages.UI_CASES_COUNTRY,
                                sorted({c["country"] for c in cases}), key="cases_country")
levels = cols[1].multiselect(messages.UI_CASES_LEVEL, sorted({c["level"] for c in cases}),
                             key="cases_level")
themes = cols[2].multiselect(messages.UI_CASES_THEME,
                             sorted({t for c in cases for t in c["themes"]}), key="cases_theme")
name = cols[3].text_input(messages.UI_CASES_SEARCH, key="cases_name").strip().lower()
shown = [c for c in cases
         if (not countries or c["country"] in countries) and (not levels or c["level"] in levels)
         and (not themes or set(themes) & set(c["themes"])) and name in c["name"].lower()]

st.dataframe([{"Case": c["name"], "Country": c["country"], "Level": c["level"],
               "Themes": ", ".join(c["themes"]), "Documents": len(c["documents"]),
               "Passages": c["mentions"]} for c in shown],
             hide_index=True, width="stretch")

for case in shown[:60]:  # the table lists all; passages for the best-documented 60
    title = f"{case['name']} — {case['country']}, {case['level']}"
    with st.expander(md_inline(title)):
        st.caption(md_inline("Themes: " + (", ".join(case["themes"]) or "not detected")))
        for p in case["passages"]:
            with st.container(border=True):
                st.markdown(f"**{link(p['title'] or p['doc_id'], p['url'])}**")
                st.caption(" · ".join(md_inline(x) for x in
                                      (p["publisher"], type_label(p["type"]), p["date"],
                                       p["section"]) if x))
                for sentence in p["sentences"] or [p["text"][:400]]:
                    st.markdown(md(sentence))
