"""The assistant's front door: one object that holds the index, model and retriever, loaded
once per process, and answers questions. The CLI, the UI and the evals all go through here.

Answerers: ``settings.answerer`` picks "extractive" (default) or "llm" (see
assistant/answer/llm.py and the llm_* settings). With "llm", ``Answer.mode`` says who answered:
"llm" for a verified generated answer, "extractive (fallback)" when the endpoint was down, slow
or unconfigured, or the generated answer failed the citation check; ``Answer.note`` says why.

Streaming for the UI: ``Assistant.ask_stream(question, filters, top_k, mode)`` is a generator
that yields zero or more ``str`` deltas (the model's raw text as it arrives: unverified, show it
as a draft), then exactly one ``Answer`` as its last item (verified; it replaces the draft and
may differ from it: unsupported sentences removed, citations renumbered, or the extractive
fallback). With the extractive answerer it yields only the Answer. Example::

    for item in assistant.ask_stream(question):
        if isinstance(item, str):
            draft += item          # show as it streams
        else:
            answer = item          # final: render answer.answer, citations, mode, note
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from assistant import messages
from assistant.answer import shapes
from assistant.answer.extractive import answer_extractive
from assistant.bm25_store import Bm25Store
from assistant.embedding import embedding_dimension, load_query_embedding
from assistant.retrieve import Filters, HybridRetriever, passage_from
from assistant.settings import Settings, get_settings
from assistant.store import LibraryIndex
from assistant.types import Answer, AnswerStatus, Passage


class EmptyQuestion(ValueError):
    pass


DOCUMENT_CACHE = 500  # documents kept (a few MB of text at most)


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.index = LibraryIndex.open(self.settings)  # fails fast if missing or mismatched
        # ONNX (threads set when it loads) or torch, per settings.embedding_backend.
        self.embed_model = load_query_embedding(self.settings)
        if self.settings.query_threads and hasattr(self.embed_model, "_model"):
            import torch  # the torch backend: see the setting, one thread per query is faster

            torch.set_num_threads(self.settings.query_threads)
        self.index.check_model(self.settings.embedding_model, embedding_dimension(self.embed_model))
        self.retriever = HybridRetriever(
            self.settings, self.index, self.embed_model, Bm25Store(self.settings.bm25_path)
        )
        self._llm_answerer = None  # built (and llama-index imported) on first use of "llm"
        self._documents: dict[str, list[Passage]] = {}
        self._documents_stamp: dict | None = None

    @property
    def llm_answerer(self):
        if self._llm_answerer is None:
            from assistant.answer.llm import LlmAnswerer

            self._llm_answerer = LlmAnswerer(self.settings, self.embed_model)
        return self._llm_answerer

    def embed_query(self, question: str) -> list[float]:
        return self.embed_model.get_query_embedding(question)

    def _search(self, question: str, filters: Filters | None, top_k: int | None,
                mode: str | None) -> tuple[str, Filters, list[float], list[Passage]]:
        """The shared first half of every question: validate, embed once, retrieve."""
        question = question.strip()
        if not question:
            raise EmptyQuestion(messages.EMPTY_QUESTION)
        filters = filters or Filters()
        query_vec = self.embed_query(question)
        passages = self.retriever.retrieve(question, filters, top_k, mode,
                                           query_embedding=query_vec)
        return question, filters, query_vec, passages

    def retrieve(self, question: str, filters: Filters | None = None, top_k: int | None = None,
                 mode: str | None = None) -> list[Passage]:
        return self._search(question, filters, top_k, mode)[3]

    def chunk(self, chunk_id: str) -> Passage | None:
        """A stored chunk by id (a list may continue into the next chunk of its document)."""
        found = self.index.chunks([chunk_id]).get(chunk_id)
        if found and self.settings.stored_sentence_vectors:  # its sentences, stored at ingest
            self.index.sentences.prime([(chunk_id, found[0])], self.embed_model)
        return passage_from(chunk_id, *found) if found else None

    def document(self, doc_id: str) -> list[Passage]:
        """Every stored chunk of a document (a section's sub-headings can answer a list).
        Kept per document while the index is unchanged: the answerer reads the documents of
        its best passages for every question (a sixth of an answer's time when fetched
        each time). The keyword store's stamp, taken by every retrieval, says when it changed."""
        stamp = self.retriever.bm25_store.current_stamp
        if stamp is None or stamp != self._documents_stamp:
            self._documents, self._documents_stamp = {}, stamp
        found = self._documents.get(doc_id)
        if found is None:
            found = [passage_from(cid, text, meta)
                     for cid, (text, meta) in self.index.document_chunks(doc_id).items()]
            if stamp is not None and len(self._documents) < DOCUMENT_CACHE:
                self._documents[doc_id] = found
        return [p.model_copy() for p in found]  # the cached ones are shared across threads

    def prime(self, chunks: list[tuple[str, str]]) -> None:
        """Load stored vectors of chunks the answerer quotes from beyond the retrieved ones
        (a section's sub-headings), only for those it uses."""
        if self.settings.stored_sentence_vectors:
            self.index.sentences.prime(chunks, self.embed_model)

    def ask(self, question: str, filters: Filters | None = None, top_k: int | None = None,
            mode: str | None = None, max_words: int | None = None) -> Answer:
        """`max_words` overrides the answer's word budget (settings.answer_max_words)."""
        shown = top_k or self.settings.top_k
        # The answerer may read deeper than the passages listed with the answer.
        depth = max(shown, self.settings.answer_passages)
        question, filters, query_vec, passages = self._search(question, filters, depth, mode)
        if self.settings.answerer == "llm":
            answer = self.llm_answerer.answer(question, passages[:shown], query_vec)
        else:
            answer = self._extractive(question, filters, mode, query_vec, passages, max_words)
        answer.retrieved = passages[:shown]
        return self._with_filters(answer, passages[:shown], filters)

    def _extractive(self, question: str, filters: Filters, mode: str | None, query_vec,
                    passages: list[Passage], max_words: int | None = None) -> Answer:
        plan, part_vecs, reading = self.reading(question, filters, mode, query_vec, passages)
        settings = self.settings if not max_words else self.settings.model_copy(
            update={"answer_max_words": max_words})
        return answer_extractive(question, passages, query_vec, self.embed_model, settings,
                                 library=self, plan=plan, part_vecs=part_vecs,
                                 reading=reading)

    def reading(self, question: str, filters: Filters, mode: str | None, query_vec,
                passages: list[Passage]) -> tuple[shapes.QuestionPlan, list, list[Passage]]:
        """The question's parts, a query vector per part, and the passages to answer from.
        Each part of a several-part question is also searched on its own, so "how can it be
        avoided" gets passages about avoiding it, not only about what it is."""
        plan = shapes.plan(question)
        reading = passages[: self.settings.answer_passages]
        part_vecs = [query_vec]
        if len(plan.parts) > 1:
            part_vecs = [self.embed_query(part.text) for part in plan.parts]
            seen = {p.chunk_id for p in reading}
            for part, vec in zip(plan.parts, part_vecs):
                if not self.settings.answer_part_passages:
                    break
                found = self.retriever.retrieve(part.text, filters,
                                                self.settings.answer_part_passages, mode,
                                                query_embedding=vec)
                for p in found:
                    if p.chunk_id not in seen:
                        seen.add(p.chunk_id)
                        reading.append(p)
        return plan, part_vecs, reading

    def ask_stream(self, question: str, filters: Filters | None = None, top_k: int | None = None,
                   mode: str | None = None, max_words: int | None = None
                   ) -> Iterator[str | Answer]:
        """Like ask, streamed: str deltas (unverified draft), then the final Answer (see the
        module docstring)."""
        if self.settings.answerer != "llm":
            yield self.ask(question, filters, top_k, mode, max_words)
            return
        question, filters, query_vec, passages = self._search(question, filters, top_k, mode)
        for item in self.llm_answerer.stream(question, passages, query_vec):
            yield self._with_filters(item, passages, filters) if isinstance(item, Answer) else item

    @staticmethod
    def _with_filters(answer: Answer, passages: list[Passage], filters: Filters) -> Answer:
        answer.filters = filters.describe()
        if not passages and not filters.is_empty():
            answer.note = messages.NO_FILTER_MATCH
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
