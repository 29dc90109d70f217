"""Who may do what: three roles, the actions each allows, and how a signed-in user's ID-token
claims map to a role. No Streamlit here: the app (ui/auth.py) asks these functions, and so can
any other front end.

- reader: ask, browse the library and case studies, export their own answers, give feedback.
- librarian: also add, crawl, re-ingest and remove documents.
- admin: also read and export everyone's feedback and see (and export) the audit log.

With sign-in off there is no role: one person uses the app on their own machine, and the
settings decide what they get (allow_uploads: the librarian's actions; allow_feedback_export:
the admin's).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

from assistant.settings import Settings

ANONYMOUS = "anonymous"


class Role(IntEnum):
    """Ordered: each role may do everything the one below it may."""

    READER = 1
    LIBRARIAN = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Action(str, Enum):
    ASK = "ask"
    BROWSE = "browse"
    EXPORT_OWN = "export_own_answers"
    GIVE_FEEDBACK = "give_feedback"
    ADD_DOCUMENTS = "add_documents"
    CRAWL = "crawl"
    REINGEST = "reingest"
    REMOVE_DOCUMENTS = "remove_documents"
    READ_FEEDBACK = "read_feedback"
    EXPORT_FEEDBACK = "export_feedback"
    VIEW_AUDIT = "view_audit"


# The least role that may take each action.
LEAST_ROLE: dict[Action, Role] = {
    Action.ASK: Role.READER,
    Action.BROWSE: Role.READER,
    Action.EXPORT_OWN: Role.READER,
    Action.GIVE_FEEDBACK: Role.READER,
    Action.ADD_DOCUMENTS: Role.LIBRARIAN,
    Action.CRAWL: Role.LIBRARIAN,
    Action.REINGEST: Role.LIBRARIAN,
    Action.REMOVE_DOCUMENTS: Role.LIBRARIAN,
    Action.READ_FEEDBACK: Role.ADMIN,
    Action.EXPORT_FEEDBACK: Role.ADMIN,
    Action.VIEW_AUDIT: Role.ADMIN,
}


@dataclass(frozen=True)
class Principal:
    """Who is using the app: `name` is what the audit log and feedback rows record (the
    e-mail address, else the subject; 'anonymous' with sign-in off)."""

    name: str
    role: Role | None  # None: signed in but given no role, or sign-in off
    signed_in: bool = False


def role_for(claims: dict, settings: Settings) -> Role | None:
    """The highest role that the user's groups, e-mail address or e-mail domain earn in
    settings.auth_roles; settings.auth_default_role when nothing matches."""
    table = {key.strip().lower(): Role[value.upper()] for key, value in settings.auth_roles.items()}
    groups = claims.get(settings.auth_roles_claim) or []
    if isinstance(groups, str):  # some providers send one group as a plain string
        groups = [groups]
    keys = [str(g).strip().lower() for g in groups]
    email = str(claims.get("email") or "").strip().lower()
    if email:
        keys.append(email)
        if "@" in email:
            keys.append("@" + email.rsplit("@", 1)[1])
    matched = [table[k] for k in keys if k in table]
    if matched:
        return max(matched)
    return Role.READER if settings.auth_default_role == "reader" else None


def principal_for(claims: dict, settings: Settings) -> Principal:
    name = str(claims.get("email") or claims.get("preferred_username") or claims.get("sub")
               or ANONYMOUS)
    return Principal(name=name, role=role_for(claims, settings), signed_in=True)


def can(principal: Principal, action: Action, settings: Settings) -> bool:
    """Whether `principal` may take `action`. Sign-in on: by role. Sign-in off: readers'
    actions always, librarians' with allow_uploads, admins' with allow_feedback_export."""
    least = LEAST_ROLE[action]
    if settings.auth_enabled:
        return principal.signed_in and principal.role is not None and principal.role >= least
    if least is Role.LIBRARIAN:
        return settings.allow_uploads
    if least is Role.ADMIN:
        return settings.allow_feedback_export
    return True
