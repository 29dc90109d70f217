"""Sign-in and roles in the app. Sign-in is Streamlit's own OpenID Connect (st.login / st.user,
Authlib underneath), configured in Streamlit's secrets ([auth] in .streamlit/secrets.toml) for
any provider; who may do what is assistant/roles.py.

Two rules hold on every page: what a user may not do is not shown (app.py lists only their
pages, pages draw only their controls), and is refused here, server-side, if reached anyway
(a typed page URL, a stale button in an old tab, a role taken away mid-session): `require`
records the refusal in the audit log and stops the run before anything private is read.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from assistant import audit, messages
from assistant.roles import ANONYMOUS, Action, Principal, can, principal_for
from assistant.settings import Settings


def provider_configured(settings: Settings) -> bool:
    """Whether Streamlit's secrets hold the [auth] section (or [auth.NAME]) st.login needs."""
    try:
        section = st.secrets.get("auth") if "auth" in st.secrets else None
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False
    if not section:
        return False
    if settings.auth_provider:
        return settings.auth_provider in section
    return "client_id" in section and "server_metadata_url" in section


def principal(settings: Settings) -> Principal:
    """Who is using the app now. With sign-in off: 'anonymous', whose rights the settings
    decide (assistant.roles.can)."""
    if not settings.auth_enabled:
        return Principal(ANONYMOUS, None, signed_in=False)
    try:
        if st.user.is_logged_in:
            return principal_for(st.user.to_dict(), settings)
    except (FileNotFoundError, StreamlitSecretNotFoundError, AttributeError):
        pass
    return Principal(ANONYMOUS, None, signed_in=False)


def sign_in_page() -> None:
    """The page a visitor sees until they sign in."""
    settings = Settings()
    st.title(messages.UI_TITLE)
    if not provider_configured(settings):
        section = f" ([auth.{settings.auth_provider}])" if settings.auth_provider else ""
        st.error(messages.UI_AUTH_NOT_CONFIGURED.format(section=section))
        return
    st.write(messages.UI_SIGN_IN_INTRO)
    st.button(messages.UI_SIGN_IN_BUTTON, type="primary", icon=":material/login:",
              on_click=st.login, args=(settings.auth_provider or None,), key="sign-in")


def account_box(user: Principal) -> None:
    """Signed-in name, role and the sign-out button (sidebar); nothing with sign-in off."""
    if not user.signed_in:
        return
    role = user.role.label if user.role else "no role"
    st.caption(messages.UI_SIGNED_IN_AS.format(name=user.name, role=role))
    st.button(messages.UI_SIGN_OUT_BUTTON, on_click=st.logout, icon=":material/logout:",
              key="sign-out")


def no_role_page(user: Principal) -> None:
    st.warning(messages.UI_NO_ROLE.format(name=user.name))
    st.button(messages.UI_SIGN_OUT_BUTTON, on_click=st.logout, key="sign-out-no-role")


def allowed(action: Action, settings: Settings | None = None) -> bool:
    settings = settings or Settings()
    return can(principal(settings), action, settings)


def refusal(action: Action, settings: Settings) -> str:
    if not settings.auth_enabled and action in (Action.ADD_DOCUMENTS, Action.CRAWL,
                                                Action.REINGEST, Action.REMOVE_DOCUMENTS):
        return messages.UI_REFUSED_UPLOADS_OFF
    if not settings.auth_enabled:
        return messages.UI_REFUSED_ADMIN_OFF
    return messages.UI_REFUSED.format(action=action.value.replace("_", " "))


def require(action: Action, settings: Settings | None = None) -> Principal:
    """The current user if they may take `action`; otherwise record the refusal in the audit
    log, say why, and end this run (st.stop) so nothing after the call executes."""
    settings = settings or Settings()
    user = principal(settings)
    if can(user, action, settings):
        return user
    audit.record(settings, user.name, "refused", action.value, "refused",
                 f"role: {user.role.label if user.role else 'none'}")
    st.error(refusal(action, settings))
    st.stop()
    raise RuntimeError("unreachable: st.stop ends the run")
