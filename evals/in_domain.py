"""Run a question set through the assistant, once per retrieval configuration (ablation).

Every configuration goes through Assistant.ask — the same path as the CLI and UI — so the
numbers describe the product. Retrieval metrics use the top 10 passages `ask` returns.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

from assistant import messages
from assistant.answer.scoring import score_candidates
from assistant.answer.units import candidate_sentences
from assistant.sentences import sentence_spans
from assistant.service import get_assistant
from assistant.settings import Settings
from assistant.types import Answer, AnswerStatus
from evals import metrics as m
from evals.questions import Question, check_against_index

# The default pipeline first: its latency is measured before the sentence-vector cache is warm;
# later configurations reuse vectors of passages already seen.
ABLATIONS = ("hybrid+rerank", "hybrid", "bm25", "dense")
NOT_AVAILABLE = "not available (reranker=none)"


def ablation_settings(settings: Settings, name: str) -> Settings | None:
    """Settings for one configuration: `bm25`, `dense` and `hybrid` are first stages alone;
    `hybrid+rerank` adds the configured reranker. None when it cannot run (reranker=none)."""
    if name == "hybrid+rerank":
        if settings.reranker == "none":
            return None
        return settings.model_copy(update={"retrieval_mode": "hybrid"})
    return settings.model_copy(update={"retrieval_mode": name, "reranker": "none"})


def default_configuration(settings: Settings) -> str:
    """The ablation that is the product's default pipeline (whose targets the report checks)."""
    return "hybrid+rerank" if settings.reranker != "none" else settings.retrieval_mode


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def best_sentence_score(assistant, question: str, answer: Answer) -> float:
    """The relevance the answerer's refusal decision is based on (recomputed from the cached
    sentence vectors, so nearly free), kept so thresholds can be calibrated from the JSON."""
    cands = candidate_sentences(answer.retrieved[: assistant.settings.answer_passages])
    if not cands:
        return 0.0
    score_candidates(question, assistant.embed_query(question), cands, assistant.embed_model)
    return round(max(c.score for c in cands), 4)


def shown_text(answer: Answer) -> str:
    """What the answer says, without its scaffolding: the quoted spans of an extractive answer
    (not the attribution lines, whose titles could contain a phrase the quotes lack), or the
    text an LLM wrote."""
    if answer.status is AnswerStatus.not_found:
        return ""
    if answer.units:
        return "\n".join(c.quote for c in answer.citations)
    return answer.answer


def citation_verbatim(c, chunks: dict[str, tuple[str, str]]) -> bool:
    """Every span of the citation is exactly the stored text of its chunk at its offsets, and
    every chunk belongs to the cited document."""
    if not c.spans:
        stored = chunks.get(c.chunk_id)
        return bool(stored) and stored[0] == c.doc_id and m.quote_is_verbatim(c.quote, stored[1])
    for span in c.spans:
        stored = chunks.get(span.chunk_id)
        if not stored or stored[0] != c.doc_id or stored[1][span.start:span.end] != span.text \
                or not span.text.strip():
            return False
    return True


def score_answer(q: Question, answer: Answer, chunks: dict[str, tuple[str, str]],
                 latency: float, best: float = 0.0) -> dict:
    """Per-question record: ranks, answer and citation checks, nuggets."""
    retrieved = answer.retrieved[:10]
    flags = [q.is_relevant(p.doc_id, p.text) for p in retrieved] if q.in_scope else []
    refused = answer.status is AnswerStatus.not_found
    cites_ok = [citation_verbatim(c, chunks) for c in answer.citations]
    shown = shown_text(answer)
    cited = total = 0
    if not refused:
        prefix = messages.PARTIAL_PREFIX if answer.status is AnswerStatus.partial else ""
        cited, total = m.citation_support(answer.answer, _sentences, prefix)
    answer_hit = (not refused) and q.in_scope and (
        any(m.contains_phrase(shown, e) for e in q.evidence)
        or any(c.doc_id in q.doc_ids for c in answer.citations))
    nuggets = q.nuggets_covered(shown)
    ceiling = q.nuggets_covered("\n".join(p.text for p in retrieved))
    return {
        "id": q.id, "category": q.category, "question": q.question, "expect": q.expect,
        "status": answer.status.value, "mode": answer.mode, "best_sentence_score": best, "first_hit_rank": m.first_hit_rank(flags),
        "hit@1": m.hit_at_k(flags, 1), "hit@5": m.hit_at_k(flags, 5),
        "rr": m.reciprocal_rank(flags), "ndcg@10": m.ndcg_binary(flags, 10),
        "answer_hit": answer_hit, "citations": len(cites_ok), "citations_verbatim": sum(cites_ok),
        "sentences": total, "sentences_cited": cited, "latency_ms": round(latency * 1000, 1),
        "top_docs": [p.doc_id for p in retrieved[:5]], "answer": answer.answer[:400],
        "shape": answer.shape, "words": len(shown.split()), "nuggets": nuggets,
        "nuggets_retrieved": ceiling,
    }


def summarize(records: list[dict]) -> dict:
    scoped = [r for r in records if r["expect"] == "answer"]
    n_cites = sum(r["citations"] for r in records)
    n_sent = sum(r["sentences"] for r in records)
    refusal = m.refusal_metrics([r["expect"] == "not_found" for r in records],
                                [r["status"] == "not_found" for r in records])
    lat = [r["latency_ms"] for r in records]
    nug = [r for r in scoped if r.get("nuggets")]
    nuggets = {}
    if nug:
        nuggets = {
            "nugget_recall": m.mean(sum(r["nuggets"]) / len(r["nuggets"]) for r in nug),
            "complete_answers": m.mean(float(all(r["nuggets"])) for r in nug),
            "nugget_recall_retrieved": m.mean(sum(r["nuggets_retrieved"]) /
                                              len(r["nuggets_retrieved"]) for r in nug),
            "complete_retrieved": m.mean(float(all(r["nuggets_retrieved"])) for r in nug),
            "words_per_answer": m.mean(r["words"] for r in nug),
        }
    return {
        "questions": len(records), "in_scope": len(scoped),
        "hit@1": m.mean(r["hit@1"] for r in scoped), "hit@5": m.mean(r["hit@5"] for r in scoped),
        "mrr": m.mean(r["rr"] for r in scoped), "ndcg@10": m.mean(r["ndcg@10"] for r in scoped),
        "answer_evidence_recall": m.mean(float(r["answer_hit"]) for r in scoped),
        "citation_precision": sum(r["citations_verbatim"] for r in records) / n_cites
        if n_cites else 1.0,
        "citation_support": sum(r["sentences_cited"] for r in records) / n_sent if n_sent else 1.0,
        **refusal,
        "latency_p50_ms": round(m.percentile(lat, 50), 1),
        "latency_p95_ms": round(m.percentile(lat, 95), 1),
        **nuggets,
    }


def run_in_domain(questions: list[Question], settings: Settings,
                  ablations: tuple[str, ...] = ABLATIONS, progress: bool = True) -> dict:
    """{"checks": [...], "ablations": {name: {"summary", "records"} or {"skipped": reason}}}."""
    out: dict = {"ablations": {}}
    chunks: dict[str, tuple[str, str]] | None = None
    for name in ablations:
        cfg = ablation_settings(settings, name)
        if cfg is None:
            out["ablations"][name] = {"skipped": NOT_AVAILABLE}
            continue
        assistant = get_assistant(cfg)
        if chunks is None:  # the stored text every citation must quote verbatim
            chunks = {cid: (str(meta.get("doc_id", "")), text)
                      for ids, texts, metas in assistant.index.all_chunks()
                      for cid, text, meta in zip(ids, texts, metas)}
            out["checks"] = check_against_index(questions, chunks)
        assistant.ask(questions[0].question)  # warm-up: first-call loading is not latency
        records = []
        for q in tqdm(questions, desc=f"eval {name}", unit="q", disable=not progress,
                      file=sys.stderr):
            t0 = time.perf_counter()
            answer = assistant.ask(q.question)
            latency = time.perf_counter() - t0
            best = best_sentence_score(assistant, q.question, answer)
            records.append(score_answer(q, answer, chunks, latency, best))
        out["ablations"][name] = {"summary": summarize(records), "records": records}
    return out
