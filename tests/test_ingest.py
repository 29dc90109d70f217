"""Ingest into a real Chroma with the real model: incremental, deterministic, prunable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.store import LibraryIndex, ModelMismatch
from ingest.pipeline import ingest
from tests.conftest import settings_for, write_corpus

SMALL = ["001_90c229dbe2879bfb.txt", "003_8f7f1693dd71a2ea.txt", "004_68bdecd6a7b44e26.txt"]


def snapshot(settings) -> dict:
    got = LibraryIndex.open(settings).collection.get(include=["documents", "metadatas"])
    return {i: (d, m["doc_hash"]) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ingest")
    settings = settings_for(tmp, write_corpus(tmp / "corpus", SMALL))
    first = ingest(settings, progress=False)
    return settings, first


def test_first_ingest_indexes_every_document_with_metadata(built):
    settings, report = built
    assert report.count("ingested") == 3 and not report.failed
    index = LibraryIndex.open(settings)
    assert report.embedded_chunks == index.count() > 10
    docs = index.documents()
    assert set(docs) == set(SMALL) and all(s.complete for s in docs.values())
    got = index.collection.get(where={"doc_id": "004_68bdecd6a7b44e26.txt"}, include=["metadatas"])
    meta = got["metadatas"][0]
    assert meta["type"] == "talk_summary" and meta["video_id"] == "-KQokCATILo"
    assert meta["publisher"].startswith("OECD")
    assert any(json.loads(m["timestamps"]) for m in got["metadatas"])
    assert any(m["section"] for m in got["metadatas"])
    assert sorted(got["ids"]) == [f"004_68bdecd6a7b44e26.txt#{i:04d}" for i in range(len(got["ids"]))]


def test_rerun_on_unchanged_corpus_embeds_nothing_and_changes_nothing(built):
    settings, _ = built
    before = snapshot(settings)
    again = ingest(settings, progress=False)
    assert again.embedded_chunks == 0
    assert again.count("unchanged") == 3
    assert snapshot(settings) == before


def test_changed_document_is_replaced_and_removed_one_pruned(tmp_path: Path):
    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", SMALL))
    ingest(settings, progress=False)
    before = snapshot(settings)
    edited = settings.corpus_dir / "seeds" / "001_90c229dbe2879bfb.txt"
    edited.write_text(edited.read_text().replace(
        "five key areas", "five key areas, including a new Quokka Mission for wetlands"))
    report = ingest(settings, progress=False)
    assert report.count("updated") == 1 and report.count("unchanged") == 2
    after = snapshot(settings)
    new_texts = [d for i, (d, _) in after.items() if i.startswith("001_")]
    assert any("Quokka Mission" in t for t in new_texts)
    assert not any(i.startswith("001_") and before.get(i) == v for i, v in after.items())
    assert {i: v for i, v in after.items() if not i.startswith("001_")} == \
           {i: v for i, v in before.items() if not i.startswith("001_")}

    # Without --prune a vanished file is kept (a missing file is often a mistake) ...
    (settings.corpus_dir / "seeds" / "003_8f7f1693dd71a2ea.txt").unlink()
    ingest(settings, progress=False)
    assert "003_8f7f1693dd71a2ea.txt" in LibraryIndex.open(settings).documents()
    # ... with --prune its chunks go.
    report = ingest(settings, prune=True, progress=False)
    assert report.count("removed") == 1
    assert "003_8f7f1693dd71a2ea.txt" not in LibraryIndex.open(settings).documents()


def test_unlisted_files_in_corpus_are_ingested_with_inferred_metadata(tmp_path: Path):
    corpus = write_corpus(tmp_path / "corpus", ["001_90c229dbe2879bfb.txt"])
    (corpus / "extra").mkdir()
    (corpus / "extra" / "notes.md").write_text(
        "---\ntitle: Team notes on Vinnova\n---\n\n# Vinnova\n\nVinnova funds challenge-driven "
        "innovation programmes that bring agencies, firms and researchers together.\n")
    settings = settings_for(tmp_path, corpus)
    report = ingest(settings, progress=False)
    assert report.count("ingested") == 2
    state = LibraryIndex.open(settings).documents()["extra/notes.md"]
    assert state.title == "Team notes on Vinnova"


def test_app_uploads_survive_prune_until_removed(tmp_path: Path):
    from ingest.pipeline import remove

    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", ["001_90c229dbe2879bfb.txt"]))
    upload = settings.uploads_dir / "team_note.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("Team note on missions.\n\nThe team agreed three mission criteria for the "
                      "borough: bold, measurable and owned by residents.\n")
    assert ingest(settings, paths=[upload], include_corpus=False, progress=False).count(
        "ingested") == 1
    pruned = ingest(settings, prune=True, progress=False)  # what `make run` does
    assert pruned.count("removed") == 0
    assert "team_note.txt" in LibraryIndex.open(settings).documents()
    assert remove(settings, ["team_note.txt"]).count("removed") == 1
    assert not upload.exists()  # removed for good: the next corpus ingest does not restore it
    ingest(settings, prune=True, progress=False)
    assert "team_note.txt" not in LibraryIndex.open(settings).documents()


def test_opening_with_another_model_is_a_clear_error(built, tmp_path: Path):
    settings, _ = built
    other = settings.model_copy(update={"embedding_model": "some-other-model"})
    with pytest.raises(ModelMismatch) as err:
        LibraryIndex.open(other)
    assert "some-other-model" in str(err.value) and "ingest --rebuild" in str(err.value)


def test_status_shows_drift_between_corpus_and_index(tmp_path: Path):
    from ingest.status import index_status

    settings = settings_for(tmp_path, write_corpus(tmp_path / "corpus", SMALL))
    ingest(settings, progress=False)
    clean = index_status(settings)
    assert clean["documents"] == 3 and clean["chunks"] > 10
    assert clean["not_ingested"] == clean["not_in_corpus"] == clean["changed_since_ingest"] == []
    seeds = settings.corpus_dir / "seeds"
    (seeds / "001_90c229dbe2879bfb.txt").write_text("An edited press release about missions.\n")
    (seeds / "003_8f7f1693dd71a2ea.txt").unlink()
    (settings.corpus_dir / "new-note.md").write_text("# Note\n\nA new note on mission boards.\n")
    drift = index_status(settings)
    assert drift["changed_since_ingest"] == ["001_90c229dbe2879bfb.txt"]
    assert drift["not_ingested"] == ["new-note.md"]
    ingest(settings, prune=True, progress=False)
    after = index_status(settings)
    assert after["not_in_corpus"] == [] and after["changed_since_ingest"] == []
    assert "003_8f7f1693dd71a2ea.txt" not in LibraryIndex.open(settings).documents()
