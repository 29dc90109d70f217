"""Run an ONNX export of the sentence-transformers model: onnxruntime + the model's own
tokenizer.json + mean pooling + L2 normalisation — the same three steps sentence-transformers
runs for all-MiniLM-L6-v2 (Transformer -> Pooling(mean) -> Normalize), without torch.

Why by hand: sentence-transformers' own ONNX backend and optimum both import torch and
transformers (the ~8 s this module exists to avoid); fastembed would download its own copy of
the weights. What is left to write is the pooling, twenty lines.

An export is a folder (made by onnx_export.py) holding model.onnx and manifest.json: which
model copy it came from (path and the size and mtime of every file), how the model pools, and
the torch model's vectors for a few fixed texts. Opening it checks all three: a different
model copy is "stale", a file that does not load or vectors with cosine < MIN_COSINE are
"corrupt"; either raises ExportUnusable and the caller falls back to torch.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np

from assistant import messages
from assistant.settings import Settings

FORMAT = 1
MIN_COSINE = 0.999
MANIFEST = "manifest.json"
MODEL_FILE = "model.onnx"
BATCH = 32  # short texts, sorted by length: bigger batches than torch's are fine here
# Fixed texts the export is checked on when opened: a question and two passages. Kept short
# (a 256-token text alone costs ~0.15 s per open); tests cover truncation of long texts.
CHECK_TEXTS = (
    ("query", "What is mission washing and how do we avoid it?"),
    ("text", "Camden's council set five missions with residents, each with a clear goal."),
    ("text", "Market shaping means public bodies use procurement, regulation and investment "
             "to create and steer markets towards public goals, as Mazzucato argues (2021)."),
)


class ExportUnusable(RuntimeError):
    """The export is missing, stale, corrupt or not possible for this model; `reason` says
    which in words a user can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def export_dir(settings: Settings, model_path: str) -> Path:
    """One folder per model copy: the model's name plus a hash of where it lives, so two
    virtualenvs (or two models) never share an export."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", settings.embedding_model).strip("_")[-60:] or "model"
    digest = hashlib.sha256(str(Path(model_path).resolve()).encode()).hexdigest()[:12]
    return settings.onnx_dir / f"{name}-{digest}"


def source_files(model_path: str) -> dict[str, list[int]]:
    """relative path -> [size, mtime_ns] of every file of the model folder: cheap to read on
    every open (hashing 90 MB of weights would cost ~0.2 s), and it changes whenever the model
    is replaced or reinstalled."""
    root = Path(model_path)
    return {str(p.relative_to(root)): [p.stat().st_size, p.stat().st_mtime_ns]
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_pipeline(model_path: str) -> dict:
    """What sentence-transformers does after the transformer, read from the model folder;
    ExportUnusable if it is anything but mean pooling (optionally normalised)."""
    root = Path(model_path)
    model = messages.ONNX_UNSUPPORTED
    try:
        modules = json.loads((root / "modules.json").read_text())
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = json.loads((root / "1_Pooling" / "config.json").read_text())
        config = json.loads((root / "sentence_bert_config.json").read_text())
    except (OSError, ValueError, KeyError) as exc:
        raise ExportUnusable(model.format(model=model_path, detail=f"unreadable: {exc}"))
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]) \
            or modes != ["pooling_mode_mean_tokens"] or not (root / "tokenizer.json").exists():
        raise ExportUnusable(model.format(model=model_path, detail=f"modules {kinds}, {modes}"))
    return {"max_seq_length": int(config.get("max_seq_length") or 512),
            "dimension": int(pooling["word_embedding_dimension"])}


class OnnxEmbedding:
    """Embeds like the torch model does, from an export folder. Thread-safe: onnxruntime
    sessions and tokenizers allow concurrent calls."""

    def __init__(self, folder: Path, model_path: str, manifest: dict, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: onnxruntime's default (all cores)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are not ours
        self.session = ort.InferenceSession(str(folder / MODEL_FILE), options,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        # tokenizer.json may carry fixed padding/truncation of its own; sentence-transformers
        # pads to the longest text and cuts at the model's max_seq_length: do the same.
        self.tokenizer.enable_truncation(manifest["max_seq_length"])
        pad = self.tokenizer.padding or {}
        self.tokenizer.no_padding()
        self.tokenizer.enable_padding(pad_id=pad.get("pad_id", 0),
                                      pad_token=pad.get("pad_token", "[PAD]"))
        self.dimension = int(manifest["dimension"])
        self.prompts = manifest.get("prompts") or {}
        self.folder = folder

    def encode(self, texts: list[str]) -> np.ndarray:
        out = [self._batch(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)]
        return np.concatenate(out) if out else np.zeros((0, self.dimension), np.float32)

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        tokens = self.session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    # --- the llama-index BaseEmbedding calls the question path makes -------------------------
    def get_query_embedding(self, query: str) -> list[float]:
        return self.encode([self.prompts.get("query", "") + query])[0].tolist()

    def get_text_embedding(self, text: str) -> list[float]:
        return self.encode([self.prompts.get("text", "") + text])[0].tolist()

    def get_text_embedding_batch(self, texts: list[str], **_) -> list[list[float]]:
        prefix = self.prompts.get("text", "")
        return self.encode([prefix + t for t in texts]).tolist()


def check(model: OnnxEmbedding, manifest: dict) -> float:
    """The lowest cosine between this export's vectors and the torch model's for CHECK_TEXTS."""
    expected = np.asarray(manifest["check_vectors"], dtype=np.float32)
    got = np.asarray([model.get_query_embedding(t) if kind == "query" else
                      model.get_text_embedding(t) for kind, t in manifest["check_texts"]],
                     dtype=np.float32)
    if got.shape != expected.shape:
        return 0.0
    return float(np.min(np.sum(got * expected, axis=1)))


def open_export(settings: Settings, model_path: str) -> OnnxEmbedding:
    folder = export_dir(settings, model_path)
    where, name = str(folder), settings.embedding_model
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise ExportUnusable(messages.ONNX_MISSING.format(model=name, where=settings.onnx_dir))
    except (OSError, ValueError) as exc:
        raise ExportUnusable(messages.ONNX_CORRUPT.format(where=where, detail=f"manifest: {exc}"))
    if manifest.get("format") != FORMAT or manifest.get("source") != str(Path(model_path)):
        raise ExportUnusable(messages.ONNX_STALE.format(where=where, model=name,
                                                         detail="other format or location"))
    if manifest.get("files") != source_files(model_path):
        raise ExportUnusable(messages.ONNX_STALE.format(where=where, model=name,
                                                         detail="its files changed since"))
    try:
        model = OnnxEmbedding(folder, model_path, manifest, settings.query_threads)
        cosine = check(model, manifest)
    except Exception as exc:  # onnxruntime raises its own types for a truncated/invalid file
        raise ExportUnusable(messages.ONNX_CORRUPT.format(
            where=where, detail=str(exc).splitlines()[0][:160]))
    if cosine < MIN_COSINE:
        raise ExportUnusable(messages.ONNX_CORRUPT.format(
            where=where, detail=f"cosine {cosine:.4f} to the torch vectors, need {MIN_COSINE}"))
    return model
