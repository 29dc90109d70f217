#!/usr/bin/env bash
# A real OpenID Connect provider for the sign-in tests: oidc-provider-mock (PyPI; Flask and
# Authlib underneath) in its own venv, because it needs Python >= 3.12 while the project runs
# on 3.10+. The tests start it on loopback (tests/oidc.py). Without a Python 3.12+ the sign-in
# tests skip with a reason (and fail under CI, which must run them).
set -u
VENV=${1:-.venv-oidc}
VERSION=0.4.8
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import oidc_provider_mock" 2>/dev/null; then
  exit 0
fi
PY=""
for candidate in python3.13 python3.12; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "" 2>/dev/null; then
    PY=$(command -v "$candidate"); break
  fi
done
if [ -z "$PY" ] && command -v pyenv >/dev/null 2>&1; then  # pyenv keeps versions off PATH
  for dir in "$(pyenv root)"/versions/3.1[2-9]*; do
    if [ -x "$dir/bin/python" ]; then PY="$dir/bin/python"; fi
  done
fi
if [ -z "$PY" ]; then
  echo "install-oidc-provider: no Python >= 3.12 found; the sign-in tests will skip" >&2
  exit 0
fi
"$PY" -m venv "$VENV" && "$VENV/bin/pip" install -q "oidc-provider-mock==$VERSION" \
  || echo "install-oidc-provider: installing oidc-provider-mock failed; sign-in tests will skip" >&2
exit 0
