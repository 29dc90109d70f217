"""Make the ONNX export of the torch embedding model (at the first ingest, or when stale).

torch.onnx.export traces the Hugging Face transformer inside the loaded sentence-transformers
model (its token embeddings; pooling is done by onnx_model.py). The folder is written beside
its final place and renamed in one step, so a killed export or two processes exporting at once
never leave a half-written model that looks valid. Needs torch and the `onnx` package; the
question path that runs the export needs neither.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from assistant.embedding.onnx_model import (CHECK_TEXTS, FORMAT, MANIFEST, MIN_COSINE, MODEL_FILE,
                                            ExportUnusable, OnnxEmbedding, check, export_dir,
                                            open_export, read_pipeline, source_files)
from assistant.settings import Settings

log = logging.getLogger(__name__)
OPSET = 17


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _trace(st_model, target: Path) -> None:
    import torch

    transformer = st_model[0].auto_model.eval()
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = st_model.tokenizer(["an example", "a slightly longer example text"],
                                padding=True, return_tensors="pt")
    if "token_type_ids" not in sample:
        sample["token_type_ids"] = torch.zeros_like(sample["input_ids"])
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about Python control flow
        # dynamo=False: the TorchScript exporter handles this model's dynamic batch and length
        # with dynamic_axes; the dynamo one needs onnxscript, another dependency.
        torch.onnx.export(TokenEmbeddings(transformer), tuple(sample[n] for n in names),
                          str(target), input_names=names, output_names=["token_embeddings"],
                          dynamic_axes={n: {0: "batch", 1: "tokens"}
                                        for n in [*names, "token_embeddings"]},
                          opset_version=OPSET, dynamo=False)


def make_export(settings: Settings, torch_model, model_path: str) -> Path:
    """Export, check against the torch vectors, and move into place; returns the folder."""
    pipeline = read_pipeline(model_path)
    folder = export_dir(settings, model_path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        st_model = torch_model._model
        _trace(st_model, tmp / MODEL_FILE)
        vectors = [torch_model.get_query_embedding(t) if kind == "query" else
                   torch_model.get_text_embedding(t) for kind, t in CHECK_TEXTS]
        manifest = {
            "format": FORMAT, "model": settings.embedding_model, "source": str(Path(model_path)),
            "files": source_files(model_path),
            "weights_sha256": {name: _sha256(Path(model_path) / name)
                               for name in ("model.safetensors", "pytorch_model.bin")
                               if (Path(model_path) / name).exists()},
            **pipeline, "prompts": dict(getattr(st_model, "prompts", {}) or {}),
            "check_texts": [list(t) for t in CHECK_TEXTS],
            "check_vectors": np.asarray(vectors, dtype=np.float32).round(7).tolist(),
            "made": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        cosine = check(OnnxEmbedding(tmp, model_path, manifest), manifest)
        if cosine < MIN_COSINE:
            raise ExportUnusable(f"the fresh export gives other vectors (cosine {cosine:.4f})")
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
        old = Path(tempfile.mkdtemp(prefix=".export-old-", dir=folder.parent))
        try:
            if folder.exists():
                os.replace(folder, old / "previous")
            os.replace(tmp, folder)
        except OSError as exc:  # another process moved its own export in first: keep that one
            log.info("ONNX export not moved to %s (%s)", folder, exc)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def ensure_export(settings: Settings, torch_model) -> str:
    """Make the export unless a valid one exists or the settings never use it. Returns a
    one-line state for reports: "valid", "made", "off" or why none could be made."""
    from assistant.embedding import resolve_model_path

    if settings.embedding_backend == "torch":
        return "off"
    model_path = resolve_model_path(settings.embedding_model)
    try:
        open_export(settings, model_path)
        return "valid"
    except ExportUnusable as reason:
        log.info("making the ONNX export: %s", reason)
    try:
        make_export(settings, torch_model, model_path)
        return "made"
    except Exception as exc:  # never fail an ingest over the export: torch still answers
        log.warning("could not make the ONNX export (%s); questions will use torch", exc)
        return f"failed: {exc}"
