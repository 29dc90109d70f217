"""End to end: `streamlit run ui/app.py` as a real server, driven by headless Chromium.

Uses Debian's chromium (/usr/bin/chromium, installed by scripts/install-browser.sh from
`make test`) through Playwright's executable_path; `playwright install` is not needed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from tests.test_ui_app import IMAGE, SCRIPT, build_hostile_index

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 120
ANSWER_TIMEOUT_MS = 240_000  # the first answer loads the embedding model on slow shared cores
QUESTION = "What is mission washing?"
HOSTILE_QUESTION = ("What does mission washing hide and what does a mission washed plan "
                    "look like?")


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (run scripts/install-browser.sh as root)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI installs it, so this is an error there")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Done = every expected text is on the page and Streamlit has finished the run (no element
# left over from the previous run, marked data-stale, and no "Running" status widget).
DONE_JS = """texts => texts.every(t => document.body.innerText.replace(/\\s+/g, ' ').includes(t))
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


def ask(page, question: str, *expected: str) -> None:
    """Type into the chat input and wait until the run ends with `expected` texts shown."""
    box = page.locator("textarea[data-testid='stChatInputTextArea']")
    box.wait_for(timeout=ANSWER_TIMEOUT_MS)
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(DONE_JS, arg=[normalise(t) for t in expected],
                           timeout=ANSWER_TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser_index(sample_settings, tmp_path_factory):
    return build_hostile_index(sample_settings, tmp_path_factory.mktemp("browser"))


def test_ui_browser_end_to_end(browser_index, tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    from assistant.service import get_assistant

    # What the app must show: the same pipeline, asked in-process.
    expected = get_assistant(browser_index).ask(QUESTION)
    hostile = get_assistant(browser_index).ask(HOSTILE_QUESTION)
    assert expected.citations and hostile.citations
    hostile_quote = next(c.quote for c in hostile.citations
                         if SCRIPT in c.passage or IMAGE in c.passage)

    port = free_port()
    env = {**os.environ, "MISSION_INDEX_DIR": str(browser_index.index_dir),
           "MISSION_CORPUS_DIR": str(browser_index.corpus_dir),
           "MISSION_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "HF_HUB_OFFLINE": "1"}
    log = tmp_path / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "ui" / "app.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(port, proc, log)
        with sync_playwright() as pw:
            # A persistent context is Playwright's way to give Chromium a fresh --user-data-dir.
            browser = pw.chromium.launch_persistent_context(
                str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM),
                headless=True, args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 2200},
            )
            try:
                page = browser.new_page()
                dialogs: list[str] = []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(f"http://127.0.0.1:{port}/", timeout=60_000)

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
            finally:
                browser.close()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)  # the server's own process group (start_new_session)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(timeout=10)
    print(f"screenshots: {tmp_path / 'answer.png'} {tmp_path / 'injection.png'}")
