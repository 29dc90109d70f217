"""`mission-assistant ui`: start the Streamlit app."""

from __future__ import annotations

import subprocess
import sys

import click

from assistant.settings import PROJECT_ROOT, Settings


@click.command()
@click.option("--port", type=int, default=None)
def ui(port) -> None:
    """Start the Streamlit app."""
    settings = Settings()
    app = PROJECT_ROOT / "ui" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.port", str(port or settings.ui_port), "--browser.gatherUsageStats", "false"]
    sys.exit(subprocess.call(cmd))
