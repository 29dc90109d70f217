"""Sentence vectors stored at ingest: written and pruned with their chunks, used by questions
instead of the model, repaired for an older index. Real model, real Chroma."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.scoring import clear_sentence_vectors
from assistant.answer.units import quotable
from assistant.embedding import encode, load_embedding
from assistant.sentence_store import ChunkSentences, SentenceStore
from assistant.sentences import _bodies, _punkt, forget_spans, sentence_spans
from assistant.service import Assistant
from assistant.store import LibraryIndex
from ingest.pipeline import ingest
from ingest.status import index_status
from tests.conftest import SEED_IDS, settings_for, write_corpus

SMALL = SEED_IDS[:3]
QUESTION = "What does a mission-driven approach to government mean?"


def records(settings) -> dict[str, dict]:
    got = LibraryIndex.open(settings).sentences.collection().get(include=["metadatas"])
    return dict(zip(got["ids"], got["metadatas"]))


def chunk_texts(settings) -> dict[str, str]:
    got = LibraryIndex.open(settings).collection.get(include=["documents"])
    return dict(zip(got["ids"], got["documents"]))


class CountingModel:
    """The real query model, with a record of the texts it was asked to embed as sentences."""

    def __init__(self, model):
        self.model, self.embedded = model, []

    def get_text_embedding_batch(self, texts, **kw):
        self.embedded += list(texts)
        return self.model.get_text_embedding_batch(texts, **kw)

    def __getattr__(self, name):
        return getattr(self.model, name)


def fresh_assistant(settings, **overrides) -> tuple[Assistant, CountingModel]:
    assistant = Assistant(settings.model_copy(update=overrides))
    counting = CountingModel(assistant.embed_model)
    assistant.embed_model = assistant.retriever.embed_model = counting
    clear_sentence_vectors()
    forget_spans()
    return assistant, counting


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sentences")
    settings = settings_for(tmp, write_corpus(tmp / "corpus", SMALL))
    assert not ingest(settings, progress=False).failed
    return settings


def test_every_chunk_has_its_spans_and_quotable_sentence_vectors(small):
    texts, stored = chunk_texts(small), LibraryIndex.open(small).sentences
    assert set(records(small)) == set(texts)
    found = stored.lookup(list(texts.items()))
    assert set(found) == set(texts)
    model = load_embedding(small)
    for cid in sorted(texts)[:4]:
        got, text = found[cid], texts[cid]
        spans, rows, vectors = got.spans, got.rows, got.vectors
        assert spans == sentence_spans(text)
        assert rows == [i for i, (s, e) in enumerate(spans) if quotable(text[s:e])]
        fresh = encode(model, [text[spans[i][0]:spans[i][1]] for i in rows])
        assert vectors.shape == fresh.shape and np.min(np.sum(vectors * fresh, axis=1)) > 0.999
    # A record is only used for the text it was made from.
    cid = sorted(texts)[0]
    assert stored.lookup([(cid, texts[cid] + " changed")]) == {}


def test_a_question_embeds_no_stored_sentence_and_answers_the_same(small):
    stored, counting = fresh_assistant(small)
    answer = stored.ask(QUESTION)
    assert answer.citations and counting.embedded == []  # reranker and answer: all stored

    unstored, counting = fresh_assistant(small, stored_sentence_vectors=False)
    again = unstored.ask(QUESTION)
    assert len(counting.embedded) > 10  # the old way: every candidate sentence embedded
    assert [c.quote for c in again.citations] == [c.quote for c in answer.citations]
    assert again.status == answer.status


def test_older_index_is_answered_reported_and_repaired(tmp_path):
    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", SMALL[:2]))
    ingest(settings, progress=False)
    SentenceStore.drop(settings)  # as built before sentence vectors existed
    status = index_status(settings)
    assert status["chunks_without_sentence_vectors"] == status["chunks"] > 0
    assert "mission-assistant ingest" in status["advice"]

    assistant, counting = fresh_assistant(settings)
    assert assistant.ask(QUESTION).citations and counting.embedded  # embedded when asked

    report = ingest(settings, progress=False)  # nothing changed: only the vectors are added
    assert report.embedded_chunks == 0 and report.count("unchanged") == 2
    assert set(records(settings)) == set(chunk_texts(settings))
    assert index_status(settings)["chunks_without_sentence_vectors"] == 0


def test_changed_pruned_and_rebuilt_documents_keep_records_in_step(tmp_path):
    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", SMALL))
    ingest(settings, progress=False)
    # A record whose chunk is gone (as a kill between the two writes would leave).
    LibraryIndex.open(settings).sentences.write(
        [ChunkSentences.of("ghost#0000", "ghost", "A sentence about nothing in particular here.")],
        {"A sentence about nothing in particular here.": np.ones(384, np.float32) / 384 ** 0.5})

    edited = settings.corpus_dir / "seeds" / SMALL[1]
    edited.write_text(edited.read_text().replace("committees", "working groups"))
    (settings.corpus_dir / "seeds" / SMALL[2]).unlink()
    report = ingest(settings, prune=True, progress=False)
    assert report.count("updated") == 1 and report.count("removed") == 1
    texts, stored = chunk_texts(settings), records(settings)
    assert set(stored) == set(texts) and not any(c.startswith(SMALL[2]) for c in stored)
    assert set(LibraryIndex.open(settings).sentences.lookup(list(texts.items()))) == set(texts)

    ingest(settings, rebuild=True, progress=False)
    assert set(records(settings)) == set(chunk_texts(settings)) == set(texts)


def test_a_line_cut_before_a_sentence_splits_like_the_whole_line(small):
    """remember_spans derives the spans of line prefixes from the whole line's (so a question
    never loads NLTK for them): check that punkt agrees on every line of these chunks."""
    checked = 0
    for text in chunk_texts(small).values():
        for _, body in _bodies(text):
            spans = list(_punkt().span_tokenize(body))
            for k in range(1, len(spans)):
                assert list(_punkt().span_tokenize(body[:spans[k][0]])) == spans[:k]
                checked += 1
    assert checked > 20


LISTED = "anticipatory_innovation_for_governments.md"  # "... provides countries with:" + items


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("listed")
    settings = settings_for(tmp, write_corpus(tmp / "corpus", [LISTED]))
    assert not ingest(settings, progress=False).failed
    return settings


def test_list_items_that_are_not_sentences_are_stored_and_never_embedded_when_asked(listed):
    texts = chunk_texts(listed)
    found = LibraryIndex.open(listed).sentences.lookup(list(texts.items()))
    items = {texts[cid][s:e] for cid, got in found.items() for s, e in got.extras}
    assert {"Peer support", "Co-design elements"} <= items  # short items: not sentences

    assistant, counting = fresh_assistant(listed)
    answer = assistant.ask("What does the Innovation Incubator Program provide to countries?")
    assert "Peer support" in answer.answer  # the list is the answer, read from stored vectors
    assert counting.embedded == []


def test_an_older_record_without_list_items_is_read_reported_and_rewritten(tmp_path):
    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", [LISTED]))
    ingest(settings, progress=False)
    collection = LibraryIndex.open(settings).sentences.collection()
    got = collection.get(include=["metadatas"])
    old = [{k: v for k, v in meta.items() if not k.startswith("extra_")} | {"format": 1}
           for meta in got["metadatas"]]
    collection.delete(ids=got["ids"])  # rewritten as before format 2 (an upsert would merge
    collection.add(ids=got["ids"], metadatas=old, embeddings=[[0.0]] * len(old))  # the keys)
    status = index_status(settings)
    assert status["chunks_without_unit_vectors"] == status["chunks"] > 0
    assert "mission-assistant ingest" in status["advice"]

    assistant, counting = fresh_assistant(settings)
    assert assistant.ask("What does the Innovation Incubator Program provide?").citations
    assert counting.embedded and all(len(t.split()) < 5 for t in counting.embedded)  # items only

    report = ingest(settings, progress=False)
    assert report.embedded_chunks == 0 and report.count("unchanged") == 1
    assert index_status(settings)["chunks_without_unit_vectors"] == 0
    assert all(m["format"] == 2 and "extra_spans" in m for m in records(settings).values())


def test_cached_documents_follow_a_changed_index(tmp_path):
    """The Assistant keeps a document's chunks between questions; a re-ingest must show."""
    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", SMALL[1:2]))
    ingest(settings, progress=False)
    assistant = Assistant(settings)
    assistant.ask(QUESTION)
    doc_id = SMALL[1]
    before = " ".join(p.text for p in assistant.document(doc_id))
    assert "working groups" not in before and assistant.document(doc_id)  # served from cache

    edited = settings.corpus_dir / "seeds" / doc_id
    edited.write_text(edited.read_text().replace("committees", "working groups"))
    assert ingest(settings, progress=False).count("updated") == 1
    assistant.ask(QUESTION)  # the next question sees the new index state
    assert "working groups" in " ".join(p.text for p in assistant.document(doc_id))
