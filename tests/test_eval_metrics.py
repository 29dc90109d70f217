"""The eval metrics on tiny hand-made cases whose values are computed by hand below."""

import math
from pathlib import Path

import pytest

from evals import metrics as m
from evals.questions import Question, QuestionSetError, check_against_index, load_questions


def log2(x):
    return math.log2(x)


# Three questions whose first relevant passage sits at rank 1, rank 3 and nowhere.
RANKED = [
    [True, False, True, False],
    [False, False, True, False],
    [False, False, False, False],
]


def test_hit_and_mrr_on_known_ranks():
    assert [m.first_hit_rank(f) for f in RANKED] == [1, 3, None]
    assert m.mean(m.hit_at_k(f, 1) for f in RANKED) == pytest.approx(1 / 3)
    assert m.mean(m.hit_at_k(f, 5) for f in RANKED) == pytest.approx(2 / 3)
    # MRR = (1/1 + 1/3 + 0) / 3
    assert m.mean(m.reciprocal_rank(f) for f in RANKED) == pytest.approx((1 + 1 / 3) / 3)


def test_ndcg_binary_known_values():
    # Relevant at ranks 1 and 3: DCG = 1 + 1/log2(4); ideal puts both first: 1 + 1/log2(3).
    assert m.ndcg_binary(RANKED[0], 10) == pytest.approx((1 + 1 / log2(4)) / (1 + 1 / log2(3)))
    # A single relevant passage at rank 3: (1/log2(4)) / 1 = 0.5.
    assert m.ndcg_binary(RANKED[1], 10) == pytest.approx(0.5)
    assert m.ndcg_binary(RANKED[2], 10) == 0.0
    assert m.ndcg_binary([True] * 3, 10) == pytest.approx(1.0)
    # Cut-off: a hit at rank 3 does not count for nDCG@2.
    assert m.ndcg_binary(RANKED[1], 2) == 0.0


def test_ndcg_and_recall_against_qrels():
    qrels = {"d1": 1, "d2": 1, "d3": 1}
    ranking = ["x", "d1", "y", "d3"]
    ideal = 1 + 1 / log2(3) + 1 / log2(4)
    assert m.ndcg_at_k(ranking, qrels, 10) == pytest.approx((1 / log2(3) + 1 / log2(5)) / ideal)
    assert m.recall_at_k(ranking, qrels, 100) == pytest.approx(2 / 3)
    assert m.recall_at_k(ranking, qrels, 2) == pytest.approx(1 / 3)
    # Graded relevance: gains are the grades (trec_eval's linear gain).
    assert m.ndcg_at_k(["a", "b"], {"a": 1, "b": 2}, 10) == pytest.approx(
        (1 + 2 / log2(3)) / (2 + 1 / log2(3)))
    assert m.ndcg_at_k(["d1", "d2", "d3"], qrels, 10) == pytest.approx(1.0)


def test_refusal_precision_recall_and_false_refusals():
    should = [True, True, True, True, False, False, False, False, False, False]
    refused = [True, True, True, False, True, False, False, False, False, False]
    r = m.refusal_metrics(should, refused)
    assert r["refusal_recall"] == pytest.approx(3 / 4)  # 3 of 4 out-of-scope refused
    assert r["refusal_precision"] == pytest.approx(3 / 4)  # 1 of 4 refusals was in scope
    assert r["false_refusal_rate"] == pytest.approx(1 / 6)


def test_citation_support_counts_uncited_sentences():
    split = lambda t: [s for s in t.replace("? ", ". ").split(". ") if s]  # noqa: E731
    assert m.citation_support("A is b. [1] C is d. [2]", split) == (2, 2)
    assert m.citation_support("A is b. C is d. [1]", split) == (1, 2)
    assert m.citation_support("Prefix says. A is b. [1]", split, prefix="Prefix says.") == (1, 1)
    assert m.citation_support("No citations here.", split) == (0, 1)


def test_quote_verbatim_and_phrase_matching():
    chunk = "Mission washing is when targets are\nrebranded as missions."
    assert m.quote_is_verbatim("Mission washing is when", chunk)
    assert not m.quote_is_verbatim("mission washing is when", chunk)  # quotes are exact
    assert not m.quote_is_verbatim("anything", None)
    assert m.contains_phrase(chunk, "ARE REBRANDED  as")  # evidence: case and spaces relaxed
    assert not m.contains_phrase(chunk, "market shaping")


def test_percentile_interpolates():
    assert m.percentile([10, 20, 30, 40], 50) == pytest.approx(25)
    assert m.percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert m.percentile([], 50) == 0.0


def test_question_validation(tmp_path: Path):
    good = tmp_path / "q.jsonl"
    good.write_text('{"id": "a", "question": "What is X?", "evidence": ["x is"]}\n'
                    '{"id": "b", "question": "Capital of France?", "expect": "not_found"}\n')
    qs = load_questions(good)
    assert [q.in_scope for q in qs] == [True, False]
    assert qs[0].is_relevant("doc", "So X IS good") and not qs[0].is_relevant("doc", "y")
    for bad in ['{"id": "a", "question": "What is X?"}',  # nothing to judge a hit by
                '{"id": "a", "question": "Q?", "expect": "maybe", "evidence": ["q"]}',
                'not json']:
        path = tmp_path / "bad.jsonl"
        path.write_text(bad + "\n")
        with pytest.raises(QuestionSetError):
            load_questions(path)
    dup = tmp_path / "dup.jsonl"
    dup.write_text(good.read_text().splitlines()[0] + "\n" + good.read_text().splitlines()[0])
    with pytest.raises(QuestionSetError, match="duplicate"):
        load_questions(dup)
    problems = check_against_index(
        [Question(id="a", question="What is X?", evidence=["x is", "zzz"], doc_ids=["nope"])],
        {"c1": ("doc", "x is here")})
    assert problems == ["a: evidence 'zzz' is in no stored chunk",
                        "a: doc_id 'nope' is not in the index"]


def test_bundled_question_set_is_valid():
    from evals.questions import DEFAULT_QUESTIONS
    qs = load_questions(DEFAULT_QUESTIONS)
    assert sum(q.in_scope for q in qs) >= 80
    assert sum(not q.in_scope for q in qs) >= 20


def test_fusion_weighted_and_rrf_on_known_scores():
    from assistant.retrieve import Hit, fuse

    def hits(pairs):
        return [Hit(i, {}, s, text=i) for i, s in pairs]

    dense = hits([("a", 0.9), ("b", 0.5), ("c", 0.1)])  # normalised: a=1, b=0.5, c=0
    bm25 = hits([("c", 12.0), ("b", 10.0), ("d", 2.0)])  # normalised: c=1, b=0.8, d=0
    weighted = fuse([dense, bm25], [0.5, 0.5], "weighted")
    # a: 0.5*1 = 0.5; b: 0.5*0.5 + 0.5*0.8 = 0.65; c: 0 + 0.5*1 = 0.5; d: 0
    assert [h.chunk_id for h in weighted][:2] == ["b", "a"]
    assert weighted[0].score == pytest.approx(0.65)
    assert {h.chunk_id: h.score for h in weighted}["c"] == pytest.approx(0.5)
    # Dense weight 1: BM25 cannot change the dense order.
    assert [h.chunk_id for h in fuse([dense, bm25], [1.0, 0.0], "weighted")][:3] == \
        ["a", "b", "c"]
    rrf = {h.chunk_id: h.score for h in fuse([dense, bm25], [1.0, 1.0], "rrf", rrf_k=60)}
    assert rrf["b"] == pytest.approx(2 / 62)  # rank 2 in both lists
    assert rrf["a"] == pytest.approx(1 / 61) and rrf["d"] == pytest.approx(1 / 63)
