"""End to end: `streamlit run ui/app.py` as a real server, driven by headless Chromium.

Uses the session's shared app server (tests/browser.py, conftest.py `app_server`)."""

from __future__ import annotations

import pytest

from tests.browser import ask, chromium, normalise
from tests.test_ui_app import IMAGE, SCRIPT

pytestmark = pytest.mark.browser
QUESTION = "What is mission washing?"
HOSTILE_QUESTION = ("What does mission washing hide and what does a mission washed plan "
                    "look like?")


def test_ui_browser_end_to_end(browser_settings, app_server, tmp_path):
    from assistant.service import get_assistant

    # What the app must show: the same pipeline, asked in-process.
    expected = get_assistant(browser_settings).ask(QUESTION)
    hostile = get_assistant(browser_settings).ask(HOSTILE_QUESTION)
    assert expected.citations and hostile.citations
    hostile_quote = next(c.quote for c in hostile.citations
                         if SCRIPT in c.passage or IMAGE in c.passage)

    with chromium(tmp_path / "chromium-profile") as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(app_server.url, timeout=60_000)

        first = expected.citations[0]
        ask(page, QUESTION, first.quote, first.title, "Sources (")
        body = normalise(page.inner_text("body"))
        assert first.title in body and first.publisher in body
        assert "[1]" in body and "Sources (" in body
        # Streamlit scrolls inside its own container: bring the answer's top into view.
        page.locator("[data-testid='stChatMessage']").nth(1).evaluate(
            "el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)  # let the scroll settle before the picture
        page.screenshot(path=str(tmp_path / "answer.png"))

        # A list answer is a real HTML list in the page.
        from tests.test_answers import PRINCIPLES_Q, principle_names

        names = principle_names()
        ask(page, PRINCIPLES_Q, *names)
        items = page.locator("[data-testid='stChatMessage'] li").all_inner_texts()
        assert all(any(item.startswith(name) for item in items) for name in names), items

        ask(page, HOSTILE_QUESTION, hostile_quote, f"Sources ({len(hostile.citations)})")
        page.screenshot(path=str(tmp_path / "injection.png"))
        body = page.inner_text("body")
        assert SCRIPT in body or IMAGE in body  # the literal text is visible...
        # ...but nothing from the passage became a script, an image or an alert.
        assert page.evaluate(
            "() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))"
        ) is False
        assert page.locator("img[src*='example.com']").count() == 0
        assert dialogs == []
    print(f"screenshots: {tmp_path / 'answer.png'} {tmp_path / 'injection.png'}")
