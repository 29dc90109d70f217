"""A real OpenID Connect provider on loopback for the sign-in tests: oidc-provider-mock
(Flask + Authlib: discovery, authorization-code flow, RS256-signed ID tokens, JWKS, userinfo,
end-session), run from its own venv (.venv-oidc, made by scripts/install-oidc-provider.sh)
because it needs Python >= 3.12. Users are predefined with their claims; its sign-in form
picks one by subject.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from tests.browser import free_port

PROVIDER_PYTHON = PROJECT_ROOT / ".venv-oidc" / "bin" / "python"
START_TIMEOUT_S = 60


def require_provider() -> None:
    if PROVIDER_PYTHON.exists():
        return
    reason = (f"{PROVIDER_PYTHON.relative_to(PROJECT_ROOT)} is missing "
              "(run scripts/install-oidc-provider.sh; it needs a Python >= 3.12)")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; `make test` installs it, so this is an error in CI")
    pytest.skip(reason)


@dataclass
class Provider:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_provider(workdir: Path, users: list[dict]) -> Provider:
    """Start the provider with `users` (claims dicts, each with "sub") and wait for its
    discovery document."""
    require_provider()
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    claims = workdir / "users.json"
    claims.write_text(json.dumps(users))
    log = workdir / "oidc.log"
    cmd = [str(PROVIDER_PYTHON), "-m", "oidc_provider_mock", "--host", "127.0.0.1",
           "--port", str(port), "--user-claims-file", str(claims)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "NO_COLOR": "1"})
    provider = Provider(port, proc, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"oidc-provider-mock exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(provider.metadata_url, timeout=2) as r:
                if r.status == 200:
                    return provider
        except OSError:
            time.sleep(0.3)
    provider.stop()
    pytest.fail(f"oidc-provider-mock not up after {START_TIMEOUT_S} s:\n{log.read_text()}")


def secrets_toml(provider: Provider, path: Path, client_id: str = "mission-assistant") -> Path:
    """Streamlit's [auth] section for this provider; {port} is filled in by Streamlit."""
    path.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "test-cookie-secret-{os.urandom(8).hex()}"
client_id = "{client_id}"
client_secret = "test-client-secret"
server_metadata_url = "{provider.metadata_url}"
""")
    return path
