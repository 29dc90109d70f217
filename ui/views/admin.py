"""Admin: everyone's feedback (table and CSV) and the audit log. Only for admins with sign-in
on, or with MISSION_ALLOW_FEEDBACK_EXPORT=true when sign-in is off; refused otherwise, even
through a typed URL. Every export is written to the audit log with who made it."""

from __future__ import annotations

import streamlit as st

from assistant import audit, messages
from assistant.roles import Action
from ui import auth, feedback, resources

AUDIT_SHOWN = 500

settings = resources.settings()
st.title(messages.UI_NAV_ADMIN)
user = auth.require(Action.READ_FEEDBACK, settings)


# Built when the button is clicked (a deferred download), so the export is recorded at the
# moment it happens. Streamlit runs these outside the page run, where st.user is not
# available: they use the user this run has already checked.
def feedback_csv() -> str:
    data = feedback.to_csv(settings.feedback_path)
    audit.record(settings, user.name, "export_feedback", settings.feedback_path.name, "done",
                 f"{len(feedback.rows(settings.feedback_path))} rows")
    return data


def audit_csv() -> str:
    audit.record(settings, user.name, "export_audit", settings.audit_path.name, "done")
    return audit.to_csv(settings)


st.header(messages.UI_ADMIN_FEEDBACK, anchor=False)
rows = feedback.rows(settings.feedback_path)
if rows:
    st.caption(messages.UI_ADMIN_FEEDBACK_COUNT.format(n=len(rows)))
    st.dataframe([{"When": r["updated"], "User": r["user"],
                   "Rating": {1: "up", 0: "down"}.get(r["rating"], ""), "Comment": r["comment"],
                   "Question": r["question"], "Status": r["status"]} for r in rows],
                 hide_index=True, width="stretch")
    st.download_button(messages.UI_FEEDBACK_CSV, feedback_csv,
                       file_name="mission-assistant-feedback.csv", mime="text/csv",
                       on_click="ignore", key="feedback-csv", icon=":material/download:")
else:
    st.info(messages.UI_ADMIN_EMPTY)

st.header(messages.UI_ADMIN_AUDIT, anchor=False)
if auth.allowed(Action.VIEW_AUDIT, settings):
    log = audit.rows(settings, limit=AUDIT_SHOWN)
    st.caption(messages.UI_ADMIN_AUDIT_INTRO.format(n=AUDIT_SHOWN))
    if log:
        st.dataframe(log, hide_index=True, width="stretch",
                     column_order=("time", "actor", "action", "target", "outcome", "detail"))
        st.download_button(messages.UI_ADMIN_AUDIT_CSV, audit_csv,
                           file_name="mission-assistant-audit.csv", mime="text/csv",
                           on_click="ignore", key="audit-csv", icon=":material/download:")
    else:
        st.info(messages.UI_ADMIN_EMPTY)
