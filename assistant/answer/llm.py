"""The optional generative answerer: an LLM the user configures writes the answer from the
retrieved passages, then every sentence is checked in code (verify.py) before anyone sees it.

Backends go through llama-index's LLM classes: OpenAILike for any OpenAI-compatible endpoint
(llama.cpp, vLLM, hosted or Azure-compatible services) and Ollama. The API key is read from the
environment variable *named* by ``llm_api_key_env`` when the client is built, so it is never
a setting.
Neither the key nor the URL is logged or put in a message: errors are reported by kind only.

Whatever goes wrong (endpoint down or slow, not configured, answer fails verification) the user
still gets the extractive answer, with ``Answer.mode`` = "extractive (fallback)" and a note
saying why. ``Answer.mode`` = "llm" only for a verified generated answer or its refusal.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator

from assistant import messages
from assistant.answer.citations import make_citation
from assistant.answer.extractive import answer_extractive
from assistant.answer.prompt import build_messages
from assistant.answer.verify import Verification, load_support_model, split_answer, verify_answer
from assistant.settings import Settings
from assistant.types import Answer, AnswerStatus, Citation, Passage

log = logging.getLogger(__name__)
# These libraries log every request URL at INFO/DEBUG (and openai its request options), which
# would put the endpoint in the logs; their warnings and errors still come through.
_CHATTY_LOGGERS = ("httpx", "httpcore", "openai", "ollama")


class LlmUnavailable(RuntimeError):
    """The endpoint could not give an answer. The message never holds the URL or the key."""


def _quiet_http_logs() -> None:
    for name in _CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)


def make_llm(settings: Settings):
    """The configured llama-index LLM. Raises LlmUnavailable if it is not configured."""
    if not settings.llm_base_url or not settings.llm_model:
        raise LlmUnavailable(messages.LLM_NOT_CONFIGURED)
    _quiet_http_logs()
    if settings.llm_backend == "ollama":  # Ollama serves without keys
        from llama_index.llms.ollama import Ollama

        return Ollama(model=settings.llm_model, base_url=settings.llm_base_url,
                      request_timeout=settings.llm_timeout_s, temperature=settings.llm_temperature,
                      context_window=8192,  # else it asks the server (/api/show) first
                      additional_kwargs={"num_predict": settings.llm_max_tokens})
    from llama_index.llms.openai_like import OpenAILike

    key = os.environ.get(settings.llm_api_key_env, "")

    return OpenAILike(
        model=settings.llm_model, api_base=settings.llm_base_url,
        api_key=key or "no-key",  # the client insists on one; local servers ignore it
        timeout=settings.llm_timeout_s,
        max_retries=0,  # a retry doubles the wait before the fallback; the user can ask again
        temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens,
        is_chat_model=True, context_window=8192,
    )


def reason_for(exc: BaseException, settings: Settings) -> str:
    """What went wrong, by kind only: exception messages can quote the URL."""
    if isinstance(exc, LlmUnavailable):
        return str(exc)
    names = {cls.__name__ for cls in type(exc).__mro__}
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None),
                                                          "status_code", None)
    if names & {"APITimeoutError", "TimeoutException", "TimeoutError", "ReadTimeout"}:
        why = messages.LLM_REASON_TIMEOUT.format(seconds=settings.llm_timeout_s)
    elif names & {"APIConnectionError", "ConnectError", "ConnectionError"}:
        why = messages.LLM_REASON_DOWN
    elif isinstance(status, int):
        why = messages.LLM_REASON_HTTP.format(status=status)
    else:
        why = messages.LLM_REASON_OTHER.format(kind=type(exc).__name__)
    return messages.LLM_UNAVAILABLE.format(reason=why)


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def is_refusal(sentence: str) -> bool:
    return _normal(messages.LLM_REFUSAL) in _normal(sentence)


class LlmAnswerer:
    """Holds the LLM client and the support model, built once and reused across questions."""

    def __init__(self, settings: Settings, embed_model, llm=None, support=None):
        self.settings = settings
        self.embed_model = embed_model
        self._llm = llm
        self.support = support or load_support_model(settings, embed_model)

    @property
    def llm(self):
        if self._llm is None:
            self._llm = make_llm(self.settings)
        return self._llm

    # -- public API ----------------------------------------------------------------------------
    def answer(self, question: str, passages: list[Passage], query_vec) -> Answer:
        final = None
        for item in self.stream(question, passages, query_vec, stream=False):
            final = item
        return final

    def stream(self, question: str, passages: list[Passage], query_vec,
               stream: bool = True) -> Iterator[str | Answer]:
        """Yield the model's text as it arrives (unverified: show it as a draft), then the
        final verified Answer, which replaces the draft. With stream=False one request returns
        the whole completion and only the Answer is yielded."""
        reading = passages[: self.settings.llm_passages]
        if not reading:
            yield self._fallback(question, passages, query_vec, "")
            return
        chat = build_messages(question, reading, self.settings)
        deadline = time.monotonic() + self.settings.llm_timeout_s
        parts: list[str] = []
        try:
            if stream:
                # The client's timeout is per read; the deadline bounds a slow trickle too.
                for chunk in self.llm.stream_chat(chat):
                    if chunk.delta:
                        parts.append(chunk.delta)
                        yield chunk.delta
                    if time.monotonic() > deadline:
                        raise TimeoutError("stream exceeded llm_timeout_s")
            else:
                parts.append(self.llm.chat(chat).message.content or "")
        except Exception as exc:  # httpx, openai and ollama raise many kinds; all mean "no answer"
            log.warning("LLM request failed: %s", type(exc).__name__)  # kind only: no URL
            yield self._fallback(question, passages, query_vec, reason_for(exc, self.settings))
            return
        yield self.finish(question, "".join(parts), passages, query_vec)

    def finish(self, question: str, text: str, passages: list[Passage], query_vec) -> Answer:
        """Turn a completion into the Answer: refusal, verified answer, or fallback."""
        reading = passages[: self.settings.llm_passages]
        sentences = split_answer(text)
        claims = [s for s in sentences if not is_refusal(s)]
        if sentences and not claims:
            return Answer(question=question, status=AnswerStatus.not_found,
                          answer=messages.NOT_FOUND, retrieved=passages, mode=messages.LLM_MODE)
        verification = verify_answer(" ".join(claims), reading, self.support,
                                     self.settings.llm_support_threshold)
        for check in verification.removed:
            log.info("removed generated sentence (%s): %.80s", check.problem, check.claim)
        if not verification.kept or \
                verification.supported_share < self.settings.llm_min_supported_share:
            note = messages.LLM_UNVERIFIED.format(kept=len(verification.kept),
                                                  total=len(verification.sentences))
            return self._fallback(question, passages, query_vec, note)
        return self._build(question, verification, reading, passages)

    # -- helpers -------------------------------------------------------------------------------
    def _build(self, question: str, verification: Verification, reading: list[Passage],
               passages: list[Passage]) -> Answer:
        """Renumber citations in order of appearance, one per (passage, quoted sentence), so
        each [n] points at the passage sentence that supports the claim it follows."""
        citations: list[Citation] = []
        numbers: dict[tuple[int, int, int], int] = {}
        parts = []
        for check in verification.kept:
            ns = []
            for pn, (start, end) in check.quotes.items():
                key = (pn, start, end)
                if key not in numbers:
                    passage = reading[pn - 1]
                    citation = make_citation(len(citations) + 1, passage,
                                             passage.text[start:end], start)
                    citations.append(citation)
                    numbers[key] = citation.n
                ns.append(numbers[key])
            parts.append(f"{check.claim} " + "".join(f"[{n}]" for n in ns))
        removed = len(verification.removed)
        note = messages.LLM_REMOVED.format(removed=removed, total=len(verification.sentences)) \
            if removed else ""
        return Answer(question=question, status=AnswerStatus.answered, answer=" ".join(parts),
                      citations=citations, retrieved=passages, mode=messages.LLM_MODE, note=note)

    def _fallback(self, question: str, passages: list[Passage], query_vec, note: str) -> Answer:
        answer = answer_extractive(question, passages, query_vec, self.embed_model, self.settings)
        answer.mode = messages.LLM_FALLBACK_MODE
        answer.note = note
        return answer
