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


def test_keyword_idf_favours_the_sentence_holding_the_rare_word():
    """With term weights (IDF), a sentence holding the question's rare keyword outscores one
    holding only its common keyword; without them, each holds half the keywords."""
    import numpy as np

    from assistant.answer.scoring import keywords, relevance

    terms = keywords("What is frugal innovation?")
    texts = ["Innovation in the public sector is needed everywhere today.",
             "Frugal approaches serve more people with fewer resources."]
    vecs, query = np.zeros((2, 3)), np.zeros(3)  # cosine 0: the keyword share alone decides
    plain = relevance(terms, query, texts, vecs, lexical_weight=0.5)
    assert plain[0] == pytest.approx(plain[1])
    idf = {"frugal": 6.0, "innov": 1.0}
    weighted = relevance(terms, query, texts, vecs, lexical_weight=0.5, term_weights=idf)
    assert weighted[1] > weighted[0]
    assert weighted[1] == pytest.approx(0.5 * 6 / 7)


def test_bm25_idf_is_higher_for_rarer_terms():
    import bm25s
    import Stemmer

    from assistant.bm25_store import Bm25Index

    stemmer = Stemmer.Stemmer("english")
    docs = ["public sector innovation", "innovation labs in the public sector",
            "frugal innovation serves more people", "sector skills"]
    model = bm25s.BM25()
    model.index(bm25s.tokenize(docs, stemmer=stemmer, show_progress=False), show_progress=False)
    idf = Bm25Index(model, stemmer).idf({"frugal", "innov", "unseen"})
    assert idf["frugal"] > idf["innov"] > 0
    assert idf["unseen"] >= idf["frugal"]  # in no chunk: the highest value
