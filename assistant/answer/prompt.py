"""The LLM prompt: numbered passages delimited as data, then the question. Wording lives in
messages.py; this module only fills it in and keeps passage text from breaking out of its block.
"""

from __future__ import annotations

import re

from llama_index.core.llms import ChatMessage, MessageRole

from assistant import messages
from assistant.settings import Settings
from assistant.types import Passage

# A passage that contains "</passage>" could otherwise close its block and pose as prompt text.
_TAG = re.compile(r"<\s*(/?)\s*passage", re.IGNORECASE)


def _data(text: str) -> str:
    return _TAG.sub(lambda m: f"‹{m.group(1)}passage", text)


def _attr(text: str) -> str:
    return _data(text).replace('"', "'").replace("\n", " ")


def passage_block(n: int, passage: Passage) -> str:
    source = " — ".join(x for x in (passage.title, passage.publisher, passage.date) if x)
    return f'<passage id="{n}" source="{_attr(source)}">\n{_data(passage.text.strip())}\n</passage>'


def build_messages(question: str, passages: list[Passage], settings: Settings) -> list[ChatMessage]:
    system = messages.LLM_SYSTEM_PROMPT.format(max_sentences=settings.llm_max_sentences,
                                              refusal=messages.LLM_REFUSAL)
    blocks = "\n\n".join(passage_block(i, p) for i, p in enumerate(passages, start=1))
    user = messages.LLM_USER_PROMPT.format(passages=blocks, question=_data(question))
    return [ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user)]
