"""The sentence reranker, with the real embedding model."""

import pytest

from assistant.embedding import load_embedding
from assistant.rerank import rerank_by_sentences
from assistant.retrieve import Hit
from assistant.settings import Settings

QUESTION = "What is mission washing?"
TEXTS = {  # fused order: a passage that merely talks around the topic comes first
    "broad": "Missions need long-term funding and political attention. Departments should work "
             "together across their usual silos. Many governments now talk about missions.",
    "answer": "Our programme runs workshops with five councils every year. Mission washing is "
              "when existing activities are simply rebranded as missions without any change.",
    "other": "The city set up a climate assembly with residents chosen by lot to advise "
             "on the plan and its budget.",
    "tail1": "Procurement rules were rewritten to favour local suppliers in the region.",
    "tail2": "The annual report lists the grants awarded by the fund to each project.",
}


@pytest.fixture(scope="module")
def embed():
    return load_embedding(Settings())


def _hits():
    return [Hit(k, {}, s, text=t) for (k, t), s in zip(TEXTS.items(), (1.0, 0.8, 0.5, 0.3, 0.2))]


def _rerank(embed, window, weight):
    return rerank_by_sentences(QUESTION, embed.get_query_embedding(QUESTION), _hits(), embed,
                               window, weight)


def test_the_passage_holding_the_answer_sentence_moves_to_the_top(embed):
    out = _rerank(embed, window=3, weight=0.5)
    assert [n.chunk_id for n in out][:1] == ["answer"]
    assert {n.chunk_id for n in out[:3]} == {"broad", "answer", "other"}
    # Passages after the window keep their order and stay below every reranked one.
    assert [n.chunk_id for n in out[3:]] == ["tail1", "tail2"]
    scores = [n.score for n in out]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


def test_weight_zero_keeps_the_fused_order(embed):
    assert [n.chunk_id for n in _rerank(embed, window=3, weight=0.0)] == list(TEXTS)


def test_the_window_limits_what_moves(embed):
    # With a window of 1 nothing can move; with 2, only the first two swap.
    assert [n.chunk_id for n in _rerank(embed, window=1, weight=1.0)] == list(TEXTS)
    assert [n.chunk_id for n in _rerank(embed, window=2, weight=1.0)][:3] == \
        ["answer", "broad", "other"]


def test_cross_encoder_without_a_model_is_refused():
    with pytest.raises(ValueError, match="rerank_model"):
        Settings(reranker="cross-encoder")
