"""Accessibility in real Chromium on the session's shared app (sign-in off, uploads on):
axe-core on every page (WCAG 2.0/2.1/2.2 A and AA), a keyboard-only path (ask, open the
sources, rate the answer, change page) with a visible focus at every stop, and reflow at
320 CSS pixels with no text needing horizontal scrolling. Results go to
evals/results/accessibility.md (tests/a11y.py)."""

from __future__ import annotations

import sqlite3

import pytest

from assistant import messages
from tests.a11y import check_page, check_reflow, tab_to
from tests.browser import chromium, wait_done

pytestmark = pytest.mark.browser
QUESTION = "What is mission washing?"
WIDE = {"width": 1280, "height": 2200}


def test_pages_keyboard_and_reflow(browser_settings, app_server, axe_report, tmp_path):
    from assistant.service import get_assistant

    expected = get_assistant(browser_settings).ask(QUESTION)
    assert expected.citations
    first = expected.citations[0]
    feedback_db = app_server.log.parent / "feedback.sqlite3"

    with chromium(tmp_path / "profile", width=WIDE["width"], height=WIDE["height"]) as browser:
        page = browser.new_page()
        page.goto(app_server.url, timeout=60_000)
        wait_done(page, messages.UI_TRY_THESE)
        check_page(page, "Ask (empty)", axe_report)
        # No developer chrome (ui/.streamlit/config.toml: toolbarMode viewer), even on localhost
        # where Streamlit would otherwise show it.
        assert page.locator("[data-testid='stAppDeployButton']").count() == 0
        page.get_by_role("button", name="Main menu").click()
        menu = page.locator("[data-testid='stMainMenuPopover']").inner_text(timeout=10_000)
        assert not {"Rerun", "Clear cache", "Deploy"} & {line.strip() for line in
                                                          menu.splitlines()}, menu
        page.keyboard.press("Escape")
        axe_report.checks.append(("developer chrome", "no Deploy button; main menu: "
                                  + ", ".join(x.strip() for x in menu.splitlines() if x.strip())))

        # Keyboard only from here: reach the question box, ask, wait for the answer.
        page.locator("body").focus()
        stops = tab_to(page, lambda f: f["testid"] == "stChatInputTextArea")["stops"]
        page.keyboard.type(QUESTION)
        page.keyboard.press("Enter")
        wait_done(page, first.quote, "Sources (")
        axe_report.checks.append(("keyboard: reach the question box and ask",
                                  f"passed ({stops} Tab stops, each with a visible focus)"))

        # Open the sources: the expander toggles with Enter, and its first source link is
        # reachable.
        summary = tab_to(page, lambda f: f["tag"] == "summary" and "Sources (" in f["label"])
        is_open = "() => document.querySelector(\"[data-testid='stExpander'] details\").open"
        was_open = page.evaluate(is_open)
        page.keyboard.press("Enter")  # toggles after Streamlit's animation
        page.wait_for_function(f"() => ({is_open})() === {'false' if was_open else 'true'}")
        if was_open:
            page.keyboard.press("Enter")  # and open again
            page.wait_for_function(f"() => ({is_open})() === true")
        link = tab_to(page, lambda f: f["tag"] == "a")  # the first source's link
        axe_report.checks.append((
            "keyboard: open the sources and reach a source link",
            f"passed ({summary['stops'] + link['stops']} Tab stops; the Sources expander "
            f"toggled with Enter; reached the link {link['label']!r})"))
        check_page(page, "Ask (answer, sources open)", axe_report)

        # Rate the answer with the keyboard.
        stops = tab_to(page, lambda f: f["label"] == "Thumbs up")["stops"]
        page.keyboard.press("Enter")
        wait_done(page, messages.UI_FEEDBACK_THANKS)
        with sqlite3.connect(feedback_db) as conn:
            ratings = [r[0] for r in conn.execute("SELECT rating FROM feedback")]
        assert 1 in ratings, ratings
        axe_report.checks.append(("keyboard: rate the answer (Thumbs up, Enter)",
                                  f"passed ({stops} Tab stops); the rating was saved"))
        check_reflow(page, "Ask (answer)", axe_report)

        # Change page from the sidebar navigation.
        page.locator("body").focus()
        # (A link's text starts with its icon's ligature name, which screen readers skip.)
        stops = tab_to(page, lambda f: f["tag"] == "a"
                       and f["label"].endswith(messages.UI_NAV_LIBRARY))["stops"]
        page.keyboard.press("Enter")
        wait_done(page, "documents,")
        assert page.url.rstrip("/").endswith("library")
        axe_report.checks.append(("keyboard: change page (sidebar link to Library, Enter)",
                                  f"passed ({stops} Tab stops)"))
        check_page(page, "Library", axe_report)
        check_reflow(page, "Library", axe_report)

        for path, name, marker in [("cases", "Case studies", messages.UI_CASES_COUNTRY),
                                   ("upload", "Add documents", messages.UI_UPLOAD_SUBMIT),
                                   ("accessibility", "Accessibility statement",
                                    "Compliance status")]:
            page.goto(app_server.url + path, timeout=60_000)
            wait_done(page, marker)
            check_page(page, name, axe_report)
            check_reflow(page, name, axe_report)
