"""`mission-assistant ui`: start the Streamlit app.

Streamlit's own configuration is honoured (ui/.streamlit/config.toml, STREAMLIT_* variables
such as STREAMLIT_SERVER_PORT, ~/.streamlit/config.toml). The port is passed on the command
line, which beats all of those, only when asked for: `--port`, else MISSION_UI_PORT.
"""

from __future__ import annotations

import subprocess
import sys

import click

from assistant.settings import PROJECT_ROOT, Settings


def streamlit_command(settings: Settings, port: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "ui" / "app.py")]
    chosen = port or settings.ui_port
    if chosen:
        cmd += ["--server.port", str(chosen)]
    return cmd


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--port", type=int, default=None,
              help="Port to serve on (default: MISSION_UI_PORT, else Streamlit's own setting).")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def ui(port, streamlit_args) -> None:
    """Start the Streamlit app. Extra arguments go to `streamlit run`, e.g.
    `mission-assistant ui --server.address 0.0.0.0`."""
    sys.exit(subprocess.call(streamlit_command(Settings(), port) + list(streamlit_args)))
