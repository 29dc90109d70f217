"""The app with the optional LLM answerer, against the scripted OpenAI-compatible server.

The draft streams unverified; what stays on the page must be the verified answer only.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from assistant import messages
from assistant.sentences import sentence_spans
from tests.fakes.openai_server import FakeLLMServer, Reply, free_port
from tests.test_ui_app import APP, TIMEOUT, ask, last_answer, point_app_at, shown_text
from ui.safe import unescape

INVENTED = "Camden spent 42 billion pounds on rocket engines in 1850."


def _first_sentence(user: str, n: int) -> str:
    text = re.search(rf'<passage id="{n}"[^>]*>\n(.*?)\n</passage>', user, re.S).group(1)
    start, end = sentence_spans(text)[0]
    return text[start:end]


def _two_quotes_and_an_invention(body: dict) -> str:
    user = body["messages"][-1]["content"]
    return f"{_first_sentence(user, 1)} [1] {_first_sentence(user, 2)} [2] {INVENTED} [1]"


def _app(monkeypatch, sample_settings, tmp_path, url: str) -> AppTest:
    point_app_at(monkeypatch, sample_settings, tmp_path)
    monkeypatch.setenv("MISSION_ANSWERER", "llm")
    monkeypatch.setenv("MISSION_LLM_BASE_URL", url)
    monkeypatch.setenv("MISSION_LLM_MODEL", "scripted")
    monkeypatch.setenv("MISSION_LLM_TIMEOUT_S", "20")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def test_ui_streams_a_draft_then_keeps_only_the_verified_answer(sample_settings, monkeypatch,
                                                                tmp_path):
    with FakeLLMServer([Reply(respond=_two_quotes_and_an_invention)]) as srv:
        at = ask(_app(monkeypatch, sample_settings, tmp_path, srv.url), "What is mission washing?")
    assert len(srv.requests) == 1 and srv.requests[0]["body"].get("stream") is True
    answer = last_answer(at)
    assert answer.mode == "llm", (answer.mode, answer.note)
    page = shown_text(at)
    # The invented sentence was in the streamed draft; verification removed it and the draft
    # was replaced, so it is nowhere on the page now.
    assert INVENTED not in page and "42 billion" not in answer.answer
    assert messages.UI_DRAFT not in page
    assert len(answer.citations) == 2
    for c in answer.citations:
        assert c.quote in page  # each kept sentence is shown with its source card


def test_ui_falls_back_to_the_extractive_answer_when_the_endpoint_is_down(
        sample_settings, monkeypatch, tmp_path):
    at = ask(_app(monkeypatch, sample_settings, tmp_path, f"http://127.0.0.1:{free_port()}/v1"),
             "What is mission washing?")
    answer = last_answer(at)
    assert answer.mode == "extractive (fallback)" and answer.citations
    notes = [unescape(box.value) for box in at.info]
    assert answer.note and answer.note in notes
