"""Streamlit entry point: `streamlit run ui/app.py` (or `mission-assistant ui`).

Pages live in ui/views/; shared pieces in ui/ (safe text, rendering, filters, export,
feedback). Document text is always shown as text, never as HTML (see ui/safe.py).
"""

from __future__ import annotations

import streamlit as st

from assistant import messages
from ui import resources

st.set_page_config(page_title=messages.UI_TITLE, page_icon="🧭")

# Material icons ship with Streamlit, so they render even where no emoji font is installed.
pages = [
    st.Page("views/chat.py", title=messages.UI_NAV_CHAT, icon=":material/chat:", default=True),
    st.Page("views/library.py", title=messages.UI_NAV_LIBRARY,
            icon=":material/library_books:"),
    st.Page("views/cases.py", title=messages.UI_NAV_CASES, icon=":material/travel_explore:"),
]
if resources.settings().allow_uploads:
    pages.append(st.Page("views/upload.py", title=messages.UI_NAV_UPLOAD,
                         icon=":material/upload_file:"))
st.navigation(pages).run()
