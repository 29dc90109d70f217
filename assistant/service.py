"""The assistant's front door: one object that holds the index, model and retriever, loaded
once per process, and answers questions. The CLI, the UI and the evals all go through here."""

from __future__ import annotations

import threading

from assistant import messages
from assistant.answer.extractive import answer_extractive
from assistant.bm25_store import Bm25Store
from assistant.embedding import embedding_dimension, load_embedding
from assistant.retrieve import Filters, HybridRetriever
from assistant.settings import Settings, get_settings
from assistant.store import LibraryIndex
from assistant.types import Answer, AnswerStatus, Passage


class EmptyQuestion(ValueError):
    pass


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.index = LibraryIndex.open(self.settings)  # fails fast if missing or mismatched
        self.embed_model = load_embedding(self.settings)
        self.index.check_model(self.settings.embedding_model, embedding_dimension(self.embed_model))
        self.retriever = HybridRetriever(
            self.settings, self.index, self.embed_model, Bm25Store(self.settings.bm25_path)
        )

    def embed_query(self, question: str) -> list[float]:
        return self.embed_model.get_query_embedding(question)

    def retrieve(self, question: str, filters: Filters | None = None, top_k: int | None = None,
                 mode: str | None = None) -> list[Passage]:
        question = question.strip()
        if not question:
            raise EmptyQuestion(messages.EMPTY_QUESTION)
        return self.retriever.retrieve(question, filters, top_k, mode,
                                       query_embedding=self.embed_query(question))

    def ask(self, question: str, filters: Filters | None = None, top_k: int | None = None,
            mode: str | None = None) -> Answer:
        question = question.strip()
        if not question:
            raise EmptyQuestion(messages.EMPTY_QUESTION)
        filters = filters or Filters()
        query_vec = self.embed_query(question)
        passages = self.retriever.retrieve(question, filters, top_k, mode,
                                           query_embedding=query_vec)
        answer = answer_extractive(question, passages, query_vec, self.embed_model, self.settings)
        answer.filters = filters.describe()
        if not passages and not filters.is_empty():
            answer.note = "No document matches these filters."
        return answer


_instances: dict[str, Assistant] = {}
_lock = threading.Lock()


def get_assistant(settings: Settings | None = None) -> Assistant:
    """A shared Assistant per settings, so models and indexes load once per process."""
    settings = settings or get_settings()
    key = settings.model_dump_json()
    with _lock:
        if key not in _instances:
            _instances[key] = Assistant(settings)
        return _instances[key]


__all__ = ["Answer", "AnswerStatus", "Assistant", "EmptyQuestion", "get_assistant"]
