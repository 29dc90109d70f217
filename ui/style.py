"""The one stylesheet the app adds to Streamlit's, for keyboard users (WCAG 2.4.7 Focus
Visible): Streamlit makes its main region focusable (tabindex=0, so the keyboard can scroll
it) but draws no focus indicator on it, and no theme or config option can add one. A constant,
never built from data; it is the only st.html in the app (tests/test_ui_app.py checks that)."""

from __future__ import annotations

import streamlit as st

FOCUS_CSS = (
    "<style>"
    "#stMain:focus-visible,[data-testid='stMain']:focus-visible"
    "{outline:3px solid #1d70b8;outline-offset:-3px}"
    "</style>"
)


def apply() -> None:
    st.html(FOCUS_CSS)  # style-only HTML: Streamlit adds it to the page without a block
