"""Sign-in for real: a loopback OpenID Connect provider (oidc-provider-mock, tests/oidc.py),
the app with sign-in on (conftest `auth_app`), and headless Chromium. A visitor, a reader, a
librarian, an admin and a user with no role each sign in through the provider's own form and
see, and may do, exactly what their role allows; typed URLs of forbidden pages show nothing
private; signing out ends the session at the provider and in the app."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from assistant import audit, messages
from tests.a11y import check_page, check_reflow
from tests.browser import ask, chromium, normalise, wait_done

pytestmark = pytest.mark.browser
QUESTION = "What is market shaping?"
SECRET_COMMENT = "PRIVATE-COMMENT-FROM-ANOTHER-USER"
RIVERTOWN = "Rivertown City Council launched a mission to retrofit every council home by 2030.\n"


@pytest.fixture(scope="module")
def app(auth_app):
    """The signed-in app, with one other user's feedback already stored."""
    from assistant.types import Answer, AnswerStatus
    from ui import feedback

    server, provider, settings = auth_app
    feedback.record(settings.feedback_path, "seeded", Answer(
        question="A question someone else asked", status=AnswerStatus.answered, answer="a"),
        0, SECRET_COMMENT, user="someone@dept.example")
    return server, settings


def sign_in(page, url: str, sub: str, email: str, role: str | None) -> None:
    page.goto(url, timeout=60_000)
    wait_done(page, messages.UI_SIGN_IN_INTRO)
    page.get_by_role("button", name=messages.UI_SIGN_IN_BUTTON).click()
    page.get_by_role("button", name=f"Authorize as {sub}").click()  # the provider's form
    page.wait_for_url(url + "**", timeout=60_000)
    if role:
        wait_done(page, messages.UI_SIGNED_IN_AS.format(name=email, role=role))
    else:
        wait_done(page, messages.UI_NO_ROLE.format(name=email))


def sign_out(page, url: str) -> None:
    page.get_by_role("button", name=messages.UI_SIGN_OUT_BUTTON).first.click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session form
    page.wait_for_url(url + "**", timeout=60_000)
    wait_done(page, messages.UI_SIGN_IN_INTRO)
    page.reload()  # the identity cookie is gone: a new session is signed out too
    wait_done(page, messages.UI_SIGN_IN_INTRO)


def nav(page) -> list[str]:
    """Sidebar page links, without their icons' ligature names."""
    return [t.split("\n")[-1].strip() for t in
            page.locator("[data-testid='stSidebarNavLink']").all_inner_texts()]


def body(page) -> str:
    return normalise(page.inner_text("body"))


def assert_nothing_private(page, url: str, paths=("admin", "upload")) -> None:
    """Typed URLs of the Admin and Add documents pages show none of their content."""
    for path in paths:
        page.goto(url + path, timeout=60_000)
        wait_done(page)
        page.wait_for_timeout(800)  # let a late page render show up, if any would
        wait_done(page)
        text = body(page)
        assert SECRET_COMMENT not in text and messages.UI_ADMIN_AUDIT not in text, path
        assert messages.UI_FEEDBACK_CSV not in text and messages.UI_UPLOAD_SUBMIT not in text
        assert page.locator("[data-testid='stFileUploader']").count() == 0
    # Streamlit answers an unknown page with a "page not found" dialog over the default page;
    # start again from the home page.
    page.goto(url, timeout=60_000)
    wait_done(page)


def test_visitor_sees_only_sign_in_and_the_statement(app, axe_report, tmp_path):
    server, _ = app
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url, timeout=60_000)
        wait_done(page, messages.UI_SIGN_IN_INTRO)
        assert nav(page) == [messages.UI_NAV_SIGN_IN, messages.UI_NAV_ACCESSIBILITY]
        check_page(page, "Sign in (sign-in on, not signed in)", axe_report)
        check_reflow(page, "Sign in", axe_report)
        assert_nothing_private(page, server.url)
        page.goto(server.url + "library", timeout=60_000)  # (every page: tests/test_ui_roles_app.py)
        wait_done(page, messages.UI_SIGN_IN_INTRO)
        assert "passages" not in body(page)
        page.goto(server.url + "accessibility", timeout=60_000)
        wait_done(page, "Compliance status")  # the statement is public


def test_reader_asks_and_rates_but_cannot_reach_feedback_or_uploads(app, tmp_path):
    server, settings = app
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        sign_in(page, server.url, "rita", "rita@dept.example", "reader")
        assert nav(page) == [messages.UI_NAV_CHAT, messages.UI_NAV_LIBRARY,
                             messages.UI_NAV_CASES, messages.UI_NAV_BRIEF,
                             messages.UI_NAV_ACCESSIBILITY]
        ask(page, QUESTION, "Sources (")
        page.get_by_role("radio", name="Thumbs up").click()  # st.feedback: a radio group
        wait_done(page, messages.UI_FEEDBACK_THANKS)
        with sqlite3.connect(settings.feedback_path) as conn:
            users = [r[0] for r in conn.execute(
                "SELECT user FROM feedback WHERE question = ?", (QUESTION,))]
        assert users == ["rita@dept.example"]
        # Their own answers export; everyone's feedback does not.
        assert page.get_by_role("button", name=messages.UI_EXPORT_MD).count() == 1
        assert messages.UI_FEEDBACK_CSV not in body(page)
        assert_nothing_private(page, server.url)
        sign_out(page, server.url)
        assert_nothing_private(page, server.url)


def choose_option(page, picker, typed: str, tries: int = 4) -> None:
    """Open a selectbox, type, and click the option that matches. On a loaded machine a rerun
    can redraw the box while it is open (the typed text and the options go with it), so the
    box is reopened a few times before the test gives up."""
    option = page.get_by_role("option", name=re.compile(typed, re.I)).first
    for attempt in range(tries):
        wait_done(page)
        picker.click()
        page.keyboard.type(typed)
        try:
            option.click(timeout=15_000)
            wait_done(page)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")


def test_librarian_adds_and_removes_a_document_and_both_are_audited(app, tmp_path):
    server, settings = app
    upload = tmp_path / "rivertown.txt"
    upload.write_text(RIVERTOWN)
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        sign_in(page, server.url, "leo", "leo@dept.example", "librarian")
        assert nav(page) == [messages.UI_NAV_CHAT, messages.UI_NAV_LIBRARY,
                             messages.UI_NAV_CASES, messages.UI_NAV_BRIEF,
                             messages.UI_NAV_UPLOAD,
                             messages.UI_NAV_ACCESSIBILITY]
        page.goto(server.url + "upload", timeout=60_000)
        wait_done(page, messages.UI_UPLOAD_SUBMIT)
        page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(upload)
        wait_done(page, "rivertown.txt")
        page.get_by_role("button", name=messages.UI_UPLOAD_SUBMIT).click()
        wait_done(page, messages.UI_UPLOAD_DONE.format(summary="1 input(s) processed"))

        picker = page.locator("[data-testid='stSelectbox']").filter(
            has_text=messages.UI_MANAGE_REMOVE)
        choose_option(page, picker, "rivertown")
        remove = page.get_by_role("button", name=messages.UI_MANAGE_REMOVE_BUTTON)
        expect(remove).to_be_enabled(timeout=30_000)
        remove.click()
        wait_done(page, messages.UI_MANAGE_REMOVED.split("{")[0])
        assert_nothing_private(page, server.url, paths=("admin",))
    rows = [r for r in audit.rows(settings) if r["actor"] == "leo@dept.example"]
    assert [(r["action"], r["outcome"]) for r in rows] == [("remove", "removed"),
                                                          ("add", "ingested")]
    assert all("rivertown" in r["target"] and r["time"] for r in rows)


def test_admin_reads_and_exports_feedback_and_the_export_is_audited(app, axe_report,
                                                                   tmp_path):
    server, settings = app
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        sign_in(page, server.url, "ada", "ada@ops.example", "admin")
        assert messages.UI_NAV_ADMIN in nav(page) and messages.UI_NAV_UPLOAD in nav(page)
        page.goto(server.url + "admin", timeout=60_000)
        wait_done(page, messages.UI_ADMIN_AUDIT, messages.UI_FEEDBACK_CSV)
        check_page(page, "Admin (feedback and audit log)", axe_report)
        check_reflow(page, "Admin", axe_report)
        with page.expect_download() as download:
            page.get_by_role("button", name=messages.UI_FEEDBACK_CSV).click()
        exported = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
        assert SECRET_COMMENT in [r["comment"] for r in exported]
        assert "someone@dept.example" in [r["user"] for r in exported]
        with page.expect_download() as download:
            page.get_by_role("button", name=messages.UI_ADMIN_AUDIT_CSV).click()
        log = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
        assert ("ada@ops.example", "export_feedback") in [(r["actor"], r["action"])
                                                          for r in log]
        sign_out(page, server.url)
    exports = [r for r in audit.rows(settings) if r["action"].startswith("export_")]
    assert [(r["actor"], r["action"]) for r in exports][:2] == [
        ("ada@ops.example", "export_audit"), ("ada@ops.example", "export_feedback")]


def test_user_without_a_role_gets_nothing(app, tmp_path):
    server, _ = app
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        sign_in(page, server.url, "olly", "olly@elsewhere.example", None)
        assert nav(page) == [messages.UI_NAV_SIGN_IN, messages.UI_NAV_ACCESSIBILITY]
        assert_nothing_private(page, server.url)
