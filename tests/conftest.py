"""Shared fixtures: real files, the real embedding model, real Chroma in temporary folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant.settings import PROJECT_ROOT, Settings  # noqa: E402

CORPUS = PROJECT_ROOT / "corpus"
SHARED = PROJECT_ROOT.parent / "shared"
SEED_IDS = [
    "000_c1bfdc396474f115.txt",
    "001_90c229dbe2879bfb.txt",
    "002_0a47f12bf97b6036.txt",
    "003_8f7f1693dd71a2ea.txt",
    "004_68bdecd6a7b44e26.txt",
]
# A slice of the starter library small enough to embed in seconds, large enough to rank:
# the seeds plus talk summaries that define mission washing, market shaping and case studies.
SAMPLE_IDS = SEED_IDS + [
    "missionoriented_approaches_and_cocreation.md",
    "missions_and_public_sector_innovation.md",
    "challenges_in_implementing_missionoriented_projects.md",
    "definition_of_mission_oriented_innovation.md",
    "local_and_international_case_studies_on_health_missions.md",
]


def manifest_entries(ids: list[str]) -> list[dict]:
    entries = yaml.safe_load((CORPUS / "manifest.yaml").read_text())["documents"]
    by_id = {e["id"]: e for e in entries}
    return [by_id[i] for i in ids]


def write_corpus(root: Path, ids: list[str]) -> Path:
    """A corpus folder holding copies of the named starter documents and their manifest."""
    root.mkdir(parents=True, exist_ok=True)
    entries = manifest_entries(ids)
    for entry in entries:
        target = root / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / entry["path"], target)
    (root / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}, sort_keys=False))
    return root


def settings_for(tmp: Path, corpus: Path, **overrides) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=tmp / "index", **overrides)


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory) -> Settings:
    """An index of SAMPLE_IDS, built once per test session."""
    from ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("sample")
    settings = settings_for(tmp, write_corpus(tmp / "corpus", SAMPLE_IDS))
    report = ingest(settings, progress=False)
    assert not report.failed, report.failed
    return settings


@pytest.fixture(scope="session")
def sample_assistant(sample_settings):
    from assistant.service import get_assistant

    return get_assistant(sample_settings)


@pytest.fixture(scope="session")
def browser_settings(sample_settings, tmp_path_factory) -> Settings:
    """The sample index plus one hostile document (HTML and Markdown payloads), shared by the
    browser tests."""
    from tests.test_ui_app import build_hostile_index

    return build_hostile_index(sample_settings, tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def _crawl_site_or_none():
    """The loopback publisher's site (tests/crawl_site.py), once per session; None without
    the shared html-extraction pages it is built from."""
    from tests.crawl_site import EXTRACTION, start_site

    if not EXTRACTION.exists():
        yield None
        return
    site, server = start_site()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def crawl_site(_crawl_site_or_none):
    if _crawl_site_or_none is None:
        pytest.skip(f"{SHARED / 'data' / 'html-extraction'} is absent (the crawl test site's pages)")
    return _crawl_site_or_none


@pytest.fixture(scope="session")
def app_server(browser_settings, _crawl_site_or_none, tmp_path_factory):
    """One running app (uploads allowed, the crawl test site reachable) for every browser test
    of the session. Tests that need other settings start their own with
    tests.browser.start_app, once per session too."""
    from tests.browser import require_chromium, start_app

    require_chromium()
    site_env = _crawl_site_or_none.settings_env() if _crawl_site_or_none else {}
    server = start_app(browser_settings, tmp_path_factory.mktemp("app-server"),
                       MISSION_ALLOW_UPLOADS="true", MISSION_UI_STREAM_DELAY_S="0", **site_env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def axe_report():
    """axe results and keyboard/reflow checks gathered by the browser tests of this session,
    written to evals/results/accessibility.md at the end (only when some page was checked)."""
    from tests.a11y import Report

    report = Report()
    yield report
    if report.pages:
        report.write()


# Users of the sign-in tests, as the loopback OpenID Connect provider knows them, and the roles
# MISSION_AUTH_ROLES gives them: by domain (reader), by address (librarian), by group (admin).
OIDC_USERS = [
    {"sub": "rita", "email": "rita@dept.example", "name": "Rita Reader"},
    {"sub": "leo", "email": "leo@dept.example", "name": "Leo Librarian"},
    {"sub": "ada", "email": "ada@ops.example", "name": "Ada Admin", "groups": ["mission-admins"]},
    {"sub": "olly", "email": "olly@elsewhere.example", "name": "Olly Outsider"},
]
AUTH_ROLES = {"@dept.example": "reader", "leo@dept.example": "librarian",
              "mission-admins": "admin"}


@pytest.fixture(scope="session")
def auth_app(browser_settings, tmp_path_factory):
    """A real OpenID Connect provider on loopback and one app with sign-in on, over its own
    copy of the browser index (librarians change it). Yields (server, provider, settings)."""
    import json

    from tests.browser import require_chromium, start_app
    from tests.oidc import require_provider, secrets_toml, start_provider

    require_chromium()
    require_provider()
    tmp = tmp_path_factory.mktemp("auth-app")
    settings = browser_settings.model_copy(update={
        "index_dir": tmp / "index", "feedback_db": tmp / "feedback.sqlite3",
        "audit_db": tmp / "audit.sqlite3"})
    shutil.copytree(browser_settings.index_dir, settings.index_dir)
    provider = start_provider(tmp / "oidc", OIDC_USERS)
    secrets = secrets_toml(provider, tmp / "secrets.toml")
    try:
        server = start_app(settings, tmp / "app", MISSION_AUTH_ENABLED="true",
                           MISSION_AUTH_ROLES=json.dumps(AUTH_ROLES),
                           MISSION_AUTH_DEFAULT_ROLE="none", MISSION_UI_STREAM_DELAY_S="0",
                           MISSION_FEEDBACK_DB=str(settings.feedback_db),
                           MISSION_AUDIT_DB=str(settings.audit_db),
                           STREAMLIT_SECRETS_FILES=str(secrets))
    except BaseException:
        provider.stop()
        raise
    yield server, provider, settings
    server.stop()
    provider.stop()
