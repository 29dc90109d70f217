"""The ONNX query backend: same vectors and rankings as torch, made atomically, refused with a
clear reason (and torch used instead) when missing, stale or corrupt; a fresh `ask` process
imports neither torch nor llama-index nor NLTK. Real model, real exports, real processes."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.embedding import (ModelLoadError, load_embedding, load_query_embedding,
                                 resolve_model_path)
from assistant.embedding.onnx_export import make_export
from assistant.embedding.onnx_model import MANIFEST, MODEL_FILE, OnnxEmbedding, export_dir
from assistant.service import Assistant

TEXTS = [
    "What is mission washing?",
    "Camden's council worked with residents on five missions.",
    "Ünïcödé façade — naïve café, 2024: €5m for 10,000 homes.",
    "Market shaping means public bodies steer markets towards public goals. " * 40,  # > 256
]
QUESTIONS = ["What is mission washing?", "How can procurement support a mission?",
             "What did Camden do?", "What is the capital of Australia?"]


@pytest.fixture(scope="module")
def models(sample_settings):
    """The torch model and the export the sample ingest made."""
    onnx = load_query_embedding(sample_settings)
    assert isinstance(onnx, OnnxEmbedding)
    return load_embedding(sample_settings), onnx


def test_onnx_and_torch_vectors_agree(models):
    torch_model, onnx = models
    a = np.asarray(torch_model.get_text_embedding_batch(TEXTS))
    b = np.asarray(onnx.get_text_embedding_batch(TEXTS))
    assert np.min(np.sum(a * b, axis=1)) >= 0.999
    q = [np.dot(torch_model.get_query_embedding(t), onnx.get_query_embedding(t)) for t in QUESTIONS]
    assert min(q) >= 0.999


def test_onnx_and_torch_rank_the_same_passages(sample_settings, models):
    torch_model, onnx = models
    assistant = Assistant(sample_settings)
    for question in QUESTIONS:
        by_torch = assistant.retriever.retrieve(
            question, query_embedding=torch_model.get_query_embedding(question))
        by_onnx = assistant.retriever.retrieve(
            question, query_embedding=onnx.get_query_embedding(question))
        assert [p.chunk_id for p in by_onnx[:5]] == [p.chunk_id for p in by_torch[:5]]


@pytest.fixture(scope="module")
def own_export(sample_settings, models, tmp_path_factory):
    """An export made here, into a folder of its own."""
    settings = sample_settings.model_copy(
        update={"onnx_dir": tmp_path_factory.mktemp("onnx") / "exports"})
    folder = make_export(settings, models[0], resolve_model_path(settings.embedding_model))
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]  # no leftovers
    return settings, folder


def _with(settings, folder, tmp_path, damage) -> object:
    copy = tmp_path / "exports" / folder.name
    shutil.copytree(folder, copy)
    damage(copy)
    return settings.model_copy(update={"onnx_dir": copy.parent})


def _stale(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    first = sorted(manifest["files"])[0]
    manifest["files"][first][1] += 1  # the model file changed after the export
    (folder / MANIFEST).write_text(json.dumps(manifest))


def _truncated(folder: Path) -> None:
    data = (folder / MODEL_FILE).read_bytes()
    (folder / MODEL_FILE).write_bytes(data[: len(data) // 2])


def _wrong_vectors(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["check_vectors"] = [list(reversed(v)) for v in manifest["check_vectors"]]
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_own_export_is_valid(own_export):
    settings, folder = own_export
    assert isinstance(load_query_embedding(settings), OnnxEmbedding)
    assert (folder / MODEL_FILE).stat().st_size > 1_000_000


@pytest.mark.parametrize("damage, words", [(_stale, "another copy"), (_truncated, "damaged"),
                                           (_wrong_vectors, "other vectors")])
def test_stale_or_corrupt_export_falls_back_to_torch_saying_why(own_export, tmp_path, caplog,
                                                                damage, words):
    settings = _with(*own_export, tmp_path, damage)
    with caplog.at_level(logging.WARNING):
        model = load_query_embedding(settings)
    assert model is load_embedding(settings)  # torch
    assert words in caplog.text and "ingest" in caplog.text
    with pytest.raises(ModelLoadError, match=words):
        load_query_embedding(settings.model_copy(update={"embedding_backend": "onnx"}))


def test_missing_export_falls_back_and_torch_backend_never_looks(sample_settings, tmp_path,
                                                                 caplog):
    settings = sample_settings.model_copy(update={"onnx_dir": tmp_path / "none"})
    with caplog.at_level(logging.WARNING):
        assert load_query_embedding(settings) is load_embedding(settings)
    assert "no ONNX export" in caplog.text
    caplog.clear()
    torch_only = settings.model_copy(update={"embedding_backend": "torch"})
    assert load_query_embedding(torch_only) is load_embedding(settings) and not caplog.text


def test_fresh_ask_process_imports_no_torch_llama_index_or_nltk(sample_settings):
    env = {**os.environ, "MISSION_INDEX_DIR": str(sample_settings.index_dir),
           "MISSION_CORPUS_DIR": str(sample_settings.corpus_dir)}
    code = "import sys; from cli import main; sys.argv[0] = 'mission-assistant'; main()"
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code, "ask", "--json",
                          "What is mission washing?"], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["citations"]
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines()
                if line.startswith("import time:")}
    assert "onnxruntime" in imported and "chromadb" in imported
    for heavy in ("torch", "transformers", "sentence_transformers", "llama_index.core", "nltk"):
        assert heavy not in imported, heavy
    assert "Loading weights" not in out.stderr
