"""Case studies: named initiatives (case records built at ingest), filterable and sortable;
open one to read its cited fields and passages, compare 2-4 side by side, ask a question
scoped to them, and download them (CSV, BibTeX, RIS, comparison as Markdown or Word)."""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.roles import Action
from assistant.cases import facets, filter_cases, sort_cases
from ui import auth, case_views, resources

auth.require(Action.BROWSE)  # signed-out visitors never get here, even by URL
st.title(messages.UI_NAV_CASES)
st.caption(messages.UI_CASES_INTRO)
records = resources.cases().cases
if not records:
    st.info(messages.UI_CASES_MISSING)
    st.stop()

values = facets(records)
row1 = st.columns(4)
country = row1[0].multiselect(messages.UI_CASES_COUNTRY, values["country"], key="cases_country")
level = row1[1].multiselect(messages.UI_CASES_LEVEL, values["level"], key="cases_level")
theme = row1[2].multiselect(messages.UI_CASES_THEME, values["theme"], key="cases_theme")
publisher = row1[3].multiselect(messages.UI_CASES_PUBLISHER, values["publisher"],
                                key="cases_publisher")
row2 = st.columns([2, 2, 1])
text = row2[0].text_input(messages.UI_CASES_SEARCH, key="cases_name")
years = None
if len(values["year"]) > 1:
    bounds = (values["year"][0], values["year"][-1])
    chosen = row2[1].slider(messages.UI_CASES_YEAR, *bounds, bounds, key="cases_year")
    years = None if tuple(chosen) == bounds else tuple(chosen)
sort = row2[2].selectbox(messages.UI_CASES_SORT, list(messages.UI_CASES_SORTS),
                         format_func=messages.UI_CASES_SORTS.get, key="cases_sort")
shown = sort_cases(filter_cases(records, country, level, theme, publisher, years, text), sort)
st.caption(messages.UI_CASES_COUNT.format(shown=len(shown), total=len(records)))

# st.dataframe draws text on a canvas, never as HTML.
st.dataframe([{"Case": c.name.value, "Country": c.country.value, "Level": c.level.value,
               "Led by": c.organisation.value, "Year": c.year.value,
               "Themes": ", ".join(t.value for t in c.themes), "Documents": len(c.documents)}
              for c in shown], hide_index=True, width="stretch", key="cases_table")
if not shown:
    st.info(messages.UI_CASES_NONE)
    st.stop()
case_views.downloads(shown, ("csv", "bibtex", "ris"), "cases-all")

by_id = {c.id: c for c in shown}
picked = st.multiselect(messages.UI_CASES_OPEN, list(by_id), format_func=lambda i: by_id[i]
                        .name.value, key="cases_selected", help=messages.UI_CASES_TABLE_HELP,
                        max_selections=4)
selected = [by_id[i] for i in picked]
if len(selected) == 1:
    case_views.case_detail(selected[0])
elif len(selected) > 1:
    case_views.compare(selected)
    case_views.downloads(selected, ("markdown", "docx", "csv", "bibtex", "ris"), "cases-cmp")
else:
    st.caption(messages.UI_CASES_COMPARE_HINT.format(n=0))
if selected:
    st.divider()
    case_views.ask_about(selected, resources.assistant_or_stop())
