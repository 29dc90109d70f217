"""Shared pieces for real-browser tests: one Streamlit server per configuration and test
session, and headless Debian Chromium driven by Playwright.

Starting Streamlit and loading the embedding model costs tens of seconds on 2 cores, so browser
tests share servers: `app_server(settings, **env)` (a session fixture in conftest.py wraps it)
returns a running server for those settings, reused by every test that asks for the same ones.
Chromium is /usr/bin/chromium (scripts/install-browser.sh), used through Playwright's
executable_path; `playwright install` is never needed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# closed network refuses many at a time.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 120
ANSWER_TIMEOUT_MS = 240_000  # the first answer loads the embedding model on slow shared cores

# Done = every expected text is on the page and Streamlit has finished the run (no element
# left over from the previous run, marked data-stale, and no "Running" status widget).
DONE_JS = """texts => texts.every(t => document.body.innerText.replace(/\\s+/g, ' ').includes(t))
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


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


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class AppServer:
    """A running `streamlit run ui/app.py` on loopback."""

    port: int
    proc: subprocess.Popen
    log: Path
    env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"streamlit exited with {self.proc.returncode}:\n"
                            f"{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S} s:\n"
                    f"{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)  # the server's own process group (start_new_session)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=10)


def start_app(settings: Settings, workdir: Path, **env: str) -> AppServer:
    """Start the app for `settings` (passed as MISSION_* variables, as in production) plus any
    extra environment (e.g. MISSION_ALLOW_UPLOADS="true"), and wait until it is healthy."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    full_env = {**os.environ, "MISSION_INDEX_DIR": str(settings.index_dir),
                "MISSION_CORPUS_DIR": str(settings.corpus_dir),
                "MISSION_FEEDBACK_DB": str(workdir / "feedback.sqlite3"),
                "MISSION_AUDIT_DB": str(workdir / "audit.sqlite3"),
                "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "HF_HUB_OFFLINE": "1",
                **env}
    log = workdir / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "ui" / "app.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=full_env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = AppServer(port, proc, log, env)
    try:
        server.wait_healthy()
    except BaseException:
        server.stop()
        raise
    return server


@contextmanager
def chromium(profile_dir: Path, width: int = 1280, height: int = 2200):
    """A fresh headless Chromium (its own profile folder); yields the Playwright context."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # A persistent context is Playwright's way to give Chromium a fresh --user-data-dir.
        context = pw.chromium.launch_persistent_context(
            str(profile_dir), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


def wait_done(page, *expected: str, timeout: int = ANSWER_TIMEOUT_MS) -> None:
    """Wait until Streamlit's run has finished and every `expected` text is shown."""
    page.wait_for_function(DONE_JS, arg=[normalise(t) for t in expected], timeout=timeout)


def ask(page, question: str, *expected: str) -> None:
    """Type into the chat input and wait until the run ends with `expected` texts shown."""
    box = page.locator("textarea[data-testid='stChatInputTextArea']")
    box.wait_for(timeout=ANSWER_TIMEOUT_MS)
    box.fill(question)
    box.press("Enter")
    wait_done(page, *expected)
