"""Streamlit entry point: `streamlit run ui/app.py` (or `mission-assistant ui`).

Pages live in ui/views/; shared pieces in ui/ (safe text, rendering, filters, export,
feedback, sign-in and roles). Document text is always shown as text, never as HTML (see
ui/safe.py). Each user is offered only the pages their role allows (ui/auth.py); the pages
check again themselves, so a typed URL or a stale link is refused too.
"""

from __future__ import annotations

import streamlit as st

from assistant import messages
from assistant.roles import Action, can
from ui import auth, resources, style

st.set_page_config(page_title=messages.UI_TITLE, page_icon="🧭")
style.apply()

settings = resources.settings()
user = auth.principal(settings)
# Material icons ship with Streamlit, so they render even where no emoji font is installed.
statement = st.Page("views/accessibility.py", title=messages.UI_NAV_ACCESSIBILITY,
                    icon=":material/accessibility_new:")
if settings.auth_enabled and not user.signed_in:
    pages = [st.Page(auth.sign_in_page, title=messages.UI_NAV_SIGN_IN, icon=":material/login:",
                     url_path="sign-in", default=True), statement]
elif settings.auth_enabled and user.role is None:
    pages = [st.Page(lambda: auth.no_role_page(user), title=messages.UI_NAV_SIGN_IN,
                     icon=":material/login:", url_path="sign-in", default=True), statement]
else:
    pages = [
        st.Page("views/chat.py", title=messages.UI_NAV_CHAT, icon=":material/chat:",
                default=True),
        st.Page("views/library.py", title=messages.UI_NAV_LIBRARY,
                icon=":material/library_books:"),
        st.Page("views/cases.py", title=messages.UI_NAV_CASES, icon=":material/travel_explore:"),
        st.Page("views/brief.py", title=messages.UI_NAV_BRIEF, icon=":material/school:",
                url_path="brief"),
    ]
    if can(user, Action.ADD_DOCUMENTS, settings):
        pages.append(st.Page("views/upload.py", title=messages.UI_NAV_UPLOAD,
                             icon=":material/upload_file:"))
    if can(user, Action.READ_FEEDBACK, settings):
        pages.append(st.Page("views/admin.py", title=messages.UI_NAV_ADMIN,
                             icon=":material/admin_panel_settings:"))
    pages.append(statement)
page = st.navigation(pages)
with st.sidebar:
    auth.account_box(user)
page.run()
