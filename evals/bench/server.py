"""Start and stop a real `chroma run` server on loopback, for the server-mode tests, the load
test and the benchmarks. Bounded waits everywhere; the server is always stopped (process group
kill) even when the caller fails."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def chroma_binary() -> str:
    """The `chroma` CLI shipped with chromadb, next to this interpreter (the venv)."""
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else (shutil.which("chroma") or "chroma")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heartbeat(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)  # its own group: the server and nothing else
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)


@contextlib.contextmanager
def chroma_server(path: Path | None = None, start_timeout: float = 60.0):
    """Yield the URL of a fresh `chroma run` on 127.0.0.1 with its own data folder."""
    owned = path is None
    data = Path(tempfile.mkdtemp(prefix="chroma-server-")) if owned else path
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data.mkdir(parents=True, exist_ok=True)
    log = open(data / "server.log", "wb")
    proc = subprocess.Popen(
        [chroma_binary(), "run", "--path", str(data / "db"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        deadline = time.monotonic() + start_timeout
        while not heartbeat(url):
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {proc.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"chroma run gave no heartbeat within {start_timeout:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        _stop(proc)
        log.close()
        if owned:
            shutil.rmtree(data, ignore_errors=True)
