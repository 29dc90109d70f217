"""The accessibility statement (the UK public-sector format: compliance status, known issues,
how to report a problem, enforcement, how and when it was tested). Reachable by everyone,
signed in or not. The text is ui/accessibility_statement.md; keep it true to the latest run
of the browser tests (evals/results/accessibility.md)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import streamlit as st

from assistant import messages
from ui import resources
from ui.safe import md_inline

STATEMENT = Path(__file__).resolve().parent.parent / "accessibility_statement.md"

settings = resources.settings()
contact = settings.accessibility_contact.strip()
if not contact:
    contact = messages.UI_ACCESSIBILITY_NO_CONTACT
elif "@" in contact and "://" not in contact:
    contact = f"e-mail [{md_inline(contact)}](mailto:{quote(contact, safe='@.+-_')})"
else:
    contact = md_inline(contact)
# Our own Markdown file (trusted); only the contact setting is filled in, escaped above.
st.markdown(STATEMENT.read_text(encoding="utf-8").replace("{contact}", contact))
